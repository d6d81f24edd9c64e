"""The midnight row: 1,000 distinct widget subjects crossing 00:00 Beijing.

    python -m bench.midnight [--subjects 2000] [--widget-subjects 1000] [--duration 10]

Seeds a dataset of its own (``bench.load.Dataset``: a PostgreSQL database and a Redis prefix,
dropped afterwards; ``--backend sqlite`` for SQLite and the in-process cache) and starts one
``credit-gateway serve`` in production mode with the response cache on, whose clock is moved
(``CREDIT_GATEWAY_CLOCK_OFFSET``, tests and benchmarks only) so that it reaches 00:00 Beijing
``--lead`` seconds after it starts. It warms the response cache with the widget of every
subject, then drives the widget GETs of all of them with wrk twice, for ``--duration`` seconds
each: once well before midnight (every answer cached), once starting a second before it; the
first warm-up round (every answer a miss at first: what every midnight cost while the response
key held the day) is printed beside them. It prints, per window, throughput, p50, p99, errors
and the response-cache misses the server counted: the misses across midnight are the answers
whose records change that day (a penalty leaving publicity, a list entry ending, a penalty
leaving the grade's year of recency), not all of them, and concurrent misses of one answer
compute once. The figures are indicative on a shared machine: the load average is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as day_time
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import col, select

from bench.load import COMMON_ENV, EXECUTABLE, ROOT, Dataset, widget_query
from bench.wrk import HttpRequest, Result, ensure_wrk, run, write_script
from gateway.topology.processes import Child, free_port, stop_all
from resolvers.data.database import Database
from resolvers.data.models import Subject
from resolvers.data.queries import calendar, grading
from resolvers.domain import clock
from resolvers.domain.clock import CHINA, OFFSET_VARIABLE
from resolvers.domain.grading import next_change as grade_changes

SERVER_ENV = {"CREDIT_GATEWAY_RESPONSE_CACHE_TTL": "3600", "CREDIT_GATEWAY_CACHE_TTL": "3600"}


async def all_codes(url: str, count: int) -> list[str]:
    """USCCs of the first ``count`` subjects (every kind), by id."""
    database = Database(url)
    try:
        async with database.session() as session:
            return list((await session.exec(
                select(Subject.uscc).order_by(col(Subject.id)).limit(count))).all())
    finally:
        await database.dispose()


def widget_requests(codes: list[str]) -> list[HttpRequest]:
    return [HttpRequest("GET", "/graphql?" + widget_query(code)) for code in codes]


def response_counts(url: str) -> tuple[float, float]:
    """(hits, misses) of the response cache so far, from the server's /metrics."""
    with urllib.request.urlopen(url + "/metrics", timeout=30) as response:
        text = response.read().decode()
    found = {"hits": 0.0, "misses": 0.0}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            for name in found:
                if (sample.name == f"credit_gateway_cache_{name}_total"
                        and sample.labels.get("layer") == "response"):
                    found[name] = sample.value
    return found["hits"], found["misses"]


def offset_for(day: date, lead: float) -> float:
    """The clock offset (seconds) that makes 00:00 Beijing of ``day`` come ``lead`` seconds
    from now."""
    now = datetime.now(CHINA)
    return (datetime.combine(day, day_time(), CHINA) - now).total_seconds() - lead


async def busiest_midnight(url: str, codes: list[str]) -> tuple[date, int]:
    """The day within a year on which the widgets of the most of these subjects change (the
    first calendar boundary of their records, ``resolvers.data.queries.calendar``, or the next
    change of their public credit grade, ``resolvers.domain.grading.next_change``), and how many
    change then: the midnight worth crossing, and the misses it should cost (no more)."""
    database = Database(url)
    today = clock.today()
    days: Counter[date] = Counter()
    try:
        async with database.session() as session:
            ids = dict((await session.exec(
                select(Subject.uscc, Subject.id).where(col(Subject.uscc).in_(codes)))).all())
            # each subject's changes within the year, day after day, as the server would see:
            # its records' calendar, and the days its public grade's own inputs change it
            for subject_id in ids.values():
                assert subject_id is not None
                day: date | None = today
                while day is not None and day < today + timedelta(days=365):
                    found = await grading.facts(session, [subject_id], day, public_view=True)
                    changes = [await calendar.next_change(session, [subject_id], day),
                               *(grade_changes(facts, day) for facts in found.values())]
                    day = min((change for change in changes if change is not None),
                              default=None)
                    if day is not None:
                        days[day] += 1
    finally:
        await database.dispose()
    busiest = max(days, key=lambda day: (days[day], -day.toordinal()), default=None)
    if busiest is None:
        return today + timedelta(days=1), 0
    return busiest, days[busiest]


def window(wrk: str, url: str, script: Path, args: argparse.Namespace, label: str, *,
           seconds: float | None = None) -> tuple[Result, float]:
    before = response_counts(url)
    result = run(wrk, url, script, seconds=seconds or args.duration,
                 connections=args.connections, threads=args.threads)
    misses = response_counts(url)[1] - before[1]
    print(f"{label}: {result.per_second:,.0f} req/s, p50 {result.p50_ms:.1f} ms, "
          f"p99 {result.p99_ms:.1f} ms, {result.errors} errors, {misses:.0f} response-cache "
          f"misses, load average {Path('/proc/loadavg').read_text().split()[0]}", flush=True)
    return result, misses


def measure(args: argparse.Namespace) -> int:
    wrk = ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="cg-midnight-"))
    dataset = Dataset(args.backend, args.postgres_url, args.redis_url, workdir)
    children: list[Child] = []
    try:
        print(f"seeding {args.subjects:,} subjects on {args.backend} …", flush=True)
        dataset.create(args.subjects, args.seed)
        codes = asyncio.run(all_codes(dataset.url, args.widget_subjects))
        day, expected = asyncio.run(busiest_midnight(dataset.url, codes))
        print(f"crossing 00:00 Beijing of {day}: the widgets of {expected} of {len(codes)} "
              "subjects change then", flush=True)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        env = {**dataset.env("midnight"), **COMMON_ENV, **SERVER_ENV,
               OFFSET_VARIABLE: f"{offset_for(day, args.lead):.3f}"}
        children.append(Child.start("midnight", [str(EXECUTABLE), "serve", "--host", "127.0.0.1",
                                                 "--port", str(port)],
                                    log_dir=workdir, env=env, cwd=ROOT))
        children[0].wait_http(url + "/healthz", timeout=120)
        midnight = started + args.lead  # on this process's monotonic clock
        requests = widget_requests(codes)
        script = write_script(workdir / "widget.lua", requests)
        # warm-up: every subject's widget answered (and cached), then the pools warm; the
        # first round starts with every answer a miss, as every midnight did while the day was
        # part of the response key
        cold = window(wrk, url, script, args, "cold start (every answer a miss at first)",
                      seconds=args.warmup)
        for _ in range(4):
            if response_counts(url)[1] >= len(codes):
                break
            run(wrk, url, script, seconds=args.warmup, connections=args.connections,
                threads=args.threads)
        else:
            print(f"warning: the warm-up reached {response_counts(url)[1]:.0f} of "
                  f"{len(codes)} subjects", flush=True)
        if time.monotonic() + args.duration + 2 > midnight - 1:
            raise SystemExit(f"the warm-up ended too close to midnight: raise --lead "
                             f"(now {args.lead:g} s)")
        print(f"{len(codes)} widget subjects cached; midnight in "
              f"{midnight - time.monotonic():.0f} s", flush=True)
        before = window(wrk, url, script, args, "before midnight (all cached)")
        time.sleep(max(0.0, midnight - 1 - time.monotonic()))
        across = window(wrk, url, script, args, "across midnight (from 1 s before)")
        print()
        print(f"| window ({len(codes):,} distinct widget subjects, wrk -t{args.threads} "
              f"-c{args.connections}, {args.duration:g} s) | req/s | p50 ms | p99 ms | errors "
              "| response-cache misses |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, (result, missed) in (("cold start, every answer a miss at first "
                                         f"({args.warmup:g} s)", cold),
                                        ("before midnight", before),
                                        ("across 00:00 Beijing", across)):
            print(f"| {label} | {result.per_second:,.0f} | {result.p50_ms:.1f} | "
                  f"{result.p99_ms:.1f} | {result.errors} | {missed:.0f} |")
        print(f"\nexpected misses across midnight: {expected} (subjects whose widget changes "
              f"on {day}); {args.backend}, {args.subjects:,} subjects (seed {args.seed}); "
              "load average "
              f"{Path('/proc/loadavg').read_text().strip()}")
        return 1 if across[0].errors else 0
    finally:
        stop_all(children)
        dataset.drop()
        if sys.exc_info()[0] is None:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"server log kept in {workdir}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--widget-subjects", type=int, default=1000)
    parser.add_argument("--duration", type=float, default=10, help="seconds per window")
    parser.add_argument("--warmup", type=float, default=20,
                        help="seconds of load that fill the cache before the first window")
    parser.add_argument("--lead", type=float, default=90,
                        help="seconds from the server's start to its midnight")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    sys.exit(measure(parser.parse_args()))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
