"""报送与审计: API-key writers, import runs, the audit trail, and the disclosure lag.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

``disclosure_lag_days`` (working days from decision to publication, PRC calendar) is stored on
licences and penalties so late disclosures can be filtered in SQL; existing rows are filled by
the application's own rule (``resolvers.domain.workdays``) in batches.
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ENUM = 32
_DECISION_TABLES = ("license", "penalty")


def upgrade() -> None:
    op.create_table(
        "writer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=_ENUM), nullable=False),
        sa.Column("code", sa.String(length=18), nullable=True),
        sa.Column("platform_id", sa.Integer(), nullable=True),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["platform_id"], ["subject.id"],
                                name=op.f("fk_writer_platform_id_subject")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_writer")),
        sa.UniqueConstraint("key_prefix", name=op.f("uq_writer_key_prefix")),
    )
    op.create_table(
        "import_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("department", sa.String(length=_ENUM), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("conflicting", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_run")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=_ENUM), nullable=False),
        sa.Column("writer_id", sa.Integer(), nullable=True),
        sa.Column("import_run_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.CheckConstraint("(writer_id IS NULL) <> (import_run_id IS NULL)",
                           name=op.f("ck_audit_event_one_actor")),
        sa.ForeignKeyConstraint(["subject_id"], ["subject.id"],
                                name=op.f("fk_audit_event_subject_id_subject")),
        sa.ForeignKeyConstraint(["writer_id"], ["writer.id"],
                                name=op.f("fk_audit_event_writer_id_writer")),
        sa.ForeignKeyConstraint(["import_run_id"], ["import_run.id"],
                                name=op.f("fk_audit_event_import_run_id_import_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index("ix_audit_event_subject_order", "audit_event", ["subject_id", "at", "id"])
    for table in _DECISION_TABLES:
        op.add_column(table, sa.Column("disclosure_lag_days", sa.Integer(), nullable=True))
        op.create_index(op.f(f"ix_{table}_disclosure_lag_days"), table, ["disclosure_lag_days"])
    _fill_disclosure_lag()


def _fill_disclosure_lag() -> None:
    # imported here: the rule lives in the application, and a migration must not fork it
    from resolvers.domain.workdays import disclosure_lag

    connection = op.get_bind()
    for table in _DECISION_TABLES:
        rows = connection.execute(sa.text(
            f"SELECT id, decision_date, published_on FROM {table} "
            "WHERE published_on IS NOT NULL")).all()
        updates = [{"id": r.id, "lag": disclosure_lag(_day(r.decision_date), _day(r.published_on))}
                   for r in rows]
        for start in range(0, len(updates), 10_000):
            connection.execute(sa.text(f"UPDATE {table} SET disclosure_lag_days = :lag "
                                       "WHERE id = :id"), updates[start:start + 10_000])


def _day(value: object) -> date:
    # SQLite hands dates back as ISO strings
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def downgrade() -> None:
    for table in _DECISION_TABLES:
        op.drop_index(op.f(f"ix_{table}_disclosure_lag_days"), table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("disclosure_lag_days")
    op.drop_index("ix_audit_event_subject_order", table_name="audit_event")
    op.drop_table("audit_event")
    op.drop_table("import_run")
    op.drop_table("writer")
