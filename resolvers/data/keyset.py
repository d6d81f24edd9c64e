"""Keyset pages of a table in a chosen order, forwards (``first``/``after``) and backwards
(``last``/``before``), for every top-level list (subjects, penalties, licences, list entries).

A list is ordered by one column and then by ``id`` (the tie-break), both ascending or both
descending, so a composite B-tree index ``(column, id)`` serves either direction. A cursor
carries the row id only: the sort value is read back from the row it names (a scalar subquery
in the row comparison), so cursors stay short whatever the column holds, and a cursor of one
order is refused on another because the cursor's list kind names the order
(``resolvers.data.cursors.list_kind``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import StoredGrade


@dataclass(frozen=True)
class Order:
    """Order of a list: the column sorted by (``id`` alone when ``column`` is ``"id"``)."""

    column: str = "id"
    descending: bool = False


CREATION = Order()  # by id: the order rows were stored


@dataclass(frozen=True)
class Window:
    """Which rows of the ordered list a page holds: ``size`` rows after ``after`` (forwards),
    or, ``backwards``, the ``size`` rows just before ``before``."""

    size: int
    after: int | None = None
    before: int | None = None
    backwards: bool = False


# Sort keys that are expressions rather than columns, each served by an expression index: a name
# ignoring ASCII case (``ix_subject_name_order``, migration 0012).
EXPRESSIONS: dict[str, Callable[[Any], Any]] = {
    "folded_name": lambda model: sa.func.lower(model.name),
}


@dataclass(frozen=True)
class Joined:
    """A sort key held by another table with one row per listed row (``key`` names the listed
    row's id): the list joins it and sorts by ``(column, key)``, so that table's composite index
    serves the order both ways."""

    table: sa.Table
    column: str
    key: str


# The stored public grade (``subject_grade``, ``ix_subject_grade_order``): A first ascending.
JOINED: dict[str, Joined] = {
    "stored_grade": Joined(StoredGrade.__table__, "grade", "subject_id"),  # type: ignore[attr-defined]
}


def _keys(model: type[SQLModel], order: Order) -> list[Any]:
    ident = model.id  # type: ignore[attr-defined]
    if order.column == "id":
        return [ident]
    joined = JOINED.get(order.column)
    if joined is not None:
        return [joined.table.c[joined.column], joined.table.c[joined.key]]
    found = EXPRESSIONS.get(order.column)
    return [found(model) if found else getattr(model, order.column), ident]


def _beyond(model: type[SQLModel], order: Order, row_id: int, later: bool) -> Any:
    """Rows after (``later``) or before the row ``row_id`` in ``order``."""
    keys = _keys(model, order)
    joined = JOINED.get(order.column)
    ident = (joined.table.c[joined.key] if joined is not None
             else model.id)  # type: ignore[attr-defined]
    values: list[Any] = [select(key).where(ident == row_id).scalar_subquery()
                         for key in keys[:-1]] + [sa.literal(row_id)]
    mine, theirs = sa.tuple_(*keys), sa.tuple_(*values)
    return mine > theirs if later != order.descending else mine < theirs


async def page(session: AsyncSession, model: type[SQLModel], conditions: Sequence[Any],
               order: Order, window: Window, *, ids_only: bool = False) -> list[Any]:
    """Up to ``window.size + 1`` rows (or, ``ids_only``, their ids) in list order: the extra
    row (the first one past the page, in the direction of travel) tells whether more rows lie
    that way; backwards it is the first element."""
    query = select(model.id if ids_only else model).where(  # type: ignore[attr-defined]
        *conditions)
    joined = JOINED.get(order.column)
    if joined is not None:  # only rows that have the key: an inner join
        query = query.join(joined.table,
                           joined.table.c[joined.key] == model.id)  # type: ignore[attr-defined]
    if window.after is not None:
        query = query.where(_beyond(model, order, window.after, later=True))
    if window.before is not None:
        query = query.where(_beyond(model, order, window.before, later=False))
    descending = order.descending != window.backwards
    keys = [key.desc() if descending else key.asc() for key in _keys(model, order)]
    rows = list((await session.exec(query.order_by(*keys).limit(window.size + 1))).all())
    return rows[::-1] if window.backwards else rows


async def count(session: AsyncSession, model: type[SQLModel], conditions: Sequence[Any]) -> int:
    query = select(sa.func.count()).select_from(model).where(*conditions)
    return int((await session.exec(query)).one())
