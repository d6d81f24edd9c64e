"""``MemoryCache``: the embedded default, an LRU bounded by bytes with per-entry expiry.

Entries are reclaimed three ways: when read after their expiry, from the front of their TTL's
queue (entries stored with one TTL expire in the order they were stored) each time something is
stored, and least-recently-used first once the entries' bytes pass ``max_bytes``.

Tag versions live in a ``TagClock`` (bounded in number); with a ``TagJournal`` they are shared
with the other processes using the same database on this machine (a bump is appended to the
journal and applied by every process, this one included, when it next reads versions). The
journal is read in a worker thread, never on the event loop; a ``stat`` tells whether there is
anything to read.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence

from resolvers.cache.base import ALL_TAG, TagReading, namespaced, untagged
from resolvers.cache.clock import DEFAULT_MAX_TAGS, TagClock, now_ms
from resolvers.cache.journal import Lost, TagJournal

DEFAULT_MAX_BYTES = 256 << 20
# what Python spends on an entry besides its key and value (tuple, floats, dict slots)
ENTRY_OVERHEAD = 200


class MemoryCache:
    kind = "memory"

    def __init__(self, *, prefix: str, ttl: int, max_bytes: int = DEFAULT_MAX_BYTES,
                 max_tags: int = DEFAULT_MAX_TAGS, journal: TagJournal | None = None) -> None:
        self._prefix = prefix
        self._ttl = ttl
        self._max_bytes = max_bytes
        # key -> (expires, ttl, value); least recently used first
        self._entries: OrderedDict[str, tuple[float, int, bytes]] = OrderedDict()
        self._expiring: dict[int, OrderedDict[str, float]] = {}  # per TTL, in expiry order
        self.bytes = 0
        self._clock = TagClock(max_tags)
        self._journal = journal
        self._journal_lock = asyncio.Lock()
        self._owed = False  # a bump the journal did not take (``settle``)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def tags(self) -> int:
        """How many tags hold a version of their own."""
        return len(self._clock)

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        now = time.monotonic()
        values: list[bytes | None] = []
        for key in keys:
            full = namespaced(self._prefix, key)
            entry = self._entries.get(full)
            if entry is None or entry[0] < now:
                self._drop(full)
                values.append(None)
            else:
                self._entries.move_to_end(full)
                values.append(entry[2])
        return values

    async def set_many(self, items: Mapping[str, bytes], ttl: int | None = None) -> None:
        lifetime = self._ttl if ttl is None else ttl
        now = time.monotonic()
        self._reclaim_expired(now)
        expires = now + lifetime
        queue = self._expiring.setdefault(lifetime, OrderedDict())
        for key, value in items.items():
            full = namespaced(self._prefix, key)
            self._drop(full)
            self._entries[full] = (expires, lifetime, value)
            queue[full] = expires
            self.bytes += _size(full, value)
        while self.bytes > self._max_bytes and self._entries:
            self._drop(next(iter(self._entries)))

    def _drop(self, full: str) -> None:
        entry = self._entries.pop(full, None)
        if entry is not None:
            self.bytes -= _size(full, entry[2])
            self._expiring[entry[1]].pop(full, None)

    def _reclaim_expired(self, now: float) -> None:
        for queue in self._expiring.values():
            while queue:
                full, expires = next(iter(queue.items()))
                if expires >= now:
                    break
                self._drop(full)

    async def delete_many(self, keys: Sequence[str]) -> None:
        for key in keys:
            self._drop(namespaced(self._prefix, key))

    async def _apply_journal(self) -> None:
        if self._journal is None or not self._journal.has_new():
            return
        async with self._journal_lock:
            found = await asyncio.to_thread(self._journal.read_new)
        if isinstance(found, Lost):
            self._clock.bump_all()
        else:
            self._clock.bump(found)

    async def tag_versions(self, tags: Sequence[str]) -> TagReading | None:
        await self._apply_journal()
        return TagReading(self._clock.versions(tags), now_ms())

    async def get_current(self, key: str) -> bytes | None:
        return (await self.get_current_many([key]))[0]

    async def get_current_many(self, keys: Sequence[str]) -> list[bytes | None]:
        await self._apply_journal()
        found: list[bytes | None] = []
        for entry in await self.get_many(keys):
            parts = untagged(entry) if entry is not None else None
            if parts is None:
                found.append(None)
                continue
            versions, payload = parts
            current = self._clock.versions(list(versions)) == list(versions.values())
            found.append(payload if current else None)
        return found

    async def bump_tags(self, tags: Sequence[str]) -> bool:
        if not tags:
            return True
        bumped = [*tags, *([ALL_TAG] if self._owed else [])]
        if self._journal is None:
            self._clock.bump(bumped)
            return True
        delivered = await asyncio.to_thread(self._journal.append, bumped)
        if delivered:
            self._owed = False
            await self._apply_journal()  # our own lines apply here like any other process's
        else:  # the other processes did not hear of it: apply here, owe it to them
            self._owed = True
            self._clock.bump(bumped)
        return delivered

    async def settle(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while self._owed:
            if await self.bump_tags([ALL_TAG]) or time.monotonic() >= deadline:
                break
            await asyncio.sleep(0.2)
        return not self._owed

    async def lock(self, key: str, milliseconds: int) -> str | None:
        return "process"  # one process: ``ResponseCache`` already computes a key once here

    async def unlock(self, key: str, token: str) -> None:
        return None

    async def ping(self) -> bool:
        return True

    async def aclose(self) -> None:
        self._entries.clear()
        self._expiring.clear()
        self.bytes = 0


def _size(full: str, value: bytes) -> int:
    return len(full) + len(value) + ENTRY_OVERHEAD
