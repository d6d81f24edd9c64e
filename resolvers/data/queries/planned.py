"""One statement for everything a compiled plan (``resolvers.plans``) reads of its subjects.

PostgreSQL only: one row per subject (``unnest`` of their row ids), in which each selected
relation is a correlated scalar subquery — a page as ``json_agg`` of ``json_build_array`` over
its first rows (newest first, as ``relations.first_rows`` orders them; decimals as their
text), a ``count(*)`` — and list standing the ``array_agg`` of the list kinds in force. The
conditions are handed in by the caller (``Loaders.conditions``: disclosure lag, publicity),
the same expression objects the batched loaders put into their own statements; nothing here
decides what a role may see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import ListEntry, Rating
from resolvers.data.queries.aggregates import RatingStats, rating_figures, stats_of
from resolvers.data.queries.list_pages import entry_in_force
from resolvers.data.queries.relations import Relation
from resolvers.domain.enums import ListKind

SUBJECT_IDS = "subject_ids"


@dataclass(frozen=True)
class Part:
    """One relation of the subject as a plan reads it: ``limit`` rows of ``columns`` (none:
    no page), and its count when ``count``; ``where`` are the loaders' conditions."""

    relation: Relation
    columns: tuple[str, ...] = ()
    limit: int = 0
    count: bool = False
    where: Sequence[sa.ColumnElement[bool]] = field(default=(), compare=False)


@dataclass(frozen=True)
class Fetched:
    """What the statement answered: per part its rows (lists of column values, in the part's
    column order) and its count; the list kinds in force; the rating figures."""

    pages: list[list[list[Any]]]
    counts: list[int | None]
    list_kinds: frozenset[ListKind]
    rating_stats: RatingStats = field(default_factory=RatingStats)


def exact(column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """A decimal column as its text (JSON numbers would lose its scale: ``5.000000``)."""
    kind = column.type
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float):
        return sa.cast(column, sa.Text)
    return column


def statement(parts: Sequence[Part], *, list_kinds: bool, rating_stats: bool, today: date
              ) -> sa.Select[Any]:
    """The plan's ``SELECT``, a row per subject; its one parameter is ``subject_ids``."""
    wanted = (sa.func.unnest(sa.bindparam(SUBJECT_IDS, type_=ARRAY(sa.Integer)))
              .table_valued("id").render_derived(name="wanted"))
    subject = wanted.c.id
    columns: list[Any] = [subject.label("subject_id")]
    for number, part in enumerate(parts):
        relation = part.relation
        parent = relation.column(relation.parent)
        if part.columns:
            day, ident = relation.column(relation.order), relation.column("id")
            selected = dict.fromkeys((*part.columns, relation.order, "id"))
            rows = (sa.select(*(relation.column(name) for name in selected))
                    .where(parent == subject, *part.where).correlate(wanted)
                    .order_by(day.desc(), ident.desc()).limit(part.limit).subquery())
            values = sa.func.json_build_array(*(exact(rows.c[name]) for name in part.columns))
            page = sa.func.json_agg(aggregate_order_by(
                values, rows.c[relation.order].desc(), rows.c.id.desc()))
            columns.append(sa.select(page).scalar_subquery().label(f"page_{number}"))
        if part.count:
            counted = sa.select(sa.func.count()).where(parent == subject, *part.where)
            columns.append(counted.scalar_subquery().label(f"count_{number}"))
    if list_kinds:
        kinds = (sa.select(sa.func.array_agg(sa.distinct(col(ListEntry.list_kind))))
                 .where(col(ListEntry.subject_id) == subject, entry_in_force(today)))
        columns.append(kinds.scalar_subquery().label("list_kinds"))
    if rating_stats:
        figures = (sa.select(sa.func.json_build_array(*rating_figures()))
                   .where(col(Rating.ratee_id) == subject))
        columns.append(figures.scalar_subquery().label("rating_stats"))
    return sa.select(*columns)


async def fetch(session: AsyncSession, query: sa.Select[Any], parts: Sequence[Part],
                subject_ids: Sequence[int]) -> dict[int, Fetched]:
    """Run a plan's statement for its subjects: what it read of each, by row id."""
    connection = await session.connection()
    result = await connection.execute(query, {SUBJECT_IDS: list(subject_ids)})
    fetched: dict[int, Fetched] = {}
    for found in result:
        row = found._mapping
        pages: list[list[list[Any]]] = []
        counts: list[int | None] = []
        for number, part in enumerate(parts):
            page = row.get(f"page_{number}") if part.columns else None
            pages.append(list(page or []))  # decoded by the engine (``json_deserializer``)
            counts.append(int(row[f"count_{number}"]) if part.count else None)
        kinds = row.get("list_kinds") or []
        figures = row.get("rating_stats")
        fetched[row["subject_id"]] = Fetched(
            pages, counts, frozenset(ListKind(kind) for kind in kinds),
            RatingStats() if figures is None else stats_of(figures))
    return fetched
