"""One handle on the database: engine, session factory, health check and disposal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.engine import create_engine, is_sqlite, session_factory

# Set while a mutation executes: it reads back what it wrote, which a replica may still lack.
_primary_reads: ContextVar[bool] = ContextVar("primary_reads", default=False)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Inside, ``read_session`` reads the primary (tasks started inside inherit it)."""
    token = _primary_reads.set(True)
    try:
        yield
    finally:
        _primary_reads.reset(token)


class Database:
    """The application's database, SQLite or PostgreSQL, behind one async interface.

    With ``read_url`` (a streaming read replica of ``url``), ``read_session`` reads there: the
    query path tolerates the replica's lag, while writes, and reads that decide a write, use
    ``session`` on the primary.

    The query path reads without a transaction (PostgreSQL ``AUTOCOMMIT``): each loader batch
    is one or two independent ``SELECT`` s, which under ``READ COMMITTED`` see a snapshot per
    statement either way, so ``BEGIN`` and ``ROLLBACK`` around them were two round trips that
    bought nothing (docs/PERFORMANCE.md, "Profile of the uncached path"). SQLite's driver
    already sends no ``BEGIN`` before a ``SELECT``. ``session`` keeps its transaction.
    """

    def __init__(self, url: str, *, read_url: str = "", pool_size: int = 10,
                 connect_timeout: int = 5) -> None:
        self.url = url
        self.engine: AsyncEngine = create_engine(
            url, pool_size=pool_size, connect_timeout=connect_timeout
        )
        self.sessions: async_sessionmaker[AsyncSession] = session_factory(self.engine)
        self.read_url = read_url or url
        self.read_engine = (self.engine if self.read_url == url else create_engine(
            self.read_url, pool_size=pool_size, connect_timeout=connect_timeout))
        self._reading = _without_transaction(self.read_engine)
        self._primary_reading = (self._reading if self.read_engine is self.engine
                                 else _without_transaction(self.engine))
        self.read_sessions = session_factory(self._reading)
        self.primary_read_sessions = (
            self.read_sessions if self._primary_reading is self._reading
            else session_factory(self._primary_reading))

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @property
    def backend(self) -> str:
        return "sqlite" if self.is_sqlite else "postgresql"

    def session(self) -> AsyncSession:
        return self.sessions()

    @property
    def has_replica(self) -> bool:
        return self.read_engine is not self.engine

    def read_session(self, *, primary: bool = False) -> AsyncSession:
        """A session for the query path: on the read replica when there is one (unless
        ``primary`` or ``primary_reads`` is in force)."""
        return (self.primary_read_sessions if primary or _primary_reads.get()
                else self.read_sessions)()

    async def read_connection(self, *, primary: bool = False) -> AsyncConnection:
        """``read_session``'s connection without a session (for statements that need no ORM),
        checked out of the same pool; the caller closes it."""
        engine = (self._primary_reading if primary or _primary_reads.get()
                  else self._reading)
        return await engine.connect().start()

    async def ping(self) -> None:
        """Raise when the database (or its read replica) does not answer ``SELECT 1``."""
        for engine in dict.fromkeys((self.engine, self.read_engine)):
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        for engine in dict.fromkeys((self.engine, self.read_engine)):
            await engine.dispose()


def _without_transaction(engine: AsyncEngine) -> AsyncEngine:
    """``engine`` reading in autocommit (PostgreSQL; its pool is shared), or itself (SQLite)."""
    if is_sqlite(engine.url):
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")
