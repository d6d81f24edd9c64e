"""Production-mode subgraphs answer their router (docs/DEPLOYMENT.md, "Production: the router is
the edge"): anonymous callers of a production deployment may run only the trusted documents,
and with a router that rule is the router's — the subgraphs answer the ``_service`` and
``_entities`` queries of a router that proves itself with ``CREDIT_GATEWAY_ROUTER_SECRET``,
and refuse everyone else as before."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from federation.subgraphs import subgraph_sdl
from gateway.persisted.manifest import TRUSTED_DIR, body_of, sha256
from gateway.topology.federation import LocalFederation
from tests.conftest import Backend, app_client

SECRET = "a-router-secret-of-the-tests"
ROUTER_HEADER = "x-credit-gateway-router"  # what federation/gateway.config.mjs sends
WIDGET = body_of(TRUSTED_DIR / "widget.graphql")  # the manifest's body of the widget query
ENTITIES = """query($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Subject { uscc name } } }"""
PRODUCTION = {"environment": "production", "router_secret": SECRET}


async def first_uscc(backend: Backend) -> str:
    async with app_client(backend) as client:
        data = await client.data("{ subjects(first: 1) { edges { node { uscc } } } }")
    uscc: str = data["subjects"]["edges"][0]["node"]["uscc"]
    return uscc


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.mark.parametrize("query", ["{ _service { sdl } }", ENTITIES])
async def test_a_production_subgraph_answers_its_router_and_only_its_router(
    seeded: Backend, query: str
) -> None:
    uscc = await first_uscc(seeded)
    payload = {"query": query,
               "variables": {"representations": [{"__typename": "Subject", "uscc": uscc}]}}
    async with app_client(seeded, subgraph="registry", **PRODUCTION) as client:
        router = await client.http.post("/graphql", json=payload,
                                        headers={ROUTER_HEADER: SECRET})
        anonymous = await client.http.post("/graphql", json=payload)
        forged = await client.http.post("/graphql", json=payload,
                                        headers={ROUTER_HEADER: "not-the-secret"})
    assert router.status_code == 200, router.text
    data = router.json()["data"]
    if "_service" in data:
        assert data["_service"]["sdl"].rstrip() == subgraph_sdl("registry").rstrip()
    else:
        assert data["_entities"][0]["uscc"] == uscc
        assert data["_entities"][0]["name"]
    assert codes(anonymous.json()) == ["DOCUMENT_NOT_TRUSTED"]
    # a router that sends the wrong secret is told so, not mistaken for an anonymous client
    assert forged.status_code == 403
    assert codes(forged.json()) == ["ROUTER_NOT_TRUSTED"]


async def test_without_a_router_secret_no_router_is_trusted(seeded: Backend) -> None:
    async with app_client(seeded, subgraph="registry", environment="production") as client:
        response = await client.http.post("/graphql", json={"query": "{ _service { sdl } }"},
                                          headers={ROUTER_HEADER: ""})
    assert response.status_code == 403
    assert codes(response.json()) == ["ROUTER_NOT_TRUSTED"]


@pytest.fixture(scope="module")
def production_router(seeded: Backend, npm_packages: None,
                      tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalFederation]:
    env = {**seeded.env, "CREDIT_GATEWAY_ENV": "production",
           "CREDIT_GATEWAY_ROUTER_SECRET": SECRET}
    log_dir = tmp_path_factory.mktemp(f"production-federation-{seeded.name}")
    with LocalFederation(env=env, log_dir=log_dir) as federation:
        yield federation


def post(url: str, body: dict[str, Any], headers: dict[str, str] | None = None
         ) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"content-type": "application/json",
                                              **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


async def test_the_widget_runs_anonymously_through_a_production_router(
    seeded: Backend, production_router: LocalFederation
) -> None:
    uscc = await first_uscc(seeded)
    async with app_client(seeded) as client:
        expected = await client.post(WIDGET, {"uscc": uscc})
    assert "errors" not in expected
    assert expected["data"]["subject"]["name"]
    by_id = {"variables": {"uscc": uscc},
             "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256(WIDGET)}}}
    status, body = post(production_router.url, by_id)
    assert (status, body) == (200, expected)


async def test_the_production_router_holds_anonymous_callers_to_the_trusted_documents(
    seeded: Backend, production_router: LocalFederation
) -> None:
    _, body = post(production_router.url,
                   {"query": "{ subjects(first: 2) { edges { node { uscc name } } } }"})
    assert body.get("data") is None
    assert codes(body) == ["DOCUMENT_NOT_TRUSTED"]
    # the subgraphs themselves still refuse a client that bypasses the router
    status, body = post(production_router.subgraph_urls["registry"],
                        {"query": "{ _service { sdl } }"})
    assert (status, codes(body)) == (400, ["DOCUMENT_NOT_TRUSTED"])
    # a caller with a key may send any document; the router lets it through and the subgraph
    # authenticates the key (an unknown one is refused there)
    _, body = post(production_router.url, {"query": "{ subjects(first: 1) { totalCount } }"},
                   {"authorization": "Bearer cgk_00000000_not-a-real-secret"})
    assert "UNAUTHENTICATED" in json.dumps(body), body
