"""红名单 / 黑名单 entries with their reason, measures and validity, and the candidates the list
rules propose for review."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from resolvers.data.models.base import Record, aware_datetime, enum_type, utcnow
from resolvers.domain.enums import CandidateStatus, ListKind


class ListEntry(Record, table=True):
    """红黑名单条目 — a red (守信激励) or black (失信惩戒) list entry."""

    __tablename__ = "list_entry"
    __table_args__ = (
        sa.Index("ix_list_entry_subject_order", "subject_id", "valid_from", "id"),
        sa.Index("ix_list_entry_kind_subject", "list_kind", "subject_id"),
        sa.Index("ix_list_entry_valid_from_order", "valid_from", "id"),  # migration 0012
        sa.Index("ix_list_entry_kind_valid_from", "list_kind", "valid_from"),
        # the natural key: writes are idempotent on it (migration 0005)
        sa.Index("ix_list_entry_natural_key", "subject_id", "list_kind", "authority_code",
                 "valid_from", unique=True),
    )

    subject_id: int = Field(foreign_key="subject.id")
    list_kind: ListKind = Field(sa_type=enum_type(ListKind))
    reason: str = Field(max_length=1000)
    measures: str | None = Field(default=None, max_length=1000)
    authority: str = Field(max_length=200)
    authority_code: str = Field(max_length=18)
    valid_from: date
    valid_to: date | None = None
    lifted_on: date | None = None
    lift_reason: str | None = Field(default=None, max_length=1000)


class ListCandidate(SQLModel, table=True):
    """名单认定候选 — a red or black list entry a rule proposes (``credit-gateway lists propose``)
    and an authority approves or rejects (``reviewListCandidate``); an approval writes the
    ``ListEntry`` (``entry_id``).

    ``evidence`` holds the global references of the records behind it (``Penalty:17``,
    space-separated); ``evidence_key`` is their digest, so the same rule on the same records is
    proposed once — a rejection stands until new records change the evidence."""

    __tablename__ = "list_candidate"
    __table_args__ = (
        sa.Index("ix_list_candidate_natural_key", "subject_id", "rule", "evidence_key",
                 unique=True),
        sa.Index("ix_list_candidate_status_kind", "status", "list_kind", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subject_id: int = Field(foreign_key="subject.id")
    list_kind: ListKind = Field(sa_type=enum_type(ListKind))
    rule: str = Field(max_length=40)
    summary: str = Field(max_length=500)
    evidence: str = Field(sa_type=sa.Text)
    evidence_key: str = Field(max_length=64)
    status: CandidateStatus = Field(sa_type=enum_type(CandidateStatus))
    computed_on: date
    created_at: datetime = Field(default_factory=utcnow, sa_type=aware_datetime())
    reviewed_at: datetime | None = Field(default=None, sa_type=aware_datetime())
    reviewer_id: int | None = Field(default=None, foreign_key="writer.id")
    review_reason: str | None = Field(default=None, max_length=1000)
    entry_id: int | None = Field(default=None, foreign_key="list_entry.id")
