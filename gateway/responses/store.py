"""``ResponseCache``: whole responses, valid while the versions of their tags are unchanged and
until the first day the calendar changes them.

An entry is a tagged entry (``resolvers.cache.tagged``) whose payload is
``<ETag>\\n<until>\\n<body>``: ``<until>`` is the first Beijing day on which what the answer
shows may change by the calendar alone (a penalty leaving publicity, a list entry ending: the
loaders note it, ``Loaders.calendar_boundary``), empty when no day changes it. It is stored for
the response TTL, or until 00:00 Beijing of ``<until>`` if sooner, and read as a miss from that
day on the (movable) clock, so an answer is never served past a day that changes it, and
answers that no day changes do not all expire at midnight (docs/CACHING.md, "Midnight"). A
look-up is one round trip (``Cache.get_current``: on Redis a script reads the entry and the
current versions of its tags); any version that moved makes it a miss (and the next store
overwrites it). Hits and misses count in
``credit_gateway_cache_{hits,misses}_total{layer="response"}``: a request answered by another's
computation is a hit, so the misses of shared answers count computations.

Single flight: concurrent misses of one key compute it once per process (``join``: the first
computes, the others wait for its answer) and, with Redis, once per deployment (the first
process takes a short lock, ``SET NX PX``; the others poll for the entry it stores). A waiter
that is not answered within ``WAIT_SECONDS``, or whose leader stored nothing (an error),
computes the answer itself.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from datetime import date

from gateway.metrics import Metrics
from resolvers.cache import Cache, tagged
from resolvers.domain import clock

LOCK_MILLISECONDS = 5_000  # the deployment lock of a key being computed lapses after this
WAIT_SECONDS = 2.0  # a request waits this long for another's answer before computing its own
POLL_SECONDS = 0.02  # a process waiting for another's answer looks for it this often


@dataclass(frozen=True)
class Cached:
    etag: str
    body: bytes


@dataclass
class Flight:
    """A miss this request computes; ``ResponseCache.land`` answers those waiting for it."""

    key: str
    future: asyncio.Future[Cached | None]
    token: str | None  # the deployment lock this process holds, if any
    answer: Cached | None = None  # what it stored


class ResponseCache:
    def __init__(self, cache: Cache, metrics: Metrics, ttl: int) -> None:
        self._cache = cache
        self.ttl = ttl
        self._hits = metrics.cache_hits.labels("response")
        self._misses = metrics.cache_misses.labels("response")
        self._flying: dict[str, Flight] = {}

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    async def lookup(self, key: str, *, count_miss: bool = True) -> Cached | None:
        """The answer stored under ``key`` if it is still current. ``count_miss=False``: a
        miss here is looked up (and counted) again on the full path (``ResponseCacheStage``)."""
        cached = _parsed(await self._cache.get_current(key))
        if cached is not None:
            self._hits.inc()
        elif count_miss:
            self._misses.inc()
        return cached

    async def store(self, key: str, versions: dict[str, int], etag: str, body: bytes, *,
                    until: date | None = None) -> None:
        """Keep the answer for the TTL, or until 00:00 Beijing of ``until`` if sooner."""
        ttl = self.ttl
        if until is not None:
            ttl = min(ttl, max(1, math.ceil(clock.seconds_until(until))))
        day = until.isoformat().encode() if until is not None else b""
        await self._cache.set_many(
            {key: tagged(versions, etag.encode() + b"\n" + day + b"\n" + body)}, ttl)
        flight = self._flying.get(key)
        if flight is not None:
            flight.answer = Cached(etag, body)

    async def join(self, key: str) -> Cached | Flight | None:
        """After a miss of ``key`` (looked up with ``count_miss=False``): the answer another
        request computed meanwhile (counted as a hit), a ``Flight`` when this request is to
        compute it (pass it to ``land``), or ``None`` when it computes it without making
        others wait (waited in vain); the last two count as a miss, so misses count
        computations."""
        flight = self._flying.get(key)
        if flight is not None:  # another request of this process computes it
            try:
                answer = await asyncio.wait_for(asyncio.shield(flight.future), WAIT_SECONDS)
            except TimeoutError:
                answer = None
            (self._hits if answer is not None else self._misses).inc()
            return answer
        future: asyncio.Future[Cached | None] = asyncio.get_running_loop().create_future()
        flight = self._flying[key] = Flight(key, future, None)
        try:
            flight.token = await self._cache.lock(key, LOCK_MILLISECONDS)
            if flight.token is None:  # another process computes it: its entry will appear
                deadline = time.monotonic() + WAIT_SECONDS
                while time.monotonic() < deadline:
                    await asyncio.sleep(POLL_SECONDS)
                    answer = _parsed(await self._cache.get_current(key))
                    if answer is not None:
                        self._hits.inc()
                        flight.answer = answer
                        await self.land(flight)  # those waiting here get it too
                        return answer
        except BaseException:  # cancelled (the client left) or failed: nobody may wait on it
            await self.land(flight)
            raise
        self._misses.inc()
        return flight

    async def land(self, flight: Flight | None) -> None:
        """The computing request is done (stored or not): answer those waiting, release the
        lock. Called in a ``finally``: a failure never leaves others waiting."""
        if flight is None:
            return
        if self._flying.get(flight.key) is flight:
            del self._flying[flight.key]
        if not flight.future.done():
            flight.future.set_result(flight.answer)
        if flight.token is not None:
            await self._cache.unlock(flight.key, flight.token)


def _parsed(payload: bytes | None) -> Cached | None:
    """The answer in an entry's payload, ``None`` when there is none or its day has come."""
    etag, newline, rest = (payload or b"").partition(b"\n")
    until, newline_too, body = rest.partition(b"\n")
    if not (newline and newline_too):
        return None
    if until and clock.today() >= date.fromisoformat(until.decode()):
        return None
    return Cached(etag.decode(), body)
