"""Rows to bytes and back, for the entity cache, typed by each table's columns.

sqlmodel table models skip validation, so a JSON round trip alone would hand back strings
where dates, decimals and enums belong; each column's type restores its value here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache, lru_cache
from typing import Any, TypeVar, cast

import orjson
import sqlalchemy as sa
from sqlmodel import SQLModel

M = TypeVar("M", bound=SQLModel)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode(row: SQLModel) -> bytes:
    table = row.__table__  # type: ignore[attr-defined]
    values = {c.name: _plain(getattr(row, c.name)) for c in table.columns}
    return orjson.dumps(values)


def reader(column: sa.Column[Any]) -> Callable[[Any], Any]:
    """How ``column``'s value, as JSON holds it, becomes the value a row holds (a date, an
    enum, a ``Decimal``): for the entity cache and for a compiled plan's JSON rows."""
    kind = column.type
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        return kind.enum_class
    if isinstance(kind, sa.DateTime):
        return datetime.fromisoformat
    if isinstance(kind, sa.Date):
        return date.fromisoformat
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float):
        return Decimal
    return lambda value: value


@cache
def _readers(model: type[SQLModel]) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """Each column of ``model``'s table with its reader: decided once per model, not per row
    (a cached subject is decoded on every uncached widget answer)."""
    table = model.__table__  # type: ignore[attr-defined]
    return tuple((c.name, reader(c)) for c in table.columns)


# Rows decoded lately, by their bytes: a cached row is read on every uncached answer that shows
# it, and building a table model instance (sqlmodel's constructor, SQLAlchemy's attribute
# events) cost about 57 µs of the widget's ~1 ms of CPU (docs/PERFORMANCE.md). Equal bytes are
# the same row version, and the entity cache checks an entry's tags before it hands its bytes
# over, so a remembered row is never older than the bytes asked about.
DECODED_ROWS = 2048


def decode(model: type[M], data: bytes) -> M:
    """The row ``encode`` wrote. Equal bytes give the same instance, shared by every request
    that reads them: rows handed out by the loaders are read, never changed (writes read and
    change rows of their own sessions)."""
    return cast(M, _decoded(model, data))


@lru_cache(maxsize=DECODED_ROWS)
def _decoded(model: type[SQLModel], data: bytes) -> SQLModel:
    values = orjson.loads(data)
    typed = {name: (None if values.get(name) is None else read(values[name]))
             for name, read in _readers(model)}
    return model(**typed)
