"""红黑名单 standing of a subject, derived from its entries in force."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from resolvers.domain.enums import ListKind, ListStatus


def standing(active_kinds: Collection[ListKind]) -> ListStatus:
    """BLACK wins over RED: a subject under joint punishment gets no incentives."""
    if ListKind.BLACK in active_kinds:
        return ListStatus.BLACK
    if ListKind.RED in active_kinds:
        return ListStatus.RED
    return ListStatus.NONE


def in_force(valid_from: date, valid_to: date | None, lifted_on: date | None, today: date) -> bool:
    """An entry binds from ``valid_from`` through ``valid_to`` unless lifted."""
    return lifted_on is None and valid_from <= today and (valid_to is None or valid_to >= today)


def next_change(valid_from: date, valid_to: date | None, lifted_on: date | None,
                today: date) -> date | None:
    """The first day after ``today`` on which ``in_force`` of the entry may differ (it starts,
    is lifted, or the day after its last valid day); ``None`` when no day changes it."""
    days = [valid_from, lifted_on, None if valid_to is None else valid_to + timedelta(days=1)]
    return min((day for day in days if day is not None and day > today), default=None)
