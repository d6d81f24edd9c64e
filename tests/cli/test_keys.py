"""``credit-gateway keys``: a key is printed once, listed by prefix only, and refused once revoked."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from gateway.cli.main import cli
from tests.conftest import Backend, Writers, app_client


def run(backend: Backend, *args: str) -> Result:
    return CliRunner().invoke(cli, ["keys", *args], env=backend.env)


async def status_with(backend: Backend, key: str) -> int:
    async with app_client(backend) as client:
        response: httpx.Response = await client.http.post(
            "/graphql", json={"query": "{ __typename }"},
            headers={"Authorization": f"Bearer {key}"})
        return response.status_code


@pytest.mark.parametrize("command", [[], ["create"], ["revoke"], ["list"]])
def test_every_keys_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(cli, ["keys", *command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_create_list_revoke(writable: Backend) -> None:
    created = run(writable, "create", "--name", "贵阳市市场监督管理局", "--department",
                  "MARKET_REGULATION", "--code", "914403001922038216")
    assert created.exit_code == 0, created.output
    key = created.stdout.splitlines()[1]
    prefix = key.split("_")[1]
    assert key.startswith(f"cgk_{prefix}_")
    assert "shown only this once" in created.stderr
    assert asyncio.run(status_with(writable, key)) == 200

    listed = run(writable, "list")
    assert listed.exit_code == 0, listed.output
    row = next(line for line in listed.output.splitlines() if line.startswith(prefix))
    assert "贵阳市市场监督管理局" in row
    assert "MARKET_REGULATION" in row
    assert row.rstrip().endswith("-")  # not revoked
    assert key.split("_", 2)[2] not in listed.output  # the secret is never shown again

    revoked = run(writable, "revoke", prefix)
    assert revoked.exit_code == 0, revoked.output
    assert asyncio.run(status_with(writable, key)) == 401
    row = next(line for line in run(writable, "list").output.splitlines()
               if line.startswith(prefix))
    assert not row.rstrip().endswith("-")


def test_platform_writer_needs_a_platform_subject(writable: Backend, writers: Writers) -> None:
    missing = run(writable, "create", "--name", "平台", "--department", "PLATFORM")
    assert missing.exit_code == 1
    assert "--platform" in missing.output
    not_a_platform = run(writable, "create", "--name", "平台", "--department", "PLATFORM",
                         "--platform", "914403001922038216")
    assert not_a_platform.exit_code == 1
    ok = run(writable, "create", "--name", "平台", "--department", "PLATFORM",
             "--platform", writers.platforms[0])
    assert ok.exit_code == 0, ok.output


@pytest.mark.parametrize(("args", "message"), [
    (["revoke", "nope1234"], "no key with prefix"),
    (["create", "--name", "x", "--department", "MARKET_REGULATION", "--code", "914403001922038217"],
     "check character"),
    (["create", "--name", "x", "--department", "MINISTRY_OF_MAGIC"], "MINISTRY_OF_MAGIC"),
])
def test_mistakes_are_one_line_errors(writable: Backend, args: list[str], message: str) -> None:
    result = run(writable, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def prefix_of(created: Result) -> str:
    return created.stdout.splitlines()[1].split("_")[1]


def listed_row(backend: Backend, prefix: str) -> str:
    listed = run(backend, "list")
    assert listed.exit_code == 0, listed.output
    header = listed.output.splitlines()[0]
    assert "role" in header
    assert "origins" in header
    return next(line for line in listed.output.splitlines() if line.startswith(prefix))


def test_roles_and_origins_are_stored_normalised_and_listed(writable: Backend) -> None:
    created = run(writable, "create", "--name", "某平台前端", "--department", "COMMERCE",
                  "--role", "REGULATOR", "--origin", "HTTPS://Shop.Example.COM:443/",
                  "--origin", "http://localhost:8080", "--origin", "https://shop.example.com")
    assert created.exit_code == 0, created.output
    assert "REGULATOR" in created.stdout.splitlines()[0]
    row = listed_row(writable, prefix_of(created))
    assert "REGULATOR" in row
    # normalised (scheme and host lower-cased, default port and slash dropped) and deduplicated
    assert "https://shop.example.com,http://localhost:8080" in row

    default = run(writable, "create", "--name", "税务局", "--department", "TAX")
    row = listed_row(writable, prefix_of(default))
    assert "REGULATOR" in row  # a department's key defaults to REGULATOR
    assert "  -  " in row  # no origins


def test_an_auditor_key_needs_no_department_and_writes_nothing(writable: Backend,
                                                               writers: Writers) -> None:
    created = run(writable, "create", "--name", "某信用服务机构", "--role", "AUDITOR")
    assert created.exit_code == 0, created.output
    key = created.stdout.splitlines()[1]
    row = listed_row(writable, prefix_of(created))
    assert "DEVELOPMENT_REFORM" in row
    assert "AUDITOR" in row

    async def publish() -> dict[str, Any]:
        async with app_client(writable) as client:
            client.http.headers["Authorization"] = f"Bearer {key}"
            return await client.post(
                "mutation($s: String!) { addListEntry(input: {subject: $s, kind: RED, "
                'reason: "x", authority: "x", authorityCode: "914403001922038216", '
                'validFrom: "2026-01-01"}) { id } }', {"s": writers.platforms[0]})
    body = asyncio.run(publish())
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert error["extensions"]["role"] == "AUDITOR"

    # a department's key may read as AUDITOR too
    market = run(writable, "create", "--name", "审计处", "--department", "DEVELOPMENT_REFORM",
                 "--role", "AUDITOR")
    assert market.exit_code == 0, market.output
    assert "AUDITOR" in listed_row(writable, prefix_of(market))


@pytest.mark.parametrize(("args", "message"), [
    (["--department", "TAX", "--origin", "ftp://x.example"], "http or https"),
    (["--department", "TAX", "--origin", "https://x.example/page"], "no path"),
    (["--department", "TAX", "--origin", "https://user@x.example"], "no user name"),
    (["--department", "TAX", "--origin", "x.example"], "http or https"),
    (["--department", "TAX", "--role", "PLATFORM"], "PLATFORM writers only"),
    (["--department", "TAX", "--role", "PUBLIC"], "PUBLIC"),
    (["--role", "REGULATOR"], "--department"),
    ([], "--department"),
])
def test_bad_roles_and_origins_are_refused(writable: Backend, args: list[str],
                                           message: str) -> None:
    before = run(writable, "list").output
    result = run(writable, "create", "--name", "x", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert run(writable, "list").output == before  # nothing stored


DISTRICT = "11310115MB2F3K0X2X"  # a subordinate authority's USCC (浦东新区市场监督管理局)


def test_a_key_speaks_for_the_subordinate_authorities_it_names(writable: Backend,
                                                                 writers: Writers) -> None:
    created = run(writable, "create", "--name", "上海市市场监督管理局", "--department",
                  "MARKET_REGULATION", "--code", "11310000MB2F3K0X1X", "--speaks-for", DISTRICT)
    assert created.exit_code == 0, created.output
    key = created.stdout.splitlines()[1]
    assert f"11310000MB2F3K0X1X,{DISTRICT}" in listed_row(writable, prefix_of(created))

    async def publish(authority_code: str) -> dict[str, Any]:
        async with app_client(writable) as client:
            client.http.headers["Authorization"] = f"Bearer {key}"
            return await client.post(
                "mutation($s: String!, $a: String!) { addListEntry(input: {subject: $s, "
                'kind: RED, reason: "守信激励", authority: "浦东新区市场监督管理局", '
                'authorityCode: $a, validFrom: "2026-01-01"}) { id } }',
                {"s": writers.platforms[1], "a": authority_code})
    assert "errors" not in asyncio.run(publish(DISTRICT))
    foreign = asyncio.run(publish("914403001922038216"))
    assert [e["extensions"]["code"] for e in foreign["errors"]] == ["FORBIDDEN"]


@pytest.mark.parametrize(("args", "message"), [
    (["--department", "COMMERCE", "--speaks-for", DISTRICT], "--code"),
    (["--department", "COMMERCE", "--code", "914403001922038216", "--speaks-for",
      "11310115MB2F3K0X2Y"], "check character"),
])
def test_speaks_for_needs_a_code_and_valid_usccs(writable: Backend, args: list[str],
                                                 message: str) -> None:
    result = run(writable, "create", "--name", "x", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
