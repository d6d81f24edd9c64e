"""Sliding windows (滑动窗口) counting requests per caller: in-process, or shared through Redis.

A window remembers the time of each request it let through in the last ``window`` seconds (a
sorted set in Redis, a deque in-process); a request is let through while fewer than ``limit``
are remembered, and a refused one learns when the oldest leaves the window (``Retry-After``).
In Redis the whole decision is one Lua script — atomic, so processes sharing the Redis share
each window exactly — and it reads Redis' clock, so the processes' clocks need not agree.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from typing import Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger("credit_gateway.limits")

# Like the entity cache: a slow Redis must not slow every request down.
SOCKET_TIMEOUT = 0.25
# After a failure Redis is not asked again for this long (the in-process window counts meanwhile).
RETRY_REDIS_AFTER = 5.0

_SLIDE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""


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
        self._prefix = prefix
        self._fallback = MemoryWindow()
        self._failed_at: float | None = None

    async def hit(self, identity: str, limit: int, window: float) -> float | None:
        if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_REDIS_AFTER:
            return await self._fallback.hit(identity, limit, window)
        try:
            wait = await self._slide(keys=[f"{self._prefix}:ratelimit:{identity}"],
                                     args=[limit, int(window * 1000), uuid.uuid4().hex])
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

    async def aclose(self) -> None:
        await self._client.aclose()


def create_window(redis_url: str, *, prefix: str) -> Window:
    return RedisWindow(redis_url, prefix=prefix) if redis_url else MemoryWindow()
