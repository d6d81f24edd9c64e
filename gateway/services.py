"""Long-lived resources of one gateway process: the database, the cache, the metrics and the
rate limit's windows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gateway.limits.windows import Window, create_window
from gateway.metrics import MeteredCache, Metrics
from gateway.settings import Settings
from resolvers.cache import Cache, MemoryCache, SingleFlight, create_cache
from resolvers.data.database import Database


@dataclass
class Services:
    settings: Settings
    database: Database
    cache: Cache
    metrics: Metrics
    rate_window: Window  # the rate limit's sliding windows (gateway/limits/rate.py)
    # one per process: concurrent requests missing the same entity share one fetch
    flight: SingleFlight[Any] = field(default_factory=SingleFlight)

    @classmethod
    def create(cls, settings: Settings) -> Services:
        # Nothing connects here: engines and clients connect on first use, so a process
        # starts (and reports the fault on /healthz) even when a backend is down.
        database = Database(settings.resolved_database_url, read_url=settings.database_read_url,
                            pool_size=settings.db_pool_size,
                            connect_timeout=settings.db_connect_timeout)
        metrics = Metrics()
        metrics.watch_pool(database)
        store = create_cache(settings.redis_url, prefix=settings.cache_prefix,
                             ttl=settings.cache_ttl, journal=settings.tag_journal_path,
                             max_bytes=settings.memory_cache_bytes)
        if isinstance(store, MemoryCache):
            metrics.watch_memory(store)
        cache = MeteredCache(store, metrics, "entity")
        rate_window = create_window(settings.redis_url, prefix=settings.cache_prefix)
        return cls(settings=settings, database=database, cache=cache, metrics=metrics,
                   rate_window=rate_window)

    async def aclose(self) -> None:
        await self.cache.aclose()
        await self.rate_window.aclose()
        await self.database.dispose()
