"""红黑名单条目的自然键: one entry per subject, list, authority and first day.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

Writes are idempotent by natural key (``INSERT … ON CONFLICT (key) DO NOTHING``), which needs a
unique index on the key. Every other record table had one from 0001; list entries get theirs
here: (subject_id, list_kind, authority_code, valid_from) — an authority lists a subject on a
list from a given day once; listing it again later is a new entry. A unique index rather than a
constraint: SQLite adds it without rebuilding the table, and ON CONFLICT accepts either.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_list_entry_natural_key"


def upgrade() -> None:
    op.create_index(INDEX, "list_entry",
                    ["subject_id", "list_kind", "authority_code", "valid_from"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="list_entry")
