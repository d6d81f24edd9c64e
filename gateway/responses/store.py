"""``ResponseCache``: whole responses, valid while the versions of their tags are unchanged.

An entry is a tagged entry (``resolvers.cache.tagged``) whose payload is ``<ETag>\\n<body>``,
stored with the response TTL. A look-up is one round trip (``Cache.get_current``: on Redis a
script reads the entry and the current versions of its tags); any version that moved makes it
a miss (and the next store overwrites it). Hits and misses count in
``credit_gateway_cache_{hits,misses}_total{layer="response"}``.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.metrics import Metrics
from resolvers.cache import Cache, tagged


@dataclass(frozen=True)
class Cached:
    etag: str
    body: bytes


class ResponseCache:
    def __init__(self, cache: Cache, metrics: Metrics, ttl: int) -> None:
        self._cache = cache
        self.ttl = ttl
        self._hits = metrics.cache_hits.labels("response")
        self._misses = metrics.cache_misses.labels("response")

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    async def lookup(self, key: str, *, count_miss: bool = True) -> Cached | None:
        """The answer stored under ``key`` if it is still current. ``count_miss=False``: a
        miss here is looked up (and counted) again on the full path (``CachedAnswers``)."""
        payload = await self._cache.get_current(key)
        etag, newline, body = (payload or b"").partition(b"\n")
        cached = Cached(etag.decode(), body) if newline else None
        if cached is not None:
            self._hits.inc()
        elif count_miss:
            self._misses.inc()
        return cached

    async def store(self, key: str, versions: dict[str, int], etag: str, body: bytes) -> None:
        await self._cache.set_many({key: tagged(versions, etag.encode() + b"\n" + body)},
                                   self.ttl)
