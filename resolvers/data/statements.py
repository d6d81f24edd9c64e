"""Counts the SQL statements a unit of work (one GraphQL request) sends.

The count lives in a context variable, so concurrent requests never mix their figures; the
HTTP edge opens a ``counting()`` scope per request and reads it for logs and metrics.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass
class StatementCount:
    value: int = 0


_current: ContextVar[StatementCount | None] = ContextVar("sql_statements", default=None)


@contextmanager
def counting() -> Iterator[StatementCount]:
    count = StatementCount()
    token = _current.set(count)
    try:
        yield count
    finally:
        _current.reset(token)


def _count(*_args: Any, **_kwargs: Any) -> None:
    count = _current.get()
    if count is not None:
        count.value += 1


def install(engine: AsyncEngine) -> None:
    sa.event.listen(engine.sync_engine, "before_cursor_execute", _count)
