"""Redis is an accelerator: stopped, refusing or hanging, answers come from the database, one
warning is logged, ``/healthz`` says ``degraded``, and caching resumes when Redis returns.

A real ``redis-server`` on a spare loopback port is started, frozen (SIGSTOP: a slow Redis the
short socket timeout gives up on), stopped (refused connections) and started again.
"""

from __future__ import annotations

import base64
import dataclasses
import logging
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.conftest import IN_CI, Backend, GraphQLClient, app_client

NODE = "query($id: ID!) { node(id: $id) { id ... on License { status } } }"
LICENSE = base64.b64encode(b"License:1").decode()


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def redis_server(port: int) -> Iterator[subprocess.Popen[bytes]]:
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no", "--daemonize", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield server
    finally:
        server.send_signal(signal.SIGCONT)
        server.terminate()
        server.wait(10)


async def read(client: GraphQLClient) -> int:
    """Statements of one licence read (0 when the cache answered)."""
    data = await client.data(NODE, {"id": LICENSE})
    assert data["node"]["id"] == LICENSE
    return client.statements


async def health(client: GraphQLClient) -> str:
    response = await client.http.get("/healthz")
    assert response.status_code == 200
    status: str = response.json()["status"]
    return status


async def test_reads_survive_redis_stopping_hanging_and_returning(
        seeded: Backend, caplog: pytest.LogCaptureFixture) -> None:
    if shutil.which("redis-server") is None:
        if IN_CI:
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    port = spare_port()
    backend = dataclasses.replace(seeded, redis_url=f"redis://127.0.0.1:{port}/0")
    caplog.set_level(logging.WARNING, logger="credit_gateway.cache")
    async with app_client(backend) as client:
        with redis_server(port) as server:
            assert await read(client) == 1
            assert await read(client) == 0
            assert await health(client) == "ok"
            server.send_signal(signal.SIGSTOP)  # slow: every call times out
            assert await read(client) == 1
            assert await health(client) == "degraded"
            server.send_signal(signal.SIGCONT)
        # stopped: connections are refused
        assert [await read(client) for _ in range(3)] == [1, 1, 1]
        assert await health(client) == "degraded"
        unavailable = [r for r in caplog.records if "unavailable" in r.getMessage()]
        assert len(unavailable) == 1
        with redis_server(port):
            assert await health(client) == "ok"
            assert await read(client) == 1
            assert await read(client) == 0  # caching resumed
