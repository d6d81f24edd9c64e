"""What an operation is, read from its document before it runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)

from gateway.limits.document import RememberedDocuments
from resolvers.cache import collection_tag

# What the stored public grade (``subject_grade``) is computed from: a write of any of these
# regrades the subjects it names in its transaction; ``SubjectGrade`` is the tag the daily
# regrading job (``credit-gateway grades refresh``) bumps as it commits. The ``grade`` filter,
# the GRADE order (``subjects`` is tagged with every filter's records) and ``stats`` read it.
GRADE_RECORDS = ("Commitment", "Complaint", "License", "ListEntry", "LogisticsLink", "Penalty",
                 "Rating", "SubjectGrade")

# The record types each ``SubjectFilter`` field reads besides the subject row: a ``subjects``
# list is tagged ``<Type>:*`` for each (every write of a record bumps it), so its membership
# never stays stale. Every filter field must be named here, with ``()`` when it reads the
# subject row only (which writes never change); a test compares this with the schema.
SUBJECT_FILTER_RECORDS: dict[str, tuple[str, ...]] = {
    "kind": (), "region": (), "verified": (), "nameContains": (), "status": (), "category": (),
    "registeredFrom": (), "registeredTo": (),
    "listStatus": ("ListEntry",),
    "lateDisclosure": ("License", "Penalty"),
    "grade": GRADE_RECORDS,
}

# Root list fields whose membership depends on records, by the record types their filters
# read. (``searchSubjects`` matches names and codes only: subject rows, never changed by
# writes.)
LIST_DEPENDENCIES: dict[str, tuple[str, ...]] = {
    "subjects": tuple(sorted({record for records in SUBJECT_FILTER_RECORDS.values()
                              for record in records})),
    # the entries in force of one list: any list-entry write may change its membership
    "creditList": ("ListEntry",),
    # the dashboards' root lists and aggregates (docs/DASHBOARD.md): the records they count or
    # page, and those the subject filter of ``stats`` reads
    "penalties": ("Penalty",),
    "licenses": ("License",),
    "listEntries": ("ListEntry",),
    "stats": GRADE_RECORDS,
}

# Root fields whose answers no write tags: the access log grows with every auditor read (not a
# record write), list candidates change by the rules' job and by reviews (no record write of
# a subject names them), and the auditor's explorations (docs/AUDIT.md) must each reach the
# resolvers to be logged and read ties and brushing facts in statements no tag follows: an
# operation selecting any of them is never cached. The credit report runs its sections as an
# operation of their own, whose tags the outer answer lacks.
NEVER_CACHED = frozenset({"accessLog", "listCandidates", "creditReport",
                          "subjectsByRepresentative", "subjectsByPhone", "subjectsByAddress",
                          "carrierMerchants", "platformMerchants", "ratingsGiven", "path",
                          "brushingSuspects", "brushingRun"})
# Fields below the root with the same need (``Subject.related``).
NEVER_CACHED_NESTED = frozenset({"related"})


@dataclass(frozen=True)
class Operation:
    type: OperationType
    root_fields: frozenset[str]
    nested_fields: frozenset[str] = frozenset()

    @property
    def is_query(self) -> bool:
        return self.type is OperationType.QUERY

    @property
    def cacheable(self) -> bool:
        return (self.is_query and not self.root_fields & NEVER_CACHED
                and not self.nested_fields & NEVER_CACHED_NESTED)

    @cached_property
    def list_tags(self) -> list[str]:
        return sorted({collection_tag(record_type) for name in self.root_fields
                       for record_type in LIST_DEPENDENCIES.get(name, ())})


def known_operations(documents: RememberedDocuments, max_tokens: int
                     ) -> Callable[[str, object], Operation | None]:
    """``operation_of`` by a document's text and operation name, remembered for as many as
    ``documents`` holds: what a trusted or persisted document's operation is was read again on
    every request, walking its selections (3 % of an uncached widget answer's CPU)."""

    @lru_cache(maxsize=RememberedDocuments.SIZE)
    def remembered(document: str, operation_name: str | None) -> Operation | None:
        return operation_of(documents.parsed(document, max_tokens), operation_name)

    def known(document: str, operation_name: object) -> Operation | None:
        if operation_name is not None and not isinstance(operation_name, str):
            return None  # no operation has that name: execution reports the request's error
        return remembered(document, operation_name)

    return known


def operation_of(parsed: DocumentNode | None, operation_name: str | None) -> Operation | None:
    """The operation the request runs; ``None`` when the document did not parse (``parsed``
    is ``None``) or does not name one operation (GraphQL execution then answers the error)."""
    if parsed is None:
        return None
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return None
    operation = operations[0]
    return Operation(operation.operation,
                     frozenset(_root_fields(parsed, operation.selection_set, set())),
                     frozenset(_root_fields(parsed, operation.selection_set, set(),
                                            nested=True)))


def _root_fields(document: DocumentNode, selections: SelectionSetNode,
                 seen: set[str], *, nested: bool = False) -> set[str]:
    """The field names selected at the root (``nested``: at every level)."""
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    names: set[str] = set()
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
            if nested and selection.selection_set is not None:
                names |= _root_fields(document, selection.selection_set, seen, nested=True)
        elif isinstance(selection, InlineFragmentNode):
            names |= _root_fields(document, selection.selection_set, seen, nested=nested)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                seen.add(name)
                names |= _root_fields(document, fragments[name].selection_set, seen,
                                      nested=nested)
    return names
