"""``run_import``: a department's file into the credit graph, batch by batch (批量导入).

The file is streamed; every ``batch_size`` rows are parsed, checked and written through the
same write service as the mutations, in one transaction together with the run's counters — so
an import killed mid-way leaves whole batches behind and nothing else, and running it again
finds those rows unchanged (natural keys) and adds exactly the rest. Every row not written goes
to the rejects file with its line number and reasons; the run itself is an ``import_run`` row,
named as the actor of every audit event it leaves.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from resolvers.cache import Cache
from resolvers.data import models
from resolvers.data.database import Database
from resolvers.data.models.base import utcnow
from resolvers.domain.enums import Department
from resolvers.domain.masking import mask_id_number
from resolvers.domain.ownership import may_write
from resolvers.progress import Progress
from resolvers.writes.audit import Actor
from resolvers.writes.imports.formats import FileFormat
from resolvers.writes.imports.readers import JSONL, FileProblem, RawRow, Reader, not_utf8, printable
from resolvers.writes.problems import BAD_USER_INPUT, Problem
from resolvers.writes.purge import AfterCommit, Touches, committed
from resolvers.writes.service import Outcome, Status, write_batch
from resolvers.writes.transactions import in_transaction

# How long the run keeps trying to deliver a tag bump the cache missed before it gives up.
SETTLE_SECONDS = 30.0

DEFAULT_BATCH_SIZE = 1_000
RUNS = models.ImportRun.__table__  # type: ignore[attr-defined]
NOT_WRITTEN = (Status.REJECTED, Status.CONFLICTING, Status.OTHER_DEPARTMENT)  # → rejects file


@dataclass
class ImportSummary:
    run_id: int
    read: int = 0
    inserted: int = 0
    unchanged: int = 0
    conflicting: int = 0
    rejected: int = 0
    other_department: int = 0
    seconds: float = 0.0
    # False when the cache never took a tag bump of this run: answers cached before it may
    # still be served (the command then fails, docs/IMPORT.md)
    cache_settled: bool = True
    ignored: list[str] = field(default_factory=list)  # columns not of the format, not read

    def count(self, status: Status) -> None:
        setattr(self, status.value, getattr(self, status.value) + 1)


async def run_import(database: Database, file_format: FileFormat, path: Path, *,
                     department: Department, rejects: Path, today: date,
                     source_format: str, batch_size: int = DEFAULT_BATCH_SIZE,
                     progress: bool = False, tag_cache: Cache | None = None,
                     strict: bool = False, defaults: dict[str, Any] | None = None
                     ) -> ImportSummary:
    """Import ``path``; raises ``FileProblem`` before writing anything when the file or the
    department cannot be used. After each committed batch the tags its new records touched
    are bumped in ``tag_cache`` (``resolvers.writes.purge``: the records' subjects and their
    type's lists), so cached responses showing them are purged batch by batch; a bump the
    cache missed is settled before the run ends (``ImportSummary.cache_settled``).

    Columns the format does not know are ignored and listed in the summary, or (``strict``)
    refuse the file (CSV) or their row (JSON Lines). ``defaults`` are draft fields no column
    gives (``severity_default``). A first batch with bytes that are not UTF-8 refuses the
    file (it is in another encoding); later, such a row is rejected and the run goes on."""
    started = time.perf_counter()
    after = AfterCommit(entity_cache=tag_cache, tag_cache=tag_cache)
    record_type = file_format.spec.record_type
    if not may_write(department, record_type):
        raise FileProblem(f"{department.value} does not supply {record_type.value} records")
    reader = Reader(path, source_format)
    try:
        ignored = _check_header(file_format, reader, strict)
        batches = _batches(reader, batch_size)
        first = next(batches, [])
        garbled = next((row for row in first if row.encoding), None)
        if garbled is not None:
            raise not_utf8(path, garbled.line)
        digest = _sha256(path)
        run_id = await _start(database, file_format, path, department, digest)
        summary = ImportSummary(run_id, ignored=ignored)
        rules = _Rules(strict, defaults or {})
        actor = Actor.of_import(run_id, department)
        with rejects.open("w", encoding="utf-8", newline="") as out, \
                Progress(reader.size, desc=f"importing {file_format.name}", unit="B",
                         enabled=progress) as bar:
            sink = csv.writer(out)
            sink.writerow(["line", "outcome", "problems", "row"])
            for batch in itertools.chain([first] if first else [], batches):
                written = await _write(database, file_format, batch, actor, today, summary,
                                       after, rules)
                for row, outcome in written:
                    if outcome.status in NOT_WRITTEN:
                        sink.writerow([row.line, outcome.status.value,
                                       _described(file_format, outcome.problems),
                                       json.dumps(_shown(file_format, row.cells),
                                                  ensure_ascii=False)])
                out.flush()
                bar.reach(reader.position)
        await _finish(database, run_id)
    finally:
        reader.close()
    summary.cache_settled = await after.settle(SETTLE_SECONDS)
    summary.seconds = time.perf_counter() - started
    return summary


@dataclass(frozen=True)
class _Rules:
    strict: bool  # an unknown column refuses its row instead of being ignored
    defaults: dict[str, Any]


def _check_header(file_format: FileFormat, reader: Reader, strict: bool) -> list[str]:
    """The header's columns the format does not know (refused when ``strict``)."""
    if reader.format == JSONL:
        return []
    unknown = [name for name in reader.header if name not in file_format.known]
    if unknown and strict:
        raise FileProblem(f"{reader.path.name}: unknown column(s) {', '.join(unknown)} for "
                          f"{file_format.name} (docs/IMPORT.md lists the columns)")
    missing = [name for name in file_format.required if name not in reader.header]
    if missing:
        raise FileProblem(f"{reader.path.name}: missing column(s) {', '.join(missing)}")
    return unknown


def _shown(file_format: FileFormat, cells: dict[str, str | None]) -> dict[str, str | None]:
    """A row as the rejects file shows it: ID numbers masked (个人信息), text printable."""
    return printable({name: mask_id_number(value) if value and name in file_format.id_numbers
                      else value for name, value in cells.items()})


def _batches(reader: Reader, size: int) -> Iterator[list[RawRow]]:
    batch: list[RawRow] = []
    for row in reader:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


async def _write(database: Database, file_format: FileFormat, batch: list[RawRow], actor: Actor,
                 today: date, summary: ImportSummary,
                 after: AfterCommit,
                 rules: _Rules = _Rules(False, {})) -> list[tuple[RawRow, Outcome]]:
    """Parse a batch and write its good rows in one transaction with the run's counters."""
    outcomes: dict[int, Outcome] = {}
    drafts: list[tuple[int, Any]] = []
    known = file_format.known
    for index, row in enumerate(batch):
        problems = [Problem(None, BAD_USER_INPUT, row.problem)] if row.problem else []
        unknown = [name for name in row.cells if name not in known]
        if rules.strict:
            problems += [Problem(name, BAD_USER_INPUT, "is not a column of this format",
                                 {"reason": "unknown"}) for name in unknown]
        else:
            summary.ignored += [name for name in unknown if name not in summary.ignored]
        if not problems:
            draft, problems = file_format.draft(
                {k: v for k, v in row.cells.items() if k in known}, rules.defaults)
        if problems:
            outcomes[index] = Outcome(Status.REJECTED, problems=problems)
        else:
            drafts.append((index, draft))

    async def work(conn: AsyncConnection, touches: Touches) -> list[Outcome]:
        written = await write_batch(conn, file_format.spec, [d for _, d in drafts], actor, today,
                                    touches, details=[{"line": batch[i].line} for i, _ in drafts])
        counts = dict.fromkeys(Status, 0)
        for outcome in [*outcomes.values(), *written]:
            counts[outcome.status] += 1
        await conn.execute(RUNS.update().where(RUNS.c.id == actor.import_run_id).values(
            rows_read=RUNS.c.rows_read + len(batch),
            **{s.value: getattr(RUNS.c, s.value) + n for s, n in counts.items()}))
        return written

    written = await committed(database, after, work)
    for (index, _), outcome in zip(drafts, written, strict=True):
        outcomes[index] = outcome
    summary.read += len(batch)
    for outcome in outcomes.values():
        summary.count(outcome.status)
    return [(row, outcomes[i]) for i, row in enumerate(batch)]


def _described(file_format: FileFormat, problems: list[Problem]) -> str:
    """Problems in the file's own words: its column names, not the draft's fields."""
    parts = []
    for problem in problems:
        where = f"{file_format.column_of(problem.field)}: " if problem.field else ""
        message = problem.text(file_format.column_of)
        if "after" in problem.extra:
            message += f" ({file_format.column_of(problem.extra['after'])})"
        parts.append(f"{where}{message} [{problem.code}]")
    return "; ".join(parts)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


async def _start(database: Database, file_format: FileFormat, path: Path,
                 department: Department, digest: str) -> int:
    async def work(conn: AsyncConnection) -> int:
        result = await conn.execute(RUNS.insert().values(
            record_type=file_format.spec.record_type.value, file_name=path.name[:500],
            file_sha256=digest, department=department, started_at=utcnow()).returning(RUNS.c.id))
        return int(result.scalar_one())

    return await in_transaction(database, work)


async def _finish(database: Database, run_id: int) -> None:
    async def work(conn: AsyncConnection) -> None:
        await conn.execute(RUNS.update().where(RUNS.c.id == run_id).values(finished_at=utcnow()))

    await in_transaction(database, work)
