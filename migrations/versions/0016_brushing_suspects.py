"""Brushing signals kept by a job (刷单炒信嫌疑): ``brushing_run``, ``brushing_suspect``,
``brushing_evidence``.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04

``brushingSuspects`` used to compute the signals of the whole rating and parcel graph per
request (FRAUDAR over the half-year's ratings: 4.5 s at 10,000 subjects, 361 s at a million).
``credit-gateway brushing refresh`` now computes them and publishes a run: its suspects, ranked,
and each signal's evidence, written in the transaction that marks the run finished; requests
read the current run (docs/AUDIT.md, "Brushing signals, kept by a job"). Empty until the job
(or a seed) first runs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "brushing_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("computed_on", sa.Date(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=True),
        sa.Column("window_end", sa.Date(), nullable=True),
        sa.Column("ratings", sa.Integer(), nullable=False),
        sa.Column("suspects", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_brushing_run")),
    )
    op.create_table(
        "brushing_suspect",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["brushing_run.id"],
                                name=op.f("fk_brushing_suspect_run_id_brushing_run")),
        sa.ForeignKeyConstraint(["subject_id"], ["subject.id"],
                                name=op.f("fk_brushing_suspect_subject_id_subject")),
        sa.PrimaryKeyConstraint("run_id", "subject_id", name=op.f("pk_brushing_suspect")),
    )
    op.create_index("ix_brushing_suspect_rank", "brushing_suspect", ["run_id", "position"])
    op.create_table(
        "brushing_evidence",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("signal", sa.String(length=32), nullable=False),
        sa.Column("strength", sa.Float(), nullable=False),
        sa.Column("ring", sa.Integer(), nullable=True),
        sa.Column("partners", sa.Text(), nullable=False),
        sa.Column("ratings", sa.Integer(), nullable=False),
        sa.Column("repeated_comments", sa.Integer(), nullable=False),
        sa.Column("first_on", sa.Date(), nullable=True),
        sa.Column("last_on", sa.Date(), nullable=True),
        sa.Column("parcels", sa.BigInteger(), nullable=False),
        sa.Column("empty_parcels", sa.BigInteger(), nullable=False),
        sa.Column("rating_ids", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["brushing_run.id"],
                                name=op.f("fk_brushing_evidence_run_id_brushing_run")),
        sa.ForeignKeyConstraint(["subject_id"], ["subject.id"],
                                name=op.f("fk_brushing_evidence_subject_id_subject")),
        sa.PrimaryKeyConstraint("run_id", "subject_id", "seq",
                                name=op.f("pk_brushing_evidence")),
    )
    op.create_index("ix_brushing_evidence_signal", "brushing_evidence",
                    ["run_id", "signal", "subject_id"])


def downgrade() -> None:
    op.drop_index("ix_brushing_evidence_signal", table_name="brushing_evidence")
    op.drop_table("brushing_evidence")
    op.drop_index("ix_brushing_suspect_rank", table_name="brushing_suspect")
    op.drop_table("brushing_suspect")
    op.drop_table("brushing_run")
