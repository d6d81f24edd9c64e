"""The lifecycle changes writers may make, as ``Change`` s (see ``changes``).

A day (``on``) left out means today in Beijing. A repeat is judged by what the writer gave:
the day counts only when it was stated, so re-sending "revoke this licence" tomorrow is still
the same request.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from resolvers.data import models
from resolvers.domain.enums import (
    AuditAction,
    CommitmentStatus,
    ComplaintStatus,
    LicenseStatus,
)
from resolvers.domain.ownership import RecordType
from resolvers.domain.publicity import earliest_repair
from resolvers.writes.changes import Change
from resolvers.writes.checks import Checker
from resolvers.writes.problems import PUBLICITY_ENDED, REPAIR_TOO_EARLY

ENDED_LICENSE = (LicenseStatus.REVOKED, LicenseStatus.EXPIRED, LicenseStatus.CANCELLED)
SETTLED_COMMITMENT = (CommitmentStatus.FULFILLED, CommitmentStatus.BREACHED)
CLOSED_COMPLAINT = (ComplaintStatus.RESOLVED, ComplaintStatus.DISMISSED)
OPEN_COMPLAINT = (ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS)


def _day(on: date | None, today: date) -> date:
    return on if on is not None else today


def _dated(column: str, on: date | None, *others: str) -> tuple[str, ...]:
    return (*others, column) if on is not None else others


def _one_of(checker: Checker, field: str, value: Any, allowed: tuple[Any, ...]) -> None:
    if value not in allowed:
        checker.fail(field, f"must be one of {', '.join(a.value for a in allowed)}",
                     reason="value", allowed=[a.value for a in allowed])


def _on_or_after(column: str, day: date) -> Any:
    """The change's day: not ahead of today, not before the record's own ``column`` day."""
    def check(row: Any, checker: Checker) -> None:
        checker.past("on", day)
        checker.not_before("on", day, row[column], column)
    return check


def license_status(status: LicenseStatus) -> Change:
    """撤销 / 过期 / 注销 — a VALID licence ends."""

    def check(_row: Any, checker: Checker) -> None:
        _one_of(checker, "status", status, ENDED_LICENSE)

    return Change(RecordType.LICENSE, models.License, AuditAction.LICENSE_STATUS_SET,
                  "subject_id", lambda t: t.c.status == LicenseStatus.VALID,
                  {"status": status}, ("status",), check)


def rating_follow_up(text: str, on: date | None, today: date) -> Change:
    """追评 — the rater's follow-up review, once."""
    day = _day(on, today)
    dated = _on_or_after("rated_on", day)

    def check(row: Any, checker: Checker) -> None:
        checker.text("text", text, column="follow_up")
        dated(row, checker)

    return Change(RecordType.RATING, models.Rating, AuditAction.RATING_FOLLOWED_UP, "ratee_id",
                  lambda t: t.c.follow_up.is_(None),
                  {"follow_up": text.strip(), "follow_up_on": day},
                  _dated("follow_up_on", on, "follow_up"), check)


def commitment_status(status: CommitmentStatus, on: date | None, today: date) -> Change:
    """履行 / 违约 — whether an ACTIVE commitment was kept."""
    day = _day(on, today)
    dated = _on_or_after("committed_on", day)

    def check(row: Any, checker: Checker) -> None:
        _one_of(checker, "status", status, SETTLED_COMMITMENT)
        dated(row, checker)

    return Change(RecordType.COMMITMENT, models.Commitment, AuditAction.COMMITMENT_STATUS_SET,
                  "subject_id", lambda t: t.c.status == CommitmentStatus.ACTIVE,
                  {"status": status, "status_on": day}, _dated("status_on", on, "status"), check)


def complaint_resolution(status: ComplaintStatus, resolution: str, on: date | None,
                         today: date) -> Change:
    """办结 / 不予受理 — an open complaint is closed with its outcome."""
    day = _day(on, today)
    dated = _on_or_after("filed_on", day)

    def check(row: Any, checker: Checker) -> None:
        _one_of(checker, "status", status, CLOSED_COMPLAINT)
        checker.text("resolution", resolution)
        dated(row, checker)

    return Change(RecordType.COMPLAINT, models.Complaint, AuditAction.COMPLAINT_RESOLVED,
                  "subject_id", lambda t: t.c.status.in_(OPEN_COMPLAINT),
                  {"status": status, "resolution": resolution.strip(), "resolved_on": day},
                  _dated("resolved_on", on, "status", "resolution"), check)


def list_lifting(reason: str, on: date | None, today: date) -> Change:
    """移出名单 — an entry stops binding, with the reason (e.g. credit repair)."""
    day = _day(on, today)
    dated = _on_or_after("valid_from", day)

    def check(row: Any, checker: Checker) -> None:
        checker.text("reason", reason, column="lift_reason")
        dated(row, checker)

    return Change(RecordType.LIST_ENTRY, models.ListEntry, AuditAction.LIST_ENTRY_LIFTED,
                  "subject_id", lambda t: t.c.lifted_on.is_(None),
                  {"lifted_on": day, "lift_reason": reason.strip()},
                  _dated("lifted_on", on, "lift_reason"), check)


def credit_repair(on: date | None, today: date) -> Change:
    """信用修复 — a penalty's publicity ends early, once its severity's minimum has passed."""
    day = _day(on, today)

    def check(row: Any, checker: Checker) -> None:
        checker.past("on", day)
        earliest = earliest_repair(row["decision_date"], row["severity"])
        if day < earliest:
            checker.fail("on", f"a {row['severity'].value} penalty may be repaired from "
                         f"{earliest} on (minimum publicity period)", REPAIR_TOO_EARLY,
                         earliest=earliest.isoformat())
        elif day >= row["publicity_end"]:
            checker.fail("on", f"publicity already ended on {row['publicity_end']}",
                         PUBLICITY_ENDED, ended=row["publicity_end"].isoformat())

    return Change(RecordType.PENALTY, models.Penalty, AuditAction.CREDIT_REPAIRED, "subject_id",
                  lambda t: t.c.repaired_on.is_(None), {"repaired_on": day},
                  _dated("repaired_on", on), check)
