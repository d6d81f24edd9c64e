"""``credit-gateway schema``: print the GraphQL SDL that ``schema.graphql`` checks in, or the
SDL of one subgraph."""

from __future__ import annotations

import click

from federation.ownership import SUBGRAPHS
from federation.schema import printed_schema
from federation.subgraphs import subgraph_sdl


@click.command()
@click.option("--subgraph", type=click.Choice(list(SUBGRAPHS)), default=None,
              help="Print this subgraph's SDL (what its `_service { sdl }` answers) instead.")
def schema(subgraph: str | None) -> None:
    """Print the public GraphQL schema (SDL) to standard output."""
    click.echo(subgraph_sdl(subgraph) if subgraph else printed_schema(), nl=False)
