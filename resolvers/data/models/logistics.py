"""寄递物流 — which carrier a merchant ships with, how much, and how many parcels were empty."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from resolvers.data.models.base import Record


class LogisticsLink(Record, table=True):
    """寄递物流关系 — volume a carrier handled for a merchant in a period; empty parcels
    (空包) are a brushing signal (炒信)."""

    __tablename__ = "logistics_link"
    __table_args__ = (
        sa.UniqueConstraint("merchant_id", "carrier_id", "period_start"),
        sa.Index("ix_logistics_link_merchant_order", "merchant_id", "period_start", "id"),
        sa.Index("ix_logistics_link_carrier_id", "carrier_id"),
        sa.CheckConstraint("empty_parcels <= parcels", name="empty_within_total"),
    )

    merchant_id: int = Field(foreign_key="subject.id")
    carrier_id: int = Field(foreign_key="subject.id")
    period_start: date
    period_end: date
    parcels: int
    empty_parcels: int = 0
