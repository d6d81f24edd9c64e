"""信用档案记录: who wrote what to a subject's credit file, in the same transaction as the write.

A write is made either by a writer with an API key or by an import run; the audit event names
exactly one of them (the table's check constraint insists), with the department the record
came from (数据来源单位).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.data import models
from resolvers.domain.actors import WriterIdentity
from resolvers.domain.enums import AuditAction, Department
from resolvers.domain.ownership import RecordType


@dataclass(frozen=True)
class Actor:
    """On whose behalf a write is made."""

    department: Department
    source_code: str | None = None
    writer: WriterIdentity | None = None
    import_run_id: int | None = None

    @classmethod
    def of_writer(cls, writer: WriterIdentity) -> Actor:
        return cls(writer.department, writer.code, writer=writer)

    @classmethod
    def of_import(cls, run_id: int, department: Department) -> Actor:
        return cls(department, import_run_id=run_id)


def event(actor: Actor, *, subject_id: int, record_type: RecordType, record_id: int,
          action: AuditAction, at: datetime, detail: dict[str, Any] | None = None
          ) -> dict[str, Any]:
    """The ``audit_event`` row of one write, as column values."""
    return {
        "subject_id": subject_id,
        "record_type": record_type.value,
        "record_id": record_id,
        "action": action.value,
        "source": actor.department,
        "writer_id": actor.writer.id if actor.writer else None,
        "import_run_id": actor.import_run_id,
        "at": at,
        "detail": json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
    }


AUDIT_TABLE = models.AuditEvent.__table__  # type: ignore[attr-defined]
