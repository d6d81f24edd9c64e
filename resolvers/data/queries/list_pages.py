"""Pages of the red and black lists (``creditList``: entries in force) and of the candidates
waiting for review (``listCandidates``); ``entry_in_force`` is the one SQL spelling of
``resolvers.domain.lists.in_force``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import ListCandidate, ListEntry, Subject
from resolvers.domain.enums import CandidateStatus, ListKind, SubjectKind


def entry_in_force(today: date) -> sa.ColumnElement[bool]:
    """The list entry binds on ``today``: not lifted, within its validity
    (``resolvers.domain.lists.in_force`` in SQL)."""
    return sa.and_(col(ListEntry.lifted_on).is_(None), col(ListEntry.valid_from) <= today,
                   sa.or_(col(ListEntry.valid_to).is_(None), col(ListEntry.valid_to) >= today))


@dataclass(frozen=True)
class CreditListFilter:
    kind: ListKind
    subject_kind: SubjectKind | None = None
    region_low: str | None = None  # GB/T 2260 prefix range [low, high) of the subject
    region_high: str | None = None
    authority_code: str | None = None


def _entries(flt: CreditListFilter, today: date) -> list[Any]:
    conditions: list[Any] = [col(ListEntry.list_kind) == flt.kind, entry_in_force(today)]
    if flt.authority_code is not None:
        conditions.append(col(ListEntry.authority_code) == flt.authority_code)
    narrowing = []
    if flt.subject_kind is not None:
        narrowing.append(col(Subject.kind) == flt.subject_kind)
    if flt.region_low is not None and flt.region_high is not None:
        narrowing += [col(Subject.region_code) >= flt.region_low,
                      col(Subject.region_code) < flt.region_high]
    if narrowing:
        conditions.append(col(ListEntry.subject_id).in_(select(Subject.id).where(*narrowing)))
    return conditions


async def credit_list(session: AsyncSession, flt: CreditListFilter, today: date, *,
                      first: int, after: tuple[date, int] | None) -> list[ListEntry]:
    """``first + 1`` entries in force, newest first (valid from, then id): keyset paging."""
    query = select(ListEntry).where(*_entries(flt, today))
    if after is not None:
        query = query.where(sa.tuple_(col(ListEntry.valid_from), col(ListEntry.id))
                            < sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
    query = query.order_by(col(ListEntry.valid_from).desc(), col(ListEntry.id).desc())
    return list((await session.exec(query.limit(first + 1))).all())


async def credit_list_count(session: AsyncSession, flt: CreditListFilter, today: date) -> int:
    query = select(sa.func.count()).select_from(ListEntry).where(*_entries(flt, today))
    return int((await session.exec(query)).one())


def _candidates(kind: ListKind | None, status: CandidateStatus | None) -> list[Any]:
    conditions: list[Any] = []
    if kind is not None:
        conditions.append(col(ListCandidate.list_kind) == kind)
    if status is not None:
        conditions.append(col(ListCandidate.status) == status)
    return conditions


async def candidates(session: AsyncSession, kind: ListKind | None,
                     status: CandidateStatus | None, *, first: int,
                     after_id: int | None) -> list[ListCandidate]:
    """``first + 1`` candidates, newest first (by id)."""
    query = select(ListCandidate).where(*_candidates(kind, status))
    if after_id is not None:
        query = query.where(col(ListCandidate.id) < after_id)
    query = query.order_by(col(ListCandidate.id).desc()).limit(first + 1)
    return list((await session.exec(query)).all())


async def candidates_count(session: AsyncSession, kind: ListKind | None,
                           status: CandidateStatus | None) -> int:
    query = select(sa.func.count()).select_from(ListCandidate).where(
        *_candidates(kind, status))
    return int((await session.exec(query)).one())
