"""The one post-commit path of every write: what a transaction touched, and purging it from both
cache layers once it committed (docs/CACHING.md).

A record write touches: the record (``<Type>:<id>``), every subject the record names (its
subject, and a carrier, rater or platform — ``subject:<id>``: their pages, counts, standing
and summaries show it) and the membership of lists filtered by that record type
(``<Type>:*``). Nothing else: a write to one subject never purges another subject's entries.

Mutations, lifecycle changes and imports all write through ``committed``: the work records
what it touched (``Touches``) inside its transaction, from the rows it wrote, and after the
commit ``AfterCommit`` evicts the records' entity-cache keys, then bumps the tags, so a reader
that sees the new tag version can no longer find the old row cached. A bump the cache did not
take is settled by the process that lost it before it answers (``Cache.settle``).

The same subjects are regraded inside the transaction (their stored public grade,
``resolvers.data.queries.grade_store``), so a grade a dashboard counts moves with the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from resolvers.cache import Cache, collection_tag, entity_key, record_tag, subject_tag
from resolvers.data.database import Database
from resolvers.data.queries import grade_store
from resolvers.domain import clock
from resolvers.domain.ownership import RecordType
from resolvers.writes.records import SPECS
from resolvers.writes.transactions import in_transaction

T = TypeVar("T")
log = logging.getLogger("credit_gateway.writes")

# How long a write waits for a cache that lost its tag bump before it answers anyway (logged).
SETTLE_SECONDS = 2.0


@dataclass(frozen=True)
class Touched:
    """The records of one type a write changed or inserted, and the subjects they name."""

    record_type: RecordType
    record_ids: frozenset[int]
    subject_ids: frozenset[int]
    # the records existed before this write (a lifecycle change): their cached rows go; new
    # records have none to evict
    existing: bool = False

    @property
    def tags(self) -> list[str]:
        name = self.record_type.value
        return [collection_tag(name),
                *(record_tag(name, i) for i in sorted(self.record_ids)),
                *(subject_tag(i) for i in sorted(self.subject_ids))]

    @property
    def entity_keys(self) -> list[str]:
        if not self.existing:
            return []
        return [entity_key(self.record_type.value, "id", i) for i in sorted(self.record_ids)]


def subject_columns(record_type: RecordType) -> list[str]:
    """The columns of a record naming subjects (``subject_id``, ``carrier_id`` …)."""
    return sorted({ref.column for ref in SPECS[record_type].refs.values()})


def touched(record_type: RecordType, rows: Iterable[Mapping[str, Any]], *,
            existing: bool = False) -> Touched:
    """``rows``: the written records as mappings holding ``id`` and their subject columns."""
    columns = subject_columns(record_type)
    found = list(rows)
    return Touched(record_type, frozenset(int(row["id"]) for row in found),
                   frozenset(int(row[c]) for row in found for c in columns
                             if row.get(c) is not None), existing)


class Touches:
    """What one transaction touched, gathered while it writes."""

    def __init__(self) -> None:
        self.found: list[Touched] = []

    @property
    def subject_ids(self) -> set[int]:
        """Every subject a record of this transaction names."""
        return {i for found in self.found for i in found.subject_ids}

    def add(self, record_type: RecordType, rows: Iterable[Mapping[str, Any]], *,
            existing: bool = False) -> None:
        """Records inserted, or (``existing``) changed, by this transaction."""
        found = touched(record_type, rows, existing=existing)
        if found.record_ids:
            self.found.append(found)


class AfterCommit:
    """The post-commit step: evict the touched records' entity rows, then bump their tags."""

    def __init__(self, *, entity_cache: Cache | None, tag_cache: Cache | None,
                 settle_seconds: float = SETTLE_SECONDS) -> None:
        self._entity_cache = entity_cache
        self._tag_cache = tag_cache
        self._settle = settle_seconds

    async def __call__(self, touches: Touches) -> None:
        if not touches.found:
            return
        evicted = [key for found in touches.found for key in found.entity_keys]
        if self._entity_cache is not None and evicted:
            await self._entity_cache.delete_many(evicted)
        if self._tag_cache is None:
            return
        tags = list(dict.fromkeys(tag for found in touches.found for tag in found.tags))
        if not await self._tag_cache.bump_tags(tags) and not await self._tag_cache.settle(
                self._settle):
            log.error("cache tags of a committed write could not be bumped; cached answers may "
                      "show the old state until the cache takes the bump it is owed")

    async def settle(self, seconds: float) -> bool:
        """Deliver a bump still owed (a process about to exit); True when none is."""
        return self._tag_cache is None or await self._tag_cache.settle(seconds)


async def committed(database: Database, after: AfterCommit,
                    work: Callable[[AsyncConnection, Touches], Awaitable[T]]) -> T:
    """Run ``work`` in one transaction (``in_transaction``: retried on deadlock, each attempt
    gathering afresh); the subjects it named are regraded before it commits (their stored
    public grade, ``grade_store.regrade``); once it committed, hand what it touched to
    ``after``."""
    touches = Touches()

    async def attempt(conn: AsyncConnection) -> T:
        touches.found.clear()
        result = await work(conn, touches)
        # the stored public grade of every subject the write names, in its transaction
        await grade_store.regrade(conn, touches.subject_ids, clock.today())
        return result

    result = await in_transaction(database, attempt)
    await after(touches)
    return result
