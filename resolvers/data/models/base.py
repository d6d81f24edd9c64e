"""Columns every credit record shares: identity, provenance (数据来源单位) and timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from resolvers.domain.enums import Department

# One naming convention so that Alembic's constraint names are the same on every backend.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


LONG_TEXT = 4000
"""Longest text a TEXT column takes (许可内容, 违法事实, 处罚依据, 备注, 承诺内容): a column
without a length declares its maximum in its ``info`` (``long_text``)."""


def long_text() -> dict[str, Any]:
    """``sa_column_kwargs`` of a TEXT column of at most ``LONG_TEXT`` characters."""
    return {"info": {"maximum": LONG_TEXT}}


def column_maximum(model: type[SQLModel], name: str) -> int | None:
    """The most characters ``model``'s text column ``name`` takes: its length, or the maximum
    a TEXT column declares (``long_text``); writes check it (resolvers/writes/checks.py) and
    the schema documents it (resolvers/types/text.py)."""
    column = model.__table__.c[name]  # type: ignore[attr-defined]
    length = getattr(column.type, "length", None)
    if isinstance(length, int):
        return length
    found = column.info.get("maximum")
    return found if isinstance(found, int) else None


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """``moment`` with its zone: SQLite hands back naive UTC, PostgreSQL aware; the API always
    says which zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def enum_type(enum: type[Enum]) -> sa.Enum:
    """Enums are stored as short strings (not native PG enums) so adding a member is a
    code change, not a schema migration."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


def money_type() -> sa.Numeric[Any]:
    """Amounts in 万元 as exact decimals: six places keep the 分 (0.000001 万元 = 0.01 元)."""
    return sa.Numeric(18, 6, asdecimal=True)


def aware_datetime() -> sa.DateTime:
    return sa.DateTime(timezone=True)


class Record(SQLModel):
    """Columns of every record: surrogate key, source department and its code, timestamps."""

    id: int | None = Field(default=None, primary_key=True)
    source: Department = Field(sa_type=enum_type(Department))
    source_code: str | None = Field(default=None, max_length=18)
    created_at: datetime = Field(default_factory=utcnow, sa_type=aware_datetime())
    updated_at: datetime = Field(default_factory=utcnow, sa_type=aware_datetime())
