"""Coverage is measured in the test command (scripts/test: ``pytest --cov``) and a run that
measures less than the floor of pyproject.toml fails (README, "Coverage")."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_run_below_the_floor_fails(tmp_path: Path) -> None:
    floor = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8")
                          )["tool"]["coverage"]["report"]["fail_under"]
    assert 80 <= floor <= 100
    # its own data file, so the run measuring this suite keeps its own
    env = {key: value for key, value in os.environ.items() if not key.startswith("COVERAGE_")}
    env["COVERAGE_FILE"] = str(tmp_path / ".coverage")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--cov",
         "--cov-report=term", "tests/test_name_grams.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert f"Required test coverage of {float(floor)}% not reached" in run.stdout, run.stdout[-2000:]
    assert run.returncode != 0
    # what it measured: the three packages of the service, nothing of the tests
    report = run.stdout[run.stdout.index("Name"):]
    assert "gateway/" in report
    assert "resolvers/" in report
    assert "tests/" not in report


def test_the_test_command_measures_coverage_with_the_floor() -> None:
    script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    assert "--cov" in script
    assert "--cov-fail-under=0" in script  # only for focused runs, which pass arguments
