"""One statement for everything a compiled plan (``resolvers.plans``) reads of its subjects.

PostgreSQL only: one row per subject (``unnest`` of their row ids), in which each selected
relation is a correlated scalar subquery — a page as ``json_agg`` of ``json_build_array`` over
its first rows (newest first, as ``relations.first_rows`` orders them; decimals as their
text), a ``count(*)`` — and list standing the ``array_agg`` of the list kinds in force. The
conditions are handed in by the caller (``Loaders.conditions``: disclosure lag, publicity),
the same expression objects the batched loaders put into their own statements; nothing here
decides what a role may see.

The statement is built with SQLAlchemy and compiled once per shape to PostgreSQL's text, its
values rendered by SQLAlchemy as literals (the day, the page sizes, enum members: the plan's
own, never the request's); the subjects' row ids are its one parameter (``$1``). It is sent
through the driver's connection (SQLAlchemy's ``get_raw_connection``) of a pooled connection
the loaders check out without an ORM session: SQLAlchemy's session, execution and result
machinery cost about a quarter of the CPU of an uncached widget answer (docs/PERFORMANCE.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.dialects.postgresql import asyncpg as postgresql_driver
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from resolvers.data import statements
from resolvers.data.models import ListEntry, Rating
from resolvers.data.queries.aggregates import RatingStats, rating_figures, stats_of
from resolvers.data.queries.list_pages import entry_in_force
from resolvers.data.queries.relations import Relation
from resolvers.domain.enums import ListKind

# the statement's one parameter: the subjects' row ids
SUBJECT_IDS = sa.literal_column("$1::integer[]", ARRAY(sa.Integer))
DIALECT: sa.Dialect = postgresql_driver.dialect()  # type: ignore[no-untyped-call]


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


@dataclass(frozen=True)
class Statement:
    """A plan's ``SELECT`` as PostgreSQL's text; ``json``: the columns that hold JSON text."""

    sql: str
    json: frozenset[str]


def statement(parts: Sequence[Part], *, list_kinds: bool, rating_stats: bool, today: date
              ) -> Statement:
    """The plan's ``SELECT``, a row per subject, compiled; its one parameter is the subjects'
    row ids."""
    wanted = (sa.func.unnest(SUBJECT_IDS).table_valued("id").render_derived(name="wanted"))
    subject = wanted.c.id
    columns: list[Any] = [subject.label("subject_id")]
    json: list[str] = []  # JSON values sent as their text, decoded by ``fetch`` (no driver codec)

    def as_text(value: sa.ScalarSelect[Any], name: str) -> sa.Label[Any]:
        json.append(name)
        return sa.cast(value, sa.Text).label(name)

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
            columns.append(as_text(sa.select(page).scalar_subquery(), f"page_{number}"))
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
        columns.append(as_text(figures.scalar_subquery(), "rating_stats"))
    query = sa.select(*columns)
    text = query.compile(dialect=DIALECT, compile_kwargs={"literal_binds": True})
    return Statement(str(text), frozenset(json))


async def fetch(connection: AsyncConnection, query: Statement, parts: Sequence[Part],
                subject_ids: Sequence[int]) -> dict[int, Fetched]:
    """Run a plan's statement for its subjects on ``connection`` (the replica or the primary,
    as the loaders chose): what it read of each, by row id."""
    driver = (await connection.get_raw_connection()).driver_connection
    if driver is None:
        raise RuntimeError("the connection has no driver connection")
    statements.sent_past_the_engine()
    records = await driver.fetch(query.sql, list(subject_ids))
    fetched: dict[int, Fetched] = {}
    for record in records:
        row = {name: orjson.loads(value) if name in query.json and value is not None else value
               for name, value in record.items()}
        pages: list[list[list[Any]]] = []
        counts: list[int | None] = []
        for number, part in enumerate(parts):
            page = row.get(f"page_{number}") if part.columns else None
            pages.append(list(page or []))
            counts.append(int(row[f"count_{number}"]) if part.count else None)
        kinds = row.get("list_kinds") or []
        figures = row.get("rating_stats")
        fetched[row["subject_id"]] = Fetched(
            pages, counts, frozenset(ListKind(kind) for kind in kinds),
            RatingStats() if figures is None else stats_of(figures))
    return fetched
