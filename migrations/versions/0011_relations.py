"""The auditor's look-ups: normal forms of phone and address, and the indexes of the ties.

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-03

``subject.phone_key`` and ``subject.address_key`` hold the normal forms the look-ups by phone and
by address match on (``resolvers.domain.relations``: digits only; NFKC, no separators, no
leading GB/T 2260 division names); subjects already stored are filled in batches. Indexes:
those two, the legal representative's name and ID number, and the ratings a subject gave
(``rater_id``, for the reverse edge and the RATING tie).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from resolvers.domain import relations

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5_000
INDEXES = (
    ("ix_subject_legal_rep_name", "subject", ["legal_rep_name"]),
    ("ix_subject_legal_rep_id_number", "subject", ["legal_rep_id_number"]),
    ("ix_subject_phone_key", "subject", ["phone_key"]),
    ("ix_subject_address_key", "subject", ["address_key"]),
    ("ix_rating_rater_order", "rating", ["rater_id", "rated_on", "id"]),
)


def _backfill() -> None:
    bind = op.get_bind()
    subject = sa.table("subject", sa.column("id", sa.Integer), sa.column("phone", sa.String),
                       sa.column("address", sa.String), sa.column("phone_key", sa.String),
                       sa.column("address_key", sa.String))
    after = 0
    while True:
        rows = bind.execute(sa.select(subject.c.id, subject.c.phone, subject.c.address)
                            .where(subject.c.id > after).order_by(subject.c.id)
                            .limit(BATCH)).all()
        if not rows:
            return
        bind.execute(
            subject.update().where(subject.c.id == sa.bindparam("row"))
            .values(phone_key=sa.bindparam("phone_value"),
                    address_key=sa.bindparam("address_value")),
            [{"row": row.id, "phone_value": relations.phone_key(row.phone),
              "address_value": relations.address_key(row.address)} for row in rows])
        after = rows[-1].id


def upgrade() -> None:
    with op.batch_alter_table("subject") as batch:
        batch.add_column(sa.Column("phone_key", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("address_key", sa.String(length=300), nullable=True))
    _backfill()
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("subject") as batch:
        batch.drop_column("address_key")
        batch.drop_column("phone_key")
