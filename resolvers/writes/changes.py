"""Later steps in a record's life: a licence revoked, a rating followed up, a commitment kept
or breached, a complaint resolved, a list entry lifted, a penalty's publicity ended by credit
repair (信用修复).

Each change starts from one state (a VALID licence, an ACTIVE commitment …) and is written with
``UPDATE … WHERE id = :id AND <still in that state>``, so of two racing writers exactly one
changes the record; the other — like anyone repeating a change — finds the record already in
the state it asked for (unchanged) or in another one (CONFLICT). Only the department that
supplied a record changes it — a decision only its authority's keys (``keys create --code``,
``--speaks-for``) — and a platform only its own.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

from resolvers.data.database import Database
from resolvers.data.models.base import utcnow
from resolvers.domain.actors import WriterIdentity
from resolvers.domain.enums import AuditAction, Department
from resolvers.domain.ownership import RecordType
from resolvers.writes import audit
from resolvers.writes.audit import Actor
from resolvers.writes.checks import Checker
from resolvers.writes.problems import CONFLICT, FORBIDDEN, NOT_FOUND, Problem, WriteRejected
from resolvers.writes.purge import AfterCommit, Touches, committed
from resolvers.writes.records.base import foreign_authority

Check = Callable[[Any, Checker], None]


@dataclass(frozen=True)
class Change:
    """One lifecycle step: the columns it sets, the SQL condition of the state it starts from,
    which of the set columns a repeat must match, and the checks against the stored record."""

    record_type: RecordType
    model: type[SQLModel]
    action: AuditAction
    subject: str
    starts_from: Callable[[sa.Table], sa.ColumnElement[bool]]
    values: dict[str, Any]
    compared: tuple[str, ...]
    check: Check = lambda _row, _checker: None


async def apply(database: Database, writer: WriterIdentity, today: date, change: Change,
                record_id: int, after: AfterCommit) -> int:
    """Apply ``change`` to the record ``record_id``; its id, or ``WriteRejected``.

    After the commit (``after``, ``resolvers.writes.purge``) the record's entity-cache entry
    is deleted — that one key only: a change touches no other row (a subject's standing is
    computed from its records, never cached) — and the tags of the record, of the subjects it
    names and of its type's lists are bumped, so no cached response shows the old state."""
    table: sa.Table = change.model.__table__  # type: ignore[attr-defined]
    actor = Actor.of_writer(writer)

    async def attempt(conn: AsyncConnection, touches: Touches) -> int:
        row = await _row(conn, table, record_id)
        if row is None:
            raise WriteRejected([Problem("id", NOT_FOUND,
                                         f"no {change.record_type.value} has this id")])
        _authorise(change, row, writer)
        checker = Checker(change.model, today)
        change.check(row, checker)
        if checker.problems:
            raise WriteRejected(checker.problems)
        now = utcnow()
        updated = await conn.execute(
            table.update()
            .where(table.c.id == record_id, change.starts_from(table))
            .values(**change.values, updated_at=now))
        if updated.rowcount == 1:
            touches.add(change.record_type, [row], existing=True)
            await conn.execute(audit.AUDIT_TABLE.insert(), [audit.event(
                actor, subject_id=row[change.subject], record_type=change.record_type,
                record_id=record_id, action=change.action, at=now,
                detail=json.loads(json.dumps(change.values, default=str)))])
            return record_id
        # not in the starting state (any more): a repeat of this change, or a conflict
        current = await _row(conn, table, record_id)
        assert current is not None
        differing = [c for c in change.compared if current[c] != change.values[c]]
        if differing:
            raise WriteRejected([Problem(None, CONFLICT, (
                f"the {change.record_type.value} was already changed: "
                + ", ".join(f"{c} is {_shown(current[c])}" for c in differing)),
                {"recordId": record_id, "fields": differing})])
        return record_id

    return await committed(database, after, attempt)


async def _row(conn: AsyncConnection, table: sa.Table, record_id: int) -> Any:
    found = (await conn.execute(sa.select(table).where(table.c.id == record_id))).first()
    return None if found is None else found._mapping


def _authorise(change: Change, row: Any, writer: WriterIdentity) -> None:
    """The supplying department changes its records; a decision (revocation, credit repair,
    lifting) only its authority's keys; a platform only its own records."""
    if row["source"] != writer.department:
        raise WriteRejected([Problem(None, FORBIDDEN, (
            f"this {change.record_type.value} was supplied by {_shown(row['source'])}; only "
            "that department changes it"))])
    if "authority_code" in row:
        problem = foreign_authority(row["authority_code"], writer, None)
        if problem is not None:
            raise WriteRejected([problem])
    if writer.department is Department.PLATFORM:
        own = (row["platform_id"] == writer.platform_id if "platform_id" in row
               else row["source_code"] == writer.code)
        if not own:
            raise WriteRejected([Problem(None, FORBIDDEN, (
                f"this {change.record_type.value} belongs to another platform"))])


def _shown(value: Any) -> str:
    return str(getattr(value, "value", value))

