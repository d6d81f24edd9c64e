"""Indexes of the dashboards' sorted lists and aggregates (docs/DASHBOARD.md).

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-03

Every root list pages by keyset in ``(sort column, id)`` order, forwards or backwards, so each
order gets a composite B-tree index that serves both directions: subjects by name (ASCII case
ignored: an expression index on ``lower(name)``, which a ``LIKE`` on the name cannot take for
the name search's trigram index) and by registration date (and filtered by status in creation order), penalties by decision date,
licences by decision date and by validity start, list entries by validity
start, complaints by filing date. ``(list_kind, valid_from)`` lets the black-list growth read
only the black list's entries. The aggregates over whole tables are sequential scans whatever
the indexes; these serve their date ranges and the lists. Penalties get no index on their
publicity end: measured at a million subjects, the public aggregates' planner took it for the
publicity condition, a bitmap scan two to four times slower than the parallel sequential scan
it replaced; the PUBLICITY_END order sorts the matching penalties instead.

``subject_count`` is the summary ``stats.subjects`` reads (a GROUP BY over a million subjects
took over a second): one row per division, kind, status, category and verification with its
number of subjects, kept by triggers on ``subject`` — statement-level with transition tables on
PostgreSQL (a bulk COPY updates it once), row-level on SQLite — filled here from the subjects
already stored. TRUNCATE (``seed --replace``) empties it too.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from resolvers.data import summaries

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: dict[str, tuple[str, list[str]]] = {
    "ix_subject_registered_order": ("subject", ["registered_on", "id"]),
    "ix_subject_status_id": ("subject", ["status", "id"]),
    "ix_penalty_decision_order": ("penalty", ["decision_date", "id"]),
    "ix_license_decision_order": ("license", ["decision_date", "id"]),
    "ix_license_valid_from_order": ("license", ["valid_from", "id"]),
    "ix_list_entry_valid_from_order": ("list_entry", ["valid_from", "id"]),
    "ix_list_entry_kind_valid_from": ("list_entry", ["list_kind", "valid_from"]),
    "ix_complaint_filed_order": ("complaint", ["filed_on", "id"]),
}


# the name order ignores ASCII case: an expression index, which the models do not declare
NAME_ORDER = "ix_subject_name_order"


SUMMARY = "subject_count"
KEY = "region_code, kind, status, category, verified"
_PG_ADD = f"""
    INSERT INTO subject_count ({KEY}, subjects)
    SELECT {KEY}, {{sign}}count(*) FROM {{rows}} GROUP BY {KEY}
    ON CONFLICT ({KEY}) DO UPDATE SET subjects = subject_count.subjects + EXCLUDED.subjects"""
_SQLITE_ADD = f"""
    INSERT INTO subject_count ({KEY}, subjects)
    VALUES ({{rows}}.region_code, {{rows}}.kind, {{rows}}.status, {{rows}}.category,
            {{rows}}.verified, {{sign}}1)
    ON CONFLICT ({KEY}) DO UPDATE SET subjects = subjects + excluded.subjects"""


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)
    op.create_index(NAME_ORDER, "subject", [sa.text("lower(name)"), "id"])
    op.create_table(
        SUMMARY,
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("subjects", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("region_code", "kind", "status", "category", "verified",
                                name="pk_subject_count"))
    op.execute(f"INSERT INTO subject_count ({KEY}, subjects) "
               f"SELECT {KEY}, count(*) FROM subject GROUP BY {KEY}")
    for statement in summaries.additive_triggers(
            op.get_bind().dialect.name, SUMMARY, "subject", postgresql=_PG_ADD, sqlite=_SQLITE_ADD):
        op.execute(statement)


def downgrade() -> None:
    for statement in summaries.dropped(SUMMARY, "subject", op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table(SUMMARY)
    op.drop_index(NAME_ORDER, table_name="subject")
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
