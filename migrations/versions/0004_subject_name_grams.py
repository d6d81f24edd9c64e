"""主体名称短词检索: one- and two-character name search through a gram table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

Trigram indexes (0002) cannot serve a search text shorter than three characters, yet two-
character brand names (京东, 美尚) are what people type. ``subject_name_gram`` holds every
distinct one- and two-character substring of each subject's (lower-cased) name; its primary key
(gram, subject_id) answers "names containing 美尚, in id order, first 10" with one B-tree range
scan that stops after 10 rows, whether the gram is rare or in half the names.

The database keeps it in sync, so every writer (the app, the seeder's COPY, a DBA) is covered:
- PostgreSQL: statement-level triggers with transition tables, set-based per statement (a COPY
  batch of 5,000 subjects is one INSERT … SELECT).
- SQLite: row triggers; positions come from ``json_each`` over a literal 1…200 array because a
  trigger may not use a WITH clause (names are at most 200 characters).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME_MAX = 200
_POSITIONS = "[" + ",".join(str(i) for i in range(1, NAME_MAX + 1)) + "]"

# grams of the rows of ``source`` (id, name): substrings of length 1 and 2
_PG_GRAMS = """
    INSERT INTO subject_name_gram (gram, subject_id)
    SELECT DISTINCT substr(lower(s.name), p, n), s.id
    FROM {source} s, generate_series(1, length(s.name)) p, (VALUES (1), (2)) w(n)
    WHERE p + n - 1 <= length(s.name)
    ON CONFLICT DO NOTHING
"""
_SQLITE_GRAMS = f"""
    INSERT OR IGNORE INTO subject_name_gram (gram, subject_id)
    SELECT substr(lower(new.name), p.value, w.value), new.id
    FROM json_each('{_POSITIONS}') p, json_each('[1,2]') w
    WHERE p.value + w.value - 1 <= length(new.name)
"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    columns = (
        sa.Column("gram", sa.String(length=2), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["subject_id"], ["subject.id"], ondelete="CASCADE",
                                name="fk_subject_name_gram_subject_id_subject"),
    )
    if dialect == "postgresql":
        # filled before its key exists: one sorted index build instead of millions of inserts
        # into a growing B-tree (a million subjects: minutes saved)
        op.create_table("subject_name_gram", *columns)
        op.execute(_PG_GRAMS.format(source="subject").replace("ON CONFLICT DO NOTHING", ""))
        op.create_primary_key("pk_subject_name_gram", "subject_name_gram", ["gram", "subject_id"])
        _postgresql_triggers()
    else:
        op.create_table("subject_name_gram", *columns,
                        sa.PrimaryKeyConstraint("gram", "subject_id", name="pk_subject_name_gram"),
                        sqlite_with_rowid=False)
        _sqlite_triggers()
        op.execute(_SQLITE_GRAMS.replace("new.", "subject.").replace(
            "FROM json_each", "FROM subject, json_each"))


def _postgresql_triggers() -> None:
    op.execute(f"""
        CREATE FUNCTION subject_name_gram_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {_PG_GRAMS.format(source="new_rows")};
            RETURN NULL;
        END $$""")
    op.execute(f"""
        CREATE FUNCTION subject_name_gram_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM subject_name_gram g USING old_rows o, new_rows n
             WHERE g.subject_id = o.id AND n.id = o.id AND n.name IS DISTINCT FROM o.name;
            {_PG_GRAMS.format(source="new_rows")};
            RETURN NULL;
        END $$""")
    op.execute("""
        CREATE TRIGGER subject_name_gram_insert AFTER INSERT ON subject
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION subject_name_gram_insert()""")
    op.execute("""
        CREATE TRIGGER subject_name_gram_update AFTER UPDATE ON subject
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION subject_name_gram_update()""")
    # deletes follow the foreign key's ON DELETE CASCADE


def _sqlite_triggers() -> None:
    op.execute(f"""
        CREATE TRIGGER subject_name_gram_insert AFTER INSERT ON subject BEGIN
            {_SQLITE_GRAMS};
        END""")
    op.execute(f"""
        CREATE TRIGGER subject_name_gram_update AFTER UPDATE OF name ON subject BEGIN
            DELETE FROM subject_name_gram WHERE subject_id = old.id;
            {_SQLITE_GRAMS};
        END""")
    op.execute("""
        CREATE TRIGGER subject_name_gram_delete AFTER DELETE ON subject BEGIN
            DELETE FROM subject_name_gram WHERE subject_id = old.id;
        END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS subject_name_gram_update ON subject")
        op.execute("DROP TRIGGER IF EXISTS subject_name_gram_insert ON subject")
        op.execute("DROP FUNCTION IF EXISTS subject_name_gram_update()")
        op.execute("DROP FUNCTION IF EXISTS subject_name_gram_insert()")
    else:
        for trigger in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS subject_name_gram_{trigger}")
    op.drop_table("subject_name_gram")
