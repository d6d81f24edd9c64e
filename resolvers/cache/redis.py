"""``RedisCache``: one ``MGET`` per read batch, one pipeline per write batch.

Redis is an accelerator, never a dependency: any Redis failure reads as a miss (answers come
from the database), is logged once until Redis answers again, and never fails a request.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Mapping, Sequence

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from resolvers.cache.base import ALL_TAG, TagReading, namespaced, tag_key
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

# Moves each tag (KEYS) to the server's clock in milliseconds, never less than its version
# plus one (``TagReading``), and gives it ARGV[1] seconds to live: a tag that expired reads as
# 0 and its next bump is newer than any version an entry holds, so a tag may expire once no
# entry stored against it can be alive (``TAG_TTL`` exceeds every entry TTL).
BUMP_TAGS = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _, key in ipairs(KEYS) do
  local version = math.max(tonumber(redis.call('GET', key) or '0') + 1, now)
  redis.call('SET', key, string.format('%d', version), 'EX', ARGV[1])
end
return now
"""

# Deletes the lock KEYS[1] only if it still holds the token ARGV[1] (``unlock``): a lock that
# expired and was taken by another process is left to it.
UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# Short timeouts: a slow cache must cost less than the database read it would save.
SOCKET_TIMEOUT = 0.25
# Seconds a tag's version is kept after its last bump; entry TTLs must stay below it
# (``gateway.settings`` refuses longer ones).
TAG_TTL = 7 * 86_400
# A bump that failed is tried again this many times, a little later each, before it is owed.
BUMP_ATTEMPTS = 3


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
        self._bump = self._client.register_script(BUMP_TAGS)
        self._unlock = self._client.register_script(UNLOCK)
        # concurrent requests' look-ups share one script call (one round trip)
        self._lookups: Coalescer[str, bytes | None] = Coalescer(self._current_many)
        self._versions: Coalescer[str, tuple[int, int]] = Coalescer(self._versions_many)

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
            await self._bump(keys=[self._tag(ALL_TAG)], args=[TAG_TTL])
            self._lost_bump = False

    async def tag_versions(self, tags: Sequence[str]) -> TagReading | None:
        """Concurrent requests' version questions share one round trip (``Coalescer``), so
        requests arriving together also reach the entity cache's single flight together."""
        try:
            read = await self._versions.get_many([self._tag(tag) for tag in tags] or [""])
        except (RedisError, OSError):
            return None  # logged by ``_versions_many``
        return TagReading([version for version, _ in read][:len(tags)], read[0][1])

    async def _versions_many(self, keys: Sequence[str]) -> list[tuple[int, int]]:
        """(version, the server's clock in ms) of each tag key; ``""`` reads the clock only."""
        try:
            await self._repair_lost_bump()
            async with self._client.pipeline(transaction=False) as pipe:
                pipe.time()
                pipe.mget([key or self._tag("") for key in keys])
                (seconds, microseconds), values = await pipe.execute()
        except (RedisError, OSError) as error:
            self._failed(error)
            raise
        self._recovered()
        now = int(seconds) * 1000 + int(microseconds) // 1000
        return [(int(value) if value is not None and key else 0, now)
                for key, value in zip(keys, values, strict=True)]

    async def get_current(self, key: str) -> bytes | None:
        return await self._lookups.get(namespaced(self._prefix, key))

    async def get_current_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """The loaders' entity look-ups: concurrent requests' keys share one script call
        (``Coalescer``), as the response cache's do."""
        if not keys:
            return []
        return await self._lookups.get_many([namespaced(self._prefix, key) for key in keys])

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

    async def bump_tags(self, tags: Sequence[str]) -> bool:
        """One script call (``BUMP_TAGS``), tried ``BUMP_ATTEMPTS`` times before it is owed."""
        if not tags:
            return True
        for attempt in range(BUMP_ATTEMPTS):
            if attempt:
                await asyncio.sleep(0.05 * attempt)
            if await self._bump_once(tags):
                return True
        return False

    async def _bump_once(self, tags: Sequence[str]) -> bool:
        bumped = [*tags, *([ALL_TAG] if self._lost_bump else [])]
        try:
            await self._bump(keys=[self._tag(tag) for tag in bumped], args=[TAG_TTL])
        except (RedisError, OSError) as error:
            self._failed(error)
            self._lost_bump = True
            return False
        self._lost_bump = False
        self._recovered()
        return True

    async def settle(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while self._lost_bump and not await self._bump_once([ALL_TAG]):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.2)
        return True

    async def lock(self, key: str, milliseconds: int) -> str | None:
        """``SET <lock key> <token> NX PX <milliseconds>``: one round trip."""
        token = secrets.token_hex(8)
        try:
            taken = await self._client.set(namespaced(self._prefix, f"lock:{key}"), token,
                                           nx=True, px=milliseconds)
        except (RedisError, OSError) as error:
            self._failed(error)
            return token  # Redis does not answer: nobody can share the work
        self._recovered()
        return token if taken else None

    async def unlock(self, key: str, token: str) -> None:
        try:
            await self._unlock(keys=[namespaced(self._prefix, f"lock:{key}")], args=[token])
        except (RedisError, OSError) as error:
            self._failed(error)  # it expires by itself

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
