"""数据归属 in the graph: which department's subgraph serves which types and fields.

The credit graph is one set of strawberry types (``resolvers.types``); a subgraph is the part
of it one owner serves. This module only *declares* that split; ``federation.projection``
turns it into subgraph schemas. The rules, in order:

1. A field named in a subgraph's ``fields`` belongs to that subgraph.
2. Every field of a record type named in a subgraph's ``records`` belongs to it.
3. Any other field of ``Subject`` or of a root type (``Query``, ``Mutation``, …) belongs to the
   subgraph owning the record type it returns (``publishPenalty: Penalty`` → enforcement);
   when it returns none, to ``HOME``, the registry, where subjects are registered.
4. Value types (``PageInfo``, ``Region``, connections, …) and interfaces have no owner: each
   subgraph that reaches one serves all of it (``@shareable``).

So a field added in ``resolvers/`` lands in its owner's subgraph without an edit here, unless
rule 3 would place it wrongly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from resolvers.domain.enums import Department

# Federation v2.9: the newest version both composers (@theguild/federation-composition and
# @apollo/composition) and strawberry accept; we use only @key, @shareable and @link of v2.0.
FEDERATION_VERSION = "2.9"


@dataclass(frozen=True)
class Subgraph:
    """One owner's subgraph: the record types it keeps and the shared fields it answers."""

    name: str
    departments: tuple[Department, ...]
    description: str
    records: frozenset[str] = frozenset()
    fields: Mapping[str, frozenset[str]] = field(default_factory=dict)
    port: int = 0  # where ``serve --subgraph`` and the checked-in supergraph expect it


REGISTRY = Subgraph(
    "registry", (Department.MARKET_REGULATION,),
    "主体登记 — subjects, their identity and verification, licences (market regulation).",
    records=frozenset({"License"}),
    fields={"Query": frozenset({"subject", "subjects", "searchSubjects", "node"}),
            # 信用等级 / 信用风险分类: market regulation classifies enterprises by credit risk
            # (国市监信发〔2022〕6号), docs/CREDIT_GRADE.md "Federation"
            "Subject": frozenset({"licenses", "creditGrade", "supervisoryClass"})},
    port=4101,
)
ENFORCEMENT = Subgraph(
    "enforcement", (Department.MARKET_REGULATION, Department.DEVELOPMENT_REFORM),
    "执法与名单 — penalties and red/black list entries (regulators, credit authority).",
    records=frozenset({"Penalty", "ListEntry"}),
    fields={"Subject": frozenset({"penalties", "listEntries", "listStatus"}),
            # the published lists and the review of candidates (名单认定)
            "Query": frozenset({"creditList", "listCandidates"}),
            "Mutation": frozenset({"reviewListCandidate"})},
    port=4102,
)
TRADE = Subgraph(
    "trade", (Department.PLATFORM, Department.COMMERCE),
    "交易信用 — ratings, commitments and complaints (platforms and commerce).",
    records=frozenset({"Rating", "Commitment", "Complaint"}),
    fields={"Subject": frozenset({"ratings", "ratingSummary", "commitments", "complaints"})},
    port=4103,
)
LOGISTICS = Subgraph(
    "logistics", (Department.POSTAL,),
    "寄递物流 — logistics links and carriers' credit class (postal administration).",
    records=frozenset({"LogisticsLink"}),
    fields={"Subject": frozenset({"logisticsLinks", "carrierCreditClass"})},
    port=4104,
)

SUBGRAPHS: dict[str, Subgraph] = {s.name: s for s in (REGISTRY, ENFORCEMENT, TRADE, LOGISTICS)}
HOME = REGISTRY

# Entities and the field each is keyed by: a subject by its USCC in every subgraph, a record by
# its global ID (so the subgraph answering ``node`` can hand a record to its owner).
SUBJECT_KEY = "uscc"
RECORD_KEY = "id"
SHARED_TYPES = frozenset({"Subject", "Query", "Mutation", "Subscription"})


def record_owner(type_name: str) -> Subgraph | None:
    return next((s for s in SUBGRAPHS.values() if type_name in s.records), None)


def entity_key(type_name: str) -> str | None:
    if type_name == "Subject":
        return SUBJECT_KEY
    return RECORD_KEY if record_owner(type_name) else None


def claimed_by(type_name: str, field_name: str) -> Subgraph | None:
    """The subgraph a field is given to by name (rules 1 and 2), if any."""
    for subgraph in SUBGRAPHS.values():
        if field_name in subgraph.fields.get(type_name, ()):
            return subgraph
    return record_owner(type_name)
