"""市场主体 — the subject every record hangs off, keyed by its USCC."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from resolvers.data.models.base import Record, enum_type
from resolvers.domain.enums import IdType, SubjectCategory, SubjectKind, SubjectStatus


class Subject(Record, table=True):
    """市场主体: platform, merchant, individual seller, logistics firm or service provider."""

    __tablename__ = "subject"
    __table_args__ = (
        sa.Index("ix_subject_kind_id", "kind", "id"),
        sa.Index("ix_subject_region_code", "region_code"),
        sa.Index("ix_subject_verified_id", "verified", "id"),
        # the auditor's look-ups and ties (resolvers/domain/relations.py, migration 0011)
        sa.Index("ix_subject_legal_rep_name", "legal_rep_name"),
        sa.Index("ix_subject_legal_rep_id_number", "legal_rep_id_number"),
        sa.Index("ix_subject_phone_key", "phone_key"),
        sa.Index("ix_subject_address_key", "address_key"),
        # the sorted and filtered lists of dashboards (migration 0012; the name order,
        # an expression index, is in the migration only: migrations.SORT_INDEXES)
        sa.Index("ix_subject_registered_order", "registered_on", "id"),
        sa.Index("ix_subject_status_id", "status", "id"),
    )

    uscc: str = Field(max_length=18, sa_column_kwargs={"unique": True}, nullable=False)
    uscc_legacy: bool = Field(default=False)
    name: str = Field(max_length=200)
    kind: SubjectKind = Field(sa_type=enum_type(SubjectKind))
    category: SubjectCategory = Field(sa_type=enum_type(SubjectCategory))
    region_code: str = Field(max_length=6)
    registered_on: date
    status: SubjectStatus = Field(sa_type=enum_type(SubjectStatus))
    legal_rep_name: str = Field(max_length=100)
    legal_rep_id_type: IdType = Field(sa_type=enum_type(IdType))
    legal_rep_id_number: str = Field(max_length=32)
    address: str = Field(max_length=300)
    phone: str = Field(max_length=32)
    verified: bool = Field(default=False)
    verified_on: date | None = None
    verification_mark: str | None = Field(default=None, max_length=64)
    # normal forms the look-ups match on (relations.phone_key / address_key); NULL: not indexed
    phone_key: str | None = Field(default=None, max_length=32)
    address_key: str | None = Field(default=None, max_length=300)


class SubjectCount(SQLModel, table=True):
    """主体数量汇总 — how many subjects share a division, kind, status, category and
    verification: the summary ``stats.subjects`` reads instead of scanning every subject.
    Kept by triggers on ``subject`` (migration 0012), the only table it summarises; subject
    rows are written by seeding and SQL, never by the record writes."""

    __tablename__ = "subject_count"

    region_code: str = Field(max_length=6, primary_key=True)
    kind: SubjectKind = Field(sa_type=enum_type(SubjectKind), primary_key=True)
    status: SubjectStatus = Field(sa_type=enum_type(SubjectStatus), primary_key=True)
    category: SubjectCategory = Field(sa_type=enum_type(SubjectCategory), primary_key=True)
    verified: bool = Field(primary_key=True)
    subjects: int
