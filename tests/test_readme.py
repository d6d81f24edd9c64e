"""The README documents every setting the code reads, and the two commands exist."""

from __future__ import annotations

import os
from pathlib import Path

from gateway.settings import describe

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_with_its_default() -> None:
    for variable, default, _ in describe():
        row = next((line for line in README.splitlines() if line.startswith(f"| `{variable}` ")),
                   None)
        assert row is not None, f"{variable} missing from README's Configuration table"
        assert (f"`{default}`" in row) if default else ("empty" in row)


def test_the_two_commands_exist_and_ci_runs_the_test_command() -> None:
    for script in ("scripts/demo", "scripts/test"):
        assert f"\n{script}\n" in README
        assert os.access(ROOT / script, os.X_OK)
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
