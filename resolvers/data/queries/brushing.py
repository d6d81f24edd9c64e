"""The facts the brushing signals read (``resolvers.domain.brushing``): the ratings of the
window and every merchant's parcels per carrier — three statements. The window is the
``days`` up to the latest rating on or before ``until`` (today): a store whose feed stopped
is judged on its last half-year, not on an empty one."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from resolvers.data.models import LogisticsLink, Rating
from resolvers.domain.brushing import ParcelFact, RatingFact


async def facts(conn: AsyncConnection, *, days: int,
                until: date) -> tuple[date | None, list[RatingFact], list[ParcelFact]]:
    """The window's last day, its ratings, and the parcels of every merchant and carrier."""
    newest = sa.select(sa.func.max(Rating.rated_on)).where(col(Rating.rated_on) <= until)
    latest: date | None = (await conn.execute(newest)).scalar_one()
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
    ratings = [RatingFact(rater, ratee, on, score, comment, ident or 0) for rater, ratee, on,
               score, comment, ident in await conn.execute(rated)]
    parcels = [ParcelFact(m, c, int(p), int(e)) for m, c, p, e in await conn.execute(shipped)]
    return latest, ratings, parcels
