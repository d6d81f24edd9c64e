"""公示期限 — how long a penalty stays public, and when credit repair (信用修复) may end it.

A penalty's publicity period is set by its severity (NDRC credit-repair measures in force
2026-04-01): minor — normally not published, at most 3 months; general — 3 months to 1 year;
serious — 1 to 3 years. Credit repair may end publicity once the minimum has passed; at the
maximum it ends by itself. PUBLIC and PLATFORM callers see a penalty only while it is public
(``publicity_state``); regulators and auditors see every penalty with its state.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from resolvers.domain.enums import Severity

PUBLICITY_MONTHS: dict[Severity, tuple[int, int]] = {
    Severity.MINOR: (0, 3),
    Severity.GENERAL: (3, 12),
    Severity.SERIOUS: (12, 36),
}
"""(minimum, maximum) months of publicity per severity."""


def add_months(day: date, months: int) -> date:
    """Same day of month ``months`` later, clamped to the month's end (2 月 31 日 → 2 月 28 日)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def publicity_window(decided: date, severity: Severity) -> tuple[date, date]:
    """The earliest and latest publicity end (公示截止期) a decision of ``severity`` may have."""
    shortest, longest = PUBLICITY_MONTHS[severity]
    return add_months(decided, shortest), add_months(decided, longest)


def severity_for_publicity(decided: date, publicity_end: date) -> Severity | None:
    """推定严重程度 — the severity whose publicity period holds ``publicity_end`` (a file
    without 失信行为严重程度 states only 公示截止期); ``None`` when no period does. An end on
    the boundary of two periods (3 or 12 months) is the longest period of the lesser
    severity: the end a department's system sets by default (``default_publicity_end``)."""
    for severity in sorted(PUBLICITY_MONTHS, key=lambda s: PUBLICITY_MONTHS[s]):
        low, high = publicity_window(decided, severity)
        if low <= publicity_end <= high:
            return severity
    return None


def default_publicity_end(decided: date, severity: Severity) -> date:
    """Without a stated end, a penalty stays public for the maximum period."""
    return publicity_window(decided, severity)[1]


def earliest_repair(decided: date, severity: Severity) -> date:
    """信用修复 may end publicity from this day on: the severity's minimum period has passed."""
    return publicity_window(decided, severity)[0]


class PublicityState(StrEnum):
    """公示状态 — where a penalty stands in its publicity period on a given day."""

    NOT_YET_PUBLISHED = "NOT_YET_PUBLISHED"
    WITHHELD = "WITHHELD"
    PUBLIC = "PUBLIC"
    ENDED = "ENDED"
    REPAIRED = "REPAIRED"


def publicity_state(*, severity: Severity, published_on: date | None, publicity_end: date,
                    repaired_on: date | None, today: date) -> PublicityState:
    """The state of a penalty on ``today``. Publicity runs from publication up to (not
    including) the earlier of its end (公示截止期) and the day credit repair ended it; a minor
    penalty (轻微) is withheld: "normally not published" is the rule the public view follows.
    Only ``PUBLIC`` penalties are shown to PUBLIC and PLATFORM callers (``is_public``)."""
    if repaired_on is not None and repaired_on <= today:
        return PublicityState.REPAIRED
    if publicity_end <= today:
        return PublicityState.ENDED
    if severity is Severity.MINOR:
        return PublicityState.WITHHELD
    if published_on is None or published_on > today:
        return PublicityState.NOT_YET_PUBLISHED
    return PublicityState.PUBLIC


def public_until(publicity_end: date, repaired_on: date | None) -> date:
    """The first day a penalty is no longer public: its end, or the repair day if earlier."""
    return publicity_end if repaired_on is None else min(publicity_end, repaired_on)


PUBLICITY_TERMS: dict[PublicityState, str] = {
    PublicityState.NOT_YET_PUBLISHED: "尚未公示",
    PublicityState.WITHHELD: "轻微失信，一般不公示",
    PublicityState.PUBLIC: "公示中",
    PublicityState.ENDED: "公示期满",
    PublicityState.REPAIRED: "信用修复，提前结束公示",
}


def next_change(*, published_on: date | None, publicity_end: date, repaired_on: date | None,
                today: date) -> date | None:
    """The first day after ``today`` on which ``publicity_state`` of the penalty may differ
    (publication, the end of publicity, credit repair); ``None`` when no day changes it."""
    days = [day for day in (published_on, publicity_end, repaired_on)
            if day is not None and day > today]
    return min(days, default=None)
