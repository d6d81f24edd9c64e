"""Tags: which entities a cached response showed, so a write can purge exactly those.

Names (each a version counter in the cache, ``Cache.tag_versions`` / ``bump_tags``):

- ``subject:<id>`` — a subject and everything hung under it: its relation pages and counts,
  list standing, rating summary, carrier class, history. A write of a record bumps the tag of
  every subject the record names (the subject, a carrier, a rater, a platform).
- ``<Type>:<id>`` — one record (``Penalty:17``), as ``node`` shows it.
- ``<Type>:*`` — the membership of lists filtered by records of that type (``subjects`` with
  ``listStatus`` depends on ``ListEntry:*``); every write of a ``<Type>`` bumps it.

``TagRecorder`` collects the tags of one request. Race-free across processes: the version of a
tag is read *before* the data it guards is read (the loaders call ``observe`` before their
statement or entity-cache look-up), and a writer bumps after its commit, so an entry can only
hold a version older than its data, never newer — a write that committed after the read makes
the entry stale. Subject rows themselves never change through writes, so tags of subjects
whose row alone is shown (a page of ``subjects``) are ``note``d and read when storing.

Days, too: what an answer shows may change by the calendar alone (a penalty leaves publicity at
00:00 Beijing on its end, a list entry starts or ends). Whatever reads by ``today`` notes the
first later day that changes what it read (``note_boundary``), or, when it read through a SQL
filter that hides the records which would change it, the subjects whose records decide it
(``note_calendar``; their earliest day is read when storing). The response cache keeps the
answer until then, not until every midnight (docs/CACHING.md, "Midnight").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from resolvers.cache.base import ALL_TAG, Cache


def subject_tag(subject_id: int) -> str:
    return f"subject:{subject_id}"


def record_tag(record_type: str, record_id: int) -> str:
    return f"{record_type}:{record_id}"


def collection_tag(record_type: str) -> str:
    return f"{record_type}:*"


class TagRecorder:
    """The tags one request read, with their versions as read before the data.

    Three consumers: the response cache stores the answer against ``final()`` (when
    ``recording``); the entity cache stores each row against the versions of its own tags;
    and with a read replica, ``recent`` tells that some tag read changed less
    than ``replica_lag_ms`` ago, so the request reads the primary from then on."""

    def __init__(self, cache: Cache, *, replica_lag_ms: int = 0) -> None:
        self._cache = cache
        self._lag = replica_lag_ms
        self.versions: dict[str, int] = {}
        self._noted: set[str] = set()
        self.available = True  # the cache answered every version question so far
        self.cacheable = True  # the response may be stored (``uncacheable``)
        self.recording = False  # the response cache will store this response
        self.recent = False
        self.boundary: date | None = None  # the first day the calendar may change the answer
        self.calendar_subjects: set[int] = set()  # ... or may, by their records (read later)

    def uncacheable(self) -> None:
        """This response must not be stored (a resolver whose answer no tag can purge —
        e.g. one that reads something outside the tagged entities)."""
        self.cacheable = False

    async def observe(self, tags: Iterable[str]) -> None:
        """Read the versions of tags not seen yet in this request, before reading their data."""
        new = [tag for tag in dict.fromkeys(tags) if tag not in self.versions]
        if not new or not self.available:
            return
        reading = await self._cache.tag_versions(new)
        if reading is None:  # the cache does not answer: nothing to store this against
            self.available = False
            return
        self.versions.update(zip(new, reading.versions, strict=True))
        if self._lag and reading.changed_within(self._lag):
            self.recent = True

    def note(self, tags: Iterable[str]) -> None:
        """Tags whose data writes never change (subject rows): versions read at the end."""
        self._noted.update(tags)

    def note_boundary(self, day: date | None) -> None:
        """What this request read may change on ``day`` (00:00 Beijing); ``None``: never by
        the calendar."""
        if day is not None and (self.boundary is None or day < self.boundary):
            self.boundary = day

    def note_calendar(self, subject_ids: Iterable[int]) -> None:
        """What this request read of these subjects was filtered by ``today`` in SQL: their
        records' earliest change day is read before storing (``Loaders.calendar_boundary``)."""
        self.calendar_subjects.update(subject_ids)

    async def final(self) -> dict[str, int] | None:
        """Every tag with its version (``ALL_TAG`` included); ``None`` when not cacheable."""
        await self.observe([ALL_TAG, *sorted(self._noted)])
        return dict(self.versions) if self.cacheable and self.available else None
