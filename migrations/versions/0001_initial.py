"""The credit graph: 市场主体 and the records that hang off it.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Written from the first autogenerate draft and reviewed by hand against ``resolvers/data/models``:
the same tables, columns, types, nullability, keys, unique and check constraints and indexes, with
the names the metadata's naming convention gives them, so that autogenerate finds no difference on
SQLite or PostgreSQL. Enum columns are VARCHAR(32) because the models store enums as unconstrained
strings (adding a member is no schema change). The name-search structures are revision 0002.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ENUM = 32  # length of every enum column (base.enum_type)


def _record() -> list[sa.Column]:
    """The columns every record shares (models/base.py ``Record``)."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=_ENUM), nullable=False),
        sa.Column("source_code", sa.String(length=18), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def _fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["subject.id"], name=op.f(f"fk_{table}_{column}_subject")
    )


def _decision() -> list[sa.Column]:
    """Columns licences and penalties share (models/decisions.py ``Decision``)."""
    return [
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("decision_number", sa.String(length=128), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("authority", sa.String(length=200), nullable=False),
        sa.Column("authority_code", sa.String(length=18), nullable=False),
        sa.Column("remarks", sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "subject",
        *_record(),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("uscc_legacy", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=_ENUM), nullable=False),
        sa.Column("category", sa.String(length=_ENUM), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=_ENUM), nullable=False),
        sa.Column("legal_rep_name", sa.String(length=100), nullable=False),
        sa.Column("legal_rep_id_type", sa.String(length=_ENUM), nullable=False),
        sa.Column("legal_rep_id_number", sa.String(length=32), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("verification_mark", sa.String(length=64), nullable=True),
        _pk("subject"),
        sa.UniqueConstraint("uscc", name=op.f("uq_subject_uscc")),
    )
    op.create_index("ix_subject_kind_id", "subject", ["kind", "id"])
    op.create_index("ix_subject_region_code", "subject", ["region_code"])
    op.create_index("ix_subject_verified_id", "subject", ["verified", "id"])

    op.create_table(
        "commitment",
        *_record(),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=_ENUM), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("committed_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=_ENUM), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=True),
        _pk("commitment"),
        _fk("commitment", "subject_id"),
        sa.UniqueConstraint(
            "subject_id", "kind", "committed_on",
            name=op.f("uq_commitment_subject_id_kind_committed_on"),
        ),
    )
    op.create_index(
        "ix_commitment_subject_order", "commitment", ["subject_id", "committed_on", "id"]
    )

    op.create_table(
        "complaint",
        *_record(),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=_ENUM), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.String(length=1000), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=_ENUM), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("resolution", sa.String(length=1000), nullable=True),
        _pk("complaint"),
        _fk("complaint", "subject_id"),
        sa.UniqueConstraint("channel", "reference", name=op.f("uq_complaint_channel_reference")),
    )
    op.create_index("ix_complaint_subject_order", "complaint", ["subject_id", "filed_on", "id"])

    op.create_table(
        "license",
        *_record(),
        *_decision(),
        sa.Column("decision_title", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=_ENUM), nullable=False),
        sa.Column("certificate_name", sa.String(length=200), nullable=True),
        sa.Column("license_number", sa.String(length=128), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=_ENUM), nullable=False),
        sa.Column("official_url", sa.String(length=500), nullable=True),
        _pk("license"),
        _fk("license", "subject_id"),
        sa.UniqueConstraint(
            "authority_code", "decision_number",
            name=op.f("uq_license_authority_code_decision_number"),
        ),
    )
    op.create_index("ix_license_subject_order", "license", ["subject_id", "decision_date", "id"])

    op.create_table(
        "list_entry",
        *_record(),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("list_kind", sa.String(length=_ENUM), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("measures", sa.String(length=1000), nullable=True),
        sa.Column("authority", sa.String(length=200), nullable=False),
        sa.Column("authority_code", sa.String(length=18), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("lifted_on", sa.Date(), nullable=True),
        sa.Column("lift_reason", sa.String(length=1000), nullable=True),
        _pk("list_entry"),
        _fk("list_entry", "subject_id"),
    )
    op.create_index(
        "ix_list_entry_subject_order", "list_entry", ["subject_id", "valid_from", "id"]
    )
    op.create_index("ix_list_entry_kind_subject", "list_entry", ["list_kind", "subject_id"])

    op.create_table(
        "logistics_link",
        *_record(),
        sa.Column("merchant_id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("parcels", sa.Integer(), nullable=False),
        sa.Column("empty_parcels", sa.Integer(), nullable=False),
        _pk("logistics_link"),
        _fk("logistics_link", "merchant_id"),
        _fk("logistics_link", "carrier_id"),
        sa.UniqueConstraint(
            "merchant_id", "carrier_id", "period_start",
            name=op.f("uq_logistics_link_merchant_id_carrier_id_period_start"),
        ),
        sa.CheckConstraint(
            "empty_parcels <= parcels", name=op.f("ck_logistics_link_empty_within_total")
        ),
    )
    op.create_index(
        "ix_logistics_link_merchant_order",
        "logistics_link",
        ["merchant_id", "period_start", "id"],
    )
    op.create_index("ix_logistics_link_carrier_id", "logistics_link", ["carrier_id"])

    op.create_table(
        "penalty",
        *_record(),
        *_decision(),
        sa.Column("violation_type", sa.String(length=200), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=_ENUM), nullable=False),
        sa.Column("fine", sa.Numeric(precision=18, scale=6), nullable=True),
        sa.Column("confiscated", sa.Numeric(precision=18, scale=6), nullable=True),
        sa.Column("suspended_license", sa.String(length=200), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("severity", sa.String(length=_ENUM), nullable=False),
        sa.Column("publicity_end", sa.Date(), nullable=False),
        sa.Column("repaired_on", sa.Date(), nullable=True),
        _pk("penalty"),
        _fk("penalty", "subject_id"),
        sa.UniqueConstraint(
            "authority_code", "decision_number",
            name=op.f("uq_penalty_authority_code_decision_number"),
        ),
    )
    op.create_index("ix_penalty_subject_order", "penalty", ["subject_id", "decision_date", "id"])

    op.create_table(
        "rating",
        *_record(),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("rater_id", sa.Integer(), nullable=False),
        sa.Column("ratee_id", sa.Integer(), nullable=False),
        sa.Column("order_reference", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.Column("follow_up", sa.String(length=1000), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("rated_on", sa.Date(), nullable=False),
        _pk("rating"),
        _fk("rating", "platform_id"),
        _fk("rating", "rater_id"),
        _fk("rating", "ratee_id"),
        sa.UniqueConstraint(
            "platform_id", "order_reference", "rater_id",
            name=op.f("uq_rating_platform_id_order_reference_rater_id"),
        ),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_rating_score_range")),
    )
    op.create_index("ix_rating_ratee_order", "rating", ["ratee_id", "rated_on", "id"])


def downgrade() -> None:
    # Children before ``subject``, which they all reference; indexes go with their tables.
    for table in ("rating", "penalty", "logistics_link", "list_entry", "license", "complaint",
                  "commitment", "subject"):
        op.drop_table(table)
