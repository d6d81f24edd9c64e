"""The facts the brushing signals read (``resolvers.domain.brushing``): the ratings of the
window and every merchant's parcels per carrier — three statements. The window is the
``days`` up to the latest rating on or before ``until`` (today): a store whose feed stopped
is judged on its last half-year, not on an empty one."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import LogisticsLink, Rating
from resolvers.domain.brushing import ParcelFact, RatingFact


async def facts(session: AsyncSession, *, days: int,
                until: date) -> tuple[date | None, list[RatingFact], list[ParcelFact]]:
    """The window's last day, its ratings, and the parcels of every merchant and carrier."""
    newest = sa.select(sa.func.max(Rating.rated_on)).where(col(Rating.rated_on) <= until)
    latest: date | None = (await session.exec(newest)).one()[0]  # type: ignore[call-overload]
    if latest is None:
        return None, [], []
    since = latest - timedelta(days=days)
    rated = sa.select(col(Rating.rater_id), col(Rating.ratee_id), col(Rating.rated_on),
                      col(Rating.score), col(Rating.comment), col(Rating.id)).where(
        col(Rating.rated_on) >= since, col(Rating.rated_on) <= latest)
    link = LogisticsLink
    shipped = (sa.select(col(link.merchant_id), col(link.carrier_id),
                         sa.func.sum(link.parcels), sa.func.sum(link.empty_parcels))
               .group_by(col(link.merchant_id), col(link.carrier_id)))
    ratings = [RatingFact(*row) for row in
               (await session.exec(rated)).all()]  # type: ignore[call-overload]
    parcels = [ParcelFact(m, c, int(p), int(e)) for m, c, p, e in
               (await session.exec(shipped)).all()]  # type: ignore[call-overload]
    return latest, ratings, parcels
