"""Conduct in trade as writers report it: 信用评价 (ratings), 信用承诺 (commitments) and
投诉举报 (complaints).

Natural keys: a rating is the rater's on one order of one platform (platform + order reference
+ rater); a commitment is a subject's pledge of one kind on one day; a complaint is its ticket
within its channel (channel + the filing platform's USCC for a platform's own channel +
reference). A platform records commitments only for the subjects it hosts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from resolvers.data import models
from resolvers.domain.actors import WriterIdentity
from resolvers.domain.enums import (
    AuditAction,
    CommitmentKind,
    CommitmentStatus,
    ComplaintChannel,
    ComplaintStatus,
    Department,
    SubjectKind,
)
from resolvers.domain.ownership import RecordType
from resolvers.writes.audit import Actor
from resolvers.writes.checks import Checker
from resolvers.writes.problems import FORBIDDEN, Problem
from resolvers.writes.records.base import RecordSpec, Ref, Values


@dataclass(frozen=True)
class RatingDraft:
    """信用评价: ``platform``, ``rater`` and ``ratee`` are USCCs."""

    platform: str | None = None
    rater: str | None = None
    ratee: str | None = None
    order_reference: str | None = None
    score: int | None = None
    rated_on: date | None = None
    comment: str | None = None
    follow_up: str | None = None
    follow_up_on: date | None = None


@dataclass(frozen=True)
class CommitmentDraft:
    """信用承诺 of the subject with USCC ``subject``."""

    subject: str | None = None
    kind: CommitmentKind | None = None
    text: str | None = None
    committed_on: date | None = None
    status: CommitmentStatus = CommitmentStatus.ACTIVE
    status_on: date | None = None


@dataclass(frozen=True)
class ComplaintDraft:
    """投诉举报 about the subject with USCC ``subject``."""

    subject: str | None = None
    channel: ComplaintChannel | None = None
    reference: str | None = None
    summary: str | None = None
    filed_on: date | None = None
    status: ComplaintStatus = ComplaintStatus.RECEIVED
    resolved_on: date | None = None
    resolution: str | None = None


def _dated_after(c: Checker, field: str, day: date | None, start: date | None, other: str,
                 *, needed: bool) -> date | None:
    """A lifecycle date: present when ``needed``, not ahead of today, not before ``start``."""
    if needed and day is None:
        c.fail(field, "is required with this status", reason="required")
    c.past(field, day)
    c.not_before(field, day, start, other)
    return day


def check_rating(d: RatingDraft, c: Checker) -> Values:
    if c.required("score", d.score):
        c.count("score", d.score, low=1, high=5)
    rated_on = c.past("rated_on", d.rated_on)
    c.required("rated_on", rated_on)
    follow_up = c.text("follow_up", d.follow_up, required=False)
    _dated_after(c, "follow_up_on", d.follow_up_on, rated_on, "rated_on",
                 needed=follow_up is not None)
    if d.rater and d.ratee and d.rater.strip().upper() == d.ratee.strip().upper():
        c.fail("ratee", "a subject cannot rate itself", reason="self")
    return {
        "order_reference": c.text("order_reference", d.order_reference),
        "score": d.score,
        "rated_on": rated_on,
        "comment": c.text("comment", d.comment, required=False),
        "follow_up": follow_up,
        "follow_up_on": d.follow_up_on if follow_up is not None else None,
    }


def check_commitment(d: CommitmentDraft, c: Checker) -> Values:
    c.required("kind", d.kind)
    committed = c.past("committed_on", d.committed_on)
    c.required("committed_on", committed)
    _dated_after(c, "status_on", d.status_on, committed, "committed_on",
                 needed=d.status is not CommitmentStatus.ACTIVE)
    return {"kind": d.kind, "text": c.text("text", d.text), "committed_on": committed,
            "status": d.status, "status_on": d.status_on}


def check_complaint(d: ComplaintDraft, c: Checker) -> Values:
    c.required("channel", d.channel)
    filed = c.past("filed_on", d.filed_on)
    c.required("filed_on", filed)
    closed = d.status in (ComplaintStatus.RESOLVED, ComplaintStatus.DISMISSED)
    _dated_after(c, "resolved_on", d.resolved_on, filed, "filed_on", needed=closed)
    return {"channel": d.channel, "reference": c.text("reference", d.reference),
            "summary": c.text("summary", d.summary), "filed_on": filed, "status": d.status,
            "resolved_on": d.resolved_on,
            "resolution": c.text("resolution", d.resolution, required=False)}


def own_platform_only(values: Values, writer: WriterIdentity) -> list[Problem]:
    """A platform reports ratings of orders placed on itself, not on a competitor."""
    if writer.platform_id is not None and values.get("platform_id") != writer.platform_id:
        return [Problem("platform", FORBIDDEN, "a platform writes ratings of its own orders only")]
    return []


def platform_channel(values: Values, actor: Actor) -> None:
    """A PLATFORM complaint's ticket number is the filing platform's: its USCC scopes the
    complaint's natural key (empty for government channels and for departments' filings)."""
    own = values.get("channel") is ComplaintChannel.PLATFORM \
        and actor.department is Department.PLATFORM
    values["platform_code"] = (actor.source_code or "") if own else ""


def platform_channel_only(values: Values, writer: WriterIdentity) -> list[Problem]:
    """Complaints through the government hotlines are the departments' to report."""
    if writer.department is Department.PLATFORM and values.get("channel") is not ComplaintChannel.PLATFORM:
        return [Problem("channel", FORBIDDEN, "a platform files complaints of its own channel "
                        "(PLATFORM) only")]
    return []


RATING = RecordSpec(
    record_type=RecordType.RATING, model=models.Rating, draft=RatingDraft,
    key=("platform_id", "order_reference", "rater_id"),
    refs={"platform": Ref("platform_id", SubjectKind.PLATFORM), "rater": Ref("rater_id"),
          "ratee": Ref("ratee_id")},
    subject="ratee_id", action=AuditAction.RATING_RECORDED, check=check_rating,
    lifecycle=frozenset({"follow_up", "follow_up_on"}), guard=own_platform_only,
)

COMMITMENT = RecordSpec(
    record_type=RecordType.COMMITMENT, model=models.Commitment, draft=CommitmentDraft,
    key=("subject_id", "kind", "committed_on"), refs={"subject": Ref("subject_id")},
    subject="subject_id", action=AuditAction.COMMITMENT_SUBMITTED, check=check_commitment,
    lifecycle=frozenset({"status", "status_on"}), hosted="subject",
)

COMPLAINT = RecordSpec(
    record_type=RecordType.COMPLAINT, model=models.Complaint, draft=ComplaintDraft,
    key=("channel", "platform_code", "reference"), refs={"subject": Ref("subject_id")},
    subject="subject_id", action=AuditAction.COMPLAINT_FILED, check=check_complaint,
    lifecycle=frozenset({"status", "resolved_on", "resolution"}), guard=platform_channel_only,
    stamp=platform_channel,
)
