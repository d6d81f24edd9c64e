"""``credit-gateway migrate``: bring the database schema (数据库结构) up to a revision."""

from __future__ import annotations

import asyncio

import click

from gateway.cli._common import load_settings
from resolvers.data.engine import display_url, is_sqlite
from resolvers.data.migrate import MigrationError, current_revision, head_revision, upgrade


@click.command()
@click.option(
    "--revision",
    default="head",
    show_default=True,
    metavar="REV",
    help="Alembic revision to upgrade to; `head` is the newest this version ships.",
)
def migrate(revision: str) -> None:
    """Create or upgrade the database schema: tables, indexes and the subject-name search.

    The database is DATABASE_URL (empty: the SQLite file in CREDIT_GATEWAY_DATA_DIR). Running it
    again is harmless; a database already at REV is left as it is.
    """
    url = load_settings().resolved_database_url
    try:
        reached = asyncio.run(_upgrade(url, revision))
    except MigrationError as error:
        raise click.ClickException(f"migration failed: {error}") from error
    backend = "sqlite" if is_sqlite(url) else "postgresql"
    head = " (head)" if reached is not None and reached == head_revision() else ""
    click.echo(f"{backend} database {display_url(url)} is at revision {reached}{head}")


async def _upgrade(url: str, revision: str) -> str | None:
    await upgrade(url, revision)
    return await current_revision(url)
