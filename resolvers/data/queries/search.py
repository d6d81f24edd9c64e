"""主体检索 — ``searchSubjects``: USCC-prefix matches first, then name matches, each in index
order, in time that does not grow with the number of subjects.

Names are found through the gram table (``subject_name_gram``: every 1- and 2-character
substring of each lower-cased name, keyed (gram, subject_id)), walked in subject order:

- a text of 1–2 characters is a gram: its key range, in id order, is the answer;
- a longer text: one statement counts the index entries of each of its 2-character grams, up
  to ``COUNT_CAP``. Every name containing the text holds all of them, so a gram with no entry
  means no match, and the rarest gram's entries are the candidates, re-checked against the
  whole text (``name_like``). A rare gram's list (under ``COUNT_CAP``) is walked to its end;
  a list of common grams only for ``WALK_MAX`` candidates — a common text ("有限公司") has
  found its page long before — and only a text made of common grams but rare itself falls
  back to the backend's trigram index (PostgreSQL ``pg_trgm``, SQLite FTS5), which sorts its
  (then few) matches.

Either way the database reads at most a bounded number of index entries per search: the first
``first`` matches in subject order are the first ``first`` matches of the walk.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import Subject
from resolvers.data.queries.subjects import (
    GRAM,
    GRAMS,
    holds_personal_name,
    name_contains,
    name_like,
    prefix_range,
)

_USCC_PREFIX = re.compile(r"^[0-9A-HJ-NP-RTUWXY]{2,18}$")
COUNT_CAP = 256  # index entries counted per gram of a long text
WALK_MAX = 2048  # candidates of a common gram re-checked before the trigram index is asked
BATCH_MAX = 1024  # candidates per statement of a walk (doubling from a few times ``first``)


def looks_like_uscc_prefix(text: str) -> bool:
    return bool(_USCC_PREFIX.match(text.upper()))


async def search(session: AsyncSession, text: str, *, first: int, sqlite: bool,
                 public_view: bool = False) -> list[Subject]:
    """Subjects whose USCC starts with ``text`` (when it is made of USCC characters) first, then
    those whose name contains it, each in index order; every path stops at ``first``. In a
    public view names holding a person's name are not matched (``holds_personal_name``)."""
    text = text.strip()
    found: list[Subject] = []
    if looks_like_uscc_prefix(text):
        low, high = prefix_range(text.upper())
        by_code = (select(Subject).where(col(Subject.uscc) >= low, col(Subject.uscc) < high)
                   .order_by(col(Subject.uscc)).limit(first))
        found = list((await session.exec(by_code)).all())
    wanted = first - len(found)
    if wanted <= 0:
        return found
    seen = {row.id for row in found}
    names = await by_name(session, text, first=first, sqlite=sqlite, public_view=public_view)
    return found + [row for row in names if row.id not in seen][:wanted]


async def by_name(session: AsyncSession, text: str, *, first: int, sqlite: bool,
                  public_view: bool) -> list[Subject]:
    """The first ``first`` subjects, in id order, whose name contains ``text`` ignoring ASCII
    case (public view: not holding a person's name)."""
    hidden = [~holds_personal_name()] if public_view else []
    lowered = text.lower()
    if len(lowered) <= GRAM:
        found, _ = await _walk(session, lowered, hidden, first=first, limit=None)
        return found
    grams = sorted({lowered[i:i + GRAM] for i in range(len(lowered) - GRAM + 1)})
    rarest, entries = await _rarest(session, grams)
    if entries == 0:
        return []
    recheck = [name_like(text, sqlite=sqlite), *hidden]
    found, complete = await _walk(session, rarest, recheck, first=first, known=entries,
                                  limit=None if entries < COUNT_CAP else WALK_MAX)
    if complete:
        return found
    indexed = name_contains(text, sqlite=sqlite)
    query = select(Subject).where(indexed, *([recheck[0]] if sqlite else []), *hidden)
    return list((await session.exec(query.order_by(col(Subject.id)).limit(first))).all())


async def _rarest(session: AsyncSession, grams: list[str]) -> tuple[str, int]:
    """The gram of ``grams`` with the fewest index entries, and their number (up to
    ``COUNT_CAP``): one statement of bounded index-only range reads."""
    counts = sa.union_all(*(
        select(sa.literal(i).label("i"), sa.func.count().label("n")).select_from(
            select(GRAMS.c.subject_id).where(GRAMS.c.gram == gram).limit(COUNT_CAP)
            .subquery(f"g{i}"))
        for i, gram in enumerate(grams))).subquery()
    rows = (await session.exec(select(counts.c.i, counts.c.n))).all()
    i, entries = min(rows, key=lambda row: (row[1], row[0]))
    return grams[int(i)], int(entries)


async def _walk(session: AsyncSession, gram: str, conditions: list[sa.ColumnElement[bool]],
                *, first: int, limit: int | None, known: int = 0
                ) -> tuple[list[Subject], bool]:
    """Up to ``first`` subjects among ``gram``'s index entries, in id order, that meet
    ``conditions``; reads at most ``limit`` entries (``None``: all), the first statement
    ``known`` of them when that many are known to exist (a short list: one statement). The flag
    says whether the answer is complete (``first`` found or the entries exhausted)."""
    found: list[Subject] = []
    after, read = -1, 0
    batch = first if not conditions else max(4 * first, min(known + 1, BATCH_MAX))
    while limit is None or read < limit:
        size = batch if limit is None else min(batch, limit - read)
        candidates = (select(GRAMS.c.subject_id)
                      .where(GRAMS.c.gram == gram, GRAMS.c.subject_id > after)
                      .order_by(GRAMS.c.subject_id).limit(size).subquery())
        # every candidate comes back (its subject None when a condition fails), so the walk
        # knows where it stopped; a short candidate list keeps the join a nested loop
        query = (select(candidates.c.subject_id, Subject)
                 .outerjoin(Subject, sa.and_(col(Subject.id) == candidates.c.subject_id,
                                             *conditions))
                 .order_by(candidates.c.subject_id))
        rows = (await session.exec(query)).all()
        found += [subject for _, subject in rows if subject is not None]
        if len(found) >= first or len(rows) < size:
            return found[:first], True
        after, read = rows[-1][0], read + len(rows)
        batch = min(2 * batch, BATCH_MAX)
    return found, False
