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

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUMMARY = "carrier_tie"
KEY = "carrier_id, merchant_id"
_PG_ADD = f"""
    INSERT INTO carrier_tie ({KEY}, links, parcels)
    SELECT {KEY}, {{sign}}count(*), {{sign}}sum(parcels) FROM {{source}} GROUP BY {KEY}
    ORDER BY {KEY}
    ON CONFLICT ({KEY}) DO UPDATE SET links = carrier_tie.links + EXCLUDED.links,
                                      parcels = carrier_tie.parcels + EXCLUDED.parcels"""
_PG_GONE = f"""
    DELETE FROM carrier_tie t USING (SELECT DISTINCT {KEY} FROM old_rows) o
    WHERE t.carrier_id = o.carrier_id AND t.merchant_id = o.merchant_id AND t.links = 0"""
_SQLITE_ADD = f"""
    INSERT INTO carrier_tie ({KEY}, links, parcels)
    VALUES ({{row}}.carrier_id, {{row}}.merchant_id, {{sign}}1, {{sign}}{{row}}.parcels)
    ON CONFLICT ({KEY}) DO UPDATE SET links = links + excluded.links,
                                      parcels = parcels + excluded.parcels"""
_SQLITE_GONE = """
    DELETE FROM carrier_tie WHERE carrier_id = old.carrier_id
                              AND merchant_id = old.merchant_id AND links = 0"""
_TRIGGERS = ("insert", "update", "delete", "truncate")


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
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _postgresql_triggers() -> None:
    add_new = _PG_ADD.format(sign="", source="new_rows")
    take_old = _PG_ADD.format(sign="-", source="old_rows") + ";" + _PG_GONE
    bodies = {
        "insert": add_new,
        "update": _PG_ADD.format(sign="-", source="old_rows") + ";" + add_new + ";" + _PG_GONE,
        "delete": take_old,
        "truncate": "DELETE FROM carrier_tie",
    }
    tables = {"insert": "NEW TABLE AS new_rows", "update": "OLD TABLE AS old_rows "
              "NEW TABLE AS new_rows", "delete": "OLD TABLE AS old_rows", "truncate": ""}
    for event, body in bodies.items():
        op.execute(f"""
            CREATE FUNCTION carrier_tie_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {body};
                RETURN NULL;
            END $$""")
        referencing = f"REFERENCING {tables[event]}" if tables[event] else ""
        op.execute(f"""
            CREATE TRIGGER carrier_tie_{event} AFTER {event.upper()} ON logistics_link
            {referencing} FOR EACH STATEMENT EXECUTE FUNCTION carrier_tie_{event}()""")


def _sqlite_triggers() -> None:
    bodies = {
        "insert": _SQLITE_ADD.format(row="new", sign=""),
        "update": _SQLITE_ADD.format(row="old", sign="-") + ";"
        + _SQLITE_ADD.format(row="new", sign="") + ";" + _SQLITE_GONE,
        "delete": _SQLITE_ADD.format(row="old", sign="-") + ";" + _SQLITE_GONE,
    }
    for event, body in bodies.items():
        op.execute(f"""
            CREATE TRIGGER carrier_tie_{event} AFTER {event.upper()} ON logistics_link BEGIN
                {body};
            END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for event in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS carrier_tie_{event} ON logistics_link")
            op.execute(f"DROP FUNCTION IF EXISTS carrier_tie_{event}()")
    else:
        for event in _TRIGGERS[:3]:
            op.execute(f"DROP TRIGGER IF EXISTS carrier_tie_{event}")
    op.drop_index("ix_carrier_tie_rank", table_name=SUMMARY)
    op.drop_table(SUMMARY)
