"""``credit-gateway seed``: load the deterministic demo dataset (演示数据) into the database."""

from __future__ import annotations

import asyncio

import click
import sqlalchemy as sa

from gateway.cli._common import load_settings
from resolvers.data.database import Database
from resolvers.data.engine import error_reason
from resolvers.demo.generator import MAX_SUBJECTS, MIN_SUBJECTS
from resolvers.demo.seeding import DEFAULT_BATCH_SIZE, SeedError, SeedReport, seed_database


@click.command()
@click.option("--subjects", type=click.IntRange(MIN_SUBJECTS, MAX_SUBJECTS), default=1000,
              show_default=True, metavar="N",
              help="Number of market subjects (市场主体); their records come on top "
                   "(about 12 rows per subject in all).")
@click.option("--seed", "seed_value", type=int, default=1, show_default=True, metavar="S",
              help="Seed of the dataset: the same N and S give the same rows on any backend.")
@click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH_SIZE,
              show_default=True, metavar="B",
              help="Subjects generated and written per chunk; bounds memory, not the result.")
@click.option("--replace", is_flag=True,
              help="Delete all existing credit data first (otherwise a database that already "
                   "holds subjects is refused).")
@click.option("--quiet", is_flag=True, help="No progress bar on stderr.")
def seed(subjects: int, seed_value: int, batch_size: int, replace: bool, quiet: bool) -> None:
    """Fill the migrated database with a realistic demo credit graph.

    Platforms, merchants, individual sellers, logistics firms and service providers with
    licences, penalties, ratings, commitments, complaints, logistics links and red/black-list
    entries. The database is DATABASE_URL (empty: the SQLite file in CREDIT_GATEWAY_DATA_DIR);
    run `credit-gateway migrate` first. The whole load is one transaction.
    """
    settings = load_settings()
    try:
        report = asyncio.run(_seed(settings.resolved_database_url, subjects=subjects,
                                   seed=seed_value, batch_size=batch_size, replace=replace,
                                   progress=not quiet, pool_size=settings.db_pool_size,
                                   connect_timeout=settings.db_connect_timeout))
    except SeedError as error:
        raise click.ClickException(str(error)) from error
    click.echo(summary(report))


async def _seed(url: str, *, subjects: int, seed: int, batch_size: int, replace: bool,
                progress: bool, pool_size: int, connect_timeout: int) -> SeedReport:
    try:
        database = Database(url, pool_size=pool_size, connect_timeout=connect_timeout)
    except (ValueError, sa.exc.ArgumentError) as error:
        # a URL SQLAlchemy cannot parse is not echoed back: it may hold a password
        raise click.ClickException(f"DATABASE_URL cannot be used: {_reason(error)}") from error
    except OSError as error:  # e.g. the SQLite file's directory cannot be created
        raise click.ClickException(f"cannot reach the database: {error}") from error
    try:
        return await seed_database(database, subjects=subjects, seed=seed, progress=progress,
                                   batch_size=batch_size, replace=replace)
    finally:
        await database.dispose()


def _reason(error: Exception) -> str:
    if isinstance(error, sa.exc.ArgumentError):
        return "expected sqlite:///PATH or postgresql://USER@HOST:PORT/NAME"
    return error_reason(error)


def summary(report: SeedReport) -> str:
    """Rows per table, the total, seconds and rows per second as an aligned table."""
    width = max(len(name) for name in [*report.counts, "total"])
    lines = [f"seeded {report.backend}: {report.subjects:,} subjects, seed {report.seed}",
             f"{'table':<{width}}  {'rows':>12}"]
    lines += [f"{name:<{width}}  {count:>12,}" for name, count in report.counts.items()]
    lines.append(f"{'total':<{width}}  {report.total_rows:>12,}")
    lines.append(f"{report.seconds:.1f} s, {report.rows_per_second:,.0f} rows/s")
    return "\n".join(lines)
