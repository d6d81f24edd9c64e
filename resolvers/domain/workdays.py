"""PRC working days (工作日) and the 7-working-day disclosure deadline (公示时限).

Working days follow the official holiday calendar (国务院办公厅节假日安排), make-up working
weekends included, through the ``chinesecalendar`` package. For years it does not cover yet
(it covers 2004 to its release year), Monday–Friday stands in, and ``calendar_known`` tells.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from functools import cache

import chinese_calendar

DISCLOSURE_DEADLINE = 7
"""Licences and penalties are public within 7 working days of the decision
(国办发〔2015〕51号, 国发〔2016〕33号)."""

_FIRST = date(1990, 1, 1)
_LAST = date(2035, 12, 31)


def calendar_known(day: date) -> bool:
    """Whether the official calendar of ``day``'s year is known (not approximated)."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_workday(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


@cache
def _workday_ordinals() -> list[int]:
    start, end = _FIRST.toordinal(), _LAST.toordinal()
    return [n for n in range(start, end + 1) if is_workday(date.fromordinal(n))]


def add_workdays(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``count`` ≥ 1)."""
    ordinals = _workday_ordinals()
    index = bisect_right(ordinals, day.toordinal()) + count - 1
    if index >= len(ordinals):
        return day + timedelta(days=count * 7 // 5 + 1)
    return date.fromordinal(ordinals[index])


def workdays_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` ≤ ``start``):
    a decision on Friday published on Monday took 1 working day."""
    if end <= start:
        return 0
    if not (start >= _FIRST and end <= _LAST):
        return sum(1 for n in range(1, (end - start).days + 1)
                   if is_workday(start + timedelta(days=n)))
    ordinals = _workday_ordinals()
    return bisect_right(ordinals, end.toordinal()) - bisect_left(ordinals, start.toordinal() + 1)


def disclosure_lag(decided: date, published: date | None) -> int | None:
    """Working days from decision to publication; ``None`` while unpublished."""
    return None if published is None else workdays_between(decided, published)


def late_if_decided_before(today: date) -> date:
    """Unpublished decisions taken before this day are late on ``today``: it is the
    ``DISCLOSURE_DEADLINE``-th working day counting back from ``today`` (inclusive), so SQL
    can flag them with one date comparison instead of a calendar per row."""
    day, counted = today, 0
    while True:
        if is_workday(day):
            counted += 1
            if counted == DISCLOSURE_DEADLINE + 1:
                return day
        day -= timedelta(days=1)


def late_disclosure(decided: date, published: date | None, today: date) -> bool:
    """Published after the deadline, or still unpublished once the deadline has passed."""
    if published is not None:
        return workdays_between(decided, published) > DISCLOSURE_DEADLINE
    return workdays_between(decided, today) > DISCLOSURE_DEADLINE


def becomes_late(decided: date, published: date | None, today: date) -> date | None:
    """The first day after ``today`` on which ``late_disclosure`` of a decision changes: the
    day an unpublished decision passes its deadline; ``None`` when no day changes it (it is
    published, or already late)."""
    if published is not None or late_disclosure(decided, None, today):
        return None
    day = today + timedelta(days=1)
    while not late_disclosure(decided, None, day):
        day += timedelta(days=1)
    return day
