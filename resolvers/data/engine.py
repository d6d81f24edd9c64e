"""The async engine for SQLite (aiosqlite) or PostgreSQL (asyncpg), and URL normalisation."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data import statements

# Dates and datetimes bound to raw SQL on SQLite are stored as ISO text. Python 3.12 deprecated
# sqlite3's default adapters (a DeprecationWarning on every such bind); these are the same
# conversions, registered explicitly as the sqlite3 documentation recommends, so 3.11–3.13
# store the same text and warn about nothing.
sqlite3.register_adapter(date, date.isoformat)
sqlite3.register_adapter(datetime, lambda value: value.isoformat(" "))

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg",
                  "postgres": "postgresql+asyncpg"}


def async_url(url: str) -> sa.URL:
    """Map a plain ``sqlite:///`` or ``postgresql://`` URL to its async driver."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in _ASYNC_DRIVERS:
        raise ValueError(f"unsupported database {backend!r}: use sqlite or postgresql")
    return parsed.set(drivername=_ASYNC_DRIVERS[backend])


def display_url(url: str) -> str:
    """``url`` with its password masked, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<unparseable database URL>"


def error_reason(error: BaseException) -> str:
    """The first line of a database error, for one-line messages: a DBAPI error's own text is
    in ``orig`` (SQLAlchemy's wrapper adds the statement and a link over several lines); an
    error without text is named by its type."""
    cause = getattr(error, "orig", None) or error
    text = str(cause).strip() or type(cause).__name__
    return text.splitlines()[0]


def is_sqlite(url: str | sa.URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


# Every PostgreSQL session of the gateway: its name in pg_stat_activity, and no JIT compilation.
# The planner compiles a statement whose estimated cost passes ``jit_above_cost``; the
# gateway's are requests that run for milliseconds to a second, and at a million subjects the
# auditor's ties of a hub carrier spent 3.1 s of 6.9 s compiling (docs/AUDIT.md).
SERVER_SETTINGS = {"application_name": "credit-gateway", "jit": "off"}


def create_engine(url: str, *, pool_size: int = 10, connect_timeout: int = 5) -> AsyncEngine:
    """An engine whose connections are counted per request (``statements``)."""
    target = async_url(url)
    kwargs: dict[str, Any] = {}
    if target.get_backend_name() == "sqlite":
        if target.database and target.database != ":memory:":
            Path(target.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": connect_timeout}
    else:
        kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=False,
                      connect_args={"timeout": connect_timeout,
                                    "server_settings": SERVER_SETTINGS})
    engine = create_async_engine(target, **kwargs)
    if target.get_backend_name() == "sqlite":
        sa.event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    statements.install(engine)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the one writer; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
