"""Conduct in trade: ratings (信用评价), commitments (信用承诺) and complaints (投诉举报)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from resolvers.data.models.base import Record, enum_type, long_text
from resolvers.domain.enums import (
    CommitmentKind,
    CommitmentStatus,
    ComplaintChannel,
    ComplaintStatus,
)


class Rating(Record, table=True):
    """信用评价 — one trading party's rating of another after an order, with its follow-up review."""

    __tablename__ = "rating"
    __table_args__ = (
        sa.UniqueConstraint("platform_id", "order_reference", "rater_id"),
        sa.Index("ix_rating_ratee_order", "ratee_id", "rated_on", "id"),
        sa.Index("ix_rating_rater_order", "rater_id", "rated_on", "id"),  # ratings given
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    platform_id: int = Field(foreign_key="subject.id")
    rater_id: int = Field(foreign_key="subject.id")
    ratee_id: int = Field(foreign_key="subject.id")
    order_reference: str = Field(max_length=64)
    score: int
    comment: str | None = Field(default=None, max_length=1000)
    follow_up: str | None = Field(default=None, max_length=1000)  # 追评
    follow_up_on: date | None = None
    rated_on: date


class Commitment(Record, table=True):
    """信用承诺 — a subject's public pledge, with whether it was kept."""

    __tablename__ = "commitment"
    __table_args__ = (
        sa.UniqueConstraint("subject_id", "kind", "committed_on"),
        sa.Index("ix_commitment_subject_order", "subject_id", "committed_on", "id"),
    )

    subject_id: int = Field(foreign_key="subject.id")
    kind: CommitmentKind = Field(sa_type=enum_type(CommitmentKind))
    text: str = Field(sa_type=sa.Text, sa_column_kwargs=long_text())
    committed_on: date
    status: CommitmentStatus = Field(sa_type=enum_type(CommitmentStatus))
    status_on: date | None = None


class Complaint(Record, table=True):
    """投诉举报 — a complaint about a subject through a government hotline or a platform.

    A ticket number is unique within its channel, and a platform's channel is the platform's
    own: ``platform_code`` is the USCC of the platform that filed a PLATFORM complaint, empty for
    the government channels (whose ticket numbers are national), so two platforms' tickets
    never collide."""

    __tablename__ = "complaint"
    __table_args__ = (
        sa.UniqueConstraint("channel", "platform_code", "reference"),
        sa.Index("ix_complaint_subject_order", "subject_id", "filed_on", "id"),
        sa.Index("ix_complaint_filed_order", "filed_on", "id"),  # migration 0012
    )

    subject_id: int = Field(foreign_key="subject.id")
    channel: ComplaintChannel = Field(sa_type=enum_type(ComplaintChannel))
    platform_code: str = Field(default="", max_length=18)
    reference: str = Field(max_length=64)  # ticket number in the channel
    summary: str = Field(max_length=1000)
    filed_on: date
    status: ComplaintStatus = Field(sa_type=enum_type(ComplaintStatus))
    resolved_on: date | None = None
    resolution: str | None = Field(default=None, max_length=1000)
