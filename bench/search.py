"""Search and look-up latency on a large dataset, through the real app (in-process HTTP).

    python bench/search.py --database-url postgresql://postgres@127.0.0.1:5432/cg_bench_1m \
        --subjects 1000000 [--rounds 15] [--copy-subjects-from URL] \
        [--reference-url postgresql://postgres@127.0.0.1:5432/cg_bench_10k \
         --reference-subjects 10000]

Creates/migrates/seeds the database when it holds no subjects, then prints the median and p95
latency of each query over ``--rounds`` runs (first run discarded as warm-up), once for each
cache state (``CACHE_STATES``): with no cache at all, every run reaches the database — the
figures of search itself; with the production defaults, every run after the first is a
response-cache hit. With ``--reference-url`` (a smaller dataset, prepared the same way) every
request to the large database alternates with the same shape of query on the reference one, so
both see the same machine load, and each line ends with the ratio large / reference of the
medians and of the p95s: "flat in data size" reads as ratios near 1.
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
from resolvers.demo.seeding import refresh_statistics, seed_database


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
    await refresh_statistics(target, ["subject", "subject_name_gram"])  # as `seed` does
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
    """The measured shapes, each taken from the sample subject's name (行政区划 + 字号 + 行业 +
    组织形式, e.g. 南宁 + 美尚 + 鞋业 + 有限公司) or USCC."""
    search = "query($t: String!) { searchSubjects(text: $t, first: 10) { uscc name } }"
    name = sample["name"]
    return {
        "search 1 char": (search, {"t": name[2]}),
        "search 2 chars": (search, {"t": name[2:4]}),
        "search 2 chars (common)": (search, {"t": name[-4:-2]}),  # 有限: nearly every name
        "search 4 chars (rare)": (search, {"t": name[1:5]}),
        "search 4 chars (common)": (search, {"t": name[-4:]}),  # 有限公司
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


class Target:
    """One database behind its own app, with the sample its queries are taken from."""

    def __init__(self, url: str, sample: dict[str, str], caches: dict[str, str]) -> None:
        # one client address sends every request: the anonymous rate limit is off, or a run
        # of more than ~25 rounds would be refused (600 per minute) instead of measured
        self.app = create_app(Settings(database_url=url, **caches, rate_limit_anonymous=0,
                                       cache_prefix=f"bench-{uuid.uuid4().hex[:6]}"))
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app),
                                        base_url="http://bench")
        self.queries = queries(sample)
        self.timings: list[float] = []
        self.found = "-"

    async def run(self, label: str) -> None:
        query, variables = self.queries[label]
        started = time.perf_counter()
        body = (await self.client.post("/graphql", json={"query": query,
                                                          "variables": variables})).json()
        self.timings.append((time.perf_counter() - started) * 1000)
        assert "errors" not in body, body
        found = body["data"].get("searchSubjects")
        self.found = str(len(found)) if found is not None else "-"

    def figures(self) -> tuple[float, float]:
        """Median and p95 without the warm-up run; then forgets them for the next query."""
        timings, self.timings = sorted(self.timings[1:]), []
        return statistics.median(timings), timings[min(len(timings) - 1,
                                                       int(len(timings) * 0.95))]

    async def aclose(self) -> None:
        await self.client.aclose()
        await self.app.state.services.aclose()


async def measure(url: str, sample: dict[str, str], rounds: int, caches: dict[str, str],
                  reference: tuple[str, dict[str, str]] | None) -> None:
    large = Target(url, sample, caches)
    small = Target(reference[0], reference[1], caches) if reference else None
    header = f"{'query':<26}{'median ms':>11}{'p95 ms':>9}  results"
    if small:
        header += f"{'ref median':>12}{'ref p95':>9}  ref results{'ratio p50':>11}{'ratio p95':>11}"
    print(header)
    try:
        for label in large.queries:
            for _ in range(rounds + 1):
                await large.run(label)
                if small:
                    await small.run(label)
            median, p95 = large.figures()
            line = f"{label:<26}{median:>11.1f}{p95:>9.1f}  {large.found:>7}"
            if small:
                ref_median, ref_p95 = small.figures()
                line += (f"{ref_median:>12.1f}{ref_p95:>9.1f}  {small.found:>11}"
                         f"{median / ref_median:>11.2f}{p95 / ref_p95:>11.2f}")
            print(line)
    finally:
        for target in (large, small):
            if target:
                await target.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--copy-subjects-from", metavar="URL",
                        help="fill an empty database with this database's subjects, not a seed")
    parser.add_argument("--reference-url", metavar="URL",
                        help="a smaller dataset measured in alternation, for the ratio columns")
    parser.add_argument("--reference-subjects", type=int, default=10_000)
    args = parser.parse_args()
    sample = asyncio.run(prepare(args.database_url, args.subjects, args.copy_subjects_from))
    print(f"{display_url(args.database_url)}: sample subject {sample}")
    reference = None
    if args.reference_url:
        reference = (args.reference_url, asyncio.run(prepare(
            args.reference_url, args.reference_subjects, None)))
        print(f"{display_url(args.reference_url)}: sample subject {reference[1]}")
    for label, caches in CACHE_STATES:
        print(f"\n{label}")
        asyncio.run(measure(args.database_url, sample, args.rounds, caches, reference))


if __name__ == "__main__":
    main()
