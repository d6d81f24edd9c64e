"""Reads of subjects: by keys, filtered keyset pages, counts and name / USCC search."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import ListEntry, Subject
from resolvers.domain.enums import ListKind, ListStatus, SubjectKind

# Trigram indexes (pg_trgm, FTS5 trigram) only help once the pattern has three characters.
TRIGRAM = 3
_USCC_PREFIX = re.compile(r"^[0-9A-HJ-NP-RTUWXY]{2,18}$")


@dataclass(frozen=True)
class SubjectFilter:
    """Conditions of a subject list; ``None`` leaves a condition out."""

    kind: SubjectKind | None = None
    region_prefix: str | None = None
    verified: bool | None = None
    list_status: ListStatus | None = None
    name_contains: str | None = None


async def by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Subject]:
    result = await session.exec(select(Subject).where(col(Subject.id).in_(ids)))
    return list(result.all())


async def by_usccs(session: AsyncSession, usccs: Sequence[str]) -> list[Subject]:
    result = await session.exec(select(Subject).where(col(Subject.uscc).in_(usccs)))
    return list(result.all())


def active_entries(kind: ListKind, today: date) -> sa.Exists:
    """EXISTS an entry of ``kind`` in force today for the outer subject."""
    return (
        select(ListEntry.id)
        .where(
            ListEntry.subject_id == Subject.id,
            ListEntry.list_kind == kind,
            col(ListEntry.lifted_on).is_(None),
            ListEntry.valid_from <= today,
            sa.or_(col(ListEntry.valid_to).is_(None), col(ListEntry.valid_to) >= today),
        )
        .exists()
    )


def _conditions(flt: SubjectFilter, today: date) -> list[Any]:
    conditions: list[Any] = []
    if flt.kind is not None:
        conditions.append(Subject.kind == flt.kind)
    if flt.region_prefix:
        low, high = prefix_range(flt.region_prefix)
        conditions += [col(Subject.region_code) >= low, col(Subject.region_code) < high]
    if flt.verified is not None:
        conditions.append(Subject.verified == flt.verified)
    if flt.list_status is ListStatus.BLACK:
        conditions.append(active_entries(ListKind.BLACK, today))
    elif flt.list_status is ListStatus.RED:
        conditions += [active_entries(ListKind.RED, today), ~active_entries(ListKind.BLACK, today)]
    elif flt.list_status is ListStatus.NONE:
        conditions += [~active_entries(ListKind.RED, today), ~active_entries(ListKind.BLACK, today)]
    if flt.name_contains:
        conditions.append(_name_like(flt.name_contains))
    return conditions


def prefix_range(prefix: str) -> tuple[str, str]:
    """``[low, high)`` bounds matching every string that starts with ``prefix``; a range
    uses the B-tree index whatever the column's collation, where LIKE 'p%' may not."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _name_like(text: str) -> Any:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return col(Subject.name).like(f"%{escaped}%", escape="\\")


async def page(
    session: AsyncSession, flt: SubjectFilter, *, first: int, after_id: int | None, today: date
) -> list[Subject]:
    """Up to ``first + 1`` subjects after ``after_id`` in id order (the extra row tells
    whether a next page exists)."""
    query = select(Subject).where(*_conditions(flt, today))
    if after_id is not None:
        query = query.where(col(Subject.id) > after_id)
    result = await session.exec(query.order_by(col(Subject.id)).limit(first + 1))
    return list(result.all())


async def count(session: AsyncSession, flt: SubjectFilter, *, today: date) -> int:
    query = select(sa.func.count()).select_from(Subject).where(*_conditions(flt, today))
    return int((await session.exec(query)).one())


def looks_like_uscc_prefix(text: str) -> bool:
    return bool(_USCC_PREFIX.match(text.upper()))


async def search(session: AsyncSession, text: str, *, first: int, sqlite: bool) -> list[Subject]:
    """Subjects whose USCC starts with ``text`` (when it is made of USCC characters) or whose
    name contains it. Names go through the trigram index of each backend when the text is
    long enough; shorter texts match so many names that an id-ordered scan stops early."""
    text = text.strip()
    if looks_like_uscc_prefix(text):
        low, high = prefix_range(text.upper())
        query = (select(Subject)
                 .where(col(Subject.uscc) >= low, col(Subject.uscc) < high)
                 .order_by(col(Subject.uscc)))
    elif sqlite and len(text) >= TRIGRAM:
        escaped = text.replace('"', '""')
        fts = sa.text("SELECT rowid FROM subject_name_fts WHERE subject_name_fts MATCH :q")
        ids = fts.bindparams(q=f'"{escaped}"').columns(sa.column("rowid", sa.Integer))
        query = (select(Subject).where(col(Subject.id).in_(ids.subquery().select()))
                 .order_by(col(Subject.id)))
    else:
        query = select(Subject).where(_name_like(text)).order_by(col(Subject.id))
    result = await session.exec(query.limit(first))
    return list(result.all())
