"""Each penalty keeps its subject's division, for the penalties grouped by region.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

``stats.penalties(by: REGION)`` groups penalties by a prefix of their subject's division. Read
from ``subject``, that joined every counted penalty to its subject: at a million subjects a
parallel sequential scan of about 350 MB and a hash join, 530-800 ms of execution at a load
average of 1.3-2, where the penalty aggregates that read the penalty rows alone took about
165 ms (docs/DASHBOARD.md, "Penalties by region"). ``penalty.region_code`` is a copy of
``subject.region_code``, filled here and kept by triggers — the one place that sees every
write, whichever path makes it (the write service, imports, seeding's ``COPY``, SQL):

- a penalty inserted, or moved to another subject, takes that subject's division (PostgreSQL:
  ``BEFORE INSERT OR UPDATE OF subject_id``, row-level; SQLite, which cannot assign ``NEW``:
  ``AFTER`` triggers that update the row);
- a subject whose division changes moves its penalties with it.

The column is nullable only because SQLite's triggers fill it after the insert; no penalty
keeps a NULL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OF_SUBJECT = "(SELECT s.region_code FROM subject s WHERE s.id = {row}.subject_id)"


def upgrade() -> None:
    with op.batch_alter_table("penalty") as batch:
        batch.add_column(sa.Column("region_code", sa.String(length=6), nullable=True))
    op.execute(f"UPDATE penalty SET region_code = {OF_SUBJECT.format(row='penalty')}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION penalty_region() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.region_code := {OF_SUBJECT.format(row='NEW')};
                RETURN NEW;
            END $$""")
        op.execute("""
            CREATE TRIGGER penalty_region BEFORE INSERT OR UPDATE OF subject_id ON penalty
            FOR EACH ROW EXECUTE FUNCTION penalty_region()""")
        op.execute("""
            CREATE FUNCTION subject_region_penalties() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE penalty SET region_code = NEW.region_code WHERE subject_id = NEW.id;
                RETURN NULL;
            END $$""")
        op.execute("""
            CREATE TRIGGER subject_region_penalties AFTER UPDATE OF region_code ON subject
            FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code)
            EXECUTE FUNCTION subject_region_penalties()""")
    else:
        for event in ("INSERT", "UPDATE OF subject_id"):
            name = "penalty_region_" + event.split()[0].lower()
            op.execute(f"""
                CREATE TRIGGER {name} AFTER {event} ON penalty BEGIN
                    UPDATE penalty SET region_code = {OF_SUBJECT.format(row='NEW')}
                    WHERE id = NEW.id;
                END""")
        op.execute("""
            CREATE TRIGGER subject_region_penalties AFTER UPDATE OF region_code ON subject
            WHEN OLD.region_code IS NOT NEW.region_code BEGIN
                UPDATE penalty SET region_code = NEW.region_code WHERE subject_id = NEW.id;
            END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS subject_region_penalties ON subject")
        op.execute("DROP FUNCTION IF EXISTS subject_region_penalties()")
        op.execute("DROP TRIGGER IF EXISTS penalty_region ON penalty")
        op.execute("DROP FUNCTION IF EXISTS penalty_region()")
    else:
        for name in ("subject_region_penalties", "penalty_region_insert", "penalty_region_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    # a plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch rebuild would reflect the
    # subject table, whose expression index SQLAlchemy cannot reflect
    op.drop_column("penalty", "region_code")
