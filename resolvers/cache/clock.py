"""``TagClock``: the tag versions of one process, bounded in number.

A version is the millisecond time of the tag's last bump, and never less than the previous
version given to any tag plus one: versions only move forward, so an entry stored against an old
version can never become current again (``resolvers.cache.base.TagReading``).

At most ``max_tags`` tags keep a version of their own (the most recently bumped ones). A tag
that was never bumped, or whose version was dropped to stay within the bound, reads as the
*floor*: the newest version ever dropped. That is at least the tag's own last version, so an
entry stored against a dropped tag reads as stale, never as current after a change; the price
of the bound is a spurious miss, never a stale answer.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence

DEFAULT_MAX_TAGS = 200_000


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class TagClock:
    def __init__(self, max_tags: int = DEFAULT_MAX_TAGS) -> None:
        self._max = max_tags
        self._versions: OrderedDict[str, int] = OrderedDict()
        self._floor = 0
        self._last = 0

    def __len__(self) -> int:
        return len(self._versions)

    def versions(self, tags: Sequence[str]) -> list[int]:
        return [self._versions.get(tag, self._floor) for tag in tags]

    def bump(self, tags: Iterable[str]) -> None:
        for tag in tags:
            self._last = max(self._last + 1, now_ms())
            self._versions[tag] = self._last
            self._versions.move_to_end(tag)
        while len(self._versions) > self._max:
            _, dropped = self._versions.popitem(last=False)
            self._floor = max(self._floor, dropped)

    def bump_all(self) -> None:
        """Every tag moves forward at once (the journal lost track of other processes)."""
        self._last = max(self._last + 1, now_ms())
        self._versions.clear()
        self._floor = self._last
