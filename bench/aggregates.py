"""Dashboard latency: each ``stats`` aggregate and each sorted root list, through the real app.

    nice -n 10 python -m bench.aggregates --database-url postgresql://postgres@127.0.0.1:5432/bench_dash_10k \
        [--subjects 10000] [--replicate K] [--rounds 20] [--revision REV]

Migrates the database and seeds ``--subjects`` when it holds none. ``--replicate K``
(PostgreSQL only) then copies the seeded subjects with their penalties, licences, list entries
and complaints K times in SQL, new ids and codes each time (10,000 subjects × 100 = 1,000,000
in minutes, where the demo seed of a million takes over an hour); the copies keep the demo
distribution but are left out of the name-search structures, which this benchmark does not
use. Prints p50 and p99 of every query over ``--rounds`` runs (after one warm-up run) with the
entity and response caches off — what the database work costs — for the public (penalties in
publicity only) and a regulator (everything).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from typing import Any

import httpx
from sqlalchemy import text

from bench.datasets import seed_when_empty
from gateway.app import create_app
from gateway.settings import Settings
from resolvers.data.database import Database
from resolvers.data.engine import display_url
from resolvers.data.migrate import upgrade
from resolvers.domain.enums import Department
from resolvers.writes import keys

# the copied tables: (table, columns rewritten per copy k, with N the rows of the table)
COPIES: dict[str, dict[str, str]] = {
    "subject": {"uscc": "'Z' || lpad((id + {k} * {n})::text, 17, '0')"},
    "penalty": {"decision_number": "decision_number || '-' || {k}"},
    "license": {"decision_number": "decision_number || '-' || {k}"},
    "list_entry": {},
    "complaint": {"reference": "reference || '-' || {k}"},
}


async def replicate(database: Database, times: int) -> None:
    """Copy the subjects and their aggregated records ``times`` times (PostgreSQL)."""
    started = time.perf_counter()
    async with database.engine.begin() as conn:
        await conn.execute(text("SET LOCAL session_replication_role = replica"))  # no triggers
        await conn.execute(text("DROP INDEX IF EXISTS ix_subject_name_trgm"))
        subjects = (await conn.execute(text("SELECT max(id) FROM subject"))).scalar_one()
        for table, rewritten in COPIES.items():
            rows = (await conn.execute(text(f"SELECT max(id) FROM {table}"))).scalar_one() or 0
            columns = [name for (name,) in await conn.execute(text(
                "SELECT column_name FROM information_schema.columns WHERE table_name = :t "
                "ORDER BY ordinal_position"), {"t": table})]
            values = {name: rewritten.get(name, name) for name in columns}
            values["id"] = "id + k * {n}"
            if "subject_id" in columns:
                values["subject_id"] = f"subject_id + k * {subjects}"
            chosen = ", ".join(values[name].format(k="k", n=rows) for name in columns)
            await conn.execute(text(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {chosen} FROM {table}, "
                f"generate_series(1, {times}) AS k WHERE id <= {rows}"))
            await conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"))
    async with database.engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("ANALYZE"))
    print(f"replicated {times} times in {time.perf_counter() - started:.0f} s")


async def prepare(url: str, subjects: int, times: int, revision: str) -> str:
    """Migrate, seed when empty, replicate; a regulator's key for the measurements."""
    await upgrade(url, revision)
    database = Database(url)
    try:
        if await seed_when_empty(database, subjects=subjects, seed=1, progress=False,
                                 holds=subjects * (1 + times)) and times:
            await replicate(database, times)
        async with database.engine.connect() as conn:
            sizes = {table: (await conn.execute(text(f"SELECT count(*) FROM {table}"))
                             ).scalar_one() for table in COPIES}
        print("rows: " + ", ".join(f"{table} {n:,}" for table, n in sizes.items()))
        async with database.session() as session:
            return (await keys.create(session, name="看板基准测试",
                                      department=Department.MARKET_REGULATION)).key
    finally:
        await database.dispose()


def _stats(selection: str) -> str:
    return "{ stats { " + selection + " } }"


def _list(field: str, arguments: str) -> str:
    return "{ " + field + "(" + arguments + ") { edges { node { id } } } }"


QUERIES: dict[str, str] = {
    "subjects by PROVINCE": _stats("subjects(by: PROVINCE) { key label count }"),
    "subjects by CITY": _stats("subjects(by: CITY) { key label count }"),
    "subjects by KIND": _stats("subjects(by: KIND) { key count }"),
    "subjects by STATUS": _stats("subjects(by: STATUS) { key count }"),
    "subjects by LIST_STANDING": _stats("subjects(by: LIST_STANDING) { key count }"),
    "subjects by GRADE": _stats("subjects(by: GRADE) { key count } gradesAsOf"),
    "stats, kind MERCHANT, subjects by GRADE": '{ stats(filter: {kind: MERCHANT}) '
                                               '{ subjects(by: GRADE) { key count } } }',
    "stats, region 44, subjects by GRADE": '{ stats(filter: {region: "44"}) '
                                           '{ subjects(by: GRADE) { key count } } }',
    "penalties by MONTH": _stats("penalties(by: MONTH) { key count fineTotal }"),
    "penalties by MONTH, 2025": _stats('penalties(by: MONTH, from: "2025-01-01", '
                                       'to: "2025-12-31") { key count fineTotal }'),
    "penalties by SEVERITY": _stats("penalties(by: SEVERITY) { key count fineTotal }"),
    "penalties by AUTHORITY": _stats("penalties(by: AUTHORITY) { key label count fineTotal }"),
    "penalties by REGION": _stats("penalties(by: REGION) { key label count fineTotal }"),
    "lateDisclosures by AUTHORITY": _stats("lateDisclosures(by: AUTHORITY) { key count }"),
    "lateDisclosures by MONTH": _stats("lateDisclosures(by: MONTH) { key count }"),
    "blackListGrowth": _stats("blackListGrowth { key count }"),
    "complaints by CHANNEL": _stats("complaints(by: CHANNEL) { key count }"),
    "complaints by STATUS": _stats("complaints(by: STATUS) { key count }"),
    "stats, region 44, subjects by CITY": '{ stats(filter: {region: "44"}) '
                                          '{ subjects(by: CITY) { key count } } }',
    "penalties first 20": _list("penalties", "first: 20"),
    "penalties by PUBLICITY_END last 20": _list(
        "penalties", "last: 20, orderBy: {field: PUBLICITY_END, direction: ASC}"),
    "penalties late, region 44": _list("penalties", 'first: 20, filter: {late: true, '
                                                    'region: "44"}'),
    "licenses first 20": _list("licenses", "first: 20"),
    "listEntries BLACK first 20": _list("listEntries", "first: 20, filter: {kind: BLACK}"),
    "subjects by NAME first 20": _list("subjects", "first: 20, orderBy: {field: NAME}"),
    "subjects by REGISTERED_ON last 20": _list(
        "subjects", "last: 20, orderBy: {field: REGISTERED_ON, direction: DESC}"),
    "subjects by GRADE last 20": _list(
        "subjects", "last: 20, orderBy: {field: GRADE}"),
    "subjects grade D, region 44, first 20": _list(
        "subjects", 'first: 20, filter: {grade: [D], region: "44"}'),
    "subjects ACTIVE by NAME first 20": _list(
        "subjects", "first: 20, filter: {status: ACTIVE}, orderBy: {field: NAME}"),
}


def percentile(sorted_ms: list[float], share: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * share))]


async def measure(url: str, rounds: int, key: str | None) -> None:
    settings = Settings(database_url=url, cache_prefix=f"bench-{uuid.uuid4().hex[:6]}",
                        cache_ttl=0, response_cache_ttl=0, rate_limit_anonymous=0,
                        rate_limit_key=0)
    app = create_app(settings)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    print(f"{'query':<40}{'p50 ms':>9}{'p99 ms':>9}")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), headers=headers,
                                 base_url="http://bench", timeout=120) as client:
        for label, query in QUERIES.items():
            timings = []
            for _ in range(rounds + 1):
                started = time.perf_counter()
                body: dict[str, Any] = (await client.post("/graphql",
                                                          json={"query": query})).json()
                timings.append((time.perf_counter() - started) * 1000)
                assert "errors" not in body, body
            ordered = sorted(timings[1:])
            print(f"{label:<40}{statistics.median(ordered):>9.1f}"
                  f"{percentile(ordered, 0.99):>9.1f}")
    await app.state.services.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--replicate", type=int, default=0, metavar="K")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--revision", default="head",
                        help="migrate to this revision only (0008: without the indexes of 0012)")
    args = parser.parse_args()
    key = asyncio.run(prepare(args.database_url, args.subjects, args.replicate, args.revision))
    print(f"{display_url(args.database_url)}; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for label, caller in (("PUBLIC (anonymous)", None), ("REGULATOR", key)):
        print(f"\n{label}, entity and response caches off")
        asyncio.run(measure(args.database_url, args.rounds, caller))
    print(f"\nload average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
