"""Schema migrations (数据库迁移) of the credit graph, callable from async code.

Every function opens its own short-lived connection, runs one Alembic operation on it and
closes it again, so the CLI, the tests and a deployment hook share one code path. Failures that
an operator can act on (database unreachable, bad URL, unknown revision, a failing revision)
arrive as ``MigrationError`` with a one-line message that never contains the password.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel

import resolvers.data.models  # noqa: F401  (registers every table on SQLModel.metadata)
from migrations import SCRIPT_LOCATION, SORT_INDEXES, autogenerate_options
from resolvers.data.engine import async_url, display_url, error_reason, is_sqlite

T = TypeVar("T")

_CONNECT_TIMEOUT = 10  # seconds; a migration may wait a little longer than a request


class MigrationError(RuntimeError):
    """The database could not be reached or migrated; the message is one line for operators."""


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` whose scripts are the installed ``migrations``."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    # ConfigParser interpolates '%', and percent-encoded passwords contain it.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str | None:
    """The newest revision the installed ``migrations`` provide."""
    return ScriptDirectory(str(SCRIPT_LOCATION)).get_current_head()


async def run_sync(url: str, work: Callable[[Connection], T]) -> T:
    """Run the synchronous ``work`` on a fresh connection to ``url`` in one transaction.

    Alembic's API is synchronous; ``AsyncConnection.run_sync`` lets it drive the async driver
    from inside the caller's running event loop, with no thread and no nested loop.
    """
    engine = _engine(url)
    try:
        async with engine.begin() as connection:
            return await connection.run_sync(work)
    except (sa.exc.SQLAlchemyError, OSError, CommandError) as error:
        raise MigrationError(f"{display_url(url)}: {error_reason(error)}") from error
    finally:
        await engine.dispose()


async def upgrade(url: str, revision: str = "head") -> None:
    """Apply every revision up to ``revision`` (default: the newest)."""
    await run_sync(url, lambda connection: command.upgrade(_bound(url, connection), revision))


async def downgrade(url: str, revision: str) -> None:
    """Revert revisions down to ``revision`` (``"base"`` reverts them all)."""
    await run_sync(url, lambda connection: command.downgrade(_bound(url, connection), revision))


async def current_revision(url: str) -> str | None:
    """The revision the database is at; ``None`` when it was never migrated."""

    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    return await run_sync(url, read)


async def pending_changes(url: str) -> list[object]:
    """What autogenerate would change to make the database match the models (empty = agree)."""

    def compare(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts=autogenerate_options())
        with warnings.catch_warnings():
            # SQLite's reflection cannot read the expression index of the name order (revision
            # 0012), which the comparison leaves out anyway (``migrations.SORT_INDEXES``)
            for name in SORT_INDEXES:
                warnings.filterwarnings(
                    "ignore", f"Skipped unsupported reflection of expression-based index {name}")
            return list(compare_metadata(context, SQLModel.metadata))

    return await run_sync(url, compare)


def _bound(url: str, connection: Connection) -> Config:
    # env.py runs the revisions on this connection instead of opening its own.
    config = alembic_config(url)
    config.attributes["connection"] = connection
    return config


def _engine(url: str) -> AsyncEngine:
    try:
        target = async_url(url)
    except sa.exc.ArgumentError as error:
        # SQLAlchemy's own message repeats the URL, password included.
        raise MigrationError("the database URL cannot be parsed; expected sqlite:///PATH or "
                             "postgresql://USER@HOST:PORT/NAME") from error
    except ValueError as error:
        raise MigrationError(str(error)) from error
    if is_sqlite(target) and target.database and target.database != ":memory:":
        try:
            Path(target.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise MigrationError(f"{display_url(url)}: {error}") from error
    # NullPool: a migration must leave no idle connection behind. SQLite keeps foreign keys
    # off (its default) because batch-mode table rebuilds would otherwise trip over them.
    return create_async_engine(target, poolclass=NullPool,
                               connect_args={"timeout": _CONNECT_TIMEOUT})


