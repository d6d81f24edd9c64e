"""``MemoryCache``: the embedded default, a bounded LRU with per-entry expiry."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence

from resolvers.cache.base import namespaced


class MemoryCache:
    kind = "memory"

    def __init__(self, *, prefix: str, ttl: int, max_entries: int = 100_000) -> None:
        self._prefix = prefix
        self._ttl = ttl
        self._max = max_entries
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()

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

    async def set_many(self, items: Mapping[str, bytes]) -> None:
        expires = time.monotonic() + self._ttl
        for key, value in items.items():
            full = namespaced(self._prefix, key)
            self._entries[full] = (expires, value)
            self._entries.move_to_end(full)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    async def delete_many(self, keys: Sequence[str]) -> None:
        for key in keys:
            self._entries.pop(namespaced(self._prefix, key), None)

    async def ping(self) -> bool:
        return True

    async def aclose(self) -> None:
        self._entries.clear()
