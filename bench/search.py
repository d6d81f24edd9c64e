"""Search and look-up latency on a large dataset, through the real app (in-process HTTP).

    python bench/search.py --database-url postgresql://postgres@127.0.0.1:5432/cg_bench_1m \
        --subjects 1000000 [--rounds 15] [--copy-subjects-from URL]

Creates/migrates/seeds the database when it holds no subjects, then prints the median and p95
latency of each query over ``--rounds`` runs (first run discarded as warm-up), once for each
cache state (``CACHE_STATES``): with no cache at all, every run reaches the database — the
figures of search itself; with the production defaults, every run after the first is a
response-cache hit.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy import text
from sqlmodel import SQLModel

from gateway.app import create_app
from gateway.settings import Settings
from resolvers.data.database import Database
from resolvers.data.engine import display_url
from resolvers.data.migrate import upgrade
from resolvers.demo.seeding import seed_database


async def copy_subjects(source_url: str, target: Database) -> None:
    """Fill ``target`` with the subjects of ``source_url`` only: search reads nothing else, and
    a million subjects copy in seconds where a full SQLite seed takes far longer."""
    source = Database(source_url)
    table = SQLModel.metadata.tables["subject"]
    started = time.perf_counter()
    try:
        async with source.engine.connect() as src, target.engine.begin() as dst:
            result = await src.stream(sa.select(table).order_by(table.c.id))
            async for batch in result.mappings().partitions(20_000):
                await dst.execute(table.insert(), [dict(row) for row in batch])
    finally:
        await source.dispose()
    print(f"copied subjects in {time.perf_counter() - started:.0f} s")


async def prepare(url: str, subjects: int, copy_from: str | None) -> dict[str, str]:
    await upgrade(url)
    database = Database(url)
    try:
        async with database.engine.connect() as conn:
            count = (await conn.execute(text("SELECT count(*) FROM subject"))).scalar_one()
        if count == 0 and copy_from:
            await copy_subjects(copy_from, database)
        elif count == 0:
            started = time.perf_counter()
            await seed_database(database, subjects=subjects, seed=1, progress=True)
            print(f"seeded {subjects:,} subjects in {time.perf_counter() - started:.0f} s")
        async with database.engine.connect() as conn:
            middle = (await conn.execute(text(
                "SELECT uscc, name FROM subject WHERE id = :i"), {"i": subjects // 2})).one()
    finally:
        await database.dispose()
    return {"uscc": middle.uscc, "name": middle.name}


def queries(sample: dict[str, str]) -> dict[str, tuple[str, dict[str, Any]]]:
    search = "query($t: String!) { searchSubjects(text: $t, first: 10) { uscc name } }"
    name = sample["name"]
    return {
        "search 1 char": (search, {"t": name[2]}),
        "search 2 chars": (search, {"t": name[2:4]}),
        "search 4 chars (rare)": (search, {"t": name[1:5]}),
        "search whole name": (search, {"t": name}),
        "search absent 3 chars": (search, {"t": "龘龘龘"}),
        "search absent 2 chars": (search, {"t": "龘齉"}),
        "search USCC prefix 10": (search, {"t": sample["uscc"][:10]}),
        "subject(uscc)": ("query($u: USCC!) { subject(uscc: $u) { name licenses { totalCount } } }",
                          {"u": sample["uscc"]}),
        "subjects first 20": ("{ subjects(first: 20) { edges { node { uscc name } } } }", {}),
    }


# (label, settings): which caches a measurement has on
CACHE_STATES: tuple[tuple[str, dict[str, str]], ...] = (
    ("no cache (entity and response caches off): search itself", {"cache_ttl": "0",
                                                                    "response_cache_ttl": "0"}),
    ("production defaults (entity and response caches on): hits after the first run", {}),
)


async def measure(url: str, rounds: int, sample: dict[str, str], caches: dict[str, str]
                  ) -> None:
    app = create_app(Settings(database_url=url, cache_prefix=f"bench-{uuid.uuid4().hex[:6]}",
                              **caches))
    transport = httpx.ASGITransport(app=app)
    print(f"{'query':<26}{'median ms':>11}{'p95 ms':>9}  results")
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for label, (query, variables) in queries(sample).items():
            timings = []
            body: dict[str, Any] = {}
            for _ in range(rounds + 1):
                started = time.perf_counter()
                body = (await client.post("/graphql", json={"query": query,
                                                            "variables": variables})).json()
                timings.append((time.perf_counter() - started) * 1000)
            assert "errors" not in body, body
            timings = sorted(timings[1:])
            found = body["data"].get("searchSubjects")
            p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
            print(f"{label:<26}{statistics.median(timings):>11.1f}{p95:>9.1f}  "
                  f"{len(found) if found is not None else '-'}")
    await app.state.services.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--copy-subjects-from", metavar="URL",
                        help="fill an empty database with this database's subjects, not a seed")
    args = parser.parse_args()
    sample = asyncio.run(prepare(args.database_url, args.subjects, args.copy_subjects_from))
    print(f"{display_url(args.database_url)}: sample subject {sample}")
    for label, caches in CACHE_STATES:
        print(f"\n{label}")
        asyncio.run(measure(args.database_url, args.rounds, sample, caches))


if __name__ == "__main__":
    main()
