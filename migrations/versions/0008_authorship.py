"""Writes scoped to their author: a key's subordinate authorities, the subjects a platform hosts,
and complaint tickets scoped by platform.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

``writer.speaks_for`` lists the USCCs (space-separated; NULL = none) of subordinate authorities
(下级机关) whose decisions a department's key may publish and change besides its own ``code``
(``keys create --speaks-for``). ``hosted_subject`` records which subjects a platform hosts
(平台内经营者, ``credit-gateway hosting add``); a platform's key records commitments only for
them. ``complaint.platform_code`` is the USCC of the platform whose channel took a PLATFORM
complaint ('' for the government channels) and joins the complaint's natural key, so two
platforms' ticket numbers never collide; complaints a platform filed before are backfilled from
their source code.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("writer") as batch:
        batch.add_column(sa.Column("speaks_for", sa.Text(), nullable=True))
    op.create_table(
        "hosted_subject",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["platform_id"], ["subject.id"],
                                name=op.f("fk_hosted_subject_platform_id_subject")),
        sa.ForeignKeyConstraint(["subject_id"], ["subject.id"],
                                name=op.f("fk_hosted_subject_subject_id_subject")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hosted_subject")),
        sa.UniqueConstraint("platform_id", "subject_id",
                            name=op.f("uq_hosted_subject_platform_id_subject_id")),
    )
    op.create_index("ix_hosted_subject_subject_id", "hosted_subject", ["subject_id"])
    with op.batch_alter_table("complaint") as batch:
        batch.add_column(sa.Column("platform_code", sa.String(length=18), nullable=False,
                                   server_default=""))
    op.execute("UPDATE complaint SET platform_code = source_code WHERE channel = 'PLATFORM' "
               "AND source = 'PLATFORM' AND source_code IS NOT NULL")
    with op.batch_alter_table("complaint") as batch:
        # the default only filled the rows already stored; writers always set the column
        batch.alter_column("platform_code", server_default=None)
        batch.drop_constraint("uq_complaint_channel_reference", type_="unique")
        batch.create_unique_constraint("uq_complaint_channel_platform_code_reference",
                                       ["channel", "platform_code", "reference"])


def downgrade() -> None:
    with op.batch_alter_table("complaint") as batch:
        batch.drop_constraint("uq_complaint_channel_platform_code_reference", type_="unique")
        batch.create_unique_constraint("uq_complaint_channel_reference", ["channel", "reference"])
        batch.drop_column("platform_code")
    op.drop_index("ix_hosted_subject_subject_id", table_name="hosted_subject")
    op.drop_table("hosted_subject")
    with op.batch_alter_table("writer") as batch:
        batch.drop_column("speaks_for")
