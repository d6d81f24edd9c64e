"""Alembic environment: runs the revisions on SQLite (aiosqlite) or PostgreSQL (asyncpg).

Two ways in. ``resolvers.data.migrate`` opens an async connection itself and hands its sync
face to Alembic through ``config.attributes["connection"]``; a developer's plain ``alembic``
command has no connection, so this module opens one from ``sqlalchemy.url`` (or, when that is
empty, from ``DATABASE_URL`` through ``gateway.settings``) and drives it with ``asyncio.run``.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig
from typing import Any, Literal

import sqlalchemy as sa
from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import resolvers.data.models  # noqa: F401  (registers every table on SQLModel.metadata)
from migrations import autogenerate_options
from resolvers.data.engine import is_sqlite
from resolvers.data.migrate import run_sync

config = context.config

# Only the ``alembic`` command has an ini file; programmatic runs keep the host's logging.
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def _database_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    # Imported late: only a developer's plain ``alembic`` run needs the environment's setting.
    from gateway.settings import Settings

    return Settings.from_env().resolved_database_url


def _render_item(type_: str, obj: Any, _autogen_context: Any) -> str | Literal[False]:
    # Render column types as the DDL they produce: sqlmodel's AutoString would otherwise force
    # ``import sqlmodel`` into revisions, and a non-native, unconstrained Enum is a VARCHAR whose
    # member list does not belong in a migration (adding a member is no schema change).
    if type_ != "type":
        return False
    if isinstance(obj, AutoString) or (
        isinstance(obj, sa.Enum) and not obj.native_enum and not obj.create_constraint
    ):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_item=_render_item,
        # The search structures of revision 0002 (pg_trgm index, FTS5 table) are created per
        # dialect and are not on the models; the filters in ``autogenerate_options`` skip them
        # by name, or every autogenerate would propose dropping them.
        **autogenerate_options(),
        **kwargs,
    )


def run_migrations_offline() -> None:
    """``alembic upgrade --sql``: print the DDL instead of running it."""
    url = _database_url()
    _configure(url=url, literal_binds=True, dialect_opts={"paramstyle": "named"},
               render_as_batch=is_sqlite(url))
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        # A plain ``alembic`` command: no loop is running yet, so start one for this run.
        asyncio.run(run_sync(_database_url(), do_run_migrations))
    else:
        do_run_migrations(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
