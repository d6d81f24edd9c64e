"""Sliding windows (滑动窗口) counting requests per caller: in-process, or shared through Redis.

A window remembers the time of each request it let through in the last ``window`` seconds (a
sorted set in Redis, a deque in-process); a request is let through while fewer than ``limit``
are remembered, and a refused one learns when the oldest leaves the window (``Retry-After``).
In Redis the whole decision is one Lua script — atomic, so processes sharing the Redis share
each window exactly — and it reads Redis' clock, so the processes' clocks need not agree. The
hits of concurrent requests share one call of it (``Coalescer``), counted in the order they came.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import Sequence
from typing import Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from resolvers.cache.coalesce import Coalescer

log = logging.getLogger("credit_gateway.limits")

# Like the entity cache: a slow Redis must not slow every request down.
SOCKET_TIMEOUT = 0.25
# After a failure Redis is not asked again for this long (the in-process window counts meanwhile).
RETRY_REDIS_AFTER = 5.0

# One script call for a batch of hits (concurrent requests' hits share it, ``Coalescer``):
# KEYS[i] is a window, ARGV[3i-2..3i] its limit, its length in ms and a member naming the hit;
# the hits of one key count in order. Per hit: 0 when let through, else the ms until one would be.
_SLIDE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local waits = {}
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[3 * i - 2])
  local window = tonumber(ARGV[3 * i - 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) < limit then
    redis.call('ZADD', key, now, ARGV[3 * i])
    redis.call('PEXPIRE', key, window)
    waits[i] = 0
  else
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    waits[i] = math.max(1, tonumber(oldest[2]) + window - now)
  end
end
return waits
"""

# (window key, limit, window in ms, member): one request's hit, unique by its member
Hit = tuple[str, int, int, str]


class Window(Protocol):
    async def hit(self, identity: str, limit: int, window: float) -> float | None:
        """Count a request of ``identity``; ``None`` when let through, else the seconds until
        one would be."""

    async def aclose(self) -> None: ...


class MemoryWindow:
    """The windows of one process (the embedded default, and the fallback when Redis fails)."""

    _SWEEP_AT = 10_000  # identities remembered before the idle ones are dropped

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}

    async def hit(self, identity: str, limit: int, window: float) -> float | None:
        now = time.monotonic()
        if len(self._hits) > self._SWEEP_AT:
            self._sweep(now, window)
        hits = self._hits.setdefault(identity, deque())
        while hits and hits[0] <= now - window:
            hits.popleft()
        if len(hits) < limit:
            hits.append(now)
            return None
        return max(hits[0] + window - now, 0.001)

    def _sweep(self, now: float, window: float) -> None:
        for identity in [i for i, hits in self._hits.items() if not hits or hits[-1] <= now - window]:
            del self._hits[identity]

    async def aclose(self) -> None:
        return None


class RedisWindow:
    """Windows shared by every process using one Redis (and one key prefix)."""

    def __init__(self, url: str, *, prefix: str) -> None:
        self._client = aioredis.from_url(url, socket_timeout=SOCKET_TIMEOUT,
                                         socket_connect_timeout=SOCKET_TIMEOUT)
        self._slide = self._client.register_script(_SLIDE)
        self._hits: Coalescer[Hit, int] = Coalescer(self._slide_many)
        self._prefix = prefix
        self._fallback = MemoryWindow()
        self._failed_at: float | None = None

    async def hit(self, identity: str, limit: int, window: float) -> float | None:
        if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_REDIS_AFTER:
            return await self._fallback.hit(identity, limit, window)
        try:
            wait = await self._hits.get((f"{self._prefix}:ratelimit:{identity}", limit,
                                         int(window * 1000), uuid.uuid4().hex))
        except (RedisError, OSError) as error:
            if self._failed_at is None:
                log.warning("rate limits: redis failed (%r); counting in-process until it "
                            "answers", error)
            self._failed_at = time.monotonic()
            return await self._fallback.hit(identity, limit, window)
        if self._failed_at is not None:
            log.warning("redis answers again; rate limits shared again")
            self._failed_at = None
        return None if int(wait) == 0 else int(wait) / 1000

    async def _slide_many(self, hits: Sequence[Hit]) -> list[int]:
        args: list[int | str] = []
        for _, limit, milliseconds, member in hits:
            args += (limit, milliseconds, member)
        waits = await self._slide(keys=[key for key, *_ in hits], args=args)
        return [int(wait) for wait in waits]

    async def aclose(self) -> None:
        await self._client.aclose()


def create_window(redis_url: str, *, prefix: str) -> Window:
    return RedisWindow(redis_url, prefix=prefix) if redis_url else MemoryWindow()
