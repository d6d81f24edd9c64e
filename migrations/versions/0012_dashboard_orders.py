"""Indexes of the dashboards' sorted lists and aggregates (docs/DASHBOARD.md).

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-03

Every root list pages by keyset in ``(sort column, id)`` order, forwards or backwards, so each
order gets a composite B-tree index that serves both directions: subjects by name (ASCII case
ignored: an expression index on ``lower(name)``, which a ``LIKE`` on the name cannot take for
the name search's trigram index) and by registration date (and filtered by status in creation order), penalties by decision date and
by publicity end, licences by decision date and by validity start, list entries by validity
start, complaints by filing date. ``(list_kind, valid_from)`` lets the black-list growth read
only the black list's entries. The aggregates over whole tables are sequential scans whatever
the indexes; these serve their date ranges and the lists.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: dict[str, tuple[str, list[str]]] = {
    "ix_subject_registered_order": ("subject", ["registered_on", "id"]),
    "ix_subject_status_id": ("subject", ["status", "id"]),
    "ix_penalty_decision_order": ("penalty", ["decision_date", "id"]),
    "ix_penalty_publicity_end_order": ("penalty", ["publicity_end", "id"]),
    "ix_license_decision_order": ("license", ["decision_date", "id"]),
    "ix_license_valid_from_order": ("license", ["valid_from", "id"]),
    "ix_list_entry_valid_from_order": ("list_entry", ["valid_from", "id"]),
    "ix_list_entry_kind_valid_from": ("list_entry", ["list_kind", "valid_from"]),
    "ix_complaint_filed_order": ("complaint", ["filed_on", "id"]),
}


# the name order ignores ASCII case: an expression index, which the models do not declare
NAME_ORDER = "ix_subject_name_order"


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)
    op.create_index(NAME_ORDER, "subject", [sa.text("lower(name)"), "id"])


def downgrade() -> None:
    op.drop_index(NAME_ORDER, table_name="subject")
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
