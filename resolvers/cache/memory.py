"""``MemoryCache``: the embedded default, a bounded LRU with per-entry expiry.

Tag versions live in a dict; with a ``TagJournal`` they are shared with the other processes
using the same database on this machine (a bump is appended to the journal and applied by
every process, this one included, when it next reads versions).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence

from resolvers.cache.base import namespaced, untagged
from resolvers.cache.journal import TagJournal


class MemoryCache:
    kind = "memory"

    def __init__(self, *, prefix: str, ttl: int, max_entries: int = 100_000,
                 journal: TagJournal | None = None) -> None:
        self._prefix = prefix
        self._ttl = ttl
        self._max = max_entries
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._versions: dict[str, int] = {}
        self._journal = journal

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        now = time.monotonic()
        values: list[bytes | None] = []
        for key in keys:
            full = namespaced(self._prefix, key)
            entry = self._entries.get(full)
            if entry is None or entry[0] < now:
                self._entries.pop(full, None)
                values.append(None)
            else:
                self._entries.move_to_end(full)
                values.append(entry[1])
        return values

    async def set_many(self, items: Mapping[str, bytes], ttl: int | None = None) -> None:
        expires = time.monotonic() + (self._ttl if ttl is None else ttl)
        for key, value in items.items():
            full = namespaced(self._prefix, key)
            self._entries[full] = (expires, value)
            self._entries.move_to_end(full)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    async def delete_many(self, keys: Sequence[str]) -> None:
        for key in keys:
            self._entries.pop(namespaced(self._prefix, key), None)

    def _apply_journal(self) -> None:
        if self._journal is not None:
            for tag in self._journal.read_new():
                self._versions[tag] = self._versions.get(tag, 0) + 1

    async def tag_versions(self, tags: Sequence[str]) -> list[int] | None:
        self._apply_journal()
        return [self._versions.get(tag, 0) for tag in tags]

    async def get_current(self, key: str) -> bytes | None:
        (entry,) = await self.get_many([key])
        parts = untagged(entry) if entry is not None else None
        if parts is None:
            return None
        versions, payload = parts
        current = await self.tag_versions(list(versions))
        return payload if current == list(versions.values()) else None

    async def bump_tags(self, tags: Sequence[str]) -> None:
        if not tags:
            return
        if self._journal is not None and self._journal.append(tags):
            self._apply_journal()  # our own lines apply here like any other process's
        else:
            for tag in tags:
                self._versions[tag] = self._versions.get(tag, 0) + 1

    async def ping(self) -> bool:
        return True

    async def aclose(self) -> None:
        self._entries.clear()
