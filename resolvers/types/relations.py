"""关联关系 for auditors: ``Subject.related`` and ``Query.path``, each tie with its evidence.

Only AUDITOR and REGULATOR keys explore (others: FORBIDDEN), and every subject an exploration
reaches goes to the access log (个人信息查询记录) as a field named after the exploration
(``related``, ``path``), with the shared personal value (phone, ID number) when the evidence
shows it — through the same per-request tally as every unmasked read (``explored``).
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry import Parent
from strawberry.federation.schema_directives import ListSize

from resolvers.context import Info
from resolvers.data import models
from resolvers.data.queries import explore
from resolvers.data.queries.ties import SHARED, Tie
from resolvers.domain import relations
from resolvers.domain.relations import RelationKind
from resolvers.errors import BadUserInputError, ForbiddenError
from resolvers.types import pagination
from resolvers.types.common import SubjectRef, load_subject, row_id, subject_field
from resolvers.types.node import to_global_id
from resolvers.types.scalars import USCC, require_uscc

ALL_KINDS = tuple(RelationKind)
VIA = "Kinds of tie to follow (default: all)."


def require_explorer(info: Info, what: str) -> None:
    """FORBIDDEN unless the caller is an AUDITOR or a REGULATOR."""
    role = info.context.caller.role
    if not relations.may_explore(role):
        raise ForbiddenError(f"{what} is for AUDITOR and REGULATOR keys", role=role.value)


def explored(info: Info, subject_id: int, field: str) -> None:
    """The exploration's trail: ``field`` of ``subject_id`` goes to the access log."""
    info.context.personal_reads.add(subject_id, field)


async def _records(root: Parent[Any], info: Info) -> list[strawberry.ID]:
    if root.record_type != "Subject":
        return [to_global_id(root.record_type, str(ident)) for ident in root.record_ids]
    found = await asyncio.gather(*(load_subject(info, ident) for ident in root.record_ids))
    return [to_global_id("Subject", subject.uscc) for subject in found]


async def _hop_from(root: Parent[Any], info: Info) -> SubjectRef:
    return await load_subject(info, root.from_id)  # type: ignore[no-any-return]


@strawberry.type(description="证据 — the records and fields that make one tie.")
class Evidence:
    kind: RelationKind = strawberry.field(description="关联类型 — what ties the two subjects.")
    record_type: str = strawberry.field(
        description="Type of the records: `Subject` (a shared value in both subjects' "
                    "registrations), `Rating` or `LogisticsLink`.")
    record_ids: strawberry.Private[tuple[int, ...]]
    fields: list[str] = strawberry.field(description="The fields of those records that agree.")
    count: int = strawberry.field(description="How many records make the tie.")
    value: str | None = strawberry.field(
        description="The shared value (normal form: ID number, phone digits, address without "
                    "its divisions) — personal data, logged for both subjects.")
    first_on: date | None = strawberry.field(description="Earliest record date (ratings, "
                                                         "logistics periods).")
    last_on: date | None = strawberry.field(description="Latest record date.")
    parcels: int | None = strawberry.field(description="CARRIER: parcels over the periods.")
    empty_parcels: int | None = strawberry.field(description="CARRIER: empty parcels (空包).")

    records: list[strawberry.ID] = strawberry.field(
        resolver=_records,
        description="Global IDs of the records (for a tie of many records, the first and the "
                    "last): `node` fetches them.")


def evidence(info: Info, tie: Tie) -> Evidence:
    """The evidence of ``tie``; a shared personal value is logged for both subjects."""
    if tie.value is not None and tie.kind in SHARED:
        for subject in (tie.source, tie.target):
            explored(info, subject, SHARED[tie.kind][1])
    return Evidence(
        kind=tie.kind, record_type=tie.record,
        record_ids=tie.record_ids,
        fields=list(tie.fields), count=tie.count, value=tie.value, first_on=tie.first_on,
        last_on=tie.last_on, parcels=tie.parcels, empty_parcels=tie.empty_parcels)


@strawberry.type(description="A subject reached from another by one or more ties.")
class RelatedSubject:
    subject_id: strawberry.Private[int]
    via_id: strawberry.Private[int]
    depth: int = strawberry.field(description="Ties from the subject asked about (1 or 2).")
    evidence: list[Evidence] = strawberry.field(
        description="Every tie between this subject and `via`, with its records.")

    subject: SubjectRef = subject_field("The subject reached.", "subject_id")
    via: SubjectRef = subject_field(
        "The subject it was reached from (the one asked about at depth 1).", "via_id")


@strawberry.type(description="关联主体 — the subjects tied to one, nearest first.")
class Related:
    subjects: list[RelatedSubject] = strawberry.field(
        description="Subjects reached, by depth then registration order.")
    truncated: bool = strawberry.field(
        description="true when ties were left out: a subject had more than `fanOut` ties of "
                    "one kind, or more subjects were reached than `first`.")
    fan_out: int = strawberry.field(description="Ties followed per subject and kind.")


def related_size() -> ListSize:
    """``@listSize`` of ``related``: ``first`` subjects (else the default) in ``subjects``."""
    return ListSize(slicing_arguments=["first"], sized_fields=["subjects"],
                               assumed_size=relations.RELATED_DEFAULT,
                               require_one_slicing_argument=False)


def _kinds(via: list[RelationKind] | None) -> tuple[RelationKind, ...]:
    return tuple(dict.fromkeys(via)) if via else ALL_KINDS


async def related(
    root: Parent[models.Subject], info: Info,
    via: Annotated[list[RelationKind] | None, strawberry.argument(description=VIA)] = None,
    depth: Annotated[int, strawberry.argument(
        description=f"1 or {relations.MAX_DEPTH}: how many ties away.")] = 1,
    first: Annotated[int | None, strawberry.argument(
        description=f"Most subjects (default {relations.RELATED_DEFAULT}, at most "
                    f"{relations.RELATED_MAX}).")] = None,
    fan_out: Annotated[int, strawberry.argument(
        description=f"Ties followed per subject and kind (1 to {relations.FAN_OUT}).")]
    = relations.FAN_OUT,
) -> Related:
    require_explorer(info, "Subject.related")
    if not 1 <= depth <= relations.MAX_DEPTH:
        raise BadUserInputError(f"depth must be 1 to {relations.MAX_DEPTH}", argument="depth")
    if not 1 <= fan_out <= relations.FAN_OUT:
        raise BadUserInputError(f"fanOut must be 1 to {relations.FAN_OUT}", argument="fanOut")
    size = pagination.page_size(first, default=relations.RELATED_DEFAULT,
                                maximum=relations.RELATED_MAX)
    start = row_id(root)
    found = await info.context.loaders.read(lambda session: explore.related(
        session, start, _kinds(via), depth=depth, first=size, cap=fan_out))
    explored(info, start, "related")
    subjects = []
    for near in found.found:
        explored(info, near.subject, "related")
        subjects.append(RelatedSubject(
            subject_id=near.subject, via_id=near.via, depth=near.depth,
            evidence=[evidence(info, tie) for tie in near.ties]))
    return Related(subjects=subjects, truncated=found.truncated, fan_out=fan_out)


@strawberry.type(description="One hop of an evidence path: two subjects and what ties them.")
class Hop:
    from_id: strawberry.Private[int]
    to_id: strawberry.Private[int]
    evidence: list[Evidence] = strawberry.field(description="Every tie of the hop.")

    from_: SubjectRef = strawberry.field(name="from", resolver=_hop_from,
                                         description="The subject the hop leaves.")
    to: SubjectRef = subject_field("The subject the hop reaches.", "to_id")


@strawberry.type(description="An evidence path: hops from `from` to `to`.")
class EvidencePath:
    hops: list[Hop] = strawberry.field(description="The hops in order.")


@strawberry.type(description="查关系 — the shortest evidence paths between two subjects, or "
                             "the answer that there is none within `maxHops`.")
class PathAnswer:
    found: bool = strawberry.field(description="A path of at most `maxHops` ties exists.")
    length: int | None = strawberry.field(description="Ties on the shortest path; null when "
                                                      "none was found.")
    max_hops: int = strawberry.field(description="The bound searched.")
    paths: list[EvidencePath] = strawberry.field(
        description=f"The shortest paths (at most {relations.PATHS_MAX}).")
    truncated: bool = strawberry.field(
        description="true when a fan-out or frontier cap cut the search: a path that was not "
                    "found may still exist through a subject with very many ties.")
    message: str = strawberry.field(description="The answer in words.")


async def path(
    info: Info,
    from_: Annotated[USCC, strawberry.argument(name="from", description="Where paths start.")],
    to: Annotated[USCC, strawberry.argument(description="Where paths end.")],
    max_hops: Annotated[int, strawberry.argument(
        description=f"Longest path searched (1 to {relations.MAX_HOPS}).")]
    = relations.DEFAULT_HOPS,
    via: Annotated[list[RelationKind] | None, strawberry.argument(description=VIA)] = None,
) -> PathAnswer:
    require_explorer(info, "path")
    if not 1 <= max_hops <= relations.MAX_HOPS:
        raise BadUserInputError(f"maxHops must be 1 to {relations.MAX_HOPS}",
                                argument="maxHops")
    ends = []
    for argument, code in (("from", from_), ("to", to)):
        row: Any = await info.context.loaders.subject_by_uscc.load(require_uscc(code))
        if row is None:
            raise BadUserInputError(f"no subject has the USCC {code}", argument=argument)
        ends.append(row_id(row))
    found = await info.context.loaders.read(lambda session: explore.shortest_paths(
        session, ends[0], ends[1], _kinds(via), max_hops=max_hops, cap=relations.FAN_OUT,
        frontier_cap=relations.FRONTIER))
    paths = []
    for end in ends:
        explored(info, end, "path")
    for hops in found.paths:
        built = []
        for ties in hops:
            explored(info, ties[0].target, "path")
            built.append(Hop(from_id=ties[0].source, to_id=ties[0].target,
                             evidence=[evidence(info, tie) for tie in ties]))
        paths.append(EvidencePath(hops=built))
    length = len(found.paths[0]) if found.paths else None
    if length is not None:
        message = f"{len(paths)} shortest path(s) of {length} tie(s)"
    else:
        message = f"no path within {max_hops} hop(s)" + (
            " among the ties searched (a fan-out cap cut the search)" if found.truncated
            else "")
    return PathAnswer(found=length is not None, length=length, max_hops=max_hops, paths=paths,
                      truncated=found.truncated, message=message)
