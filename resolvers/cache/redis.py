"""``RedisCache``: one ``MGET`` per read batch, one pipeline per write batch.

Redis is an accelerator, never a dependency: any Redis failure reads as a miss (answers come
from the database), is logged once until Redis answers again, and never fails a request.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from resolvers.cache.base import ALL_TAG, namespaced, tag_key
from resolvers.cache.coalesce import Coalescer

log = logging.getLogger("credit_gateway.cache")

# ``get_current`` for a batch of entries in one round trip (``Coalescer``): each entry's payload
# if the current version of every tag its header names is still the one it was stored with,
# else false (KEYS: the entries; ARGV[1]: the key prefix of tag counters). The tag keys are
# computed inside the script, which a single Redis instance allows (not Redis Cluster).
CURRENT_ENTRIES = """
local function current(key)
  local entry = redis.call('GET', key)
  if not entry then return false end
  local newline = string.find(entry, '\\n', 1, true)
  if not newline then return false end
  local ok, versions = pcall(cjson.decode, string.sub(entry, 1, newline - 1))
  if not ok or type(versions) ~= 'table' then return false end
  for tag, version in pairs(versions) do
    if tonumber(redis.call('GET', ARGV[1] .. tag) or '0') ~= version then return false end
  end
  return string.sub(entry, newline + 1)
end
local found = {}
for i, key in ipairs(KEYS) do found[i] = current(key) end
return found
"""

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
        # a bump Redis did not take: entries against the old versions would read as fresh
        # once Redis answers again, so the next successful call bumps ALL_TAG first
        self._lost_bump = False
        self._current_entries = self._client.register_script(CURRENT_ENTRIES)
        # concurrent requests' look-ups share one script call (one round trip)
        self._lookups: Coalescer[str, bytes | None] = Coalescer(self._current_many)

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

    async def set_many(self, items: Mapping[str, bytes], ttl: int | None = None) -> None:
        if not items:
            return
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for key, value in items.items():
                    pipe.set(namespaced(self._prefix, key), value,
                             ex=self._ttl if ttl is None else ttl)
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

    def _tag(self, tag: str) -> str:
        return namespaced(self._prefix, tag_key(tag))

    async def _repair_lost_bump(self) -> None:
        """Before versions are read again after a bump Redis did not take: bump ``ALL_TAG``,
        so no entry stored against the old versions reads as current."""
        if self._lost_bump:
            await self._client.incr(self._tag(ALL_TAG))
            self._lost_bump = False

    async def tag_versions(self, tags: Sequence[str]) -> list[int] | None:
        if not tags:
            return []
        try:
            await self._repair_lost_bump()
            values = await self._client.mget([self._tag(tag) for tag in tags])
        except (RedisError, OSError) as error:
            self._failed(error)
            return None
        self._recovered()
        return [int(value) if value is not None else 0 for value in values]

    async def get_current(self, key: str) -> bytes | None:
        return await self._lookups.get(namespaced(self._prefix, key))

    async def _current_many(self, keys: Sequence[str]) -> list[bytes | None]:
        try:
            await self._repair_lost_bump()
            payloads = await self._current_entries(keys=list(keys), args=[self._tag("")])
        except (RedisError, OSError) as error:
            self._failed(error)
            return [None] * len(keys)
        self._recovered()
        return [payload.encode() if isinstance(payload, str) else payload or None
                for payload in payloads]

    async def bump_tags(self, tags: Sequence[str]) -> None:
        """One pipeline of ``INCR``s. Tag counters have no TTL: one that expired and started
        again from 0 could come back to a version an old entry stored."""
        if not tags:
            return
        bumped = [*tags, *([ALL_TAG] if self._lost_bump else [])]
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for tag in bumped:
                    pipe.incr(self._tag(tag))
                await pipe.execute()
        except (RedisError, OSError) as error:
            self._failed(error)
            self._lost_bump = True
            return
        self._lost_bump = False
        self._recovered()

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
