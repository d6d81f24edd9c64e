"""Candidates of the red and black lists, proposed by the list rules and reviewed by an authority.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-03

``list_candidate`` holds what ``credit-gateway lists propose`` found (docs/CREDIT_LISTS.md): the
subject, the list, the rule, its evidence (global references of the records) and their digest
— ``(subject_id, rule, evidence_key)`` is unique, so the same rule on the same records is
proposed once — and the review: status, reviewer, reason and the list entry an approval wrote.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "list_candidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("list_kind", sa.String(length=32), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("evidence_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("computed_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("review_reason", sa.String(length=1000), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["subject_id"], ["subject.id"],
                                name=op.f("fk_list_candidate_subject_id_subject")),
        sa.ForeignKeyConstraint(["reviewer_id"], ["writer.id"],
                                name=op.f("fk_list_candidate_reviewer_id_writer")),
        sa.ForeignKeyConstraint(["entry_id"], ["list_entry.id"],
                                name=op.f("fk_list_candidate_entry_id_list_entry")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_candidate")),
    )
    op.create_index("ix_list_candidate_natural_key", "list_candidate",
                    ["subject_id", "rule", "evidence_key"], unique=True)
    op.create_index("ix_list_candidate_status_kind", "list_candidate",
                    ["status", "list_kind", "id"])


def downgrade() -> None:
    op.drop_index("ix_list_candidate_status_kind", table_name="list_candidate")
    op.drop_index("ix_list_candidate_natural_key", table_name="list_candidate")
    op.drop_table("list_candidate")
