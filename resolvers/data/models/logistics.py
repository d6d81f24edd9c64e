"""寄递物流 — which carrier a merchant ships with, how much, and how many parcels were empty."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

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


class CarrierTie(SQLModel, table=True):
    """寄递物流关系汇总 — how many monthly links and parcels a carrier has with each merchant it
    shipped for: the order in which a carrier's merchants are its strongest ties. Kept by
    triggers on ``logistics_link`` (migration 0015), so a national carrier's strongest 50 of
    half a million merchants are an index read instead of a sum over millions of links; the
    evidence of a chosen tie is still read from its links."""

    __tablename__ = "carrier_tie"
    __table_args__ = (
        # a carrier's merchants, strongest first (ties by the later merchant), read backwards:
        # the related walk's order
        sa.Index("ix_carrier_tie_rank", "carrier_id", "parcels", "merchant_id"),
    )

    carrier_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    merchant_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    links: int
    parcels: int = Field(sa_type=sa.BigInteger())
