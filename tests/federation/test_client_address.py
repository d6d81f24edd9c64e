"""Behind the router the client's address still counts: Hive Gateway passes the address of
its peer to the subgraphs (``X-Forwarded-For``), and the subgraphs trust the router only
(``CREDIT_GATEWAY_TRUSTED_PROXIES``), so each client has its own anonymous window there and
not one window shared by everyone through the router. Clients connect from other loopback
addresses (127.0.0.2, 127.0.0.3) than the router's. On PostgreSQL + Redis only: the windows of
a deployment's replicas are the ones in Redis (in-process windows are per replica, which the
SQLite tests of the edge cover), and the router and its eight subgraph processes are this
suite's costliest set-up."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from gateway.topology.federation import LocalFederation
from gateway.topology.processes import free_port
from tests.conftest import Backend

pytestmark = pytest.mark.usefixtures("npm_packages")
LIMIT = 3
QUERY = "{ subjects(first: 1) { totalCount } }"  # the registry subgraph only


@pytest.fixture(scope="module")
def router(seeded: Backend, npm_packages: None, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[LocalFederation]:
    env = {**seeded.env, "CREDIT_GATEWAY_RATE_LIMIT_ANONYMOUS": str(LIMIT),
           "CREDIT_GATEWAY_CACHE_PREFIX": f"{seeded.cache_prefix}-addr{free_port()}"}
    log_dir = tmp_path_factory.mktemp(f"federation-addresses-{seeded.name}")
    # two replicas per subgraph: the round-robin balancer is in the path too, as in the cluster
    with LocalFederation(env=env, log_dir=log_dir, replicas=2) as federation:
        yield federation


def post_from(source: str, url: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """``QUERY`` through the router, from the loopback address ``source``."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30,
                                            source_address=(source, 0))
    try:
        connection.request("POST", parts.path, body=json.dumps({"query": QUERY}),
                           headers={"content-type": "application/json", **(headers or {})})
        body: dict[str, Any] = json.loads(connection.getresponse().read())
        return body
    finally:
        connection.close()


def answered(body: dict[str, Any]) -> bool:
    return bool((body.get("data") or {}).get("subjects"))


def limited(body: dict[str, Any]) -> bool:
    return "RATE_LIMITED" in json.dumps(body.get("errors", []))


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_each_client_is_counted_at_the_subgraph_by_its_own_address(
    router: LocalFederation
) -> None:
    first = [post_from("127.0.0.2", router.url) for _ in range(LIMIT)]
    assert all(answered(body) for body in first), first
    # over the limit: and writing another address in X-Forwarded-For does not help
    assert limited(post_from("127.0.0.2", router.url)), "the client was not limited"
    assert limited(post_from("127.0.0.2", router.url, {"X-Forwarded-For": "203.0.113.9"}))
    # another client through the same router has a window of its own
    other = post_from("127.0.0.3", router.url)
    assert answered(other), f"another client was refused: {other}"
