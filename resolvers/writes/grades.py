"""信用等级刷新 — the daily job of the stored public grades (``credit-gateway grades refresh``).

A grade turns on the calendar as well as on records: a penalty leaves the "within the last year"
band, a publicity period ends, a list entry expires — on days no record is written. Writes
regrade the subjects they name (``resolvers.writes.purge.committed``); this job regrades every
subject whose stored grade is of an earlier day than ``today`` (or that has none), walking the
subjects in id order, ``grade_store.CHUNK`` at a time, each chunk in a transaction of its own.

- **Idempotent**: a second run the same day finds every row current and grades nothing.
- **Resumable**: a run killed mid-way keeps the chunks it committed; the next run skips them.
- **Two at once**: each chunk claims (locks) its rows before grading and grades only those still
  stale once claimed, so two runs never store a grade twice and never an older one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from resolvers.cache import Cache, collection_tag
from resolvers.data.database import Database
from resolvers.data.queries import grade_store
from resolvers.writes.transactions import in_transaction


@dataclass
class Refreshed:
    """What a run did: the day it graded for, chunks of subjects walked, subjects regraded."""

    today: date
    chunks: int = 0
    graded: int = 0
    purged: bool = True  # every bump of ``GRADES_TAG`` reached the cache


# The tag of answers that read stored grades (``stats`` by GRADE, the grade filter and order);
# writes purge those answers through their records' tags.
GRADES_TAG = collection_tag("SubjectGrade")


async def refresh(database: Database, today: date, tag_cache: Cache | None = None) -> Refreshed:
    """Regrade every subject whose stored grade is older than ``today``; after each chunk that
    changed grades, cached answers reading them are purged (``GRADES_TAG`` on ``tag_cache``,
    where serving processes keep their tag versions)."""
    done = Refreshed(today)
    after = 0
    while True:
        async def chunk(conn: AsyncConnection, start: int = after) -> tuple[int | None, int]:
            return await grade_store.refresh_chunk(conn, start, today)

        last, graded = await in_transaction(database, chunk)
        if last is None:
            return done
        done.graded += graded
        if graded and tag_cache is not None and not await tag_cache.bump_tags([GRADES_TAG]):
            done.purged = False
        done.chunks += 1
        after = last
