"""Seeding a migrated database with the demo dataset (演示数据) — ``credit-gateway seed``.

The generator's chunks are written as they come, so memory stays flat at any size; the next
chunk is generated meanwhile, in a worker thread or for large datasets in a child process
(``_producer``). PostgreSQL
receives rows through ``COPY`` (asyncpg's ``copy_records_to_table``) with indexes and foreign
keys set aside until the end (``_bulk``), SQLite through executemany inserts with foreign keys
deferred to commit. The whole run is one transaction: a failed seed leaves the database as it
was. Every subject's public grade is stored at the end, in the same transaction
(``grade_store``, docs/CREDIT_GRADE.md). Ids are the generator's own (subject id = ordinal),
so on PostgreSQL the id sequences are moved past them afterwards and later inserts keep
working.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

import resolvers.data.models  # noqa: F401  (registers every table on SQLModel.metadata)
from migrations import GRAM_TABLE
from resolvers.data.database import Database
from resolvers.data.engine import display_url, error_reason
from resolvers.data.queries import brushing_store, grade_store
from resolvers.demo._bulk import put_back, set_aside
from resolvers.demo._producer import in_process, in_thread
from resolvers.demo.generator import COLUMNS, TABLES, DemoGenerator, Row, check_size
from resolvers.domain import clock
from resolvers.progress import Progress

DEFAULT_BATCH_SIZE = 5_000
PROCESS_MIN_SUBJECTS = 20_000  # below this a child process costs more than it saves


class SeedError(Exception):
    """Seeding cannot start; the message is meant for the person running it."""


class DatabaseUnreachable(SeedError):
    """The database does not answer."""


class DatabaseNotMigrated(SeedError):
    """The credit tables do not exist yet."""


class DatabaseNotEmpty(SeedError):
    """Subjects exist already and ``replace`` was not asked for."""


@dataclass(frozen=True)
class SeedReport:
    """What a seeding run wrote: rows per table (in insertion order) and the time it took."""

    subjects: int
    seed: int
    backend: str
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds > 0 else 0.0


def credit_tables() -> list[sa.Table]:
    """The demo's tables plus any table that references them, children before parents —
    the order ``replace`` empties them in."""
    metadata = SQLModel.metadata
    wanted = {metadata.tables[name] for name in TABLES}
    changed = True
    while changed:  # pull in tables that reference a wanted table, transitively
        extra = {t for t in metadata.tables.values() if t not in wanted
                 and any(fk.column.table in wanted for fk in t.foreign_keys)}
        wanted |= extra
        changed = bool(extra)
    return [t for t in reversed(metadata.sorted_tables) if t in wanted]


async def refresh_statistics(database: Database, tables: list[str]) -> None:
    """Planner statistics of freshly filled ``tables`` and, on PostgreSQL, their visibility map
    (``VACUUM (ANALYZE)``, outside the load's transaction): until autovacuum got round to a
    million fresh subjects, search planned without statistics and every index-only read of
    ``subject_name_gram`` visited the table as well (docs/SEARCH.md, "Where the time went")."""
    async with database.engine.connect() as conn:
        if database.is_sqlite:
            await conn.execute(sa.text("ANALYZE"))
            await conn.commit()
            return
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(sa.text(f"VACUUM (ANALYZE) {', '.join(tables)}"))


async def seed_database(
    database: Database,
    *,
    subjects: int,
    seed: int,
    progress: bool = True,
    batch_size: int = DEFAULT_BATCH_SIZE,
    replace: bool = False,
) -> SeedReport:
    """Write the demo dataset of ``subjects`` subjects under ``seed`` into ``database``.

    Raises ``DatabaseUnreachable``, ``DatabaseNotMigrated`` or ``DatabaseNotEmpty`` (unless
    ``replace``, which first deletes every row of the credit tables) before writing anything,
    and ``ValueError`` for a size outside 2…10,000,000 or a batch size below 1.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    started = time.perf_counter()
    check_size(subjects)
    try:
        await database.ping()
    except (OSError, TimeoutError, SQLAlchemyError) as error:
        raise DatabaseUnreachable(
            f"cannot reach the database {display_url(database.url)}: {error_reason(error)}"
        ) from error
    counts = dict.fromkeys(TABLES, 0)
    async with database.engine.begin() as conn:
        await _require_schema(conn)
        if replace:
            await _clear(conn, sqlite=database.is_sqlite)
        else:
            await _require_empty(conn)
        # a chunk's records may name subjects of later chunks (raters, carriers): foreign keys
        # are checked once at the end — by SQLite at commit, by PostgreSQL when put back
        aside = None
        if database.is_sqlite:
            # the pragma lasts for the transaction it runs in, and pysqlite opens that
            # transaction lazily at the first DML: open it first, or the pragma is lost
            await conn.execute(sa.text("DELETE FROM subject WHERE 0 = 1"))
            await conn.execute(sa.text("PRAGMA defer_foreign_keys = ON"))
            write = _insert_writer(conn)
        else:
            aside = await set_aside(conn, [*TABLES, GRAM_TABLE], keyless=[GRAM_TABLE])
            write = await _copy_writer(conn)
        # each subject counts with its records
        with Progress(subjects, desc="seeding", unit=" subjects", enabled=progress) as bar:
            source = (in_process(subjects, seed, batch_size) if subjects >= PROCESS_MIN_SUBJECTS
                      else in_thread(DemoGenerator(subjects=subjects, seed=seed)
                                     .chunks(batch_size)))
            async with aclosing(source) as chunks:
                async for chunk in chunks:
                    for table in TABLES:
                        rows = chunk.rows.get(table)
                        if rows:
                            await write(table, rows)
                            counts[table] += len(rows)
                    bar.advance(chunk.subjects)
        if aside is not None:
            await put_back(conn, aside)
            await _advance_sequences(conn)
            # planner statistics of what the load wrote, before grading reads it (ANALYZE sees
            # the transaction's own rows): a fresh table has none
            await conn.execute(sa.text(f"ANALYZE {', '.join(TABLES)}"))
        await _grade(conn)
        # the brushing job's first run, so brushingSuspects answers from the first request
        await brushing_store.refresh_in(conn, clock.today())
    await refresh_statistics(database, [*TABLES, GRAM_TABLE, grade_store.TABLE.name])
    return SeedReport(subjects, seed, database.backend, counts, time.perf_counter() - started)


async def _grade(conn: AsyncConnection) -> None:
    """Store every subject's public grade (``subject_grade``) as of today, in the load's
    transaction: the migration's backfill (``grade_store.backfill``: the grading statement and
    rules, chunk by chunk, by subject id). Not the refresh job's walk, which joins each chunk of
    subjects to the stored grades: on rows this transaction is still writing, with the grades'
    table counted empty, that walk took 1–4 s a chunk of 500 at a million subjects (hours)."""
    await conn.run_sync(grade_store.backfill, clock.today())


async def _require_schema(conn: AsyncConnection) -> None:
    present = set(await conn.run_sync(lambda sync: sa.inspect(sync).get_table_names()))
    missing = [table for table in TABLES if table not in present]
    if missing:
        raise DatabaseNotMigrated(
            f"the database has no {', '.join(missing)} table"
            f"{'s' if len(missing) > 1 else ''}: run `credit-gateway migrate` first"
        )


async def _require_empty(conn: AsyncConnection) -> None:
    count = (await conn.execute(sa.text("SELECT count(*) FROM subject"))).scalar_one()
    if count:
        raise DatabaseNotEmpty(
            f"the database already holds {count:,} subjects; seeding needs empty credit "
            "tables — use --replace to delete all credit data and seed again"
        )


async def _clear(conn: AsyncConnection, *, sqlite: bool) -> None:
    tables = credit_tables()
    if sqlite:
        for table in tables:  # children first, as foreign keys are enforced
            await conn.execute(table.delete())
    else:
        names = ", ".join(f'"{table.name}"' for table in tables)
        # CASCADE also empties what triggers maintain from subjects (the name-gram table)
        await conn.execute(sa.text(f"TRUNCATE TABLE {names} RESTART IDENTITY CASCADE"))


Writer = Callable[[str, list[Row]], Awaitable[None]]


def _insert_writer(conn: AsyncConnection) -> Writer:
    tables = SQLModel.metadata.tables

    async def write(table: str, rows: list[Row]) -> None:
        columns = COLUMNS[table]
        await conn.execute(tables[table].insert(), [dict(zip(columns, row, strict=True))
                                                    for row in rows])

    return write


async def _copy_writer(conn: AsyncConnection) -> Writer:
    # COPY runs on asyncpg's own connection, inside the transaction SQLAlchemy began on it
    raw = await conn.get_raw_connection()
    driver = cast(Any, raw).driver_connection

    async def write(table: str, rows: list[Row]) -> None:
        await driver.copy_records_to_table(table, records=rows, columns=list(COLUMNS[table]))

    return write


async def _advance_sequences(conn: AsyncConnection) -> None:
    for table in TABLES:
        await conn.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f'COALESCE(MAX(id), 0) + 1, false) FROM "{table}"'
        ))
