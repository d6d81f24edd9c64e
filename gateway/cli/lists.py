"""``credit-gateway lists propose``: the list rules' job (名单认定候选).

Judges subjects by the rule table (docs/CREDIT_LISTS.md) and stores each new proposal as a
PENDING candidate for an authority to review (``reviewListCandidate``). Run it once a day (the
red rules turn on elapsed time), and with ``--subject`` to judge named subjects at once.
"""

from __future__ import annotations

import click

from gateway.cli._common import on_database
from resolvers.data.database import Database
from resolvers.domain import clock, list_rules, uscc
from resolvers.writes import candidates


def _usccs(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
           ) -> tuple[str, ...]:
    try:
        return tuple(uscc.validate(value) for value in values)
    except uscc.UsccError as error:
        raise click.BadParameter(str(error)) from error


@click.group()
def lists() -> None:
    """Red and black list candidates (红黑名单认定). The database is DATABASE_URL."""


@lists.command()
@click.option("--subject", "subjects", multiple=True, metavar="USCC", callback=_usccs,
              help="Judge only this subject (repeatable); default every subject.")
def propose(subjects: tuple[str, ...]) -> None:
    """Propose list candidates by the rule table; prints the new candidates per rule."""
    async def work(database: Database) -> dict[str, int]:
        return dict(await candidates.propose(database, clock.today(), subjects or None))

    found = on_database(work)
    for rule in list_rules.RULES:
        click.echo(f"{rule.code:<22} {rule.kind.value:<5} {found.get(rule.code, 0):>6} new")
    click.echo(f"rules {list_rules.RULES_VERSION}: {sum(found.values())} new candidate(s)")
