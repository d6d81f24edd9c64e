"""``credit-gateway schema``: print the GraphQL SDL that ``schema.graphql`` checks in."""

from __future__ import annotations

import click

from federation.schema import printed_schema


@click.command()
def schema() -> None:
    """Print the public GraphQL schema (SDL) to standard output."""
    click.echo(printed_schema(), nl=False)
