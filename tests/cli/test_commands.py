"""The ``credit-gateway`` command: help everywhere, schema printing, a real ``serve``."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from federation.schema import printed_schema
from federation.subgraphs import subgraph_sdl
from gateway.cli.main import cli
from tests.conftest import Backend, serving

COMMANDS = ["serve", "migrate", "seed", "schema", "keys", "import", "compose", "cluster",
            "grades", "lists", "brushing"]


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


@pytest.mark.parametrize("job", [["brushing", "refresh"], ["grades", "refresh"],
                                 ["lists", "propose"], ["keys", "list"]])
def test_a_job_without_its_database_says_so_in_one_line(job: list[str], tmp_path: Path) -> None:
    # nothing listens on port 9 (discard); an empty SQLite file has no tables
    unreachable = CliRunner().invoke(cli, job, env={
        "DATABASE_URL": "postgresql://postgres@127.0.0.1:9/none",
        "CREDIT_GATEWAY_DB_CONNECT_TIMEOUT": "2"})
    empty = CliRunner().invoke(cli, job, env={
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    assert unreachable.exit_code == empty.exit_code == 1
    assert unreachable.output.startswith("Error: cannot reach the database: ")
    assert "run `credit-gateway migrate`" in empty.output
    assert "Traceback" not in unreachable.output + empty.output


def test_serve_answers_graphql_over_http(seeded: Backend) -> None:
    with serving(seeded) as (url,):
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            assert json.load(response)["status"] == "ok"
        request = urllib.request.Request(
            f"{url}/graphql",
            data=json.dumps({"query": "{ subjects(first: 3) { totalCount } }"}).encode(),
            headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert json.load(response)["data"]["subjects"]["totalCount"] > 0
