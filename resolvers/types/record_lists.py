"""Root lists of records across all subjects — ``penalties`` (行政处罚), ``licenses`` (行政许可),
``listEntries`` (红黑名单条目) — filtered, sorted, paged forwards and backwards (Relay).

A page is one keyset statement over the list's ordered index, selecting ids; the records come
through the loaders' record look-up (batched, entity-cached). A cursor is bound to its list:
the filter and the order (``cursors.list_kind``), so a cursor of another sort is refused.
PUBLIC and PLATFORM callers page penalties in publicity only.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any

import strawberry

from resolvers.context import Info
from resolvers.data import cursors, keyset
from resolvers.data.queries import records as queries
from resolvers.domain.dashboard import Direction
from resolvers.domain.enums import LicenseCategory, ListKind, PenaltyCategory, Severity
from resolvers.types import pagination
from resolvers.types.decisions import License, Penalty
from resolvers.types.filters import checked_range, describe, order_of, region_prefix
from resolvers.types.lists import ListEntry
from resolvers.types.pagination import Connection
from resolvers.types.text import CURSOR_MAX, REGION_MAX, text_argument, text_input

AUTHORITY_CODE_MAX = 18


@strawberry.enum(description="What `penalties` is sorted by (处罚决定日期, 公示截止期, or the "
                             "order records were stored); ties by record id.")
class PenaltyOrderField(StrEnum):
    DECISION_DATE = "decision_date"
    PUBLICITY_END = "publicity_end"
    ID = "id"


@strawberry.enum(description="What `licenses` is sorted by (许可决定日期, 有效期自, or the "
                             "order records were stored); ties by record id.")
class LicenseOrderField(StrEnum):
    DECISION_DATE = "decision_date"
    VALID_FROM = "valid_from"
    ID = "id"


@strawberry.enum(description="What `listEntries` is sorted by (列入日期 = 有效期自, or the "
                             "order records were stored); ties by record id.")
class ListEntryOrderField(StrEnum):
    VALID_FROM = "valid_from"
    ID = "id"


def _authority() -> Any:
    return text_input("决定机关 by its 统一社会信用代码 (authorityCode of the records).",
                      AUTHORITY_CODE_MAX)


def _region() -> Any:
    return text_input("The record's subject lies in this GB/T 2260 division (2, 4 or 6 "
                      "digits).", REGION_MAX)


@strawberry.input(description="Conditions for `penalties`; every condition given must hold.")
class PenaltyFilter:
    decided_from: date | None = strawberry.field(default=None, description="决定日期 from.")
    decided_to: date | None = strawberry.field(default=None, description="决定日期 to.")
    authority_code: str | None = _authority()
    region: str | None = _region()
    severity: Severity | None = strawberry.field(default=None, description="严重程度.")
    category: PenaltyCategory | None = strawberry.field(default=None, description="处罚类别.")
    late: bool | None = strawberry.field(
        default=None, description="true: disclosed late (公示 more than 7 working days after "
                                  "the decision, or unpublished past it); false: in time.")


@strawberry.input(description="Conditions for `licenses`; every condition given must hold.")
class LicenseFilter:
    decided_from: date | None = strawberry.field(default=None, description="决定日期 from.")
    decided_to: date | None = strawberry.field(default=None, description="决定日期 to.")
    authority_code: str | None = _authority()
    region: str | None = _region()
    category: LicenseCategory | None = strawberry.field(default=None, description="许可类别.")
    late: bool | None = strawberry.field(default=None, description="As `PenaltyFilter.late`.")


@strawberry.input(description="Conditions for `listEntries`; every condition given must hold.")
class ListEntryFilter:
    valid_from: date | None = strawberry.field(default=None,
                                               description="列入日期 on or after this day.")
    valid_to: date | None = strawberry.field(default=None,
                                             description="列入日期 on or before this day.")
    authority_code: str | None = _authority()
    region: str | None = _region()
    kind: ListKind | None = strawberry.field(default=None, description="红名单 or 黑名单.")
    in_force: bool | None = strawberry.field(
        default=None, description="true: entries binding today; false: not (yet, or any more).")


STORED = "Record id: the order records were stored."
describe(PenaltyOrderField, {"DECISION_DATE": "处罚决定日期.", "PUBLICITY_END": "公示截止期.",
                             "ID": STORED})
describe(LicenseOrderField, {"DECISION_DATE": "许可决定日期.", "VALID_FROM": "有效期自.",
                             "ID": STORED})
describe(ListEntryOrderField, {"VALID_FROM": "列入日期（有效期自）.", "ID": STORED})


def _sort(default: Any) -> Any:
    return strawberry.field(default=default, description="The value sorted by.")


def _direction(default: Direction) -> Any:
    return strawberry.field(default=default, description="排序方向; ties follow it.")


@strawberry.input(description="Order of `penalties`.")
class PenaltyOrder:
    field: PenaltyOrderField = _sort(PenaltyOrderField.DECISION_DATE)
    direction: Direction = _direction(Direction.DESC)


@strawberry.input(description="Order of `licenses`.")
class LicenseOrder:
    field: LicenseOrderField = _sort(LicenseOrderField.DECISION_DATE)
    direction: Direction = _direction(Direction.DESC)


@strawberry.input(description="Order of `listEntries`.")
class ListEntryOrder:
    field: ListEntryOrderField = _sort(ListEntryOrderField.VALID_FROM)
    direction: Direction = _direction(Direction.DESC)


MATCHING = strawberry.argument(description="Conditions to match.")
SORTED = strawberry.argument(description="Sort order; default: newest first.")
First = Annotated[int | None, strawberry.argument(description="Page size forwards (≤ 100).")]
After = Annotated[str | None, text_argument("`pageInfo.endCursor` of the previous page.",
                                            CURSOR_MAX)]
Last = Annotated[int | None, strawberry.argument(description="Page size backwards (≤ 100).")]
Before = Annotated[str | None, text_argument("`pageInfo.startCursor` of the next page.",
                                             CURSOR_MAX)]


async def record_page(info: Info, records: queries.RecordList, flt: queries.RecordFilter,
                      order: keyset.Order, *, first: int | None, after: str | None,
                      last: int | None, before: str | None) -> Connection[Any]:
    context = info.context
    asked = pagination.slice_of(first=first, after=after, last=last, before=before,
                                default=context.default_page_size,
                                maximum=context.max_page_size)
    kind = cursors.list_kind(records.name, flt, order)  # bound to the filter and the sort
    window = pagination.window(asked, kind)
    if flt.late is not None or flt.in_force is not None or flt.public_view:
        context.loaders.note_boundary(context.today + timedelta(days=1))  # read by today
    ids = await context.loaders.read(lambda session: queries.page_ids(
        session, records, flt, order=order, window=window, today=context.today))
    found = await context.loaders.records[records.model.__name__].load_many(ids)
    rows = [row for row in found if row is not None]

    async def total() -> int:
        return await context.loaders.read(lambda session: queries.count(
            session, records, flt, today=context.today))

    return pagination.build_slice(rows, asked=asked, total=total,
                                  cursor=lambda row: cursors.encode(kind, row.id))


def _public(info: Info) -> bool:
    return not info.context.caller.sees_all_records


async def penalties(info: Info, filter: Annotated[PenaltyFilter | None, MATCHING] = None,
                    order_by: Annotated[PenaltyOrder | None, SORTED] = None,
                    first: First = None, after: After = None, last: Last = None,
                    before: Before = None) -> Connection[Penalty]:
    given, order = filter or PenaltyFilter(), order_by or PenaltyOrder()
    checked_range(given.decided_from, given.decided_to, "filter.decidedFrom")
    flt = queries.RecordFilter(
        day_from=given.decided_from, day_to=given.decided_to,
        authority_code=given.authority_code, region_prefix=region_prefix(
            given.region, "filter.region"), severity=given.severity,
        category=given.category, late=given.late, public_view=_public(info))
    return await record_page(info, queries.PENALTIES, flt,
                             order_of(order.field.value, order.direction),
                             first=first, after=after, last=last, before=before)


async def licenses(info: Info, filter: Annotated[LicenseFilter | None, MATCHING] = None,
                   order_by: Annotated[LicenseOrder | None, SORTED] = None,
                   first: First = None, after: After = None, last: Last = None,
                   before: Before = None) -> Connection[License]:
    given, order = filter or LicenseFilter(), order_by or LicenseOrder()
    checked_range(given.decided_from, given.decided_to, "filter.decidedFrom")
    flt = queries.RecordFilter(
        day_from=given.decided_from, day_to=given.decided_to,
        authority_code=given.authority_code, region_prefix=region_prefix(
            given.region, "filter.region"), category=given.category, late=given.late)
    return await record_page(info, queries.LICENSES, flt,
                             order_of(order.field.value, order.direction),
                             first=first, after=after, last=last, before=before)


async def list_entries(info: Info, filter: Annotated[ListEntryFilter | None, MATCHING] = None,
                       order_by: Annotated[ListEntryOrder | None, SORTED] = None,
                       first: First = None, after: After = None, last: Last = None,
                       before: Before = None) -> Connection[ListEntry]:
    given, order = filter or ListEntryFilter(), order_by or ListEntryOrder()
    checked_range(given.valid_from, given.valid_to, "filter.validFrom")
    flt = queries.RecordFilter(
        day_from=given.valid_from, day_to=given.valid_to, authority_code=given.authority_code,
        region_prefix=region_prefix(given.region, "filter.region"), list_kind=given.kind,
        in_force=given.in_force)
    return await record_page(info, queries.LIST_ENTRIES, flt,
                             order_of(order.field.value, order.direction),
                             first=first, after=after, last=last, before=before)
