"""Counts the SQL statements a unit of work (one GraphQL request) sends.

The count lives in a context variable, so concurrent requests never mix their figures; the
HTTP edge counts from ``begin()`` to ``end()`` per request and reads it for logs and metrics.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass
class StatementCount:
    value: int = 0


_current: ContextVar[StatementCount | None] = ContextVar("sql_statements", default=None)


def begin() -> tuple[StatementCount, Token[StatementCount | None]]:
    """Count this context's statements from here on (the edge, once per request); hand the
    token to ``end``."""
    count = StatementCount()
    return count, _current.set(count)


def end(token: Token[StatementCount | None]) -> None:
    _current.reset(token)


def _count(*_args: Any, **_kwargs: Any) -> None:
    count = _current.get()
    if count is not None:
        count.value += 1


def sent_past_the_engine() -> None:
    """Count a statement sent through the driver's own connection (a compiled plan's,
    ``queries.planned``), which SQLAlchemy's execution events do not see."""
    _count()


def install(engine: AsyncEngine) -> None:
    sa.event.listen(engine.sync_engine, "before_cursor_execute", _count)
