"""Carrier ties (寄递物流关系汇总): ``carrier_tie``, a carrier's merchants with their totals.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04

``related`` and ``path`` walk from a carrier to its strongest merchants (by parcels summed over
the months). At a million subjects the largest carrier has 2.1 million monthly links with
474,034 merchants, and ranking them meant summing all its links per request (seconds, sorted on
disk: docs/AUDIT.md, "A million subjects"). ``carrier_tie`` holds one row per carrier and
merchant with its number of links and parcels; ``(carrier_id, parcels, merchant_id)``, read
backwards, makes a carrier's strongest ties an index read. It is kept by triggers on ``logistics_link``
as ``subject_count`` is on ``subject`` (0012): each change adds or takes away its links and
parcels — additions commute, so concurrent writes to one pair both count — statement-level with
transition tables on PostgreSQL (a bulk COPY updates it once per batch), row-level on SQLite; a
pair whose last link goes is deleted. TRUNCATE (``seed --replace``) empties it too. Filled here
from the links already stored.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from resolvers.data import summaries

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUMMARY = "carrier_tie"
KEY = "carrier_id, merchant_id"
_PG_ADD = f"""
    INSERT INTO carrier_tie ({KEY}, links, parcels)
    SELECT {KEY}, {{sign}}count(*), {{sign}}sum(parcels) FROM {{rows}} GROUP BY {KEY}
    ORDER BY {KEY}
    ON CONFLICT ({KEY}) DO UPDATE SET links = carrier_tie.links + EXCLUDED.links,
                                      parcels = carrier_tie.parcels + EXCLUDED.parcels"""
_PG_GONE = f"""
    DELETE FROM carrier_tie t USING (SELECT DISTINCT {KEY} FROM old_rows) o
    WHERE t.carrier_id = o.carrier_id AND t.merchant_id = o.merchant_id AND t.links = 0"""
_SQLITE_ADD = f"""
    INSERT INTO carrier_tie ({KEY}, links, parcels)
    VALUES ({{rows}}.carrier_id, {{rows}}.merchant_id, {{sign}}1, {{sign}}{{rows}}.parcels)
    ON CONFLICT ({KEY}) DO UPDATE SET links = links + excluded.links,
                                      parcels = parcels + excluded.parcels"""
_SQLITE_GONE = """
    DELETE FROM carrier_tie WHERE carrier_id = old.carrier_id
                              AND merchant_id = old.merchant_id AND links = 0"""


def upgrade() -> None:
    op.create_table(
        SUMMARY,
        sa.Column("carrier_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("merchant_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("links", sa.Integer(), nullable=False),
        sa.Column("parcels", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("carrier_id", "merchant_id", name="pk_carrier_tie"))
    op.create_index("ix_carrier_tie_rank", SUMMARY, ["carrier_id", "parcels", "merchant_id"])
    op.execute(f"INSERT INTO carrier_tie ({KEY}, links, parcels) "
               f"SELECT {KEY}, count(*), sum(parcels) FROM logistics_link GROUP BY {KEY}")
    for statement in summaries.additive_triggers(
            op.get_bind().dialect.name, SUMMARY, "logistics_link", postgresql=_PG_ADD,
            sqlite=_SQLITE_ADD, postgresql_gone=_PG_GONE, sqlite_gone=_SQLITE_GONE):
        op.execute(statement)


def downgrade() -> None:
    for statement in summaries.dropped(SUMMARY, "logistics_link", op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index("ix_carrier_tie_rank", table_name=SUMMARY)
    op.drop_table(SUMMARY)
