"""The load benchmark (``python -m bench.load``) runs end to end in a tiny configuration, so it
cannot rot: real servers, real wrk, a table with all rows and figures that make sense — on
PostgreSQL with the peer, PostGraphile 5 (started from node_modules, its answers checked equal to
the gateway's first). Nothing here asserts speed — targets are for docs/PERFORMANCE.md, never
for tests."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import redis.asyncio as aioredis

from bench import peer
from tests.conftest import PG_ADMIN_URL, REDIS_URL, Backend

ROOT = Path(__file__).resolve().parents[2]
ROWS = ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")
PEER_ROWS = ("f", "g")  # PostGraphile 5: PostgreSQL only, Node 22 from node_modules

pytestmark = pytest.mark.slow


def run_benchmark(backend: str, out: Path, rows: str) -> tuple[subprocess.CompletedProcess[str],
                                                              dict[str, Any]]:
    argv = [sys.executable, "-m", "bench.load", "--backend", backend, "--rows", rows,
            "--postgres-url", PG_ADMIN_URL, "--redis-url", REDIS_URL,
            "--subjects", "60", "--rounds", "1", "--duration", "1", "--warmup", "1",
            "--connections", "2", "--widget-subjects", "3", "--dashboard-subjects", "3",
            "--json", str(out / "results.json"), "--plot", str(out / "plot.png")]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    results: dict[str, Any] = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return done, results


async def leftovers(results: dict[str, Any]) -> tuple[bool, list[bytes]]:
    """Whether the benchmark's database still exists, and its Redis keys still stored."""
    conn = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1",
                                     results["database"])
    finally:
        await conn.close()
    client = aioredis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{results['cache_prefix']}*")]
    finally:
        await client.aclose()
    return exists is not None, keys


async def test_tiny_run_prints_all_rows_with_sane_figures(
    backend: Backend, tmp_path: Path
) -> None:
    no_peer = peer.available(backend.name)
    if backend.name == "postgres" and os.environ.get("CI") == "true":
        assert not no_peer, no_peer  # CI installs node_modules (npm ci): the peer must run
    # SQLite: the rows of its own code paths (the peer, the second worker and the plans are
    # PostgreSQL's; a row not chosen is listed as such)
    chosen = "".join(ROWS) if backend.name == "postgres" else "abcde"
    done, results = run_benchmark(backend.name, tmp_path, chosen)
    for key in ROWS:
        assert f"| ({key}) |" in done.stdout
    assert "| peak RSS MiB |" in done.stdout
    assert "Resident memory (VmRSS) after each round:" in done.stdout
    assert "- (b): " in done.stdout
    assert "(b)/(a) ≥ 50%:" in done.stdout
    assert "(d)/(e) ≥ 3×:" in done.stdout
    # gateway / PostGraphile: uncached widget and dashboard, cached widget
    # and two workers against one on the uncached rows
    for ratio in ("(c)/(f) ≥ 50%:", "(d)/(g) ≥ 30%:", "(b)/(f) ≥ 5×:", "(h)/(c) ≥ 1.5×:",
                  "(i)/(d) ≥ 1.5×:"):
        assert ratio in done.stdout
    rows = {row["key"]: row for row in results["rows"]}
    assert list(rows) == list(ROWS)
    if no_peer:
        for key in PEER_ROWS:
            assert rows.pop(key)["skipped"] == no_peer
        assert "PostGraphile answers the same data" not in done.stdout
    else:  # checked equal before any load, on the same subjects
        assert ("PostGraphile answers the same data as the gateway: (f) = (c) for 3 subjects, "
                "(g) = (d) for 3 subjects") in done.stdout
    for key in set(rows) - set(chosen):
        assert rows.pop(key)["skipped"] == "not selected (--rows)"
    for key, row in rows.items():
        assert row["skipped"] is None, row
        assert len(row["rounds"]) == 1
        assert row["errors"] == 0, row
        # figures of (i) (two workers, no /metrics of their own) are wrk's, of the answers
        # inside its one-second window: on a busy machine the dashboard may have none there
        slow = key == "i" and not row["rounds"][0]["answers_in_wrk_window"]
        assert row["rounds"][0]["requests"] > 0 or slow, row
        assert row["requests_per_second"] > 0 or slow, row
        # latencies are wrk's, of the answers inside its one-second window: a slow naive
        # dashboard may have none there (then it has none), every other row has some
        if key not in ("e", "i") or row["rounds"][0]["answers_in_wrk_window"]:
            assert row["p50_ms"] is not None, (key, row)
            assert 0 < row["p50_ms"] <= row["p99_ms"], row
        else:
            assert row["p50_ms"] is None, row
        # the ceiling and the peer have no /metrics to count statements by, and each of
        # several workers its own
        assert (row["sql_statements_per_request"] is None) == (
            key in ("a", "h", "i", *PEER_ROWS)), row
        # each server's peak RSS (VmHWM): a Python process with its imports holds tens of MiB
        assert 10 < row["peak_rss_mib"] < 4096, row
        # and its resident memory after each round, to show it flat over a long run
        assert len(row["rss_mib_after_rounds"]) == 1, row
        assert 10 < row["rss_mib_after_rounds"][0] <= row["peak_rss_mib"], row
    sql = {key: row["sql_statements_per_request"] for key, row in rows.items()}
    assert sql["b"] < 1  # served from the response cache: no statement on a hit
    assert sql["c"] >= 1  # relation pages are never entity-cached (a plan: one statement)
    # the key look-up, the page, then per relation: batched once, naive once per subject
    assert sql["e"] > sql["d"] > sql["c"]
    plotted = (tmp_path / "plot.png").exists()
    if importlib.util.find_spec("matplotlib") is not None:
        assert plotted
        assert (tmp_path / "plot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        assert not plotted
        assert "matplotlib is not installed" in done.stdout
    if backend.name == "postgres":
        assert await leftovers(results) == (False, [])
