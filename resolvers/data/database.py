"""One handle on the database: engine, session factory, health check and disposal."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.engine import create_engine, is_sqlite, session_factory


class Database:
    """The application's database, SQLite or PostgreSQL, behind one async interface."""

    def __init__(self, url: str, *, pool_size: int = 10, connect_timeout: int = 5) -> None:
        self.url = url
        self.engine: AsyncEngine = create_engine(
            url, pool_size=pool_size, connect_timeout=connect_timeout
        )
        self.sessions: async_sessionmaker[AsyncSession] = session_factory(self.engine)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @property
    def backend(self) -> str:
        return "sqlite" if self.is_sqlite else "postgresql"

    def session(self) -> AsyncSession:
        return self.sessions()

    async def ping(self) -> None:
        """Raise when the database does not answer ``SELECT 1``."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
