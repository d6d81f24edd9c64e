"""刷单炒信嫌疑, stored: the brushing signals of the whole rating and parcel graph, computed by a
job (``credit-gateway brushing refresh``) and read by ``brushingSuspects`` and the list rules.

A run is published whole: its suspects and their evidence are written in the transaction that
marks it finished, so a reader sees all of a run or none of it (docs/AUDIT.md, "Brushing
signals, kept by a job")."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from resolvers.data.models.base import aware_datetime, enum_type, utcnow
from resolvers.domain.brushing import BrushingSignal


class BrushingRun(SQLModel, table=True):
    """炒信信号计算批次 — one computation of the brushing signals. ``id`` is taken when the run
    starts, before it reads the facts, so a higher id read fresher facts: the current run is
    the finished one with the highest id, whatever order runs finish in."""

    __tablename__ = "brushing_run"

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(default_factory=utcnow, sa_type=aware_datetime())
    finished_at: datetime | None = Field(default=None, sa_type=aware_datetime())
    computed_on: date  # the Beijing day the run judged for
    window_start: date | None = None  # ratings considered: window_start … window_end
    window_end: date | None = None  # the latest rating on or before computed_on
    ratings: int = 0  # ratings in the window
    suspects: int = 0


class BrushingSuspectRow(SQLModel, table=True):
    """刷单炒信嫌疑主体 — a subject with at least one signal in a run, and its rank."""

    __tablename__ = "brushing_suspect"
    __table_args__ = (
        # the ranking, read page by page
        sa.Index("ix_brushing_suspect_rank", "run_id", "position"),
    )

    run_id: int = Field(foreign_key="brushing_run.id", primary_key=True)
    subject_id: int = Field(foreign_key="subject.id", primary_key=True)
    position: int  # 1 = the highest score (ties by subject id)
    score: float


class BrushingEvidenceRow(SQLModel, table=True):
    """证据 — one signal of one suspect in a run, with the facts behind it (``partners`` and
    ``rating_ids``: row ids, space-separated). ``seq`` orders a suspect's signals as computed:
    a subject may have several of one kind (a rater in one ring, a ratee in another)."""

    __tablename__ = "brushing_evidence"
    __table_args__ = (
        # the signals filter: a run's suspects with a signal
        sa.Index("ix_brushing_evidence_signal", "run_id", "signal", "subject_id"),
    )

    run_id: int = Field(foreign_key="brushing_run.id", primary_key=True)
    subject_id: int = Field(foreign_key="subject.id", primary_key=True)
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    signal: BrushingSignal = Field(sa_type=enum_type(BrushingSignal))
    strength: float
    ring: int | None = None
    partners: str = Field(default="", sa_type=sa.Text)
    ratings: int = 0
    repeated_comments: int = 0
    first_on: date | None = None
    last_on: date | None = None
    parcels: int = Field(default=0, sa_type=sa.BigInteger())
    empty_parcels: int = Field(default=0, sa_type=sa.BigInteger())
    rating_ids: str = Field(default="", sa_type=sa.Text)
