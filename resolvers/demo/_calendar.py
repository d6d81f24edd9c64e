"""Dates of the demo dataset: the fixed reference day, month starts and timestamps.

Every date is anchored to ``REFERENCE_DATE`` rather than to today, so the same seed gives the
same dataset next year. Working days and publicity periods are the domain's own rules
(``resolvers.domain.workdays``, ``resolvers.domain.publicity``), not the demo's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from resolvers.domain.publicity import add_months

REFERENCE_DATE = date(2026, 6, 30)
"""The dataset's "today": nothing is dated after it (except a few publications and end dates)."""


def month_start(day: date, months_back: int) -> date:
    """The first day of the month ``months_back`` months before ``day``'s month."""
    first = day.replace(day=1)
    return add_months(first, -months_back)


_STAMPS: dict[date, datetime] = {}


def stamp(day: date) -> datetime:
    """09:00 Beijing time (01:00 UTC) on ``day``: the deterministic created_at / updated_at."""
    found = _STAMPS.get(day)
    if found is None:
        # a few thousand distinct days; datetimes are immutable, so sharing them is safe
        found = _STAMPS[day] = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)
    return found


_COMPACT: dict[date, str] = {}


def compact(day: date) -> str:
    """``YYYYMMDD``, as order and ticket numbers embed the day (cached: strftime is slow)."""
    found = _COMPACT.get(day)
    if found is None:
        found = _COMPACT[day] = f"{day.year:04d}{day.month:02d}{day.day:02d}"
    return found

