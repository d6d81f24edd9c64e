"""``credit-gateway compose``: compose the subgraphs into ``federation/supergraph.graphql``."""

from __future__ import annotations

from pathlib import Path

import click

from federation.composition import (
    SUPERGRAPH_FILE,
    CompositionError,
    Service,
    compose,
    fetch_sdl,
    our_services,
    supergraph_text,
)
from federation.ownership import FEDERATION_VERSION, SUBGRAPHS


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values:
        name, sep, url = value.partition("=")
        if not sep or not name or not url:
            raise click.BadParameter(f"{value!r} is not NAME=URL", param_hint=option)
        pairs[name] = url
    return pairs


@click.command("compose")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              default=SUPERGRAPH_FILE, help="Where the supergraph goes "
                                            "[default federation/supergraph.graphql].")
@click.option("--url", "urls", multiple=True, metavar="NAME=URL",
              help="Where one of our subgraphs answers [default http://127.0.0.1:4101–4104/"
                   "graphql]; repeatable.")
@click.option("--add", "added", multiple=True, metavar="NAME=URL",
              help="Compose in another subgraph (e.g. a platform's), reading its SDL from "
                   "`_service { sdl }` at URL; repeatable.")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 when OUTPUT differs from a fresh composition.")
def compose_command(output: Path, urls: tuple[str, ...], added: tuple[str, ...],
                    check: bool) -> None:
    """Compose the subgraphs (Apollo Federation v2) into a supergraph for a router.

    Composition is done by @theguild/federation-composition and checked by
    @apollo/composition (npm packages of package.json; run `npm ci` first). Either one
    reporting an error fails the command.
    """
    ours = _pairs(urls, "--url")
    unknown = set(ours) - set(SUBGRAPHS)
    if unknown:
        raise click.BadParameter(f"unknown subgraph {', '.join(sorted(unknown))}; ours are "
                                 f"{', '.join(SUBGRAPHS)}", param_hint="--url")
    try:
        services = our_services(ours)
        services += [Service(name, url, fetch_sdl(url))
                     for name, url in _pairs(added, "--add").items()]
        composition = compose(services)
    except CompositionError as error:
        raise click.ClickException(str(error)) from error
    for hint in composition.hints:
        click.echo(f"hint: {hint}", err=True)
    text = supergraph_text(composition)
    if check:
        if not output.exists() or output.read_text(encoding="utf-8") != text:
            raise click.ClickException(f"{output} is out of date: run `credit-gateway compose`")
        click.echo(f"{output} is current")
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"composed {len(services)} subgraphs (Federation v{FEDERATION_VERSION}): "
               f"{', '.join(s.name for s in services)} → {output}")
