"""主体检索 — ``searchSubjects``: USCC-prefix matches first, then name matches, each in index
order, in time that does not grow with the number of subjects.

Names are found through the gram table (``subject_name_gram``: every 1- and 2-character
substring of each lower-cased name, keyed (gram, subject_id)) and the trigram index:

- a text of 1–2 characters is a gram: its key range, walked in id order in bounded batches
  (the subjects of each fetched by key), is the answer — the public view's hidden names
  (``holds_personal_name``) only lengthen the walk;
- a longer text: one statement counts the index entries of each of its 2-character grams, up
  to ``COUNT_CAP``; every name containing the text holds all of them. A gram with no entry
  means no match. A gram under the cap bounds the matches, which the trigram index (PostgreSQL
  ``pg_trgm``, SQLite FTS5) then finds in a few pages and which are sorted here. When every
  gram is common, the rarest gram's entries are walked in id order and re-checked against the
  whole text (``name_holds``) — a common text ("有限公司") fills its page within the first
  candidates; only a rare text of common grams is not done after ``WALK_MAX`` candidates and
  asks the trigram index with ORDER BY / LIMIT.

No statement joins the gram table to subjects or leaves the planner a choice of order (but the
last fallback), so a planner without statistics (right after a bulk load) picks the same plans;
the pages a search reads are bounded by ``first`` and the constants below, not by the number of
subjects (figures: docs/SEARCH.md).
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
    name_holds,
    prefix_range,
)

_USCC_PREFIX = re.compile(r"^[0-9A-HJ-NP-RTUWXY]{2,18}$")
COUNT_CAP = 256  # index entries counted per gram of a long text
WALK_MAX = 512  # candidates of a common gram re-checked before the trigram index is asked
BATCH_MAX = 1024  # candidates per statement of a walk (doubling from twice ``first``)


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
    indexed = [name_contains(text, sqlite=sqlite), *hidden]
    if sqlite:  # FTS5 folds more than ASCII case: the same answer as the walk's re-check
        indexed.append(name_holds(text, sqlite=True))
    if entries < COUNT_CAP:
        # a rare gram, so at most that many matches: the trigram index finds them in a few
        # pages; no ORDER BY / LIMIT, which could tempt a planner to walk every subject in id
        # order instead, and they are sorted here
        rows = (await session.exec(select(Subject).where(*indexed))).all()
        return sorted(rows, key=lambda row: row.id or 0)[:first]
    found, complete = await _walk(session, rarest, [name_holds(text, sqlite=sqlite), *hidden],
                                  first=first, limit=WALK_MAX)
    if complete:
        return found
    query = select(Subject).where(*indexed).order_by(col(Subject.id)).limit(first)
    return list((await session.exec(query)).all())


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
                *, first: int, limit: int | None) -> tuple[list[Subject], bool]:
    """Up to ``first`` subjects among ``gram``'s index entries, in id order, that meet
    ``conditions``; reads at most ``limit`` entries (``None``: all). The flag says whether the
    answer is complete (``first`` found or the entries exhausted)."""
    found: list[Subject] = []
    after, read = -1, 0
    batch = 2 * first if conditions else first
    while limit is None or read < limit:
        size = batch if limit is None else min(batch, limit - read)
        ids = list((await session.exec(
            select(GRAMS.c.subject_id).where(GRAMS.c.gram == gram, GRAMS.c.subject_id > after)
            .order_by(GRAMS.c.subject_id).limit(size))).all())
        # the subjects by key in a statement of their own: joined in one, a planner without
        # statistics (a fresh bulk load) may scan every subject instead of fetching these
        matched = {row.id: row for row in (await session.exec(
            select(Subject).where(col(Subject.id).in_(ids), *conditions))).all()} if ids else {}
        found += [matched[i] for i in ids if i in matched]
        if len(found) >= first or len(ids) < size:
            return found[:first], True
        after, read = ids[-1], read + len(ids)
        batch = min(2 * batch, BATCH_MAX)
    return found, False
