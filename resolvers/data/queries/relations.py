"""One-to-many relations of a subject, paged per parent in a single statement.

``ROW_NUMBER() OVER (PARTITION BY parent ORDER BY day DESC, id DESC)`` picks the first rows of
every parent at once, so a page of 100 subjects costs one statement per relation, not 100.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import (
    AuditEvent,
    Commitment,
    Complaint,
    License,
    ListEntry,
    LogisticsLink,
    Penalty,
    Rating,
)


@dataclass(frozen=True)
class Relation:
    """A child table seen from its subject: which column points at the parent and which date
    orders the list (newest first)."""

    name: str
    model: type[SQLModel]
    parent: str
    order: str

    def column(self, name: str) -> Any:
        return getattr(self.model, name)

    def sort_key(self, row: Any) -> tuple[date, int]:
        # ``at`` of the audit trail is a datetime, a subclass of date
        return getattr(row, self.order), row.id


RELATIONS: dict[str, Relation] = {
    r.name: r
    for r in (
        Relation("licenses", License, "subject_id", "decision_date"),
        Relation("penalties", Penalty, "subject_id", "decision_date"),
        Relation("ratings", Rating, "ratee_id", "rated_on"),
        Relation("commitments", Commitment, "subject_id", "committed_on"),
        Relation("logistics_links", LogisticsLink, "merchant_id", "period_start"),
        Relation("complaints", Complaint, "subject_id", "filed_on"),
        Relation("list_entries", ListEntry, "subject_id", "valid_from"),
    )
}


# 信用档案: a subject's audit events, newest first — paged like the record relations, but not
# one of them (no record type, no ``node``).
HISTORY = Relation("history", AuditEvent, "subject_id", "at")
PAGED: dict[str, Relation] = {**RELATIONS, HISTORY.name: HISTORY}


async def first_rows(
    session: AsyncSession,
    relation: Relation,
    parent_ids: Sequence[int],
    *,
    limit: int,
    after: tuple[date, int] | None = None,
    where: Sequence[sa.ColumnElement[bool]] = (),
    shape: Hashable | None = None,
) -> dict[int, list[Any]]:
    """Up to ``limit`` rows per parent, newest first, after the ``(day, id)`` keyset ``after``.

    The statement takes the parents, the limit and the keyset as parameters; with ``shape``
    (a key that determines ``where``, e.g. the day and the role's view), it is built once per
    relation and shape and reused, so SQLAlchemy neither rebuilds its subquery's columns nor
    recomputes its cache key per request (docs/PERFORMANCE.md, "Profile of the uncached
    path")."""
    key = (relation.name, after is not None, shape)
    query = _STATEMENTS.get(key) if shape is not None else None
    if query is None:
        query = _first_rows_statement(relation, keyset=after is not None, where=where)
        if shape is not None:
            if len(_STATEMENTS) >= MAX_STATEMENTS:
                _STATEMENTS.clear()  # a new day's shapes replace the old day's
            _STATEMENTS[key] = query
    params: dict[str, Any] = {"parent_ids": list(parent_ids), "row_limit": limit}
    if after is not None:
        params.update(after_day=after[0], after_id=after[1])
    grouped: dict[int, list[Any]] = defaultdict(list)
    for record in (await session.exec(query, params=params)).all():
        grouped[getattr(record, relation.parent)].append(record)
    return grouped


# first_rows' statements by (relation, keyset or not, shape): a few per relation and day
_STATEMENTS: dict[tuple[str, bool, Hashable], Any] = {}
MAX_STATEMENTS = 256


def _first_rows_statement(relation: Relation, *, keyset: bool,
                          where: Sequence[sa.ColumnElement[bool]]) -> Any:
    parent, day, ident = (relation.column(relation.parent), relation.column(relation.order),
                          relation.column("id"))
    position = sa.func.row_number().over(
        partition_by=parent, order_by=(day.desc(), ident.desc())
    ).label("position")
    inner = select(relation.model, position).where(
        parent.in_(sa.bindparam("parent_ids", expanding=True)), *where)
    if keyset:
        after_day: sa.BindParameter[Any] = sa.bindparam("after_day")
        after_id: sa.BindParameter[Any] = sa.bindparam("after_id")
        inner = inner.where(sa.or_(day < after_day, sa.and_(day == after_day, ident < after_id)))
    numbered = inner.subquery()
    row = aliased(relation.model, numbered)
    return (select(row).where(numbered.c.position <= sa.bindparam("row_limit"))
            .order_by(numbered.c[relation.parent], numbered.c.position))


async def counts(
    session: AsyncSession, relation: Relation, parent_ids: Sequence[int],
    where: Sequence[sa.ColumnElement[bool]] = (),
) -> dict[int, int]:
    parent = relation.column(relation.parent)
    query = (select(parent, sa.func.count()).where(parent.in_(parent_ids), *where)
             .group_by(parent))
    return {int(key): int(n) for key, n in (await session.exec(query)).all()}


async def by_ids(session: AsyncSession, model: type[SQLModel], ids: Sequence[int]) -> list[Any]:
    ident = model.id  # type: ignore[attr-defined]
    return list((await session.exec(select(model).where(ident.in_(ids)))).all())
