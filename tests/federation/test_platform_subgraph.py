"""A platform's own subgraph (federation/examples/platform_subgraph) composes in beside ours,
and through the router its fields sit on the same ``Subject`` as the credit graph's."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from graphql import GraphQLObjectType
from graphql import build_schema as parse_schema
from graphql import print_schema as print_api
from strawberry.printer import print_schema

from federation.composition import Service, compose, normalized, our_services
from federation.examples.platform_subgraph.app import build_schema
from federation.schema import printed_schema
from gateway.cli.main import cli
from gateway.topology.federation import LocalFederation
from tests.conftest import Backend, app_client
from tests.federation.conftest import shop_url
from tests.federation.test_router import post

pytestmark = pytest.mark.usefixtures("npm_packages")

SHOP = """query($u: USCC!) { subject(uscc: $u) {
  name listStatus ratingSummary { count } shopUrl platformRating } }"""
PLATFORM_FIELDS = {"shopUrl", "platformRating"}


def test_platform_subgraph_composes_beside_ours_and_adds_its_fields() -> None:
    platform = Service("platform", "http://127.0.0.1:4201/graphql", print_schema(build_schema({})))
    api = parse_schema(compose([*our_services(), platform]).public_sdl)
    subject = api.type_map["Subject"]
    assert isinstance(subject, GraphQLObjectType)
    assert set(subject.fields) >= PLATFORM_FIELDS
    # without the platform's two fields, the API schema is exactly ours
    for name in PLATFORM_FIELDS:
        del subject.fields[name]
    assert normalized(print_api(api)) == normalized(printed_schema())


async def test_platform_fields_join_the_credit_graph_through_the_router(
    writable: Backend, platform_usccs: list[str], writable_router: LocalFederation,
) -> None:
    for index, code in enumerate(platform_usccs):
        async with app_client(writable) as client:
            ours = (await client.data(SHOP.replace(" shopUrl platformRating", ""), {"u": code}))
        routed = post(writable_router.url, SHOP, {"u": code})
        assert "errors" not in routed, routed
        subject = routed["data"]["subject"]
        assert {k: v for k, v in subject.items() if k not in PLATFORM_FIELDS} == ours["subject"]
        if index < 3:
            assert subject["shopUrl"] == shop_url(code)
            assert subject["platformRating"] == pytest.approx(4.5 + index / 10)
        else:
            assert subject["shopUrl"] is None
            assert subject["platformRating"] is None


def test_compose_command_adds_a_running_platform_subgraph(platform_url: str,
                                                          tmp_path: Path) -> None:
    output = tmp_path / "supergraph.graphql"
    result = CliRunner().invoke(cli, ["compose", "--output", str(output),
                                      "--add", f"platform={platform_url}"])
    assert result.exit_code == 0, result.output
    assert "composed 5 subgraphs" in result.output
    assert f'@join__graph(name: "platform", url: "{platform_url}")' in output.read_text()
