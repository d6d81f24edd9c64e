"""``RedisCache``: one ``MGET`` per read batch, one pipeline per write batch.

Redis is an accelerator, never a dependency: any Redis failure reads as a miss (answers come
from the database), is logged once until Redis answers again, and never fails a request.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from resolvers.cache.base import namespaced

log = logging.getLogger("credit_gateway.cache")

# Short timeouts: a slow cache must cost less than the database read it would save.
SOCKET_TIMEOUT = 0.25


class RedisCache:
    kind = "redis"

    def __init__(self, url: str, *, prefix: str, ttl: int) -> None:
        self._client = aioredis.from_url(url, socket_timeout=SOCKET_TIMEOUT,
                                         socket_connect_timeout=SOCKET_TIMEOUT)
        self._prefix = prefix
        self._ttl = ttl
        self._failing = False

    def _failed(self, error: BaseException) -> None:
        if not self._failing:
            log.warning("redis unavailable, reading from the database: %r", error)
        self._failing = True

    def _recovered(self) -> None:
        if self._failing:
            log.warning("redis answers again; caching resumed")
        self._failing = False

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        if not keys:
            return []
        try:
            values = await self._client.mget([namespaced(self._prefix, k) for k in keys])
        except (RedisError, OSError) as error:
            self._failed(error)
            return [None] * len(keys)
        self._recovered()
        return [value.encode() if isinstance(value, str) else value for value in values]

    async def set_many(self, items: Mapping[str, bytes]) -> None:
        if not items:
            return
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for key, value in items.items():
                    pipe.set(namespaced(self._prefix, key), value, ex=self._ttl)
                await pipe.execute()
        except (RedisError, OSError) as error:
            self._failed(error)

    async def delete_many(self, keys: Sequence[str]) -> None:
        if not keys:
            return
        try:
            await self._client.delete(*(namespaced(self._prefix, k) for k in keys))
        except (RedisError, OSError) as error:
            self._failed(error)

    async def ping(self) -> bool:
        try:
            await self._client.ping()
        except (RedisError, OSError) as error:
            self._failed(error)
            return False
        self._recovered()
        return True

    async def aclose(self) -> None:
        await self._client.aclose()
