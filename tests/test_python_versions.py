"""Python 3.11 to 3.13 (README, "Python versions"): the package accepts each of them, and the
test command runs the suite on 3.13 too where the machine has it."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_requires_python_allows_3_11_to_3_13() -> None:
    allowed = SpecifierSet(PROJECT["project"]["requires-python"])
    assert [version for version in ("3.10.14", "3.11.7", "3.12.1", "3.13.0", "3.14.0")
            if version in allowed] == ["3.11.7", "3.12.1", "3.13.0"]
    # lint and types keep to the oldest, so nothing newer slips in
    assert PROJECT["tool"]["ruff"]["target-version"] == "py311"
    assert PROJECT["tool"]["mypy"]["python_version"] == "3.11"


def test_the_test_command_runs_the_suite_on_3_13_too() -> None:
    script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    assert "find_python 3.13" in script
    assert "VENV=.venv-3.13" in script
