"""Writes scoped to their author: a key's subordinate authorities.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

``writer.speaks_for`` lists the USCCs (space-separated; NULL = none) of subordinate authorities
(下级机关) whose decisions a department's key may publish and change besides its own ``code``
(``keys create --speaks-for``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("writer") as batch:
        batch.add_column(sa.Column("speaks_for", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("writer") as batch:
        batch.drop_column("speaks_for")
