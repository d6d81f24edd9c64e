"""The write service: validated, idempotent, audited creation of credit records.

Mutations write one record, the importer a batch; both come through ``write_batch`` so a record
passes the same checks and leaves the same audit event either way. For a batch:

1. every draft is checked field by field (``Checker``), collecting all its problems;
2. every subject the batch names is looked up in one statement;
3. the stored records sharing a natural key with the batch are read in one statement; a repeat
   with the same content is *unchanged* (the stored record, untouched) — or *other department*
   when another department reported it — different content is a *conflict*: never an
   overwrite, never a duplicate;
4. the new records go in with ``INSERT … ON CONFLICT (natural key) DO NOTHING RETURNING``:
   a concurrent writer that stored the same key first makes our row vanish rather than fail,
   and the key is re-read and judged like any repeat — two racing writers end with one record;
5. one audit event per inserted record, in the same transaction.

Rows are inserted in natural-key order so concurrent batches take their key locks in the same
order and cannot deadlock each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from resolvers.data import models
from resolvers.data.database import Database
from resolvers.data.models.base import utcnow
from resolvers.domain.enums import SubjectKind
from resolvers.writes import audit, hosting
from resolvers.writes.audit import Actor
from resolvers.writes.checks import Checker
from resolvers.writes.problems import (
    BAD_USER_INPUT,
    CONFLICT,
    FORBIDDEN,
    INVALID_USCC,
    UNKNOWN_SUBJECT,
    Problem,
    WriteRejected,
)
from resolvers.writes.purge import AfterCommit, Touches, committed
from resolvers.writes.records import RecordSpec, Values

LOOKUP_CHUNK = 5_000  # keys per IN list: far below either backend's parameter limit


class Status(StrEnum):
    INSERTED = "inserted"
    UNCHANGED = "unchanged"
    CONFLICTING = "conflicting"
    REJECTED = "rejected"
    OTHER_DEPARTMENT = "other_department"  # a repeat of a record another department reported



@dataclass
class Outcome:
    """What became of one draft: the record it is now (inserted or unchanged), or why not."""

    status: Status
    record_id: int | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class _Known:
    id: int
    kind: SubjectKind
    legacy: bool


def _norm(value: Any) -> Any:
    # one spelling per value whatever the driver hands back (enums, Decimal scale)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _key(spec: RecordSpec[Any], values: Any) -> tuple[Any, ...]:
    return tuple(_norm(values[column]) for column in spec.key)


async def write_batch(conn: AsyncConnection, spec: RecordSpec[Any], drafts: Sequence[Any],
                      actor: Actor, today: date, touches: Touches,
                      details: Sequence[dict[str, Any] | None] | None = None) -> list[Outcome]:
    """Write ``drafts`` of one record type in the caller's transaction; one outcome each. The
    records inserted are added to ``touches`` (purged after the commit)."""
    checked = []
    for draft in drafts:
        checker = Checker(spec.model, today)
        values = spec.check(draft, checker)
        codes = {name: checker.subject_code(name, getattr(draft, name)) for name in spec.refs}
        checked.append((checker, values, codes))
    known = await _subjects(conn, {c.code for _, _, codes in checked
                                   for c in codes.values() if c is not None})
    outcomes: list[Outcome | None] = [None] * len(drafts)
    now = utcnow()
    judged: list[tuple[int, Values, list[Problem]]] = []
    for index, (checker, values, codes) in enumerate(checked):
        problems = checker.problems + _resolve(spec, codes, known, values)
        if not problems and actor.writer is not None:
            problems = spec.guard(values, actor.writer)
        judged.append((index, values, problems))
    hosts = await _hosted(conn, spec, actor, [values for _, values, problems in judged
                                              if not problems])
    ready: list[tuple[int, Values]] = []
    for index, values, problems in judged:
        if not problems and hosts is not None and spec.hosted is not None \
                and values[spec.refs[spec.hosted].column] not in hosts:
            problems = [Problem(spec.hosted, FORBIDDEN, (
                f"the platform does not host this subject: a platform records "
                f"{spec.record_type.value} records only for the subjects it declared as hosted "
                "(平台内经营者, `credit-gateway hosting add`)"))]
        if problems:
            outcomes[index] = Outcome(Status.REJECTED, problems=problems)
            continue
        values["source"] = actor.department
        values["source_code"] = values.get("source_code") or actor.source_code
        values["created_at"] = values["updated_at"] = now
        spec.stamp(values, actor)
        ready.append((index, values))

    stored = await _stored(conn, spec, [_key(spec, v) for _, v in ready])
    fresh: dict[tuple[Any, ...], tuple[int, Values]] = {}
    repeats: list[tuple[int, Values]] = []  # the same key twice in one batch
    for index, values in ready:
        key = _key(spec, values)
        if key in stored:
            outcomes[index] = _judge(spec, values, stored[key])
        elif key in fresh:
            repeats.append((index, values))
        else:
            fresh[key] = (index, values)

    ids = await _insert(conn, spec, fresh)
    lost = [key for key in fresh if key not in ids]
    raced = await _stored(conn, spec, lost) if lost else {}
    events = []
    for key, (index, values) in fresh.items():
        if key in ids:
            outcomes[index] = Outcome(Status.INSERTED, ids[key])
            events.append(audit.event(
                actor, subject_id=values[spec.subject], record_type=spec.record_type,
                record_id=ids[key], action=spec.action, at=now,
                detail=details[index] if details else None))
        else:  # a concurrent writer stored this key between our read and our insert
            outcomes[index] = _judge(spec, values, raced[key])
    for index, values in repeats:
        key = _key(spec, values)
        if key in ids:  # judged against the batch's first row with this key, now stored
            outcomes[index] = _judge(spec, values, {**fresh[key][1], "id": ids[key]})
        else:
            outcomes[index] = _judge(spec, values, raced[key])
    if events:
        await conn.execute(audit.AUDIT_TABLE.insert(), events)
    touches.add(spec.record_type, [{**values, "id": ids[key]}
                                   for key, (_, values) in fresh.items() if key in ids])
    return [outcome for outcome in outcomes if outcome is not None]


async def write_one(database: Database, spec: RecordSpec[Any], draft: Any, actor: Actor,
                    today: date, after: AfterCommit) -> int:
    """Write one record in a transaction of its own, purged after the commit (``after``); its
    id (new or unchanged), or ``WriteRejected`` with every problem (nothing written)."""

    async def attempt(conn: AsyncConnection, touches: Touches) -> int:
        (outcome,) = await write_batch(conn, spec, [draft], actor, today, touches)
        if outcome.status in (Status.REJECTED, Status.CONFLICTING):
            raise WriteRejected(outcome.problems)
        # OTHER_DEPARTMENT: the record exists as asked; a mutation answers it, as when unchanged
        assert outcome.record_id is not None
        return outcome.record_id

    return await committed(database, after, attempt)


async def _hosted(conn: AsyncConnection, spec: RecordSpec[Any], actor: Actor,
                  accepted: Sequence[Values]) -> set[int] | None:
    """The subjects among ``accepted`` drafts that the writing platform hosts; ``None`` when
    hosting does not limit this write (not a platform's key, or a record type without the
    rule)."""
    writer = actor.writer
    if spec.hosted is None or writer is None or writer.platform_id is None:
        return None
    column = spec.refs[spec.hosted].column
    return await hosting.hosted_among(conn, writer.platform_id,
                                      (values[column] for values in accepted))


def _resolve(spec: RecordSpec[Any], codes: dict[str, Any], known: dict[str, _Known],
             values: Values) -> list[Problem]:
    """Subject USCCs to row ids, with what is wrong about each."""
    problems = []
    for name, code in codes.items():
        if code is None:
            continue
        ref, subject = spec.refs[name], known.get(code.code)
        if not code.check_ok and (subject is None or not subject.legacy):
            # a failed check character is a typing error unless it names a subject stored
            # as a flagged pilot-region code (usccLegacy)
            problems.append(Problem(name, INVALID_USCC,
                                    f"USCC {code.code} fails its check character "
                                    f"(expected {code.expected_check!r})",
                                    {"reason": "check",
                                     "expectedCheckCharacter": code.expected_check}))
        elif subject is None:
            problems.append(Problem(name, UNKNOWN_SUBJECT, f"no subject has USCC {code.code}"))
        elif ref.kind is not None and subject.kind is not ref.kind:
            problems.append(Problem(name, BAD_USER_INPUT,
                                    f"{code.code} is a {subject.kind.value}, not a {ref.kind.value}",
                                    {"reason": "kind"}))
        else:
            values[ref.column] = subject.id
    return problems


def _judge(spec: RecordSpec[Any], values: Values, stored: Any) -> Outcome:
    """A repeat of a stored key: unchanged when its content matches and the same department
    reported it, a record of another department when only the department differs, else a
    conflict."""
    record_id = int(stored["id"])
    differing = [column for column, value in spec.content(values).items()
                 if _norm(value) != _norm(stored[column])]
    if not differing and _norm(values["source"]) != _norm(stored["source"]):
        # the same record, reported by another department: neither theirs to repeat nor
        # "unchanged" for this one — reported, so a department sees whose record it repeats
        source = _norm(stored["source"])
        return Outcome(Status.OTHER_DEPARTMENT, record_id, [Problem(
            None, CONFLICT,
            f"this {spec.record_type.value} is stored as reported by {source}; it was not "
            "changed",
            {"recordId": record_id, "reason": "department", "storedSource": source})])
    if not differing:
        return Outcome(Status.UNCHANGED, record_id)
    fields = sorted({spec.field_of(column) for column in differing})
    # {key} and {fields}: named in the writer's words (input fields, or a file's columns)
    return Outcome(Status.CONFLICTING, record_id, [Problem(
        None, CONFLICT,
        f"a {spec.record_type.value} with the same {{key}} is stored with a different "
        "{fields}; it was not changed",
        {"recordId": record_id, "fields": fields,
         "key": [spec.field_of(column) for column in spec.key]})])


async def _subjects(conn: AsyncConnection, codes: set[str]) -> dict[str, _Known]:
    table = models.Subject.__table__  # type: ignore[attr-defined]
    found: dict[str, _Known] = {}
    for chunk in _chunks(sorted(codes)):
        rows = await conn.execute(sa.select(table.c.uscc, table.c.id, table.c.kind,
                                            table.c.uscc_legacy).where(table.c.uscc.in_(chunk)))
        found.update({row.uscc: _Known(row.id, SubjectKind(row.kind), bool(row.uscc_legacy))
                      for row in rows})
    return found


async def _stored(conn: AsyncConnection, spec: RecordSpec[Any],
                  keys: Sequence[tuple[Any, ...]]) -> dict[tuple[Any, ...], Any]:
    """Stored rows (as mappings) whose natural key is among ``keys``: one row-value IN
    (``(authority_code, decision_number) IN (…)``), an exact probe of the unique index per key
    on both backends."""
    table = spec.model.__table__  # type: ignore[attr-defined]
    wanted = set(keys)
    found: dict[tuple[Any, ...], Any] = {}
    columns = sa.tuple_(*(table.c[column] for column in spec.key))
    for chunk in _chunks(sorted(wanted, key=repr)):
        for row in await conn.execute(sa.select(table).where(columns.in_(chunk))):
            key = _key(spec, row._mapping)
            if key in wanted:
                found[key] = row._mapping
    return found


async def _insert(conn: AsyncConnection, spec: RecordSpec[Any],
                  fresh: dict[tuple[Any, ...], tuple[int, Values]]) -> dict[tuple[Any, ...], int]:
    """Insert, skipping keys someone else stored meanwhile; the ids of the rows we stored."""
    if not fresh:
        return {}
    table = spec.model.__table__  # type: ignore[attr-defined]
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = (dialect.insert(table)
                 .on_conflict_do_nothing(index_elements=[table.c[c] for c in spec.key])
                 .returning(table.c.id, *(table.c[c] for c in spec.key)))
    rows = [values for _, (_, values) in sorted(fresh.items(), key=lambda item: repr(item[0]))]
    result = await conn.execute(statement, rows)
    return {_key(spec, row._mapping): int(row.id) for row in result}


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), LOOKUP_CHUNK):
        yield items[start:start + LOOKUP_CHUNK]
