"""公示信用等级, stored: the public-view grade of every subject in ``subject_grade``.

The grade is always computed by the one copy of the rules — ``grading.facts`` (one statement for
many subjects, public view) and ``grade_of`` — and stored here so that dashboards can count,
filter and sort subjects by it. Three paths write it, all through ``regrade``:

- every record write, for the subjects it names, in the write's own transaction
  (``resolvers.writes.purge.committed``);
- the daily job ``credit-gateway grades refresh`` (``resolvers.writes.grades.refresh``), for
  what the calendar changes: every row whose ``as_of`` is before today, in chunks of subjects,
  each chunk its own transaction;
- seeding and migration 0014's backfill, for every subject.

``regrade`` first *claims* the rows of its subjects: an upsert that inserts a placeholder row
where none exists and otherwise rewrites ``as_of`` unchanged, so every row is locked (and a
concurrent insert of the same subject waited for) before the facts are read. On PostgreSQL
(READ COMMITTED) the facts statement that follows sees every write that committed while it
waited, so two writes naming one subject cannot store a grade missing the other's record, and
two refresh jobs grade a subject one after the other (the second finds it current and skips
it). Rows are claimed in subject order, so claimers never wait for each other in a cycle. SQLite
serialises writers; the claim costs it nothing more than a statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import StoredGrade, Subject
from resolvers.data.queries import grading
from resolvers.domain.grading import SubjectFacts, grade_of
from resolvers.domain.grading.rules import Letter

TABLE: sa.Table = StoredGrade.__table__  # type: ignore[attr-defined]
SUBJECTS: sa.Table = Subject.__table__  # type: ignore[attr-defined]
CHUNK = 500  # subjects per statement (4 parameters each) and per refresh transaction
# ``as_of`` of a row claimed but not graded yet: never visible outside its transaction
UNGRADED = date(1970, 1, 1)


def rows_of(found: Mapping[int, SubjectFacts], today: date) -> list[dict[str, Any]]:
    """The stored rows of graded facts: the public grade's class and score, as of ``today``."""
    rows = []
    for subject_id, facts in sorted(found.items()):
        graded = grade_of(facts, today)
        rows.append({"subject_id": subject_id, "grade": graded.letter.value,
                     "score": graded.score, "as_of": today})
    return rows


def _insert(dialect: str) -> Any:
    return (postgresql if dialect == "postgresql" else sqlite).insert(TABLE)


def _claim(dialect: str, ids: Sequence[int]) -> Any:
    """Lock the rows of ``ids`` (inserting placeholders where missing); their ``as_of``."""
    statement = _insert(dialect).values([
        {"subject_id": i, "grade": Letter.D.value, "score": 0, "as_of": UNGRADED} for i in ids])
    return (statement.on_conflict_do_update(index_elements=[TABLE.c.subject_id],
                                            set_={"as_of": TABLE.c.as_of})
            .returning(TABLE.c.subject_id, TABLE.c.as_of))


def _store(dialect: str, rows: list[dict[str, Any]]) -> Any:
    statement = _insert(dialect).values(rows)
    return statement.on_conflict_do_update(
        index_elements=[TABLE.c.subject_id],
        set_={"grade": statement.excluded.grade, "score": statement.excluded.score,
              "as_of": statement.excluded.as_of})


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


async def regrade(conn: AsyncConnection, subject_ids: Iterable[int], today: date, *,
                  stale_only: bool = False) -> int:
    """Grade ``subject_ids`` on ``today`` and store their public grade in the caller's
    transaction; ``stale_only``: those whose stored ``as_of`` is still before ``today`` once
    claimed (the refresh job). How many subjects it graded."""
    ids = sorted(set(subject_ids))
    dialect, graded = conn.dialect.name, 0
    for chunk in _chunks(ids):
        claimed = (await conn.execute(_claim(dialect, chunk))).all()
        todo = sorted(int(row.subject_id) for row in claimed
                      if not stale_only or row.as_of < today)
        if not todo:
            continue
        rows = rows_of(await grading.facts(conn, todo, today, public_view=True), today)
        if rows:
            await conn.execute(_store(dialect, rows))
        graded += len(rows)
    return graded


def _walk(after: int, size: int, today: date) -> Any:
    """The next ``size`` subjects after ``after`` and whether each needs grading (no row, or
    one graded before ``today``)."""
    stale = sa.or_(TABLE.c.as_of.is_(None), TABLE.c.as_of < today)
    return (sa.select(SUBJECTS.c.id, stale.label("stale"))
            .select_from(SUBJECTS.outerjoin(TABLE, TABLE.c.subject_id == SUBJECTS.c.id))
            .where(SUBJECTS.c.id > after).order_by(SUBJECTS.c.id).limit(size))


async def refresh_chunk(conn: AsyncConnection, after: int, today: date
                        ) -> tuple[int | None, int]:
    """Regrade the stale subjects among the next chunk after subject id ``after``: the last id
    walked (``None`` when none was left) and how many were graded."""
    # (no JIT: the gateway's sessions switch it off, ``engine.SERVER_SETTINGS``)
    walked = (await conn.execute(_walk(after, CHUNK, today))).all()
    if not walked:
        return None, 0
    stale = [int(row.id) for row in walked if row.stale]
    graded = await regrade(conn, stale, today, stale_only=True) if stale else 0
    return int(walked[-1].id), graded


def backfill(conn: Connection, today: date) -> int:
    """Grade every subject on a synchronous connection (a migration's, or seeding's through
    ``run_sync``), chunk by chunk by subject id: the same statement, folding and rules as
    ``regrade``. How many it graded."""
    after, graded, dialect = 0, 0, conn.dialect.name
    if dialect == "postgresql":
        # a migration's own connection: as the gateway's sessions (``engine.SERVER_SETTINGS``),
        # no JIT: compiling the facts statement of 500 subjects took 40 % of its time
        conn.execute(sa.text("SET LOCAL jit = off"))
    while True:
        ids = [int(row.id) for row in conn.execute(
            sa.select(SUBJECTS.c.id).where(SUBJECTS.c.id > after).order_by(SUBJECTS.c.id)
            .limit(CHUNK))]
        if not ids:
            return graded
        found = grading.fold(conn.execute(grading.statement(ids, today, public_view=True)))
        rows = rows_of(found, today)
        if rows:
            conn.execute(_store(dialect, rows))
        graded += len(rows)
        after = ids[-1]


def has_grade(grades: Sequence[Letter]) -> sa.ColumnElement[bool]:
    """The outer subject's stored grade is one of ``grades``."""
    return col(Subject.id).in_(sa.select(TABLE.c.subject_id)
                               .where(TABLE.c.grade.in_([g.value for g in grades])))


async def oldest_day(session: AsyncSession) -> date | None:
    """The oldest ``as_of`` of the stored grades (one probe of ``ix_subject_grade_as_of``)."""
    found = (await session.exec(sa.select(sa.func.min(TABLE.c.as_of)))).one()  # type: ignore[call-overload]
    value = found[0]
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
