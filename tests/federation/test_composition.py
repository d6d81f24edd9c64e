"""The subgraphs compose with both composers, and the composed API schema is the embedded
gateway's schema — one definition, many projections, the same union."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from click.testing import CliRunner

from federation.composition import (
    SUPERGRAPH_FILE,
    CompositionError,
    Service,
    compose,
    normalized,
    our_services,
    supergraph_text,
)
from federation.schema import printed_schema
from gateway.cli.main import cli

pytestmark = pytest.mark.usefixtures("npm_packages")

# a subgraph claiming a field the registry owns, with another type: both composers refuse it
RIVAL = '''extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
scalar USCC
type Subject @key(fields: "uscc") { uscc: USCC! name: Int }
type Query { rival: Subject }
'''


def differences(expected: str, actual: str) -> str:
    return "\n".join(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                          "embedded", "composed", lineterm="", n=1))


@pytest.fixture(scope="module")
def composition_text() -> tuple[str, str, str]:
    composition = compose(our_services())
    return (supergraph_text(composition), composition.public_sdl, composition.apollo_public_sdl)


def test_api_schema_of_the_supergraph_is_the_embedded_schema(
    composition_text: tuple[str, str, str],
) -> None:
    _, guild, apollo = composition_text
    embedded = normalized(printed_schema())
    assert normalized(guild) == embedded, differences(embedded, normalized(guild))
    assert normalized(apollo) == embedded, differences(embedded, normalized(apollo))


def test_checked_in_supergraph_is_current(composition_text: tuple[str, str, str]) -> None:
    assert SUPERGRAPH_FILE.read_text(encoding="utf-8") == composition_text[0], (
        "federation/supergraph.graphql drifted from the code: run `credit-gateway compose`")


def test_composition_errors_fail_the_composition() -> None:
    with pytest.raises(CompositionError) as raised:
        compose([*our_services(), Service("rival", "http://127.0.0.1:9/graphql", RIVAL)])
    message = str(raised.value)
    assert "@theguild/federation-composition:" in message
    assert "@apollo/composition:" in message
    assert "Subject.name" in message


def test_compose_command_writes_and_checks_the_supergraph(tmp_path: Path) -> None:
    output = tmp_path / "supergraph.graphql"
    runner = CliRunner()
    stale = runner.invoke(cli, ["compose", "--check", "--output", str(output)])
    assert stale.exit_code == 1
    assert "out of date" in stale.output
    urls = ["--url", "trade=http://10.0.0.3:8080/graphql"]
    written = runner.invoke(cli, ["compose", "--output", str(output), *urls])
    assert written.exit_code == 0, written.output
    assert "Federation v2.9" in written.output
    text = output.read_text(encoding="utf-8")
    assert 'url: "http://10.0.0.3:8080/graphql"' in text
    assert 'url: "http://127.0.0.1:4101/graphql"' in text
    current = runner.invoke(cli, ["compose", "--check", "--output", str(output), *urls])
    assert current.exit_code == 0, current.output
    unknown = runner.invoke(cli, ["compose", "--url", "nowhere=http://x/graphql"])
    assert unknown.exit_code == 2
    assert "unknown subgraph nowhere" in unknown.output
