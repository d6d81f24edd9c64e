"""Three ways to walk the auditor's ties on the same PostgreSQL data: the level-wise batched
statements the product uses (``resolvers/data/queries/explore.py``), a recursive CTE over an
edge table, and an in-process rustworkx graph.

    pip install rustworkx   # the comparison only; the product does not use it
    nice -n 10 python bench/relations_compare.py \
        --database-url postgresql://postgres@127.0.0.1:5432/bench_relations_10k

Prints, for each way, the build cost (edge table; graph and its memory) and p50/p99 of
related depth 1, related depth 2 and a path of at most 4 hops over the same sample pairs.
The edge table ``bench_relation_edges`` it creates is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from sqlalchemy import text

from resolvers.data.database import Database
from resolvers.data.queries import explore
from resolvers.domain import relations
from resolvers.domain.relations import RelationKind

KINDS = tuple(RelationKind)
EDGES = "bench_relation_edges"
EDGE_SQL = f"""CREATE TABLE {EDGES} AS
SELECT DISTINCT src, dst FROM (
  SELECT a.id AS src, b.id AS dst FROM subject a JOIN subject b
    ON b.legal_rep_id_number = a.legal_rep_id_number AND b.legal_rep_id_type = a.legal_rep_id_type
   AND b.id <> a.id
  UNION ALL SELECT a.id, b.id FROM subject a JOIN subject b
    ON b.phone_key = a.phone_key AND b.id <> a.id WHERE a.phone_key <> ''
  UNION ALL SELECT a.id, b.id FROM subject a JOIN subject b
    ON b.address_key = a.address_key AND b.id <> a.id WHERE a.address_key <> ''
  UNION ALL SELECT merchant_id, carrier_id FROM logistics_link
  UNION ALL SELECT carrier_id, merchant_id FROM logistics_link
  UNION ALL SELECT rater_id, ratee_id FROM rating WHERE rater_id <> ratee_id
  UNION ALL SELECT ratee_id, rater_id FROM rating WHERE rater_id <> ratee_id) e"""
CTE_PATH = f"""WITH RECURSIVE walk(node, depth, path) AS (
  SELECT CAST(:a AS integer), 0, ARRAY[CAST(:a AS integer)]
  UNION ALL
  SELECT e.dst, w.depth + 1, w.path || e.dst FROM walk w JOIN {EDGES} e ON e.src = w.node
  WHERE w.depth < :hops AND w.node <> :b AND NOT e.dst = ANY(w.path))
SELECT path FROM walk WHERE node = :b ORDER BY depth LIMIT 5"""
CTE_NEAR = f"""WITH RECURSIVE walk(node, depth) AS (
  SELECT CAST(:a AS integer), 0
  UNION
  SELECT e.dst, w.depth + 1 FROM walk w JOIN {EDGES} e ON e.src = w.node WHERE w.depth < :d)
SELECT count(DISTINCT node) FROM walk"""


def figures(label: str, timings: list[float], note: str = "") -> None:
    timings = sorted(timings)
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"  {label:<26}{statistics.median(timings):>10.1f}{p99:>10.1f}  {note}")


async def timed(runs: list[Callable[[], Awaitable[Any]]]) -> tuple[list[float], list[Any]]:
    timings, results = [], []
    for run in runs:
        started = time.perf_counter()
        results.append(await run())
        timings.append((time.perf_counter() - started) * 1000)
    return timings, results


async def main(url: str, samples: int, timeout_s: int) -> None:
    database = Database(url)
    try:
        async with database.engine.connect() as conn:
            ids = [row[0] for row in (await conn.execute(text(
                "SELECT id FROM subject ORDER BY id"))).all()]
        step = max(1, len(ids) // samples)
        chosen = ids[3::step][:samples]
        pairs = list(zip(chosen, reversed(chosen), strict=True))
        print(f"{len(ids):,} subjects, {len(pairs)} samples; load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"  {'':<26}{'p50 ms':>10}{'p99 ms':>10}")

        print("level-wise batched statements (the product; fan-out 50 per subject and kind)")
        async with database.session() as session:
            for depth in (1, 2):
                timings, found = await timed([
                    partial(explore.related, session, s, KINDS, depth=depth, first=100,
                            cap=relations.FAN_OUT) for s in chosen])
                figures(f"related depth {depth}", timings,
                        f"mean {statistics.mean(len(f.found) for f in found):.0f} subjects")
            timings, paths = await timed([
                partial(explore.shortest_paths, session, a, b, KINDS, max_hops=4,
                        cap=relations.FAN_OUT, frontier_cap=relations.FRONTIER)
                for a, b in pairs])
            figures("path ≤ 4 hops", timings,
                    f"found {sum(bool(p.paths) for p in paths)}/{len(pairs)}")

        print("recursive CTE over an edge table (no fan-out cap; "
              f"statement_timeout {timeout_s} s)")
        async with database.engine.begin() as conn:
            await conn.execute(text(f"DROP TABLE IF EXISTS {EDGES}"))
            started = time.perf_counter()
            await conn.execute(text(EDGE_SQL))
            await conn.execute(text(f"CREATE INDEX ON {EDGES} (src, dst)"))
            edges = (await conn.execute(text(f"SELECT count(*) FROM {EDGES}"))).scalar_one()
            print(f"  edge table: {edges:,} edges in {time.perf_counter() - started:.1f} s "
                  f"(a product would keep it by triggers on every write)")
        for label, sql, params in (
                ("related depth 1", CTE_NEAR, [{"a": s, "d": 1} for s in chosen]),
                ("related depth 2", CTE_NEAR, [{"a": s, "d": 2} for s in chosen]),
                ("path ≤ 4 hops", CTE_PATH, [{"a": a, "b": b, "hops": 4} for a, b in pairs])):
            timings, outcomes = [], []
            for values in params:
                async with database.engine.connect() as conn:
                    await conn.execute(text(f"SET statement_timeout = {timeout_s * 1000}"))
                    started = time.perf_counter()
                    try:
                        rows = (await conn.execute(text(sql), values)).all()
                        outcomes.append(rows[0][0] if rows else None)
                    except Exception:
                        outcomes.append("timeout")
                    timings.append((time.perf_counter() - started) * 1000)
            figures(label, timings, f"timeouts {outcomes.count('timeout')}/{len(params)}")

        print("in-process rustworkx graph (no fan-out cap)")
        import rustworkx  # the comparison's own dependency

        tracemalloc.start()
        started = time.perf_counter()
        async with database.engine.connect() as conn:
            rows = (await conn.execute(text(f"SELECT src, dst FROM {EDGES} WHERE src < dst")
                                       )).all()
        graph = rustworkx.PyGraph(multigraph=False)
        index = {ident: graph.add_node(ident) for ident in ids}
        graph.add_edges_from_no_data([(index[a], index[b]) for a, b in rows])
        built = time.perf_counter() - started
        memory = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"  graph: {graph.num_nodes():,} nodes, {graph.num_edges():,} edges in "
              f"{built:.1f} s, Python peak {memory:.0f} MiB while loading "
              f"(every worker process holds one; writes must update each)")

        def near(node: int, depth: int) -> int:
            seen, frontier = {node}, {node}
            for _ in range(depth):
                frontier = {n for f in frontier for n in graph.neighbors(f)} - seen
                seen |= frontier
            return len(seen) - 1

        for depth in (1, 2):
            timings, sizes = [], []
            for s in chosen:
                started = time.perf_counter()
                sizes.append(near(index[s], depth))
                timings.append((time.perf_counter() - started) * 1000)
            figures(f"related depth {depth}", timings,
                    f"mean {statistics.mean(sizes):.0f} subjects (uncapped)")
        timings, reached = [], 0
        for a, b in pairs:
            started = time.perf_counter()
            path = rustworkx.dijkstra_shortest_paths(graph, index[a], target=index[b])
            hops = len(path[index[b]]) - 1 if index[b] in path else None
            reached += hops is not None and hops <= 4
            timings.append((time.perf_counter() - started) * 1000)
        figures("path ≤ 4 hops", timings, f"found {reached}/{len(pairs)} (hubs included)")
    finally:
        async with database.engine.begin() as conn:
            await conn.execute(text(f"DROP TABLE IF EXISTS {EDGES}"))
        await database.dispose()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--timeout", type=int, default=10, help="CTE statement timeout (s)")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.samples, arguments.timeout))
