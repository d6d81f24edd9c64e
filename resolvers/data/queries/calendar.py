"""The first day the calendar alone changes what a view filtered by ``today`` shows of some
subjects: one statement, read when an answer is stored in the response cache
(``Loaders.calendar_boundary``, docs/CACHING.md "Midnight").

Everything this project filters by ``today`` in SQL is a comparison of one of these columns
with the day: a penalty's publication, publicity end and credit repair (``publicity``), a list
entry's start, end and lifting (``aggregates.active_list_kinds``), and an unpublished
decision's disclosure deadline (``disclosure``). The earliest such day after ``today`` among
the subjects' records is the first day any of those filters may answer differently.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import License, ListEntry, Penalty
from resolvers.domain.workdays import becomes_late, late_if_decided_before


def _earliest(column: Any, *where: Any) -> Any:
    return sa.select(sa.func.min(column)).where(*where).scalar_subquery()


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


async def next_change(session: AsyncSession, subject_ids: Sequence[int],
                      today: date) -> date | None:
    """The first day after ``today`` on which a record of ``subject_ids`` enters or leaves a
    filter by the day; ``None`` when none will."""
    ids = list(subject_ids)
    cutoff = late_if_decided_before(today)
    penalty = col(Penalty.subject_id).in_(ids)
    entry = col(ListEntry.subject_id).in_(ids)
    query = sa.select(
        _earliest(Penalty.published_on, penalty, col(Penalty.published_on) > today),
        _earliest(Penalty.publicity_end, penalty, col(Penalty.publicity_end) > today),
        _earliest(Penalty.repaired_on, penalty, col(Penalty.repaired_on) > today),
        _earliest(ListEntry.valid_from, entry, col(ListEntry.valid_from) > today),
        _earliest(ListEntry.lifted_on, entry, col(ListEntry.lifted_on) > today),
        # in force through its last day: the change is the day after
        _earliest(ListEntry.valid_to, entry, col(ListEntry.valid_to) >= today),
        # unpublished decisions not late yet: the earliest decided is the first to become late
        *(_earliest(model.decision_date, col(model.subject_id).in_(ids),
                    col(model.published_on).is_(None), col(model.decision_date) >= cutoff)
          for model in (Penalty, License)),
    )
    row = (await session.exec(query)).one()  # type: ignore[call-overload]
    days = [_day(value) for value in row[:5]]
    last_valid = _day(row[5])
    days.append(None if last_valid is None else last_valid + timedelta(days=1))
    days += [None if decided is None else becomes_late(decided, None, today)
             for decided in map(_day, row[6:])]
    return min((day for day in days if day is not None and day > today), default=None)
