"""双公示 records: administrative licences (行政许可, XK_) and penalties (行政处罚, CF_).

Column comments give the national collection-standard field code each column carries, so an
import mapping can be read off the table.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field

from resolvers.data.models.base import Record, enum_type, long_text, money_type
from resolvers.domain.enums import LicenseCategory, LicenseStatus, PenaltyCategory, Severity


class Decision(Record):
    """Fields licences and penalties share: the decision, its authority and its publication."""

    subject_id: int = Field(foreign_key="subject.id")
    decision_number: str = Field(max_length=128)  # WSH 文号, unique per authority
    content: str = Field(sa_type=sa.Text, sa_column_kwargs=long_text())  # NR
    decision_date: date  # JDRQ
    published_on: date | None = None  # publication on the credit site (公示日期)
    # working days from decision to publication (PRC calendar); NULL while unpublished
    disclosure_lag_days: int | None = Field(default=None, index=True)
    authority: str = Field(max_length=200)  # XKJG / CFJG
    authority_code: str = Field(max_length=18)  # XKJGDM / CFJGDM, the authority's USCC
    remarks: str | None = Field(default=None, sa_type=sa.Text,
                                 sa_column_kwargs=long_text())  # BZ


class License(Decision, table=True):
    """行政许可 — an administrative licence (双公示 XK_ fields)."""

    __tablename__ = "license"
    __table_args__ = (
        sa.UniqueConstraint("authority_code", "decision_number"),
        sa.Index("ix_license_subject_order", "subject_id", "decision_date", "id"),
        sa.Index("ix_license_decision_order", "decision_date", "id"),  # migration 0012
        sa.Index("ix_license_valid_from_order", "valid_from", "id"),
    )

    decision_title: str = Field(max_length=200)  # XKWS
    category: LicenseCategory = Field(sa_type=enum_type(LicenseCategory))  # XKLB
    certificate_name: str | None = Field(default=None, max_length=200)  # XKZS
    license_number: str | None = Field(default=None, max_length=128)  # XKBH
    valid_from: date  # YXQZ
    valid_to: date | None = None  # YXQZI
    status: LicenseStatus = Field(sa_type=enum_type(LicenseStatus))  # ZT
    official_url: str | None = Field(default=None, max_length=500)


class Penalty(Decision, table=True):
    """行政处罚 — an administrative penalty (双公示 CF_ fields)."""

    __tablename__ = "penalty"
    __table_args__ = (
        sa.UniqueConstraint("authority_code", "decision_number"),
        sa.Index("ix_penalty_subject_order", "subject_id", "decision_date", "id"),
        sa.Index("ix_penalty_decision_order", "decision_date", "id"),  # migration 0012
    )

    violation_type: str = Field(max_length=200)  # WFXW
    facts: str = Field(sa_type=sa.Text, sa_column_kwargs=long_text())  # SY
    legal_basis: str = Field(sa_type=sa.Text, sa_column_kwargs=long_text())  # YJ
    category: PenaltyCategory = Field(sa_type=enum_type(PenaltyCategory))  # CFLB
    fine: Decimal | None = Field(default=None, sa_type=money_type())  # NR_FK, 万元
    confiscated: Decimal | None = Field(default=None, sa_type=money_type())  # NR_WFFF, 万元
    suspended_license: str | None = Field(default=None, max_length=200)  # NR_ZKDX
    valid_until: date | None = None  # YXQ
    severity: Severity = Field(sa_type=enum_type(Severity))
    # 推定: not stated by the department; derived from the publicity end or an import's default
    severity_derived: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    publicity_end: date  # GSJZQ
    repaired_on: date | None = None  # 信用修复: publicity ended early on this day
    # the subject's division (行政区划代码), copied by triggers for the REGION aggregate
    # (migration 0013); never written by the application
    region_code: str | None = Field(default=None, max_length=6)
