"""``credit-gateway hosting``: a platform's declared subjects are added, listed and removed,
and every mistake is a one-line error that stores nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gateway.cli.main import cli
from tests.conftest import Backend, Writers


def run(backend: Backend, *args: str) -> Result:
    return CliRunner().invoke(cli, ["hosting", *args], env=backend.env)


@pytest.mark.parametrize("command", [[], ["add"], ["remove"], ["list"]])
def test_every_hosting_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(cli, ["hosting", *command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_add_from_a_file_repeat_and_remove(writable: Backend, writers: Writers,
                                           tmp_path: Path) -> None:
    platform = writers.platforms[1]
    other = writers.platforms[0]  # a platform may trade on another (as a merchant does)
    listing = tmp_path / "merchants.txt"
    listing.write_text(f"# 入驻商户名单\n{other}\n\n", encoding="utf-8")
    first = run(writable, "add", "--platform", platform, "--file", str(listing))
    assert first.exit_code == 0, first.output
    assert "1 more subject(s); 0 already declared" in first.output
    again = run(writable, "add", "--platform", platform, other)
    assert "0 more subject(s); 1 already declared" in again.output
    assert other in run(writable, "list", "--platform", platform).output
    removed = run(writable, "remove", "--platform", platform, other)
    assert "1 subject(s) fewer" in removed.output
    assert other not in run(writable, "list", "--platform", platform).output


@pytest.mark.parametrize(("args", "message"), [
    (["add", "--platform", "914403001922038216", "914403001922038216"], "no subject with USCC"),
    (["add", "--platform", "914403001922038217", "914403001922038216"], "check character"),
    (["add", "--platform", "{platform}"], "at least one subject"),
    (["add", "--platform", "{platform}", "914403001922038216"], "no subject with USCC"),
    (["add", "--platform", "{platform}", "{platform}"], "does not host itself"),
    (["add", "--platform", "{platform}", "91440300MA5G0ULI0X"], "91440300MA5G0ULI0X"),
])
def test_mistakes_are_one_line_errors(writable: Backend, writers: Writers, args: list[str],
                                      message: str) -> None:
    platform = writers.platforms[0]
    before = run(writable, "list", "--platform", platform).output
    result = run(writable, *[arg.format(platform=platform) for arg in args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert run(writable, "list", "--platform", platform).output == before
