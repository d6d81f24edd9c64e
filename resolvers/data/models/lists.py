"""红名单 / 黑名单 entries with their reason, measures and validity."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from resolvers.data.models.base import Record, enum_type
from resolvers.domain.enums import ListKind


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
