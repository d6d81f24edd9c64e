"""The midnight benchmark (``python -m bench.midnight``) runs end to end in a tiny
configuration, on both backends: a real server whose clock crosses 00:00 Beijing under load.
Nothing here asserts speed; it asserts what the row claims: no error, and the answers that
expire at that midnight are exactly those whose subjects' records change that day."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PG_ADMIN_URL, REDIS_URL, Backend

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_a_tiny_run_crosses_midnight_without_errors_or_extra_misses(backend: Backend) -> None:
    argv = [sys.executable, "-m", "bench.midnight", "--backend", backend.name,
            "--postgres-url", PG_ADMIN_URL, "--redis-url", REDIS_URL, "--subjects", "120",
            "--widget-subjects", "100", "--duration", "2", "--warmup", "2", "--lead", "30",
            "--connections", "4"]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = dict(re.findall(r"^\| (before midnight|across 00:00 Beijing) \|(.*)\|$",
                           done.stdout, re.MULTILINE))
    assert set(rows) == {"before midnight", "across 00:00 Beijing"}, done.stdout
    expected = int(re.findall(r"expected misses across midnight: (\d+)", done.stdout)[0])
    for label, cells in rows.items():
        rate, p50, p99, errors, misses = (cell.strip().replace(",", "")
                                          for cell in cells.split("|"))
        assert float(rate) > 0, label
        assert 0 < float(p50) <= float(p99), label
        assert int(errors) == 0, label
        # before: everything cached; across: one miss per subject whose widget changes
        assert int(misses) == (0 if label == "before midnight" else expected), done.stdout
