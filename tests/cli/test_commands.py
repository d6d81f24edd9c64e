"""The ``credit-gateway`` command: help everywhere, schema printing, a real ``serve``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from federation.schema import printed_schema
from federation.subgraphs import subgraph_sdl
from gateway.cli.main import cli
from tests.conftest import Backend

COMMANDS = ["serve", "migrate", "seed", "schema", "keys", "import", "compose", "cluster"]
EXECUTABLE = Path(sys.executable).with_name("credit-gateway")


@pytest.mark.parametrize("args", [[], *([c] for c in COMMANDS)])
def test_every_command_has_help(args: list[str]) -> None:
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_top_level_help_lists_commands_and_settings() -> None:
    output = CliRunner().invoke(cli, ["--help"]).output
    for command in COMMANDS:
        assert command in output
    for variable in ("DATABASE_URL", "REDIS_URL", "CREDIT_GATEWAY_DATA_DIR"):
        assert variable in output


def test_schema_command_prints_the_checked_in_schema() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert result.output == printed_schema()


def test_schema_command_prints_a_subgraph() -> None:
    result = CliRunner().invoke(cli, ["schema", "--subgraph", "logistics"])
    assert result.exit_code == 0
    assert result.output == subgraph_sdl("logistics")


def test_bad_setting_is_a_one_line_error() -> None:
    result = CliRunner().invoke(cli, ["serve"], env={"CREDIT_GATEWAY_PORT": "eighty"})
    assert result.exit_code == 1
    assert "CREDIT_GATEWAY_PORT" in result.output
    assert "Traceback" not in result.output


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_answers_graphql_over_http(seeded: Backend) -> None:
    port = free_port()
    env = {**os.environ, **seeded.env}
    server = subprocess.Popen([str(EXECUTABLE), "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert json.load(r)["status"] == "ok"
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/graphql",
            data=json.dumps({"query": "{ subjects(first: 3) { totalCount } }"}).encode(),
            headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert json.load(response)["data"]["subjects"]["totalCount"] > 0
    finally:
        server.terminate()
        server.communicate(timeout=10)  # reaps the process and closes its pipe
