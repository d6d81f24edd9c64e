"""``credit-gateway cluster``: the distributed topology on loopback — two replicas per subgraph
behind round-robin balancers, Hive Gateway, shared Redis, PostgreSQL primary + read replica —
serves the graph, reads from the replica, and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import pytest

from gateway.topology.processes import free_port
from resolvers.types.node import from_global_id
from tests.conftest import unavailable
from tests.federation.test_router import post

pytestmark = [pytest.mark.usefixtures("npm_packages"), pytest.mark.slow]
REPLICAS = 2
PAGE = """query($first: Int!) { subjects(first: $first) { totalCount edges { node {
  uscc name listStatus ratingSummary { count }
  penalties(first: 1) { edges { node { id fine } } }
  logisticsLinks(first: 1) { edges { node { carrier { carrierCreditClass { grade } } } } } } } } }"""


def fine_of(router: str, penalty_id: str) -> str | None:
    """The penalty's fine as a relation page shows it: pages are read from the database every
    time (``node`` would answer from the entity cache, which this out-of-band UPDATE skips)."""
    page = post(router, PAGE, {"first": 80})["data"]["subjects"]["edges"]
    fines = [e["node"]["penalties"]["edges"][0]["node"]["fine"] for e in page
             if e["node"]["penalties"]["edges"]
             and e["node"]["penalties"]["edges"][0]["node"]["id"] == penalty_id]
    assert len(fines) == 1
    fine: str | None = fines[0]
    return fine


def port_of(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Cluster:
    described: dict[str, Any]  # cluster.json: router, subgraphs, databases, redis, logs
    output: Path
    process: subprocess.Popen[bytes]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    for tool in ("initdb", "pg_ctl", "pg_basebackup", "redis-server"):
        if shutil.which(tool) is None:
            unavailable(tool, FileNotFoundError(tool))
    directory = tmp_path_factory.mktemp("cluster")
    # the replica test changes a fine behind the gateway's back (SQL on the primary), which
    # purges no cached answer by design (docs/CACHING.md): its subgraphs cache no responses
    env = {**os.environ, "CREDIT_GATEWAY_RESPONSE_CACHE_TTL": "0"}
    with (directory / "cluster.out").open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gateway", "cluster", "--replicas", str(REPLICAS),
             "--subjects", "80", "--router-port", str(free_port()), "--dir",
             str(directory / "state")], stdout=output, stderr=subprocess.STDOUT, env=env)
    described = directory / "state" / "cluster.json"
    deadline = time.monotonic() + 240
    try:
        while not described.exists():
            assert process.poll() is None, (directory / "cluster.out").read_text()
            assert time.monotonic() < deadline, "the cluster did not come up"
            time.sleep(0.5)
        yield Cluster(json.loads(described.read_text()), directory / "cluster.out", process)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(120)


def test_each_subgraph_replica_serves_behind_its_balancer(cluster: Cluster) -> None:
    described = cluster.described
    # distinct queries at once, so the router opens several connections to every subgraph
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda n: post(described["router"], PAGE, {"first": n}),
                                range(1, 17)))
    assert all("errors" not in a for a in answers), [a["errors"] for a in answers if "errors" in a]
    assert [len(a["data"]["subjects"]["edges"]) for a in answers] == list(range(1, 17))
    logs = Path(described["logs"])
    for name in described["subgraphs"]:
        served = [(logs / f"{name}-{i}.log").read_text().count("POST /graphql")
                  for i in range(1, REPLICAS + 1)]
        assert all(served), (name, served)


async def test_queries_read_the_replica_which_follows_the_primary(cluster: Cluster) -> None:
    described = cluster.described
    router = described["router"]
    page = post(router, PAGE, {"first": 80})["data"]["subjects"]["edges"]
    penalty = next(e["node"]["penalties"]["edges"][0]["node"] for e in page
                   if e["node"]["penalties"]["edges"])
    primary = await asyncpg.connect(described["postgres_primary"])
    replica = await asyncpg.connect(described["postgres_read_replica"])
    try:
        await replica.execute("SELECT pg_wal_replay_pause()")
        await primary.execute("UPDATE penalty SET fine = coalesce(fine, 0) + 1000 "
                              "WHERE id = $1", int(from_global_id(penalty["id"])[1]))
        # the replica has not replayed the change: the router's answer is the old fine
        assert fine_of(router, penalty["id"]) == penalty["fine"]
        await replica.execute("SELECT pg_wal_replay_resume()")
        for _ in range(100):
            fine = fine_of(router, penalty["id"])
            if fine != penalty["fine"]:
                break
            await asyncio.sleep(0.1)
        assert float(fine or 0) == float(penalty["fine"] or 0) + 1000
    finally:
        await replica.close()
        await primary.close()


def test_sigterm_stops_every_piece(cluster: Cluster) -> None:
    described = cluster.described
    ports = [port_of(described["router"]), *map(port_of, described["subgraphs"].values()),
             port_of(described["postgres_primary"]), port_of(described["postgres_read_replica"]),
             port_of(described["redis"])]
    assert all(listening(p) for p in ports)
    cluster.process.send_signal(signal.SIGTERM)
    assert cluster.process.wait(60) == 0
    assert [p for p in ports if listening(p)] == []
    assert "cluster stopped" in cluster.output.read_text()
    assert not (Path(described["logs"]).parent / "cluster.json").exists()
