"""The suite's own contract: without PostgreSQL the PostgreSQL half skips, but with CI=true
it fails, so a CI run can never pass on SQLite alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# a fixture that fails reports the test as an error; one that skips, as skipped
@pytest.mark.parametrize(("ci", "outcome"), [("true", "1 error"), ("", "1 skipped")])
def test_unreachable_postgres_fails_in_ci_and_skips_elsewhere(ci: str, outcome: str) -> None:
    env = {**os.environ, "CI": ci, "TEST_POSTGRES_URL": "postgresql://postgres@127.0.0.1:9/none"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/graphql/test_subject.py::test_non_string_uscc_is_rejected[postgres]"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert outcome in run.stdout, run.stdout
    if ci:
        assert run.returncode != 0
        assert "CI=true" in run.stdout
    else:
        assert run.returncode == 0
