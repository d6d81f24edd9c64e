"""``Loaders``: the per-request set of aiodataloader ``DataLoader`` s.

A loader collects the keys every resolver asks for during one tick of the event loop and
answers them with one statement; so the statements of a query depend on the relations it
selects, not on how many subjects it returns. Loaders are made per request, so their
memoisation never outlives a request (and never leaks one caller's view to another).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import date
from functools import partial
from typing import Any, TypeVar

from aiodataloader import DataLoader
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.cache import Cache
from resolvers.data import codec
from resolvers.data.database import Database
from resolvers.data.models import Subject
from resolvers.data.queries import aggregates, relations, subjects
from resolvers.data.queries.aggregates import CarrierStats, RatingStats
from resolvers.data.queries.relations import RELATIONS, Relation
from resolvers.domain.enums import ListKind

# (parent id, rows wanted, keyset to start after)
PageKey = tuple[int, int, tuple[date, int] | None]
K = TypeVar("K")
V = TypeVar("V")

# A subject is cached under each of these columns: loaders look it up by either.
SUBJECT_KEYS = ("id", "uscc")


def subject_key(field: str, value: Any) -> str:
    return f"subject:{field}:{value}"


# Bounds the IN-list of one statement (SQLite allows 32,766 parameters).
MAX_BATCH = 1000


class Loaders:
    """All loaders of one request."""

    def __init__(self, database: Database, today: date, *, cache: Cache | None = None) -> None:
        self._database = database
        self._today = today
        self._cache = cache
        self.subject_by_id = _loader(self._subjects_by_id)
        self.subject_by_uscc = _loader(self._subjects_by_uscc)
        self.rating_stats = _loader(self._rating_stats)
        self.list_kinds = _loader(self._list_kinds)
        self.carrier_stats = _loader(self._carrier_stats)
        self.pages: dict[str, DataLoader[PageKey, list[Any]]] = {
            name: _loader(partial(self._pages, rel)) for name, rel in RELATIONS.items()
        }
        self.counts: dict[str, DataLoader[int, int]] = {
            name: _loader(partial(self._counts, rel)) for name, rel in RELATIONS.items()
        }
        self.records: dict[str, DataLoader[int, Any]] = {
            rel.model.__name__: _loader(partial(self._records, rel)) for rel in RELATIONS.values()
        }

    def prime_subjects(self, rows: Sequence[Subject]) -> None:
        """Subjects a resolver already holds (a page, a search) answer later look-ups of the
        same request by id or USCC without another statement."""
        for row in rows:
            if row.id is not None:
                self.subject_by_id.prime(row.id, row)
            self.subject_by_uscc.prime(row.uscc, row)

    async def _read(self, query: Callable[[AsyncSession], Awaitable[V]]) -> V:
        async with self._database.session() as session:
            return await query(session)

    async def _subjects_by_id(self, ids: list[int]) -> list[Subject | None]:
        return await self._cached_subjects(
            "id", ids, lambda missing: self._read(lambda s: subjects.by_ids(s, missing)))

    async def _subjects_by_uscc(self, codes: list[str]) -> list[Subject | None]:
        return await self._cached_subjects(
            "uscc", codes, lambda missing: self._read(lambda s: subjects.by_usccs(s, missing)))

    async def _cached_subjects(
        self,
        field: str,
        keys: Sequence[Any],
        fetch: Callable[[list[Any]], Awaitable[list[Subject]]],
    ) -> list[Subject | None]:
        """Subjects from the entity cache (one MGET), the misses from the database (one
        statement), written back under both their keys (one pipeline)."""
        found: dict[Any, Subject] = {}
        missing = list(keys)
        if self._cache is not None:
            cached = await self._cache.get_many([subject_key(field, k) for k in keys])
            missing = [k for k, value in zip(keys, cached, strict=True) if value is None]
            found = {k: codec.decode(Subject, value)
                     for k, value in zip(keys, cached, strict=True) if value is not None}
        if missing:
            rows = await fetch(missing)
            self.prime_subjects(rows)
            found.update({getattr(row, field): row for row in rows})
            if self._cache is not None and rows:
                await self._cache.set_many(
                    {subject_key(name, getattr(row, name)): codec.encode(row)
                     for row in rows for name in SUBJECT_KEYS})
        return _in_key_order(keys, found)

    async def _rating_stats(self, ids: list[int]) -> list[RatingStats]:
        stats = await self._read(lambda s: aggregates.rating_stats(s, ids))
        return [stats.get(i, RatingStats()) for i in ids]

    async def _carrier_stats(self, ids: list[int]) -> list[CarrierStats]:
        stats = await self._read(lambda s: aggregates.carrier_stats(s, ids))
        return [stats.get(i, CarrierStats()) for i in ids]

    async def _list_kinds(self, ids: list[int]) -> list[set[ListKind]]:
        kinds = await self._read(lambda s: aggregates.active_list_kinds(s, ids, self._today))
        return [kinds.get(i, set()) for i in ids]

    async def _pages(self, relation: Relation, keys: list[PageKey]) -> list[list[Any]]:
        # Keys asking for the same page size and start share one statement; in practice a
        # request pages every subject alike, so this is one statement per relation.
        groups: dict[tuple[int, tuple[date, int] | None], list[int]] = defaultdict(list)
        for parent_id, limit, after in keys:
            groups[(limit, after)].append(parent_id)
        found: dict[PageKey, list[Any]] = {}
        for (limit, after), parent_ids in groups.items():
            rows = await self._read(partial(relations.first_rows, relation=relation,
                                            parent_ids=parent_ids, limit=limit, after=after))
            for parent_id in parent_ids:
                found[(parent_id, limit, after)] = rows.get(parent_id, [])
        return [found[key] for key in keys]

    async def _counts(self, relation: Relation, ids: list[int]) -> list[int]:
        counts = await self._read(lambda s: relations.counts(s, relation, ids))
        return [counts.get(i, 0) for i in ids]

    async def _records(self, relation: Relation, ids: list[int]) -> list[Any]:
        rows = await self._read(lambda s: relations.by_ids(s, relation.model, ids))
        return _in_key_order(ids, {row.id: row for row in rows})


def _loader(batch: Callable[[list[K]], Coroutine[Any, Any, list[V]]]) -> DataLoader[K, V]:
    return DataLoader(batch, max_batch_size=MAX_BATCH)


def _in_key_order(keys: Sequence[K], found: dict[K, V]) -> list[V | None]:
    return [found.get(key) for key in keys]
