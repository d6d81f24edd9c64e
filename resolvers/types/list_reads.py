"""The red and black lists as published (``creditList``: entries in force) and the candidates
the list rules proposed (``listCandidates``: for reviewers, regulators and auditors)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, cast

import strawberry
from strawberry import Parent
from strawberry.federation.schema_directives import ListSize

from resolvers.context import Info
from resolvers.data import cursors, models
from resolvers.data.queries import list_pages
from resolvers.data.queries.subjects import prefix_range
from resolvers.domain import list_rules, regions
from resolvers.domain.enums import CandidateStatus, ListKind, Role, SubjectKind
from resolvers.domain.uscc import LENGTH as USCC_LENGTH
from resolvers.errors import BadUserInputError, ForbiddenError
from resolvers.types import pagination
from resolvers.types.common import AFTER, FIRST, SubjectRef, subject_field
from resolvers.types.lists import ListEntry
from resolvers.types.node import Node, row_id_field
from resolvers.types.pagination import Connection
from resolvers.types.text import (
    CURSOR_MAX,
    REGION_MAX,
    text_argument,
    text_input,
)

READERS = frozenset({Role.REGULATOR, Role.AUDITOR})  # who may read the candidates


@strawberry.type(description="名单认定规则 — one row of the list rule table "
                             "(docs/CREDIT_LISTS.md).")
class ListRule:
    code: str = strawberry.field(description="The rule's name, e.g. BLACK_BRUSHING.")
    kind: ListKind = strawberry.field(description="The list it proposes for.")
    title: str = strawberry.field(description="What the rule finds, in words (Chinese).")
    clause: str = strawberry.field(
        description="The policy clause it implements: document title, number and article.")


def _rule(root: Parent[models.ListCandidate]) -> ListRule:
    rule = list_rules.RULE_BY_CODE[root.rule]
    return ListRule(code=rule.code, kind=rule.kind, title=rule.title, clause=rule.clause)


async def _evidence(root: Parent[models.ListCandidate], info: Info) -> list[Node]:
    loaders, found = info.context.loaders, []  # rows; strawberry resolves them by is_type_of
    for ref in root.evidence.split():
        type_name, _, key = ref.partition(":")
        if type_name == "Subject":
            found.append(loaders.subject_by_uscc.load(key))
        else:
            found.append(loaders.records[type_name].load(int(key)))
    rows = [await row for row in found]  # every load queued before the first await: batched
    return cast("list[Node]", [row for row in rows if row is not None])


async def _entry(root: Parent[models.ListCandidate], info: Info) -> Any:
    if root.entry_id is None:
        return None
    return await info.context.loaders.records["ListEntry"].load(root.entry_id)


def _kind(root: Parent[models.ListCandidate]) -> ListKind:
    return ListKind(root.list_kind)


@strawberry.type(description="名单认定候选 — a list entry the rule table proposes; an authority "
                             "approves it (it becomes a `ListEntry`) or rejects it.")
class ListCandidate:
    id: strawberry.ID = row_id_field("ListCandidate")
    subject: SubjectRef = subject_field("The subject proposed for the list.")
    kind: ListKind = strawberry.field(resolver=_kind, description="红名单 or 黑名单.")
    rule: ListRule = strawberry.field(resolver=_rule, description="The rule that proposed it.")
    summary: str = strawberry.field(description="What the rule found, in words.")
    evidence: list[Node] = strawberry.field(
        resolver=_evidence, description="The records behind it (penalties, commitments, "
                                        "ratings, logistics links; the subject for a clean "
                                        "record), newest first, at most 20.",
        directives=[ListSize(assumed_size=list_rules.EVIDENCE_MAX, slicing_arguments=[],
                             sized_fields=[], require_one_slicing_argument=False)])
    status: CandidateStatus = strawberry.field(description="认定状态.")
    computed_on: date = strawberry.field(description="Day the rule proposed it.")
    review_reason: str | None = strawberry.field(description="认定意见 of the reviewer.")
    entry: ListEntry | None = strawberry.field(
        resolver=_entry, description="The list entry an approval wrote.")


@strawberry.input(description="Conditions for `creditList`; every condition given must hold.")
class CreditListFilter:
    subject_kind: SubjectKind | None = strawberry.field(default=None, description="市场主体类型.")
    region: str | None = text_input("GB/T 2260 division of the subject (2, 4 or 6 digits).",
                                    REGION_MAX)
    authority_code: str | None = text_input("认定部门统一社会信用代码.", USCC_LENGTH)

    def to_query(self, kind: ListKind) -> list_pages.CreditListFilter:
        low = high = None
        if self.region is not None:
            try:
                low, high = prefix_range(regions.division_prefix(self.region))
            except ValueError as error:
                raise BadUserInputError(str(error), argument="filter.region") from error
        return list_pages.CreditListFilter(kind, self.subject_kind, low, high,
                                           self.authority_code)


First = Annotated[int | None, strawberry.argument(description=FIRST)]
After = Annotated[str | None, text_argument(AFTER, CURSOR_MAX)]


async def credit_list(
    info: Info,
    kind: Annotated[ListKind, strawberry.argument(description="红名单 or 黑名单.")],
    filter: Annotated[CreditListFilter | None, strawberry.argument(
        description="Conditions to match.")] = None,
    first: First = None,
    after: After = None,
) -> Connection[ListEntry]:
    context = info.context
    size = pagination.page_size(first, default=context.default_page_size,
                                maximum=context.max_page_size)
    conditions = (filter or CreditListFilter()).to_query(kind)
    # entries start and end at midnight (Beijing): a cached page lasts until then
    context.loaders.note_boundary(context.today + timedelta(days=1))
    name = cursors.list_kind("creditList", conditions)
    start = (pagination.decoded(lambda: cursors.decode_date_id(name, after))
             if after is not None else None)
    rows: list[Any] = await context.loaders.read(
        lambda session: list_pages.credit_list(session, conditions, context.today, first=size,
                                               after=start))
    for row in rows:
        if row.id is not None:
            context.loaders.records["ListEntry"].prime(row.id, row)

    async def total() -> int:
        return await context.loaders.read(
            lambda session: list_pages.credit_list_count(session, conditions, context.today))

    return pagination.build(rows, size=size, after_given=after is not None, total=total,
                            cursor=lambda row: cursors.encode(name, row.valid_from,
                                                              int(row.id or 0)))


async def list_candidates(
    info: Info,
    kind: Annotated[ListKind | None, strawberry.argument(
        description="Only this list; null = both.")] = None,
    status: Annotated[CandidateStatus | None, strawberry.argument(
        description="Only candidates in this state; null = all.")] = CandidateStatus.PENDING,
    first: First = None,
    after: After = None,
) -> Connection[ListCandidate]:
    context = info.context
    if context.caller.role not in READERS:
        raise ForbiddenError("list candidates are read by regulators (the reviewing "
                             "authorities' keys) and auditors only",
                             role=context.caller.role.value)
    size = pagination.page_size(first, default=context.default_page_size,
                                maximum=context.max_page_size)
    name = cursors.list_kind("listCandidates", kind, status)
    after_id = (pagination.decoded(lambda: cursors.decode_id(name, after))
                if after is not None else None)
    rows: list[Any] = await context.loaders.read(lambda session: list_pages.candidates(
        session, kind, status, first=size, after_id=after_id))

    async def total() -> int:
        return await context.loaders.read(
            lambda session: list_pages.candidates_count(session, kind, status))

    return pagination.build(rows, size=size, after_given=after is not None, total=total,
                            cursor=lambda row: cursors.encode(name, int(row.id)))


@strawberry.type
class ListQueries:
    credit_list: Connection[ListEntry] = strawberry.field(
        resolver=credit_list,
        description="红黑名单公示 — the entries of one list in force today, newest first "
                    "(Relay connection); lifted and expired entries are left out.",
        directives=[pagination.paged()])
    list_candidates: Connection[ListCandidate] = strawberry.field(
        resolver=list_candidates,
        description="名单认定候选 — candidates the list rules proposed, newest first; "
                    "REGULATOR and AUDITOR keys only (others: FORBIDDEN). Default: PENDING.",
        directives=[pagination.paged()])
