"""``credit-gateway brushing refresh``: the brushing signals' job (刷单炒信嫌疑).

Computes the signals of the whole rating and parcel graph (FRAUDAR rating rings, empty
parcels, review bursts; docs/AUDIT.md) and publishes them as the run ``brushingSuspects``
reads. Run it daily after 00:00 Beijing (``lists propose`` runs it first as well); two runs at
once are safe: the later-started one's run is the one kept.
"""

from __future__ import annotations

import click

from gateway.cli._common import on_database
from resolvers.data.database import Database
from resolvers.data.queries import brushing_store
from resolvers.domain import clock


@click.group()
def brushing() -> None:
    """Brushing signals (刷单炒信). The database is DATABASE_URL."""


@brushing.command()
def refresh() -> None:
    """Compute the brushing signals and publish them; prints the run."""

    async def work(database: Database) -> brushing_store.Refreshed:
        return await brushing_store.refresh(database, clock.today())

    done = on_database(work)
    current = done.current
    if done.superseded:
        click.echo(f"run {done.own} discarded: run {current.id}, started later, was "
                   f"published first")
    window = (f"ratings {current.window_start.isoformat()} to {current.window_end.isoformat()}"
              if current.window_start and current.window_end else "no ratings")
    click.echo(f"brushing signals as of {current.computed_on.isoformat()} (run {current.id}): "
               f"{current.suspects} suspect(s), {current.ratings} rating(s) read, {window}; "
               f"{done.seconds:.1f} s")
