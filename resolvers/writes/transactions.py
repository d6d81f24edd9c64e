"""One write, one transaction — retried when PostgreSQL chose it as a deadlock victim.

Two writers whose batches share natural keys wait for each other's uniqueness checks; rows go
in sorted by key so that cannot cycle, yet a retry keeps a rare cycle (a key shared through
another table) from failing an import. SQLite serialises writers and never deadlocks.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from resolvers.data.database import Database

T = TypeVar("T")
log = logging.getLogger("credit_gateway.writes")

ATTEMPTS = 3
_RETRYABLE = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure


def retryable(error: BaseException) -> bool:
    orig = getattr(error, "orig", None)
    return getattr(orig, "sqlstate", None) in _RETRYABLE or getattr(orig, "pgcode", None) in _RETRYABLE


async def in_transaction(database: Database, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """Run ``work`` in one transaction, committed when it returns, rolled back when it raises."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with database.engine.begin() as conn:
                return await work(conn)
        except sa.exc.DBAPIError as error:
            if attempt == ATTEMPTS or not retryable(error):
                raise
            log.warning("write retried after %r (attempt %d)", error.orig, attempt)
            await asyncio.sleep(0.05 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover
