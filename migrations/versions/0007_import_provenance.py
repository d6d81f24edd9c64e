"""推定严重程度 and 他部门重复: what the importer of national 双公示 files records.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

``penalty.severity_derived`` is true when the department did not state the severity (the
national standard has no such field) and it was derived from the publicity end or taken from
the import's ``--severity`` default. ``import_run.other_department`` counts the rows that
repeat a record another department reported (docs/IMPORT.md). Both default to false / 0 for
the rows already stored.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("penalty") as batch:
        batch.add_column(sa.Column("severity_derived", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    with op.batch_alter_table("import_run") as batch:
        batch.add_column(sa.Column("other_department", sa.Integer(), nullable=False,
                                   server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("import_run") as batch:
        batch.drop_column("other_department")
    with op.batch_alter_table("penalty") as batch:
        batch.drop_column("severity_derived")
