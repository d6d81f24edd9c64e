"""What a cached widget answer costs the gateway's process, and what the rate limit adds to it.

    python -m bench.hit_cost [--answers 4000] [--runs 3]

Row (b) of ``bench.load`` measures a response-cache hit over HTTP, where the server shares two
cores with wrk, PostgreSQL and Redis, so its figure moves with the machine. This measures the
same answer in-process and in CPU time, which moves much less: the gateway's app
(``create_app``, production settings, PostgreSQL + Redis, a seeded dataset of its own) called
directly by eight concurrent clients cycling the widget's 20 APQ GETs from 2,000 client
addresses through a trusted proxy, as row (b) sends them, on uvloop as ``serve`` runs. Two
builds of the app, interleaved run by run:

    limit off    CREDIT_GATEWAY_RATE_LIMIT_ANONYMOUS=0
    limit on     the production default: every answer counted in its address's window (Redis)

It prints CPU µs per answer (medians), then what one Redis round trip costs this process: a
bare PING written to an asyncio socket, redis-py's ``GET``, and the rate limit's window script
for a batch of eight hits (the batch size of the in-process runs). docs/PERFORMANCE.md, "What
bounds the targets still not met", reads the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import redis.asyncio as aioredis
import uvloop
from starlette.types import ASGIApp, Message

from bench import peer
from bench.load import CLIENTS, COMMON_ENV, LONG_TTL, PRODUCTION_LIMITS, Dataset, widget_query
from gateway.app import create_app
from gateway.limits.windows import SLIDE
from gateway.settings import Settings

CONCURRENCY = 8  # wrk's connections in bench.load
WIDGET_SUBJECTS = 20


def app_env(dataset: Dataset, *, limit: bool) -> dict[str, str]:
    env = {**COMMON_ENV, **dataset.env("hit" if limit else "hit-nolimit"), **PRODUCTION_LIMITS,
           "CREDIT_GATEWAY_RESPONSE_CACHE_TTL": LONG_TTL, "CREDIT_GATEWAY_CACHE_TTL": LONG_TTL}
    if not limit:
        env["CREDIT_GATEWAY_RATE_LIMIT_ANONYMOUS"] = "0"
    return env


def build(env: dict[str, str]) -> ASGIApp:
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        return create_app(Settings.from_env())
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def query_strings(codes: list[str]) -> list[bytes]:
    return [widget_query(code).encode() for code in codes]


async def answers(app: ASGIApp, strings: list[bytes], count: int) -> tuple[float, set[str]]:
    """CPU µs per answer of ``count`` GETs from ``CONCURRENCY`` clients, and the ``X-Cache``
    values and statuses seen."""
    seen: set[str] = set()

    async def one(n: int) -> None:
        address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}".encode()
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "GET", "scheme": "http", "path": "/graphql", "raw_path": b"/graphql",
                 "query_string": strings[n % len(strings)], "root_path": "",
                 "headers": [(b"host", b"127.0.0.1"), (b"x-forwarded-for", address)],
                 "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000)}

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                cache = dict(message["headers"]).get(b"x-cache", b"-").decode()
                seen.add(f"{message['status']} {cache}")

        await app(scope, receive, send)

    async def client(k: int) -> None:
        for j in range(count // CONCURRENCY):
            await one((k * count // CONCURRENCY + j) % CLIENTS)

    started = time.process_time()
    await asyncio.gather(*(client(k) for k in range(CONCURRENCY)))
    return (time.process_time() - started) / count * 1e6, seen


async def per_call(call: Callable[[], Awaitable[object]], count: int = 3000) -> float:
    await call()
    started = time.process_time()
    for _ in range(count):
        await call()
    return (time.process_time() - started) / count * 1e6


async def round_trips(redis_url: str, prefix: str) -> dict[str, float]:
    url = urllib.parse.urlsplit(redis_url)
    reader, writer = await asyncio.open_connection(url.hostname or "127.0.0.1", url.port or 6379)

    async def ping() -> None:
        writer.write(b"*1\r\n$4\r\nPING\r\n")
        await reader.readuntil(b"\r\n")

    client = aioredis.from_url(redis_url, socket_timeout=0.25)  # as the caches' clients
    slide = client.register_script(SLIDE)
    serial = iter(range(10**9))

    def eight_hits() -> Awaitable[object]:
        keys = [f"{prefix}-rt:ratelimit:10.0.0.{n}" for n in range(8)]
        args: list[int | str] = []
        for _ in keys:
            args += (600, 60_000, f"m{next(serial)}")
        return slide(keys=keys, args=args)

    try:
        return {"bare asyncio PING": await per_call(ping),
                "redis-py GET": await per_call(lambda: client.get(f"{prefix}-rt:none")),
                "window script, 8 hits": await per_call(eight_hits, 1000)}
    finally:
        writer.close()
        await client.aclose()


async def measure(dataset: Dataset, codes: list[str], args: argparse.Namespace) -> None:
    strings = query_strings(codes)
    builds = {"limit off": build(app_env(dataset, limit=False)),
              "limit on": build(app_env(dataset, limit=True))}
    figures: dict[str, list[float]] = {name: [] for name in builds}
    for app in builds.values():  # warm: every answer stored, every key remembered
        await answers(app, strings, 800)
    for _ in range(args.runs):
        for name, app in builds.items():
            cpu, seen = await answers(app, strings, args.answers)
            if seen != {"200 HIT"}:
                raise SystemExit(f"{name}: expected cached answers only, saw {sorted(seen)}")
            figures[name].append(cpu)
    print(f"CPU µs per cached widget answer ({CONCURRENCY} concurrent clients, "
          f"{args.answers:,} answers per run, median of {args.runs}):")
    for name, values in figures.items():
        print(f"  {name:<10} {statistics.median(values):6.1f}   "
              f"(runs: {', '.join(f'{v:.1f}' for v in values)})")
    print("CPU µs per Redis round trip, this process:")
    for name, value in (await round_trips(dataset.redis_url, dataset.prefix)).items():
        print(f"  {name:<22} {value:6.1f}")


async def widget_codes(url: str) -> list[str]:
    conn = await asyncpg.connect(peer.postgres_url(url), timeout=10)
    try:
        rows = await conn.fetch("SELECT uscc FROM subject WHERE kind = 'MERCHANT' ORDER BY id "
                                "LIMIT $1", WIDGET_SUBJECTS * 5)
    finally:
        await conn.close()
    return [row["uscc"] for row in rows][::5]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--answers", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--database-prefix", default="cg_hit",
                        help="the created database's name starts with this")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cg-hit-"))
    dataset = Dataset("postgres", args.postgres_url, args.redis_url, workdir,
                      args.database_prefix)
    try:
        print(f"seeding {args.subjects:,} subjects (database {dataset.name}) …", flush=True)
        dataset.create(args.subjects, 1)
        codes = asyncio.run(widget_codes(dataset.url))
        uvloop.run(measure(dataset, codes, args))
    finally:
        dataset.drop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
