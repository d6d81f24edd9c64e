"""Entry point of the ``credit-gateway`` command; each subcommand lives in its own module."""

from __future__ import annotations

import click

from gateway.cli.brushing import brushing
from gateway.cli.cluster import cluster
from gateway.cli.compose import compose_command
from gateway.cli.grades import grades
from gateway.cli.hosting import hosting
from gateway.cli.imports import import_records
from gateway.cli.keys import keys
from gateway.cli.lists import lists
from gateway.cli.migrate import migrate
from gateway.cli.schema import schema
from gateway.cli.seed import seed
from gateway.cli.serve import serve
from gateway.settings import describe


def _settings_epilog() -> str:
    rows = "\n".join(f"  {name} (default {default or 'empty'}): {doc}"
                     for name, default, doc in describe())
    return "\b\nEnvironment variables:\n" + rows


@click.group(epilog=_settings_epilog(), context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="credit-gateway")
def cli() -> None:
    """credit-gateway — GraphQL gateway over the e-commerce merchant-credit graph."""


cli.add_command(serve)
cli.add_command(migrate)
cli.add_command(seed)
cli.add_command(schema)
cli.add_command(keys)
cli.add_command(hosting)
cli.add_command(lists)
cli.add_command(grades)
cli.add_command(brushing)
cli.add_command(import_records)
cli.add_command(compose_command)
cli.add_command(cluster)
