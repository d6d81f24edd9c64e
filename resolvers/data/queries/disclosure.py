"""公示时限 in SQL: which licences and penalties were disclosed late.

Late means published more than 7 working days after the decision (the stored
``disclosure_lag_days``), or still unpublished once that deadline has passed — which for an
unpublished decision is one date comparison against ``late_if_decided_before(today)``, so the
PRC holiday calendar never has to be evaluated per row.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from resolvers.data.models import License, Penalty, Subject
from resolvers.data.queries import publicity
from resolvers.domain.workdays import DISCLOSURE_DEADLINE, late_if_decided_before

DECISIONS: tuple[type[SQLModel], ...] = (License, Penalty)


# built once per model, day and flag (expressions are immutable): a page of licences or
# penalties asks for one on every uncached request
@lru_cache(maxsize=8)
def late(model: Any, today: date, flag: bool = True) -> sa.ColumnElement[bool]:
    """Rows of ``model`` (licences or penalties) disclosed late (``flag``) or in time."""
    cutoff = late_if_decided_before(today)
    lag, published, decided = model.disclosure_lag_days, model.published_on, model.decision_date
    if flag:
        return sa.or_(lag > DISCLOSURE_DEADLINE,
                      sa.and_(published.is_(None), decided < cutoff))
    return sa.or_(sa.and_(published.is_not(None), lag <= DISCLOSURE_DEADLINE),
                  sa.and_(published.is_(None), decided >= cutoff))


def subject_has_late_decision(today: date, *, public_view: bool = False
                              ) -> sa.ColumnElement[bool]:
    """EXISTS a late licence or penalty of the outer subject; in a public view only penalties
    within their publicity period count (a hidden penalty must not show through a filter)."""
    return sa.or_(*(
        sa.select(model.id).where(  # type: ignore[attr-defined]
            model.subject_id == Subject.id, late(model, today),  # type: ignore[attr-defined]
            *(publicity.public_conditions(model, today) if public_view else ())).exists()
        for model in DECISIONS))
