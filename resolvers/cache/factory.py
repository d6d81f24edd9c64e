"""Chooses the cache backend from the configuration."""

from __future__ import annotations

from pathlib import Path

from resolvers.cache.base import Cache
from resolvers.cache.journal import TagJournal
from resolvers.cache.memory import DEFAULT_MAX_BYTES, MemoryCache
from resolvers.cache.redis import RedisCache


def create_cache(redis_url: str, *, prefix: str, ttl: int, journal: Path | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> Cache:
    """Redis when ``redis_url`` is set; else the in-process cache, whose tag bumps go through
    the ``journal`` file (when given) to the other processes of this machine."""
    if redis_url:
        return RedisCache(redis_url, prefix=prefix, ttl=ttl)
    return MemoryCache(prefix=prefix, ttl=ttl, max_bytes=max_bytes,
                       journal=TagJournal(journal) if journal is not None else None)
