"""Helpers every subcommand shares: settings from the environment, errors as CLI messages."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.settings import Settings, SettingsError
from resolvers.data.database import Database
from resolvers.domain import uscc

T = TypeVar("T")


def load_settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        raise click.ClickException(str(error)) from error


def in_session(work: Callable[[AsyncSession], Awaitable[T]],
               refused: type[Exception]) -> T:
    """Run ``work`` in one session on DATABASE_URL; ``refused`` (the service's own error, whose
    message is for the operator) becomes the command's error message."""
    settings = load_settings()

    async def run() -> T:
        database = Database(settings.resolved_database_url, pool_size=1,
                            connect_timeout=settings.db_connect_timeout)
        try:
            async with database.session() as session:
                return await work(session)
        finally:
            await database.dispose()

    try:
        return asyncio.run(run())
    except refused as error:
        raise click.ClickException(str(error)) from error


def uscc_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """click callback: a USCC option's value checked (GB 32100-2015) and normalised."""
    if value is None:
        return None
    try:
        return uscc.validate(value)
    except uscc.UsccError as error:
        raise click.BadParameter(str(error)) from error
