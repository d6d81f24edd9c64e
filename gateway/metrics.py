"""``/metrics``: Prometheus text format — cache hits, misses and purges per cache layer
(``entity``: rows under the loaders; ``response``: whole responses, docs/CACHING.md),
request latency and SQL statements per request (histograms), and the database connections
opened (flat under steady load, or the pool is too small for it).

Each app has its own registry, so several apps in one process (tests, subgraph servers) never
share or clash over counters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlalchemy as sa
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest
from starlette.requests import Request
from starlette.responses import Response

from resolvers.cache import Cache, MemoryCache, TagReading
from resolvers.data.database import Database

# The paths we serve; anything else is one label value, so a scan cannot grow the series.
PATHS = frozenset({"/", "/graphql", "/healthz", "/metrics"})
STATEMENT_BUCKETS = (0, 1, 2, 3, 5, 10, 20, 50, 100, 200)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.cache_hits = Counter("credit_gateway_cache_hits", "Cache look-ups answered.",
                                  ["layer"], registry=self.registry)
        self.cache_misses = Counter("credit_gateway_cache_misses", "Cache look-ups missed.",
                                    ["layer"], registry=self.registry)
        self.cache_purges = Counter("credit_gateway_cache_purges",
                                    "Cache keys deleted (entity) or tags bumped (response) by "
                                    "writes.", ["layer"], registry=self.registry)
        self.request_seconds = Histogram("credit_gateway_request_seconds",
                                         "HTTP request latency.", ["path"],
                                         registry=self.registry)
        self.sql_statements = Histogram("credit_gateway_sql_statements",
                                        "SQL statements per HTTP request.", ["path"],
                                        buckets=STATEMENT_BUCKETS, registry=self.registry)
        self._per_path: dict[str, tuple[Histogram, Histogram]] = {}

    def watch_memory(self, cache: MemoryCache) -> None:
        """Expose the in-process cache's size: its bound (``CREDIT_GATEWAY_MEMORY_CACHE_MB``)
        shows holding under load."""
        for name, doc, read in (
                ("credit_gateway_memory_cache_bytes", "Bytes held by the in-process cache.",
                 lambda: cache.bytes),
                ("credit_gateway_memory_cache_entries", "Entries in the in-process cache.",
                 lambda: len(cache)),
                ("credit_gateway_memory_cache_tags", "Cache tags holding a version of their "
                 "own in this process.", lambda: cache.tags)):
            Gauge(name, doc, registry=self.registry).set_function(read)

    def watch_pool(self, database: Database) -> None:
        """Count the connections the database's pools open: under steady load the count stays
        flat once the pool is full; one that keeps rising means connections are opened and
        closed again past the pool's size (docs/PERFORMANCE.md, "Profile of the uncached
        path")."""
        opened = Counter("credit_gateway_db_connections_opened",
                         "Database connections opened (primary and read replica).",
                         registry=self.registry)
        for engine in dict.fromkeys((database.engine, database.read_engine)):
            sa.event.listen(engine.sync_engine, "connect", lambda *_args: opened.inc())

    def observe_request(self, path: str, seconds: float, statements: int) -> None:
        label = path if path in PATHS else "other"
        series = self._per_path.get(label)
        if series is None:  # ``labels`` is looked up once per path, not on every request
            series = self._per_path[label] = (self.request_seconds.labels(label),
                                              self.sql_statements.labels(label))
        series[0].observe(seconds)
        series[1].observe(statements)

    async def endpoint(self, _request: Request) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class MeteredCache:
    """A ``Cache`` that counts what passes through it as one layer (``entity``); tag bumps
    count as purges of the ``response`` layer, whose hits and misses the response cache
    counts itself (an entry found with a stale tag is a miss)."""

    def __init__(self, inner: Cache, metrics: Metrics, layer: str) -> None:
        self.inner = inner
        self.kind = inner.kind
        self._hits = metrics.cache_hits.labels(layer)
        self._misses = metrics.cache_misses.labels(layer)
        self._purges = metrics.cache_purges.labels(layer)
        self._tag_purges = metrics.cache_purges.labels("response")

    def _counted(self, values: list[bytes | None]) -> list[bytes | None]:
        hits = sum(value is not None for value in values)
        self._hits.inc(hits)
        self._misses.inc(len(values) - hits)
        return values

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        return self._counted(await self.inner.get_many(keys))

    async def set_many(self, items: Mapping[str, bytes], ttl: int | None = None) -> None:
        await self.inner.set_many(items, ttl)

    async def delete_many(self, keys: Sequence[str]) -> None:
        self._purges.inc(len(keys))
        await self.inner.delete_many(keys)

    async def tag_versions(self, tags: Sequence[str]) -> TagReading | None:
        return await self.inner.tag_versions(tags)

    async def get_current(self, key: str) -> bytes | None:
        return await self.inner.get_current(key)

    async def get_current_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """Entity rows, each valid while the versions of its tags are unchanged."""
        return self._counted(await self.inner.get_current_many(keys))

    async def bump_tags(self, tags: Sequence[str]) -> bool:
        self._tag_purges.inc(len(tags))
        return await self.inner.bump_tags(tags)

    async def settle(self, seconds: float) -> bool:
        return await self.inner.settle(seconds)

    async def lock(self, key: str, milliseconds: int) -> str | None:
        return await self.inner.lock(key, milliseconds)

    async def unlock(self, key: str, token: str) -> None:
        await self.inner.unlock(key, token)

    async def ping(self) -> bool:
        return await self.inner.ping()

    async def aclose(self) -> None:
        await self.inner.aclose()
