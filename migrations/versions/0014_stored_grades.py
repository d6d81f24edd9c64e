"""Stored public credit grades (公示信用等级): ``subject_grade``, filled from every subject.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

One row per subject: the grade PUBLIC and PLATFORM callers are shown (class, score) and the
Beijing day it was graded for (``as_of``), so ``stats`` counts subjects by grade and
``subjects`` filters and sorts by it (docs/CREDIT_GRADE.md, "The stored grade"). The backfill
grades every subject in chunks of 500 with the application's own statement and rules
(``resolvers.data.queries.grade_store.backfill``: ``grading.statement`` and ``grade_of``), on
the migration's day. ``(grade, subject_id)`` serves the grade order both ways, the grade filter
and the counts; ``as_of`` the refresh job's oldest day.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from resolvers.data.queries import grade_store
from resolvers.domain import clock

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "subject_grade",
        sa.Column("subject_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("grade", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["subject_id"], ["subject.id"], ondelete="CASCADE",
                                name=op.f("fk_subject_grade_subject_id_subject")),
        sa.PrimaryKeyConstraint("subject_id", name=op.f("pk_subject_grade")),
    )
    op.create_index("ix_subject_grade_order", "subject_grade", ["grade", "subject_id"])
    op.create_index("ix_subject_grade_as_of", "subject_grade", ["as_of"])
    grade_store.backfill(op.get_bind(), clock.today())


def downgrade() -> None:
    op.drop_index("ix_subject_grade_as_of", table_name="subject_grade")
    op.drop_index("ix_subject_grade_order", table_name="subject_grade")
    op.drop_table("subject_grade")
