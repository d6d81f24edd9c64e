"""Who writes the credit graph and what they wrote: API-key writers, import runs, audit events."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from resolvers.data.models.base import aware_datetime, enum_type, utcnow
from resolvers.domain.enums import Department, Role


class Writer(SQLModel, table=True):
    """数据报送单位 — a department or platform holding an API key. Only a hash of the key is
    stored; ``key_prefix`` finds the row, the hash proves the key.

    ``role`` (查询角色) is PLATFORM, REGULATOR or AUDITOR; NULL means the department's default
    (``resolvers.domain.actors.default_role``). ``allowed_origins`` lists the web origins
    (``scheme://host[:port]``, normalised, space-separated) whose pages may use the key (CORS);
    NULL means none. ``code`` is the writer's own USCC: for a department the authority (决定机关)
    whose decisions it publishes; ``speaks_for`` names subordinate authorities it may also
    publish for (``keys create --speaks-for``)."""

    __tablename__ = "writer"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    department: Department = Field(sa_type=enum_type(Department))
    code: str | None = Field(default=None, max_length=18)  # the writer's own USCC
    platform_id: int | None = Field(default=None, foreign_key="subject.id")
    key_prefix: str = Field(max_length=16, sa_column_kwargs={"unique": True}, nullable=False)
    key_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=aware_datetime())
    revoked_at: datetime | None = Field(default=None, sa_type=aware_datetime())
    role: Role | None = Field(default=None, sa_type=enum_type(Role))
    allowed_origins: str | None = Field(default=None, sa_type=sa.Text)
    # USCCs of subordinate authorities the key also publishes for (space-separated; NULL = none)
    speaks_for: str | None = Field(default=None, sa_type=sa.Text)

    @property
    def origins(self) -> tuple[str, ...]:
        return tuple(self.allowed_origins.split()) if self.allowed_origins else ()

    @property
    def subordinates(self) -> tuple[str, ...]:
        return tuple(self.speaks_for.split()) if self.speaks_for else ()


class ImportRun(SQLModel, table=True):
    """One ``credit-gateway import`` of a department's file, with its outcome."""

    __tablename__ = "import_run"

    id: int | None = Field(default=None, primary_key=True)
    record_type: str = Field(max_length=32)
    file_name: str = Field(max_length=500)
    file_sha256: str = Field(max_length=64)
    department: Department = Field(sa_type=enum_type(Department))
    started_at: datetime = Field(default_factory=utcnow, sa_type=aware_datetime())
    finished_at: datetime | None = Field(default=None, sa_type=aware_datetime())
    rows_read: int = 0
    inserted: int = 0
    unchanged: int = 0
    conflicting: int = 0
    rejected: int = 0
    # rows repeating a record another department reported (not written, not "unchanged")
    other_department: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class AuditEvent(SQLModel, table=True):
    """信用档案记录 — one write to the credit file of a subject: what, by whom, from which
    department, and when. Written in the same transaction as the record it describes."""

    __tablename__ = "audit_event"
    __table_args__ = (
        sa.Index("ix_audit_event_subject_order", "subject_id", "at", "id"),
        sa.CheckConstraint("(writer_id IS NULL) <> (import_run_id IS NULL)", name="one_actor"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subject_id: int = Field(foreign_key="subject.id")
    record_type: str = Field(max_length=32)
    record_id: int
    action: str = Field(max_length=32)
    source: Department = Field(sa_type=enum_type(Department))
    writer_id: int | None = Field(default=None, foreign_key="writer.id")
    import_run_id: int | None = Field(default=None, foreign_key="import_run.id")
    at: datetime = Field(default_factory=utcnow, sa_type=aware_datetime())
    detail: str | None = Field(default=None, sa_type=sa.Text)


class AccessLog(SQLModel, table=True):
    """个人信息查询记录 — one request's read of a subject's unmasked personal data by an
    auditor (or regulator): who (the key's writer and role), what (the subject and the personal
    fields read), when, and which query (operation name and the document's SHA-256). A request
    writes its rows in one batched insert."""

    __tablename__ = "access_log"
    __table_args__ = (
        sa.Index("ix_access_log_writer_order", "writer_id", "id"),
        sa.Index("ix_access_log_subject_order", "subject_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=aware_datetime())
    writer_id: int = Field(foreign_key="writer.id")
    role: Role = Field(sa_type=enum_type(Role))
    subject_id: int = Field(foreign_key="subject.id")
    fields: str = Field(max_length=500)  # the personal fields read, comma-separated, sorted
    operation_name: str | None = Field(default=None, max_length=200)
    document_hash: str = Field(max_length=64)  # SHA-256 of the query document, hex


class HostedSubject(SQLModel, table=True):
    """平台内经营者 — a subject a platform hosts (trades on it), as the platform declared it
    (电子商务法 第二十八条: a platform reports its merchants' identities to market regulation);
    recorded with ``credit-gateway hosting add``. A platform's key records commitments only for
    the subjects it hosts."""

    __tablename__ = "hosted_subject"
    __table_args__ = (
        sa.UniqueConstraint("platform_id", "subject_id"),
        sa.Index("ix_hosted_subject_subject_id", "subject_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="subject.id")
    subject_id: int = Field(foreign_key="subject.id")
    declared_at: datetime = Field(default_factory=utcnow, sa_type=aware_datetime())
