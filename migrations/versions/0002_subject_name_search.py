"""主体名称检索: substring search on ``subject.name`` for ``searchSubjects``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

A ``LIKE '%京东%'`` cannot use a B-tree index, and on a million subjects a scan is too slow, so
each dialect gets a trigram structure. Neither is declared on the models (SQLModel cannot express
them portably); ``migrations.include_name`` keeps autogenerate from proposing to drop them.

- PostgreSQL: the ``pg_trgm`` extension and a GIN index over ``name gin_trgm_ops``; the planner
  uses it for ``name LIKE '%…%'`` / ``ILIKE`` directly on ``subject``.
- SQLite: an FTS5 external-content table with the ``trigram`` tokenizer. It stores only the
  index (rows stay in ``subject``, joined by rowid = ``subject.id``) and triggers keep it in sync.
  Query it with ``subject_name_fts MATCH '"…"'`` or ``subject_name_fts.name LIKE '%…%'``.

Both trigram structures only help for search strings of three characters or more.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_TRIGGERS = (
    """
    CREATE TRIGGER subject_name_fts_insert AFTER INSERT ON subject BEGIN
        INSERT INTO subject_name_fts (rowid, name) VALUES (new.id, new.name);
    END
    """,
    # External content: FTS5 cannot read the old value itself, so the 'delete' command is given
    # the old row. Only a change of ``name`` needs re-indexing (``id`` is a surrogate key that
    # is never updated).
    """
    CREATE TRIGGER subject_name_fts_update AFTER UPDATE OF name ON subject BEGIN
        INSERT INTO subject_name_fts (subject_name_fts, rowid, name)
            VALUES ('delete', old.id, old.name);
        INSERT INTO subject_name_fts (rowid, name) VALUES (new.id, new.name);
    END
    """,
    """
    CREATE TRIGGER subject_name_fts_delete AFTER DELETE ON subject BEGIN
        INSERT INTO subject_name_fts (subject_name_fts, rowid, name)
            VALUES ('delete', old.id, old.name);
    END
    """,
)


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        # Needs CREATE on the database (or a superuser); see docs/MIGRATIONS.md.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            "ix_subject_name_trgm",
            "subject",
            ["name"],
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
            # a DBA may have built it CONCURRENTLY beforehand on a large, live table
            if_not_exists=True,
        )
    elif dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE subject_name_fts USING fts5("
            "name, content='subject', content_rowid='id', tokenize='trigram')"
        )
        for trigger in _SQLITE_TRIGGERS:
            op.execute(trigger)
        # Index subjects that exist already (none on a fresh database, all of them on an old one).
        op.execute("INSERT INTO subject_name_fts (subject_name_fts) VALUES ('rebuild')")


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        # pg_trgm stays: it may predate this revision (installed by a DBA) or serve other objects.
        op.drop_index("ix_subject_name_trgm", table_name="subject", if_exists=True)
    elif dialect == "sqlite":
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS subject_name_fts_{name}")
        op.execute("DROP TABLE IF EXISTS subject_name_fts")
