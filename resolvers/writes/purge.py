"""What a committed write touched, and purging it from both cache layers (docs/CACHING.md).

A record write touches: the record (``<Type>:<id>``), every subject the record names (its
subject, and a carrier, rater or platform — ``subject:<id>``: their pages, counts, standing
and summaries show it) and the membership of lists filtered by that record type
(``<Type>:*``). Nothing else: a write to one subject never purges another subject's entries.

Called only after the transaction committed: the entity-cache keys are deleted first, then the
tags bumped, so a reader that sees the new tag version can no longer find the old row cached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from resolvers.cache import Cache, collection_tag, entity_key, record_tag, subject_tag
from resolvers.data.database import Database
from resolvers.domain.ownership import RecordType
from resolvers.writes.records import SPECS

LOOKUP_CHUNK = 5_000


@dataclass(frozen=True)
class Touched:
    """The records of one type a write changed or inserted, and the subjects they name."""

    record_type: RecordType
    record_ids: frozenset[int]
    subject_ids: frozenset[int]

    @property
    def tags(self) -> list[str]:
        name = self.record_type.value
        return [collection_tag(name),
                *(record_tag(name, i) for i in sorted(self.record_ids)),
                *(subject_tag(i) for i in sorted(self.subject_ids))]

    @property
    def entity_keys(self) -> list[str]:
        return [entity_key(self.record_type.value, "id", i) for i in sorted(self.record_ids)]


def subject_columns(record_type: RecordType) -> list[str]:
    """The columns of a record naming subjects (``subject_id``, ``carrier_id`` …)."""
    return sorted({ref.column for ref in SPECS[record_type].refs.values()})


def touched(record_type: RecordType, rows: Iterable[Mapping[str, Any]]) -> Touched:
    """``rows``: the written records as mappings holding ``id`` and their subject columns."""
    columns = subject_columns(record_type)
    found = list(rows)
    return Touched(record_type, frozenset(int(row["id"]) for row in found),
                   frozenset(int(row[c]) for row in found for c in columns
                             if row.get(c) is not None))


async def read_touched(conn: AsyncConnection, record_type: RecordType,
                       record_ids: Sequence[int]) -> Touched:
    """``Touched`` of stored records, read in the writing transaction (one statement per
    5,000 ids)."""
    table = SPECS[record_type].model.__table__  # type: ignore[attr-defined]
    columns = [table.c.id, *(table.c[c] for c in subject_columns(record_type))]
    rows: list[Mapping[str, Any]] = []
    ids = sorted(set(record_ids))
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start:start + LOOKUP_CHUNK]
        result = await conn.execute(sa.select(*columns).where(table.c.id.in_(chunk)))
        rows += [dict(row._mapping) for row in result]
    return touched(record_type, rows)


async def purge(touched: Touched, *, entity_cache: Cache | None,
                tag_cache: Cache | None) -> None:
    """Evict the records' entity-cache rows, then bump the tags (after the commit)."""
    if not touched.record_ids:
        return
    if entity_cache is not None:
        await entity_cache.delete_many(touched.entity_keys)
    if tag_cache is not None:
        await tag_cache.bump_tags(touched.tags)


async def after_commit(database: Database, record_type: RecordType, record_ids: Sequence[int],
                       *, entity_cache: Cache | None, tag_cache: Cache | None) -> None:
    """Purge records a committed write stored: their subjects are read by primary key (one
    statement), then ``purge``."""
    if tag_cache is None and entity_cache is None:
        return
    async with database.engine.connect() as conn:
        found = await read_touched(conn, record_type, record_ids)
    await purge(found, entity_cache=entity_cache, tag_cache=tag_cache)
