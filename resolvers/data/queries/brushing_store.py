"""刷单炒信嫌疑, kept by a job: the brushing signals (``resolvers.domain.brushing``) computed
for the whole rating and parcel graph and stored as a *run*, which ``brushingSuspects`` and
the list rules' ``BLACK_RATING_RING`` read.

``refresh`` is the job (``credit-gateway brushing refresh``, and the first step of ``lists
propose``; seeding calls ``refresh_in`` inside its load): it takes a run id, reads the facts,
computes the suspects outside any transaction (minutes at a million subjects) and publishes
them in one transaction that writes every row of the run and marks it finished, so a reader
sees all of a run or none of it.

- **The current run** is the finished run with the highest id. Ids are taken before the
  facts are read, so of two runs at once the later-started one (fresher facts) wins whatever
  order they finish in; a run that finds a newer one published discards itself.
- **Old runs** are deleted by the publication of the run after next: a reader holding the
  current run's id (the query path reads without a transaction, a statement at a time) finds
  its rows until two more runs have been published. A run that died before publishing leaves
  an unfinished run row, deleted the same way.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.database import Database
from resolvers.data.models import BrushingEvidenceRow, BrushingRun, BrushingSuspectRow, Subject
from resolvers.data.models.base import aware, utcnow
from resolvers.data.queries import brushing as brushing_facts
from resolvers.domain import brushing
from resolvers.domain.brushing import BrushingSignal, Evidence, Suspect
from resolvers.domain.enums import SubjectKind

RUNS: sa.Table = BrushingRun.__table__  # type: ignore[attr-defined]
SUSPECTS: sa.Table = BrushingSuspectRow.__table__  # type: ignore[attr-defined]
EVIDENCE: sa.Table = BrushingEvidenceRow.__table__  # type: ignore[attr-defined]
SUBJECTS: sa.Table = Subject.__table__  # type: ignore[attr-defined]
INSERT_BATCH = 1000  # rows per INSERT (SQLite allows 32,766 parameters: 14 columns a row)


@dataclass(frozen=True)
class Run:
    """A published run: when it finished, the Beijing day it judged for, the window of
    ratings it read, how many ratings and suspects."""

    id: int
    computed_on: date
    finished_at: datetime
    window_start: date | None
    window_end: date | None
    ratings: int
    suspects: int


@dataclass(frozen=True)
class Refreshed:
    """What a refresh did: its run, the run current afterwards (its own unless a newer run
    was published meanwhile), and how long it took."""

    own: int
    current: Run
    seconds: float

    @property
    def superseded(self) -> bool:
        return self.current.id != self.own


@dataclass(frozen=True)
class Computed:
    """The signals as of a day: the window's last day, its ratings counted, the suspects."""

    latest: date | None
    ratings: int
    suspects: list[Suspect]


class _Superseded(Exception):
    """A newer run was published first: this one's rows are rolled back."""


async def _start(conn: AsyncConnection, today: date) -> int:
    run_id: int = (await conn.execute(
        RUNS.insert().values(started_at=utcnow(), computed_on=today, ratings=0, suspects=0)
        .returning(RUNS.c.id))).scalar_one()
    return run_id


async def compute(conn: AsyncConnection, today: date) -> Computed:
    """Read the facts (three statements) and compute the signals: the job's step between
    taking a run id and publishing it."""
    latest, ratings, parcels = await brushing_facts.facts(conn, days=brushing.WINDOW_DAYS,
                                                          until=today)
    return Computed(latest, len(ratings),
                     brushing.suspects(ratings, parcels, today=latest or today))


def _ids(values: Iterable[int]) -> str:
    return " ".join(map(str, values))


def _rows(run_id: int, suspects: Sequence[Suspect]) -> tuple[list[dict[str, object]],
                                                              list[dict[str, object]]]:
    ranked: list[dict[str, object]] = []
    signals: list[dict[str, object]] = []
    for position, suspect in enumerate(suspects, 1):
        ranked.append({"run_id": run_id, "subject_id": suspect.subject, "position": position,
                       "score": suspect.score})
        for seq, found in enumerate(suspect.evidence, 1):
            signals.append({
                "run_id": run_id, "subject_id": suspect.subject, "seq": seq,
                "signal": found.signal.value,
                "strength": found.strength, "ring": found.ring, "partners": _ids(found.partners),
                "ratings": found.ratings, "repeated_comments": found.repeated_comments,
                "first_on": found.first_on, "last_on": found.last_on, "parcels": found.parcels,
                "empty_parcels": found.empty_parcels, "rating_ids": _ids(found.rating_ids)})
    return ranked, signals


async def _newest(conn: AsyncConnection, condition: sa.ColumnElement[bool]) -> int | None:
    found: int | None = (await conn.execute(
        sa.select(sa.func.max(RUNS.c.id)).where(RUNS.c.finished_at.is_not(None), condition))
    ).scalar_one()
    return found


async def _publish(conn: AsyncConnection, run_id: int, computed: Computed) -> None:
    """Write the run's rows and mark it finished, or raise ``_Superseded``."""
    if await _newest(conn, RUNS.c.id > run_id) is not None:
        raise _Superseded
    ranked, signals = _rows(run_id, computed.suspects)
    for table, rows in ((SUSPECTS, ranked), (EVIDENCE, signals)):
        for start in range(0, len(rows), INSERT_BATCH):
            await conn.execute(table.insert(), rows[start:start + INSERT_BATCH])
    since = (computed.latest - timedelta(days=brushing.WINDOW_DAYS)
             if computed.latest is not None else None)
    marked = await conn.execute(
        RUNS.update().where(RUNS.c.id == run_id, RUNS.c.finished_at.is_(None))
        .values(finished_at=utcnow(), window_start=since, window_end=computed.latest,
                ratings=computed.ratings, suspects=len(ranked)))
    if marked.rowcount != 1:  # a newer run's publication deleted this unfinished one
        raise _Superseded
    previous = await _newest(conn, RUNS.c.id < run_id)
    if previous is not None:  # keep the run before this one for readers still on it
        for table in (EVIDENCE, SUSPECTS):
            await conn.execute(table.delete().where(table.c.run_id < previous))
        await conn.execute(RUNS.delete().where(RUNS.c.id < previous))


async def refresh(database: Database, today: date) -> Refreshed:
    """The job: compute the signals as of ``today`` and publish them as the current run."""
    started = time.perf_counter()
    async with database.engine.begin() as conn:
        run_id = await _start(conn, today)
    async with database.engine.begin() as conn:
        computed = await compute(conn, today)
    try:
        async with database.engine.begin() as conn:
            await _publish(conn, run_id, computed)
    except _Superseded:
        async with database.engine.begin() as conn:
            await conn.execute(RUNS.delete().where(RUNS.c.id == run_id,
                                                   RUNS.c.finished_at.is_(None)))
    async with database.engine.connect() as conn:
        now = await _current(conn)
    if now is None:  # pragma: no cover - this run was published, or a newer one was
        raise AssertionError("a refresh left no published run")
    return Refreshed(run_id, now, time.perf_counter() - started)


async def refresh_in(conn: AsyncConnection, today: date) -> int:
    """Compute and publish a run within ``conn``'s transaction (seeding); its id."""
    run_id = await _start(conn, today)
    await _publish(conn, run_id, await compute(conn, today))
    return run_id


async def _current(conn: AsyncConnection) -> Run | None:
    row = (await conn.execute(
        sa.select(RUNS).where(RUNS.c.finished_at.is_not(None))
        .order_by(RUNS.c.id.desc()).limit(1))).first()
    if row is None:
        return None
    return Run(row.id, row.computed_on, aware(row.finished_at), row.window_start,
               row.window_end, row.ratings, row.suspects)


async def current(session: AsyncSession) -> Run | None:
    """The current run, ``None`` before the first was published."""
    return await _current(await session.connection())


async def ranked(session: AsyncSession, run_id: int, *, first: int,
                 signals: Sequence[BrushingSignal] | None = None,
                 kind: SubjectKind | None = None,
                 min_score: float | None = None) -> list[tuple[int, float]]:
    """The run's first ``first`` suspects matching every condition given, highest score
    first: ``(subject id, score)``."""
    query = sa.select(SUSPECTS.c.subject_id, SUSPECTS.c.score).where(
        SUSPECTS.c.run_id == run_id)
    if min_score is not None:
        query = query.where(SUSPECTS.c.score >= min_score)
    if kind is not None:
        query = query.join(SUBJECTS, SUBJECTS.c.id == SUSPECTS.c.subject_id).where(
            SUBJECTS.c.kind == kind.value)
    if signals:
        query = query.where(sa.exists().where(
            EVIDENCE.c.run_id == run_id, EVIDENCE.c.subject_id == SUSPECTS.c.subject_id,
            EVIDENCE.c.signal.in_([signal.value for signal in signals])))
    query = query.order_by(SUSPECTS.c.position).limit(first)
    rows = await (await session.connection()).execute(query)
    return [(row.subject_id, row.score) for row in rows]


def _evidence(row: sa.Row[tuple[object, ...]]) -> Evidence:
    def ids(text: object) -> tuple[int, ...]:
        return tuple(int(part) for part in str(text).split())

    return Evidence(
        BrushingSignal(row.signal), row.strength, ring=row.ring, partners=ids(row.partners),
        ratings=row.ratings, repeated_comments=row.repeated_comments, first_on=row.first_on,
        last_on=row.last_on, parcels=row.parcels, empty_parcels=row.empty_parcels,
        rating_ids=ids(row.rating_ids))


async def evidence(session: AsyncSession, run_id: int,
                   subject_ids: Sequence[int]) -> dict[int, list[Evidence]]:
    """Every signal of these suspects in the run, by subject, in the order computed."""
    found: dict[int, list[Evidence]] = {}
    rows = await (await session.connection()).execute(
        sa.select(EVIDENCE).where(EVIDENCE.c.run_id == run_id,
                                  EVIDENCE.c.subject_id.in_(subject_ids))
        .order_by(EVIDENCE.c.subject_id, EVIDENCE.c.seq))
    for row in rows:
        found.setdefault(row.subject_id, []).append(_evidence(row))
    return found


async def rings(conn: AsyncConnection, run_id: int) -> dict[int, list[Evidence]]:
    """Every rating ring of each subject in the run, densest first (the list rules'
    ``BLACK_RATING_RING``)."""
    rows = await conn.execute(sa.select(EVIDENCE).where(
        EVIDENCE.c.run_id == run_id, EVIDENCE.c.signal == BrushingSignal.RATING_RING.value)
        .order_by(EVIDENCE.c.subject_id, EVIDENCE.c.seq))
    found: dict[int, list[Evidence]] = {}
    for row in rows:
        found.setdefault(row.subject_id, []).append(_evidence(row))
    return found
