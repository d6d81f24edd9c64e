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
from collections import OrderedDict, deque
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
SLIDE = """
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

# Whether a window is full, without counting a hit: KEYS[1] the window, ARGV its limit and its
# length in ms. 0 when a hit would be let through, else the ms until one would be.
_FULL = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""

# (window key, limit, window in ms, member): one request's hit, unique by its member
Hit = tuple[str, int, int, str]


class Window(Protocol):
    async def hit(self, identity: str, limit: int, window: float) -> float | None:
        """Count a request of ``identity``; ``None`` when let through, else the seconds until
        one would be."""

    async def full(self, identity: str, limit: int, window: float) -> float | None:
        """Whether ``identity``'s window is full, without counting a request: ``None`` when
        one would be let through, else the seconds until one would be."""

    async def aclose(self) -> None: ...


class MemoryWindow:
    """The windows of one process (the embedded default, and the fallback when Redis fails).

    At most ``MAX_IDENTITIES`` callers are remembered, least recently seen forgotten first
    (an ``OrderedDict`` in order of last request), so each request costs O(1) however many
    callers there are. A caller forgotten while its window still held requests starts afresh;
    that takes ``MAX_IDENTITIES`` other callers seen since its last request.
    """

    MAX_IDENTITIES = 10_000

    def __init__(self) -> None:
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._hits)

    def _window(self, identity: str, now: float, window: float) -> deque[float]:
        hits = self._hits.get(identity)
        if hits is None:
            hits = self._hits[identity] = deque()
            if len(self._hits) > self.MAX_IDENTITIES:
                self._hits.popitem(last=False)
        else:
            self._hits.move_to_end(identity)
        while hits and hits[0] <= now - window:
            hits.popleft()
        return hits

    async def hit(self, identity: str, limit: int, window: float) -> float | None:
        now = time.monotonic()
        hits = self._window(identity, now, window)
        if len(hits) < limit:
            hits.append(now)
            return None
        return max(hits[0] + window - now, 0.001)

    async def full(self, identity: str, limit: int, window: float) -> float | None:
        now = time.monotonic()
        hits = self._hits.get(identity)
        if hits is None:
            return None
        while hits and hits[0] <= now - window:
            hits.popleft()
        return None if len(hits) < limit else max(hits[0] + window - now, 0.001)

    async def aclose(self) -> None:
        return None


class RedisWindow:
    """Windows shared by every process using one Redis (and one key prefix)."""

    def __init__(self, url: str, *, prefix: str) -> None:
        self._client = aioredis.from_url(url, socket_timeout=SOCKET_TIMEOUT,
                                         socket_connect_timeout=SOCKET_TIMEOUT)
        self._slide = self._client.register_script(SLIDE)
        self._full = self._client.register_script(_FULL)
        self._hits: Coalescer[Hit, int] = Coalescer(self._slide_many)
        self._prefix = prefix
        self._fallback = MemoryWindow()
        self._failed_at: float | None = None

    async def hit(self, identity: str, limit: int, window: float) -> float | None:
        if self._down():
            return await self._fallback.hit(identity, limit, window)
        try:
            wait = await self._hits.get((self._key(identity), limit, int(window * 1000),
                                         uuid.uuid4().hex))
        except (RedisError, OSError) as error:
            self._failed(error)
            return await self._fallback.hit(identity, limit, window)
        return self._answered(wait)

    async def full(self, identity: str, limit: int, window: float) -> float | None:
        if self._down():
            return await self._fallback.full(identity, limit, window)
        try:
            wait = await self._full(keys=[self._key(identity)], args=[limit, int(window * 1000)])
        except (RedisError, OSError) as error:
            self._failed(error)
            return await self._fallback.full(identity, limit, window)
        return self._answered(int(wait))

    def _key(self, identity: str) -> str:
        return f"{self._prefix}:ratelimit:{identity}"

    def _down(self) -> bool:
        return (self._failed_at is not None
                and time.monotonic() - self._failed_at < RETRY_REDIS_AFTER)

    def _failed(self, error: BaseException) -> None:
        if self._failed_at is None:
            log.warning("rate limits: redis failed (%r); counting in-process until it answers",
                        error)
        self._failed_at = time.monotonic()

    def _answered(self, wait: int) -> float | None:
        if self._failed_at is not None:
            log.warning("redis answers again; rate limits shared again")
            self._failed_at = None
        return None if wait == 0 else wait / 1000

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
