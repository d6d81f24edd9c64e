"""Chooses the cache backend from the configuration."""

from __future__ import annotations

from resolvers.cache.base import Cache
from resolvers.cache.memory import MemoryCache
from resolvers.cache.redis import RedisCache


def create_cache(redis_url: str, *, prefix: str, ttl: int) -> Cache:
    if redis_url:
        return RedisCache(redis_url, prefix=prefix, ttl=ttl)
    return MemoryCache(prefix=prefix, ttl=ttl)
