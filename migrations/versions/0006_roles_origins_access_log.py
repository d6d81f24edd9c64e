"""查询角色与个人信息查询记录: a key's role and web origins, and the access log.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

``writer.role`` is the role a key reads with (PLATFORM / REGULATOR / AUDITOR; NULL = the
department's default), ``writer.allowed_origins`` the web origins whose pages may use the key
(CORS; normalised ``scheme://host[:port]``, space-separated; NULL = none). ``access_log`` keeps
every read of unmasked personal data by an auditor (who, which subject and fields, when, which
query), read newest first (by id: the primary key), per writer or per subject (an index each).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ENUM = 32


def upgrade() -> None:
    with op.batch_alter_table("writer") as batch:
        batch.add_column(sa.Column("role", sa.String(length=_ENUM), nullable=True))
        batch.add_column(sa.Column("allowed_origins", sa.Text(), nullable=True))
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("writer_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=_ENUM), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("fields", sa.String(length=500), nullable=False),
        sa.Column("operation_name", sa.String(length=200), nullable=True),
        sa.Column("document_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["writer_id"], ["writer.id"],
                                name=op.f("fk_access_log_writer_id_writer")),
        sa.ForeignKeyConstraint(["subject_id"], ["subject.id"],
                                name=op.f("fk_access_log_subject_id_subject")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    op.create_index("ix_access_log_writer_order", "access_log", ["writer_id", "id"])
    op.create_index("ix_access_log_subject_order", "access_log", ["subject_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_access_log_subject_order", table_name="access_log")
    op.drop_index("ix_access_log_writer_order", table_name="access_log")
    op.drop_table("access_log")
    with op.batch_alter_table("writer") as batch:
        batch.drop_column("allowed_origins")
        batch.drop_column("role")
