"""Top-level record lists (``penalties``, ``licenses``, ``listEntries``): filtered keyset pages
across every subject, in a chosen order (``resolvers.data.keyset``).

A page selects ids only (the ordered index does the work); the rows come through the loaders'
record look-up, so they are batched and cached like every other record read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data import keyset
from resolvers.data.models import License, ListEntry, Penalty, Subject
from resolvers.data.queries import disclosure, publicity
from resolvers.data.queries.list_pages import entry_in_force
from resolvers.data.queries.subjects import prefix_range
from resolvers.domain.enums import ListKind, Severity


@dataclass(frozen=True)
class RecordList:
    """A list of records: its table and the date its range filter and default order use."""

    name: str
    model: type[SQLModel]
    day: str


PENALTIES = RecordList("penalties", Penalty, "decision_date")
LICENSES = RecordList("licenses", License, "decision_date")
LIST_ENTRIES = RecordList("listEntries", ListEntry, "valid_from")


@dataclass(frozen=True)
class RecordFilter:
    """Conditions of a record list; ``None`` leaves a condition out. Which ones a list takes
    is decided by its GraphQL filter input; the meaning of each is here, once."""

    day_from: date | None = None  # the list's date (``RecordList.day``), both ends inclusive
    day_to: date | None = None
    authority_code: str | None = None
    region_prefix: str | None = None  # of the record's subject
    severity: Severity | None = None
    category: str | None = None  # the record type's own category enum value
    late: bool | None = None  # decisions: disclosed late (or in time)
    list_kind: ListKind | None = None
    in_force: bool | None = None  # list entries binding today (or not)
    public_view: bool = False


def conditions(records: RecordList, flt: RecordFilter, today: date) -> list[Any]:
    model: Any = records.model
    day = getattr(model, records.day)
    found: list[Any] = []
    if flt.day_from is not None:
        found.append(day >= flt.day_from)
    if flt.day_to is not None:
        found.append(day <= flt.day_to)
    if flt.authority_code is not None:
        found.append(model.authority_code == flt.authority_code)
    if flt.region_prefix:
        low, high = prefix_range(flt.region_prefix)
        found.append(col(model.subject_id).in_(select(Subject.id).where(
            col(Subject.region_code) >= low, col(Subject.region_code) < high)))
    if flt.severity is not None:
        found.append(model.severity == flt.severity)
    if flt.category is not None:
        found.append(model.category == flt.category)
    if flt.late is not None:
        found.append(disclosure.late(model, today, flt.late))
    if flt.list_kind is not None:
        found.append(model.list_kind == flt.list_kind)
    if flt.in_force is not None:
        binding = entry_in_force(today)
        found.append(binding if flt.in_force else ~binding)
    if flt.public_view:
        found += publicity.public_conditions(model, today)
    return found


async def page_ids(session: AsyncSession, records: RecordList, flt: RecordFilter, *,
                   order: keyset.Order, window: keyset.Window, today: date) -> list[int]:
    return await keyset.page(session, records.model, conditions(records, flt, today), order,
                             window, ids_only=True)


async def count(session: AsyncSession, records: RecordList, flt: RecordFilter, *,
                today: date) -> int:
    return await keyset.count(session, records.model, conditions(records, flt, today))
