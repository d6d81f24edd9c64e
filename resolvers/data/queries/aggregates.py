"""Per-subject figures computed in SQL: rating statistics, red/black list standing and the
parcels a carrier handled."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import ListEntry, LogisticsLink, Rating
from resolvers.data.queries.list_pages import entry_in_force
from resolvers.domain.enums import ListKind


@dataclass(frozen=True)
class RatingStats:
    """Counts of the ratings a subject received, split as 好评 (4–5), 中评 (3), 差评 (1–2)."""

    count: int = 0
    score_sum: int = 0
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    @property
    def average(self) -> Decimal | None:
        if not self.count:
            return None
        return (Decimal(self.score_sum) / Decimal(self.count)).quantize(Decimal("0.01"))

    @property
    def credit_points(self) -> int:
        """信用积分: +1 per positive, 0 per neutral, −1 per negative rating (the common
        platform rule; README "Credit points" documents it)."""
        return self.positive - self.negative


def rating_figures() -> tuple[sa.ColumnElement[int], ...]:
    """The aggregates of ``RatingStats`` over ``Rating`` rows, in its field order: for the
    batched statement below and a compiled plan's (``planned.statement``)."""
    score = col(Rating.score)

    def tally(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.sum(sa.case((condition, 1), else_=0))

    return (sa.func.count(), sa.func.sum(score), tally(score >= 4), tally(score == 3),
            tally(score <= 2))


def stats_of(figures: Sequence[int | None]) -> RatingStats:
    """``RatingStats`` from ``rating_figures``' values (sums over no rows are null)."""
    return RatingStats(*(int(value or 0) for value in figures))


async def rating_stats(session: AsyncSession, ratee_ids: Sequence[int]) -> dict[int, RatingStats]:
    query = (
        sa.select(col(Rating.ratee_id), *rating_figures())
        .where(col(Rating.ratee_id).in_(ratee_ids))
        .group_by(col(Rating.ratee_id))
    )
    # six columns exceed sqlmodel's typed ``select`` overloads, hence SQLAlchemy's own
    rows = (await session.exec(query)).all()  # type: ignore[call-overload]
    return {int(row[0]): stats_of(row[1:]) for row in rows}


async def active_list_kinds(
    session: AsyncSession, subject_ids: Sequence[int], today: date
) -> dict[int, set[ListKind]]:
    """The list kinds each subject has an entry of in force on ``today``."""
    query = (
        select(ListEntry.subject_id, ListEntry.list_kind)
        .where(col(ListEntry.subject_id).in_(subject_ids), entry_in_force(today))
        .distinct()
    )
    kinds: dict[int, set[ListKind]] = defaultdict(set)
    for subject_id, kind in (await session.exec(query)).all():
        kinds[subject_id].add(ListKind(kind))
    return kinds


@dataclass(frozen=True)
class CarrierStats:
    """Parcels a carrier handled for all merchants, and how many of them were empty (空包)."""

    parcels: int = 0
    empty_parcels: int = 0

    @property
    def empty_share(self) -> float:
        return self.empty_parcels / self.parcels if self.parcels else 0.0


async def carrier_stats(session: AsyncSession, carrier_ids: Sequence[int]
                        ) -> dict[int, CarrierStats]:
    query = (
        select(LogisticsLink.carrier_id, sa.func.sum(LogisticsLink.parcels),
               sa.func.sum(LogisticsLink.empty_parcels))
        .where(col(LogisticsLink.carrier_id).in_(carrier_ids))
        .group_by(col(LogisticsLink.carrier_id))
    )
    return {int(carrier): CarrierStats(int(parcels), int(empty))
            for carrier, parcels, empty in (await session.exec(query)).all()}
