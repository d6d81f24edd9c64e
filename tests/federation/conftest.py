"""Federation tests need the npm packages (``npm ci``; ``scripts/test`` runs it): without them
they skip, and with ``CI=true`` they fail, like the PostgreSQL half of the suite."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator

import pytest

from federation.composition import NODE_MODULES, Service, fetch_sdl
from gateway.topology.federation import LocalFederation
from gateway.topology.processes import Child, free_port
from tests.conftest import Backend, app_client, unavailable


@pytest.fixture(scope="session")
def npm_packages() -> None:
    if shutil.which("node") is None:
        unavailable("Node.js", FileNotFoundError("node"))
    if not (NODE_MODULES / ".bin" / "hive-gateway").exists():
        unavailable("npm packages", FileNotFoundError(f"{NODE_MODULES} (run npm ci)"))


@pytest.fixture(scope="session")
async def platform_usccs(writable: Backend) -> list[str]:
    """Four subjects of the ``writable`` database; the example platform has shops for the
    first three."""
    async with app_client(writable) as client:
        data = await client.data("{ subjects(first: 4) { edges { node { uscc } } } }")
    return [edge["node"]["uscc"] for edge in data["subjects"]["edges"]]


def shop_url(uscc: str) -> str:
    return f"https://shop.example-platform.cn/s/{uscc}"


@pytest.fixture(scope="session")
def platform_url(platform_usccs: list[str], tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[str]:
    """The example platform subgraph (federation/examples/platform_subgraph) as its own
    process."""
    directory = tmp_path_factory.mktemp("platform")
    shops = directory / "shops.json"
    shops.write_text(json.dumps({code: {"url": shop_url(code), "rating": 4.5 + i / 10}
                                 for i, code in enumerate(platform_usccs[:3])}),
                     encoding="utf-8")
    port = free_port()
    platform = Child.start(
        "platform", [sys.executable, "-m", "federation.examples.platform_subgraph", "--port",
                     str(port), "--shops", str(shops)], log_dir=directory)
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        platform.wait_http(f"{url}?query=%7B__typename%7D")
        yield url
    finally:
        platform.stop()


@pytest.fixture(scope="session")
def writable_router(writable: Backend, platform_url: str, npm_packages: None,
                    tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalFederation]:
    """Our four subgraphs and the platform's behind Hive Gateway, on the ``writable``
    database (the tests through it may write)."""
    extra = [Service("platform", platform_url, fetch_sdl(platform_url))]
    log_dir = tmp_path_factory.mktemp(f"writable-federation-{writable.name}")
    with LocalFederation(env=writable.env, log_dir=log_dir, extra=extra) as federation:
        yield federation
