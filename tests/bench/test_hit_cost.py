"""``python -m bench.hit_cost`` runs end to end in a tiny configuration, so it cannot rot: both
builds answer from the response cache (it refuses to print otherwise), every figure is printed
and positive, and its database is dropped afterwards. No speed is asserted."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import pytest

from tests.conftest import PG_ADMIN_URL, REDIS_URL, Backend

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def run_tiny(prefix: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench.hit_cost", "--postgres-url", PG_ADMIN_URL,
         "--redis-url", REDIS_URL, "--subjects", "60", "--answers", "80", "--runs", "1",
         "--database-prefix", prefix],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)


async def test_tiny_run_prints_both_builds_and_the_round_trips(backend: Backend) -> None:
    if backend.name != "postgres":
        pytest.skip("the rate limit's windows and the round trips are Redis'")
    prefix = f"cg_hit_test_{uuid.uuid4().hex[:8]}"
    done = run_tiny(prefix)
    assert done.returncode == 0, done.stdout + done.stderr
    figures = {name.strip(): float(value) for name, value in re.findall(
        r"^  (limit off|limit on|bare asyncio PING|redis-py GET|window script, 8 hits)\s+"
        r"([\d.]+)", done.stdout, re.MULTILINE)}
    assert set(figures) == {"limit off", "limit on", "bare asyncio PING", "redis-py GET",
                            "window script, 8 hits"}, done.stdout
    assert all(value > 0 for value in figures.values()), figures
    conn = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
    try:
        left = await conn.fetch("SELECT datname FROM pg_database WHERE datname LIKE $1",
                                prefix + "%")
    finally:
        await conn.close()
    assert left == []
