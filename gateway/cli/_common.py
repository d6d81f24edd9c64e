"""Helpers every subcommand shares: settings from the environment, errors as CLI messages."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click
import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.settings import Settings, SettingsError
from resolvers.data.database import Database
from resolvers.data.engine import error_reason
from resolvers.domain import clock, uscc

T = TypeVar("T")


def load_settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        raise click.ClickException(str(error)) from error


def in_session(work: Callable[[AsyncSession], Awaitable[T]],
               refused: type[Exception]) -> T:
    """Run ``work`` in one session on DATABASE_URL (``on_database``); ``refused`` (the service's
    own error, whose message is for the operator) becomes the command's error message."""

    async def run(database: Database) -> T:
        async with database.session() as session:
            return await work(session)

    try:
        return on_database(run)
    except refused as error:
        raise click.ClickException(str(error)) from error


def on_database(work: Callable[[Database], Awaitable[T]]) -> T:
    """Run a command's ``work`` on DATABASE_URL (one connection: commands read and write in
    turn, after the clock offset of the settings is applied); a database that cannot be
    reached, or that lacks a table, is the command's error message, not a traceback."""
    settings = load_settings()
    clock.set_offset(settings.clock_offset)

    async def run() -> T:
        database = Database(settings.resolved_database_url, pool_size=1,
                            connect_timeout=settings.db_connect_timeout)
        try:
            return await work(database)
        finally:
            await database.dispose()

    try:
        return asyncio.run(run())
    except (OSError, sa.exc.OperationalError, sa.exc.InterfaceError,
            sa.exc.ProgrammingError) as error:
        reason = error_reason(error)
        if isinstance(error, sa.exc.ProgrammingError) or "no such table" in reason:
            raise click.ClickException(f"the database lacks a table the job needs ({reason}): "
                                       f"run `credit-gateway migrate` first") from error
        raise click.ClickException(f"cannot reach the database: {reason}") from error


def uscc_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """click callback: a USCC option's value checked (GB 32100-2015) and normalised."""
    if value is None:
        return None
    try:
        return uscc.validate(value)
    except uscc.UsccError as error:
        raise click.BadParameter(str(error)) from error
