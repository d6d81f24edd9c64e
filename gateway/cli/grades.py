"""``credit-gateway grades refresh``: the stored public grades' daily job (信用等级刷新).

Regrades every subject whose stored grade is of an earlier Beijing day (docs/CREDIT_GRADE.md,
"The stored grade"). Run it daily after 00:00 Beijing; it is idempotent, resumable after a kill
and safe to run twice at once.
"""

from __future__ import annotations

import click

from gateway.cli._common import load_settings, on_database
from resolvers.cache import create_cache
from resolvers.data.database import Database
from resolvers.domain import clock
from resolvers.writes import grades as grade_jobs


@click.group()
def grades() -> None:
    """Stored public credit grades (信用等级). The database is DATABASE_URL."""


@grades.command()
def refresh() -> None:
    """Regrade every subject whose stored grade is older than today (Beijing)."""
    async def work(database: Database) -> grade_jobs.Refreshed:
        # where serving processes keep their tag versions: each chunk that changed grades
        # purges the cached answers reading them (Redis, or the tag journal beside the database)
        settings = load_settings()
        tags = create_cache(settings.redis_url, prefix=settings.cache_prefix,
                            ttl=settings.cache_ttl, journal=settings.tag_journal_path)
        try:
            return await grade_jobs.refresh(database, clock.today(), tags)
        finally:
            await tags.aclose()

    done = on_database(work)
    click.echo(f"grades as of {done.today.isoformat()}: {done.graded} subject(s) regraded "
               f"({done.chunks} chunk(s) walked)")
    if not done.purged:
        click.echo("the grades are stored, but the cache did not take every purge (is Redis "
                   "reachable?): cached dashboards may show the old grades until midnight",
                   err=True)
