"""Mutations of logistics links (寄递物流关系), red / black list entries (红黑名单) and the review
of list candidates (名单认定)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, cast

import strawberry

from resolvers.context import Info
from resolvers.data import models
from resolvers.data.queries import relations
from resolvers.domain.enums import ListKind, ReviewDecision
from resolvers.domain.ownership import RecordType
from resolvers.errors import BadUserInputError, InvalidIdError
from resolvers.types.list_reads import ListCandidate
from resolvers.types.lists import ListEntry
from resolvers.types.logistics import LogisticsLink
from resolvers.types.mutations._writes import (
    Day,
    RecordId,
    RecordInput,
    after_commit,
    change,
    create,
    errors_of,
    writer_of,
)
from resolvers.types.node import from_global_id
from resolvers.types.text import column_length, record_text, text_argument, uscc_text
from resolvers.writes import candidates, lifecycle
from resolvers.writes.problems import WriteRejected
from resolvers.writes.records import LIST_ENTRY, LOGISTICS_LINK


@strawberry.input(description="Parcels a carrier handled for a merchant in a period (寄递物流).")
class RecordLogisticsLinkInput:
    merchant: str = uscc_text(description="统一社会信用代码 of the shipping merchant.")
    carrier: str = uscc_text(
        description="统一社会信用代码 of the carrier (a LOGISTICS_FIRM subject).")
    period_start: date = strawberry.field(
        description="First day of the period; with merchant and carrier it identifies the link.")
    period_end: date = strawberry.field(description="Last day of the period.")
    parcels: int = strawberry.field(description="Parcels shipped, ≥ 0.")
    empty_parcels: int = strawberry.field(
        default=0, description="空包 — parcels shipped empty, at most `parcels`.")


@strawberry.input(description="A red or black list entry (红黑名单条目).")
class AddListEntryInput:
    subject: str = uscc_text(description="统一社会信用代码 of the listed subject.")
    kind: ListKind = strawberry.field(description="红名单 or 黑名单.")
    reason: str = record_text(models.ListEntry, "reason", description="列入事由.")
    authority: str = record_text(models.ListEntry, "authority", description="认定部门.")
    authority_code: str = record_text(models.ListEntry, "authority_code",
                                      description="认定部门统一社会信用代码.")
    valid_from: date = strawberry.field(
        description="有效期自; not in the future. Subject, kind, authority code and this day "
                    "identify the entry.")
    measures: str | None = record_text(models.ListEntry, "measures",
                                       default=None, description="惩戒或激励措施.")
    valid_to: date | None = strawberry.field(default=None,
                                             description="有效期至; null = until lifted.")


async def record_logistics_link(info: Info, input: RecordInput[RecordLogisticsLinkInput]) -> LogisticsLink:
    return cast("LogisticsLink", await create(info, LOGISTICS_LINK, input))


async def add_list_entry(info: Info, input: RecordInput[AddListEntryInput]) -> ListEntry:
    return cast("ListEntry", await create(info, LIST_ENTRY, input))


async def lift_list_entry(
    info: Info,
    id: RecordId,
    reason: Annotated[str, text_argument("移出事由, e.g. 信用修复.",
                                         column_length(models.ListEntry, "lift_reason"))],
    on: Day = None,
) -> ListEntry:
    return cast("ListEntry", await change(
        info, lifecycle.list_lifting(reason, on, info.context.today), id))


async def review_list_candidate(
    info: Info,
    id: Annotated[strawberry.ID, text_argument("Global ID of the candidate.", 64)],
    decision: Annotated[ReviewDecision, strawberry.argument(
        description="APPROVE: the candidate becomes a list entry; REJECT: it does not.")],
    reason: Annotated[str, text_argument("认定意见 — the reviewer's reason.",
                                         column_length(models.ListCandidate, "review_reason"))],
    valid_from: Annotated[date | None, strawberry.argument(
        description="First day of the entry (APPROVE); default today.")] = None,
    valid_to: Annotated[date | None, strawberry.argument(
        description="Last day of the entry (APPROVE); default 3 years for a black entry, 2 "
                    "for a red one (docs/CREDIT_LISTS.md).")] = None,
) -> ListCandidate:
    writer = writer_of(info, RecordType.LIST_ENTRY)  # the list authorities' keys
    type_name, key = from_global_id(id)
    if type_name != "ListCandidate" or not key.isdigit():
        raise InvalidIdError(f"{id!r} is not the ID of a ListCandidate", argument="id")
    if not reason.strip():
        raise BadUserInputError("reason must not be blank", argument="reason")
    review = candidates.Review(decision, reason.strip(), valid_from, valid_to)
    try:
        await candidates.review(info.context.database, writer, info.context.today, int(key),
                                review, after_commit(info))
    except WriteRejected as rejected:
        raise errors_of(rejected.problems, RecordType.LIST_ENTRY, None) from rejected
    async with info.context.database.read_session(primary=True) as session:
        (row,) = await relations.by_ids(session, models.ListCandidate, [int(key)])
    return row  # type: ignore[no-any-return]


@strawberry.type(description="Writes of logistics links and list entries.")
class PlaceMutations:
    record_logistics_link: LogisticsLink = strawberry.mutation(
        resolver=record_logistics_link,
        description="记录寄递物流关系 — a carrier's volume for a merchant in a period.")
    add_list_entry: ListEntry = strawberry.mutation(
        resolver=add_list_entry, description="列入红黑名单 — add a list entry; the stored entry.")
    lift_list_entry: ListEntry = strawberry.mutation(
        resolver=lift_list_entry,
        description="移出红黑名单 — lift an entry, with the reason; it no longer binds.")
    review_list_candidate: ListCandidate = strawberry.mutation(
        resolver=review_list_candidate,
        description="名单认定 — approve or reject a list candidate (DEVELOPMENT_REFORM and "
                    "MARKET_REGULATION keys bound to an authority). An approval writes the "
                    "`ListEntry` as the key's authority; a candidate is reviewed once "
                    "(CONFLICT after).")
