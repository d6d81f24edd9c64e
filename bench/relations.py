"""The auditor's look-ups, ``related`` and ``path`` latency through the real app (in-process
HTTP, an AUDITOR key, caches off so every run reaches the database).

    nice -n 10 python -m bench.relations \
        --database-url postgresql://postgres@127.0.0.1:5432/bench_relations_10k --subjects 10000

Creates, migrates and seeds the database when it holds no subjects (seed 1), then prints p50
and p99 of each query over ``--rounds`` different subjects (a first run of each discarded as
warm-up). With the brushing figures (the default): first the brushing job's time (``brushing
refresh``: the signals of the whole graph, published as the run requests read), then
``brushingSuspects`` among the rows above, and the precision and recall of the run's
RATING_RING suspects against the rings the generator planted.
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
from resolvers.data.queries import brushing_store
from resolvers.demo.planted import brushing_rings
from resolvers.domain import clock
from resolvers.domain.brushing import BrushingSignal
from resolvers.domain.enums import Department, Role
from resolvers.writes import keys

SEED = 1
RELATED = """query($u: USCC!, $depth: Int!, $via: [RelationKind!]) {
  subject(uscc: $u) { related(depth: $depth, via: $via, first: 100) { truncated
    subjects { depth subject { uscc } evidence { kind count value } } } } }"""
PATH = """query($a: USCC!, $b: USCC!, $hops: Int!) { path(from: $a, to: $b, maxHops: $hops) {
  found length truncated paths { hops { to { uscc } evidence { kind } } } } }"""
SUSPECTS = """query($filter: BrushingFilter) { brushingRun { computedAt }
  brushingSuspects(filter: $filter, first: 100) { score subject { uscc }
    evidence { signal strength ratings partners { uscc } } } }"""


async def prepare(url: str, subjects: int) -> tuple[str, dict[str, list[Any]]]:
    """An AUDITOR key and the samples: subjects sharing phones, addresses and people,
    carriers, raters, and pairs for paths."""
    await upgrade(url)
    database = Database(url)
    try:
        await seed_when_empty(database, subjects=subjects, seed=SEED, progress=True)
        async with database.session() as session:
            key = (await keys.create(session, name="bench auditor",
                                     department=Department.DEVELOPMENT_REFORM,
                                     role=Role.AUDITOR)).key
        samples: dict[str, list[Any]] = {}
        async with database.engine.connect() as conn:
            async def column(sql: str) -> list[Any]:
                return list((await conn.execute(text(sql))).all())
            samples["phone"] = await column(
                "SELECT s.phone, s.uscc FROM subject s WHERE s.phone_key IN (SELECT phone_key "
                "FROM subject GROUP BY phone_key HAVING count(*) > 1) ORDER BY s.id LIMIT 60")
            samples["address"] = await column(
                "SELECT s.address, s.uscc FROM subject s WHERE s.address_key IN (SELECT "
                "address_key FROM subject GROUP BY address_key HAVING count(*) > 1) "
                "ORDER BY s.id LIMIT 60")
            samples["person"] = await column(
                "SELECT legal_rep_id_number, uscc FROM subject ORDER BY id LIMIT 60")
            samples["carrier"] = await column(
                "SELECT uscc FROM subject WHERE kind = 'LOGISTICS_FIRM' ORDER BY id LIMIT 60")
            samples["any"] = await column(
                f"SELECT uscc FROM subject WHERE id % {max(1, subjects // 200)} = 3 "
                f"ORDER BY id LIMIT 60")
    finally:
        await database.dispose()
    return key, samples


async def timed(client: httpx.AsyncClient, key: str, query: str,
                variables: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    response = await client.post("/graphql", json={"query": query, "variables": variables},
                                 headers={"Authorization": f"Bearer {key}"})
    elapsed = (time.perf_counter() - started) * 1000
    body = response.json()
    assert "errors" not in body, body
    return elapsed, body["data"]


def cases(samples: dict[str, list[Any]], rounds: int, *, brushing: bool
          ) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    def take(name: str) -> list[Any]:
        return samples[name][:rounds + 1]

    anyone = [row[0] for row in take("any")]
    pairs = list(zip(anyone, reversed(anyone), strict=True))
    return {
        "subjectsByPhone": [("query($p: String!) { subjectsByPhone(phone: $p) { uscc } }",
                             {"p": row[0]}) for row in take("phone")],
        "subjectsByAddress": [("query($a: String!) { subjectsByAddress(address: $a) { uscc } }",
                               {"a": row[0]}) for row in take("address")],
        "subjectsByRepresentative": [
            ("query($i: String!) { subjectsByRepresentative(idNumber: $i) { uscc } }",
             {"i": row[0]}) for row in take("person")],
        "carrierMerchants": [("query($u: USCC!) { carrierMerchants(carrier: $u) { uscc } }",
                              {"u": row[0]}) for row in take("carrier")],
        "ratingsGiven": [("query($u: USCC!) { ratingsGiven(rater: $u) { score } }",
                          {"u": u}) for u in anyone],
        "related depth 1 (all kinds)": [(RELATED, {"u": u, "depth": 1}) for u in anyone],
        "related depth 2 (all kinds)": [(RELATED, {"u": u, "depth": 2}) for u in anyone],
        "related depth 2 (people)": [(RELATED, {"u": u, "depth": 2, "via": [
            "REPRESENTATIVE", "PHONE", "ADDRESS"]}) for u in anyone],
        "path maxHops 2": [(PATH, {"a": a, "b": b, "hops": 2}) for a, b in pairs],
        "path maxHops 4": [(PATH, {"a": a, "b": b, "hops": 4}) for a, b in pairs],
    } | ({
        "brushingSuspects (first 100)": [(SUSPECTS, {})] * (rounds + 1),
        "brushingSuspects (RATING_RING)": [
            (SUSPECTS, {"filter": {"signals": ["RATING_RING"]}})] * (rounds + 1),
        "brushingSuspects (MERCHANT, score 1)": [
            (SUSPECTS, {"filter": {"kind": "MERCHANT", "minScore": 1.0}})] * (rounds + 1),
    } if brushing else {})


async def measure(url: str, key: str, samples: dict[str, list[Any]], rounds: int, *,
                  brushing: bool = True) -> None:
    app = create_app(Settings(database_url=url, cache_prefix=f"bench-{uuid.uuid4().hex[:6]}",
                              cache_ttl="0", response_cache_ttl="0"))
    transport = httpx.ASGITransport(app=app)
    print(f"{'query':<30}{'runs':>5}{'p50 ms':>9}{'p99 ms':>9}  notes")
    async with httpx.AsyncClient(transport=transport, base_url="http://bench",
                                 timeout=120) as client:
        for label, runs in cases(samples, rounds, brushing=brushing).items():
            timings, found = [], 0
            for query, variables in runs:
                elapsed, data = await timed(client, key, query, variables)
                timings.append(elapsed)
                found += bool(data.get("path", {}).get("found")) if "path" in data else 0
            timings = sorted(timings[1:])  # the first run warms the caches of the process
            if not timings:  # a small dataset may hold no second sample of a kind
                print(f"{label:<30}{0:>5}  (too few samples in this dataset)")
                continue
            p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
            note = f"paths found {found}/{len(runs)}" if label.startswith("path") else ""
            print(f"{label:<30}{len(timings):>5}{statistics.median(timings):>9.1f}"
                  f"{p99:>9.1f}  {note}")
    await app.state.services.aclose()


async def refresh_brushing(url: str, subjects: int) -> None:
    """The brushing job, timed, then the precision and recall of every suspect of the run it
    published (not only a page of them): RATING_RING alone, and any signal but the
    carriers'."""
    database = Database(url)
    try:
        done = await brushing_store.refresh(database, clock.today())
        run = done.current
        async with database.engine.connect() as conn:
            rows = (await conn.execute(text(
                "SELECT subject_id, signal FROM brushing_evidence WHERE run_id = :run"),
                {"run": run.id})).all()
    finally:
        await database.dispose()
    planted = set().union(*brushing_rings(subjects, SEED).values())
    ring = {subject for subject, signal in rows if signal == BrushingSignal.RATING_RING.value}
    merchants = {subject for subject, signal in rows
                 if signal != BrushingSignal.CARRIER_EMPTY_PARCELS.value}
    print(f"brushing refresh (the job): {done.seconds:.1f} s for {run.ratings:,} ratings in the "
          f"window, {run.suspects:,} suspects; {len(planted)} planted ring members")
    for label, flagged in (("RATING_RING", ring), ("any signal but carriers'", merchants)):
        hits = len(flagged & planted)
        print(f"  {label}: {len(flagged)} flagged, precision {hits / max(1, len(flagged)):.3f},"
              f" recall {hits / max(1, len(planted)):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--brushing-only", action="store_true",
                        help="only the brushing job, with the precision and recall of its run")
    parser.add_argument("--no-brushing", action="store_true",
                        help="leave out the brushing job, brushingSuspects and the precision "
                             "and recall (at a million subjects the job takes minutes)")
    args = parser.parse_args()
    key, samples = asyncio.run(prepare(args.database_url, args.subjects))
    print(f"{display_url(args.database_url)}: {args.subjects:,} subjects; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not args.no_brushing:
        asyncio.run(refresh_brushing(args.database_url, args.subjects))
    if args.brushing_only:
        return
    asyncio.run(measure(args.database_url, key, samples, args.rounds,
                        brushing=not args.no_brushing))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
