"""``bench/search.py`` runs end to end on a tiny SQLite dataset, so it cannot rot: both cache
states print a line per query shape. It sends every request from one client address, more than
the anonymous rate limit lets one address make in a minute (600 by default) — a run of the
documented size must be measured, not refused. No speed is asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHAPES = ("search 1 char", "search whole name", "search USCC prefix 10", "subject(uscc)",
          "subjects first 20")

pytestmark = pytest.mark.slow


def test_a_run_past_the_rate_limit_prints_both_cache_states(tmp_path: Path) -> None:
    # 11 shapes × 61 requests: 671 from one address, over the 600 per minute of the default
    done = subprocess.run(
        [sys.executable, "bench/search.py", "--database-url",
         f"sqlite:///{tmp_path / 'search.sqlite3'}", "--subjects", "60", "--rounds", "60"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    no_cache, _, cached = done.stdout.partition("production defaults")
    assert "no cache (entity and response caches off)" in no_cache
    for shape in SHAPES:
        assert f"\n{shape} " in no_cache, shape
        assert f"\n{shape} " in cached, shape
