"""The credit widget loaded by the GraphQL clients platforms use, in Node, from a production
server: Apollo Client (default ``InMemoryCache``, ``PersistedQueryLink`` with GET for hashed
queries) and urql (default ``cacheExchange`` and ``persistedExchange``). Their caches add
``__typename`` before hashing, so the trusted manifest must hold that form of the widget too;
each view (a page load: a new client) is then one hash-only GET, and a second view is answered
from the response cache."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from federation.composition import NODE_MODULES
from gateway.persisted.manifest import MANIFEST, TRUSTED_DIR
from tests.conftest import Backend, app_client, serving, unavailable

SCRIPT = Path(__file__).with_name("widget_views.mjs")
CLIENT_PACKAGES = ("@apollo/client", "@urql/core", "@urql/exchange-persisted")


@pytest.fixture(scope="session")
def client_packages() -> None:
    if shutil.which("node") is None:
        unavailable("Node.js", FileNotFoundError("node"))
    for package in CLIENT_PACKAGES:
        if not (NODE_MODULES / package / "package.json").exists():
            unavailable("npm packages", FileNotFoundError(f"{NODE_MODULES / package} "
                                                          "(run npm ci)"))


def views(client: str, url: str, uscc: str, count: int) -> list[dict[str, Any]]:
    """``count`` views of the widget for ``uscc`` by ``client``: what each sent and got."""
    run = subprocess.run(["node", str(SCRIPT), client, f"{url}/graphql", uscc,
                          str(TRUSTED_DIR / "widget.graphql"), str(count)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    result: list[dict[str, Any]] = json.loads(run.stdout)
    return result


async def test_apollo_client_and_urql_load_the_widget_with_one_hash_only_get_per_view(
    seeded: Backend, client_packages: None,
) -> None:
    async with app_client(seeded) as client:
        data = await client.data("{ subjects(first: 2) { edges { node { uscc } } } }")
    usccs = [edge["node"]["uscc"] for edge in data["subjects"]["edges"]]
    trusted = {operation["id"] for operation in
               json.loads(MANIFEST.read_text(encoding="utf-8"))["operations"]}
    with serving(seeded, env={"CREDIT_GATEWAY_ENV": "production"}) as (url,):
        # one subject per client, so each client's first view misses the response cache
        for name, uscc in zip(("apollo", "urql"), usccs, strict=True):
            loaded = views(name, url, uscc, 2)
            for number, view in enumerate(loaded):
                sent = [(r["method"], r["status"], r["query"], r["body"]) for r in view["requests"]]
                print(name, number + 1, sent, view["error"])
                assert view["error"] is None, (name, view)
                assert len(view["requests"]) == 1, (name, view["requests"])
                (request,) = view["requests"]
                assert (request["method"], request["status"]) == ("GET", 200)
                assert (request["query"], request["body"]) == (None, None)  # hash only
                assert request["extensions"]["persistedQuery"]["sha256Hash"] in trusted
                assert view["data"]["subject"]["uscc"] == uscc
                assert view["data"]["subject"]["__typename"] == "Subject"
            assert [view["requests"][0]["xCache"] for view in loaded] == ["MISS", "HIT"], name
