"""A platform's own subgraph (federation/examples/platform_subgraph) composes in beside ours,
and through the router its fields sit on the same ``Subject`` as the credit graph's."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from graphql import GraphQLObjectType
from graphql import build_schema as parse_schema
from graphql import print_schema as print_api
from strawberry.printer import print_schema

from federation.composition import Service, compose, fetch_sdl, normalized, our_services
from federation.examples.platform_subgraph.app import build_schema
from federation.schema import printed_schema
from gateway.cli.main import cli
from gateway.topology.federation import LocalFederation
from gateway.topology.processes import Child, free_port
from tests.conftest import Backend, app_client
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


@pytest.fixture(scope="module")
async def usccs(seeded: Backend) -> list[str]:
    async with app_client(seeded) as client:
        data = await client.data("{ subjects(first: 4) { edges { node { uscc } } } }")
    return [edge["node"]["uscc"] for edge in data["subjects"]["edges"]]


@pytest.fixture(scope="module")
def platform_url(usccs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example platform subgraph as its own process, with shops for three of the four
    subjects."""
    directory = tmp_path_factory.mktemp("platform")
    shops = directory / "shops.json"
    shops.write_text(json.dumps({code: {"url": f"https://shop.example-platform.cn/s/{code}",
                                        "rating": 4.5 + i / 10}
                                 for i, code in enumerate(usccs[:3])}), encoding="utf-8")
    port = free_port()
    platform = Child.start("platform", [sys.executable, "-m", "federation.examples.platform_subgraph",
                                        "--port", str(port), "--shops", str(shops)],
                           log_dir=directory)
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        platform.wait_http(f"{url}?query=%7B__typename%7D")
        yield url
    finally:
        platform.stop()


@pytest.fixture(scope="module")
def router_with_platform(seeded: Backend, platform_url: str, npm_packages: None,
                         tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalFederation]:
    extra = [Service("platform", platform_url, fetch_sdl(platform_url))]
    log_dir = tmp_path_factory.mktemp(f"platform-federation-{seeded.name}")
    with LocalFederation(env=seeded.env, log_dir=log_dir, extra=extra) as federation:
        yield federation


async def test_platform_fields_join_the_credit_graph_through_the_router(
    seeded: Backend, usccs: list[str], router_with_platform: LocalFederation,
) -> None:
    for index, code in enumerate(usccs):
        async with app_client(seeded) as client:
            ours = (await client.data(SHOP.replace(" shopUrl platformRating", ""), {"u": code}))
        routed = post(router_with_platform.url, SHOP, {"u": code})
        assert "errors" not in routed, routed
        subject = routed["data"]["subject"]
        assert {k: v for k, v in subject.items() if k not in PLATFORM_FIELDS} == ours["subject"]
        if index < 3:
            assert subject["shopUrl"] == f"https://shop.example-platform.cn/s/{code}"
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
