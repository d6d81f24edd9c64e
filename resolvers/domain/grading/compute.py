"""Applying the rule table to one view of a subject's records: pure functions, no I/O.

``SubjectFacts`` is what the data layer read for one subject in one view (public: only what a
PUBLIC caller may see; supervisory: everything); ``grade_of`` turns it into a score, a class
and the reasons, each naming its rule, its clause, its effect and the record behind it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from resolvers.domain.clock import CHINA
from resolvers.domain.enums import CommitmentStatus, ComplaintStatus, ListKind, Severity
from resolvers.domain.grading.rules import (
    BANDS,
    BASE_SCORE,
    BLACK_CAP,
    COMPLAINT_DAYS,
    COMPLAINT_OVERDUE_DAYS,
    EMPTY_SHARE_HIGH,
    EMPTY_SHARE_SEVERE,
    FREQUENT_COMPLAINTS,
    PENALTY_DAYS,
    RATINGS_NEEDED,
    RECENT_DAYS,
    RULES,
    Letter,
)


@dataclass(frozen=True)
class PenaltyFact:
    """行政处罚 in the view: its row id, severity, decision day and late disclosure."""

    id: int
    severity: Severity
    decided: date
    late: bool = False


@dataclass(frozen=True)
class EntryFact:
    """红黑名单条目 in force today."""

    id: int
    kind: ListKind


@dataclass(frozen=True)
class CommitmentFact:
    """信用承诺 with a final status, and the day it was found so."""

    id: int
    status: CommitmentStatus
    on: date


@dataclass(frozen=True)
class ComplaintFact:
    """投诉举报: filed on, and its status."""

    id: int
    status: ComplaintStatus
    filed: date


@dataclass(frozen=True)
class SubjectFacts:
    """Everything the rules read of one subject in one view."""

    verified: bool = True
    carrier: bool = False
    penalties: tuple[PenaltyFact, ...] = ()
    entries: tuple[EntryFact, ...] = ()
    commitments: tuple[CommitmentFact, ...] = ()
    complaints: tuple[ComplaintFact, ...] = ()
    late_licences: tuple[int, ...] = ()
    """Row ids of licences disclosed late."""
    ratings: int = 0
    rating_sum: int = 0
    negative_follow_ups: int = 0
    parcels: int = 0
    empty_parcels: int = 0


@dataclass(frozen=True)
class Reason:
    """One rule that moved the score: the record behind it as (type name, row id)."""

    rule: str
    effect: int
    record: tuple[str, int] | None = None

    @property
    def clause(self) -> str:
        return RULES[self.rule].clause


@dataclass(frozen=True)
class Graded:
    """The grade of one view: class, score (0–100) and the reasons, largest effect first."""

    letter: Letter
    score: int
    reasons: tuple[Reason, ...] = field(default=())


def letter(score: int) -> Letter:
    """The class whose band holds ``score``."""
    return next(grade for grade, lowest in BANDS if score >= lowest)


def _limited(rule_id: str, records: Iterable[tuple[str, int] | None]) -> list[Reason]:
    """One reason per record, until the rule's limit is reached (the last one trimmed)."""
    rule, reasons, total = RULES[rule_id], [], 0
    for record in records:
        effect = rule.effect
        if rule.limit is not None:
            room = rule.limit - total
            effect = max(effect, room) if rule.limit < 0 else min(effect, room)
        if effect == 0:
            break
        reasons.append(Reason(rule_id, effect, record))
        total += effect
    return reasons


def _penalty_rule(fact: PenaltyFact, today: date) -> str | None:
    age = (today - fact.decided).days
    if age < 0 or age >= PENALTY_DAYS:
        return None
    recent = age < RECENT_DAYS
    if fact.severity is Severity.SERIOUS:
        return "penalty.serious.recent" if recent else "penalty.serious.past"
    if fact.severity is Severity.GENERAL:
        return "penalty.general.recent" if recent else "penalty.general.past"
    return "penalty.minor.recent" if recent else None


def _penalties(facts: SubjectFacts, today: date) -> list[Reason]:
    reasons = []
    for fact in sorted(facts.penalties, key=lambda p: (p.decided, p.id), reverse=True):
        rule_id = _penalty_rule(fact, today)
        if rule_id is not None:
            reasons.append(Reason(rule_id, RULES[rule_id].effect, ("Penalty", fact.id)))
    late = [("Penalty", p.id) for p in sorted(facts.penalties, key=lambda p: p.id) if p.late]
    late += [("License", i) for i in sorted(facts.late_licences)]
    return reasons + _limited("disclosure.late", late)


def _lists(facts: SubjectFacts) -> list[Reason]:
    black = sorted(e.id for e in facts.entries if e.kind is ListKind.BLACK)
    red = sorted(e.id for e in facts.entries if e.kind is ListKind.RED)
    reasons = [Reason("list.black.in_force", RULES["list.black.in_force"].effect,
                      ("ListEntry", i)) for i in black]
    if red and not black:  # BLACK wins over RED: no incentive under joint punishment
        reasons += _limited("list.red.in_force", [("ListEntry", i) for i in red])
    return reasons


def _commitments(facts: SubjectFacts, today: date) -> list[Reason]:
    counted = sorted((c for c in facts.commitments if 0 <= (today - c.on).days < PENALTY_DAYS),
                     key=lambda c: (c.on, c.id), reverse=True)
    breached = [("Commitment", c.id) for c in counted if c.status is CommitmentStatus.BREACHED]
    kept = [("Commitment", c.id) for c in counted if c.status is CommitmentStatus.FULFILLED]
    return ([Reason("commitment.breached", RULES["commitment.breached"].effect, record)
             for record in breached] + _limited("commitment.fulfilled", kept))


def _complaints(facts: SubjectFacts, today: date) -> list[Reason]:
    recent = sorted((c for c in facts.complaints if 0 <= (today - c.filed).days < COMPLAINT_DAYS),
                    key=lambda c: (c.filed, c.id))
    reasons = []
    if len(recent) >= FREQUENT_COMPLAINTS:
        reasons.append(Reason("complaint.frequent", RULES["complaint.frequent"].effect))
    open_states = (ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS)
    overdue = [("Complaint", c.id) for c in recent if c.status in open_states
               and (today - c.filed).days >= COMPLAINT_OVERDUE_DAYS]
    return reasons + _limited("complaint.unresolved", overdue)


def _ratings(facts: SubjectFacts) -> list[Reason]:
    reasons = []
    if facts.ratings >= RATINGS_NEEDED:
        # integer comparison: sum / count < 3.0 ⇔ sum < 3 × count
        if facts.rating_sum < 3 * facts.ratings:
            reasons.append(Reason("rating.average.low", RULES["rating.average.low"].effect))
        elif facts.rating_sum < 4 * facts.ratings:
            reasons.append(Reason("rating.average.fair", RULES["rating.average.fair"].effect))
        elif 2 * facts.rating_sum >= 9 * facts.ratings:
            reasons.append(Reason("rating.average.high", RULES["rating.average.high"].effect))
    return reasons + _limited("rating.follow_up.negative", [None] * facts.negative_follow_ups)


def _identity(facts: SubjectFacts) -> list[Reason]:
    reasons = []
    if not facts.verified:
        reasons.append(Reason("verification.missing", RULES["verification.missing"].effect))
    if facts.carrier and facts.parcels:
        # integer comparison of the empty share with the thresholds (in per cent)
        empty, parcels = facts.empty_parcels * 100, facts.parcels
        if empty > EMPTY_SHARE_SEVERE * 100 * parcels:
            reasons.append(Reason("logistics.empty_parcels.severe",
                                  RULES["logistics.empty_parcels.severe"].effect))
        elif empty > EMPTY_SHARE_HIGH * 100 * parcels:
            reasons.append(Reason("logistics.empty_parcels.high",
                                  RULES["logistics.empty_parcels.high"].effect))
    return reasons


def grade_of(facts: SubjectFacts, today: date) -> Graded:
    """The grade of ``facts`` on ``today`` (the Beijing date)."""
    reasons = (_lists(facts) + _penalties(facts, today) + _commitments(facts, today)
               + _complaints(facts, today) + _ratings(facts) + _identity(facts))
    score = max(0, min(100, BASE_SCORE + sum(r.effect for r in reasons)))
    if any(r.rule == "list.black.in_force" for r in reasons) and score > BLACK_CAP:
        reasons.append(Reason("list.black.cap", BLACK_CAP - score))
        score = BLACK_CAP
    ordered = sorted(reasons, key=lambda r: (r.effect, r.rule))
    return Graded(letter(score), score, tuple(ordered))


def next_change(facts: SubjectFacts, today: date) -> date | None:
    """The first day after ``today`` on which ``grade_of(facts, day)`` may differ from
    ``grade_of(facts, today)`` by the calendar alone; ``None`` when no day changes it.

    These are the days the rules themselves count (信用等级的时间窗口): a penalty starts to
    count on its decision day, stops being recent after ``RECENT_DAYS`` and stops counting after
    ``PENALTY_DAYS``; a commitment counts from the day it was found breached or fulfilled for
    ``PENALTY_DAYS``; a complaint counts from its filing for ``COMPLAINT_DAYS``, and one still
    open becomes unresolved after ``COMPLAINT_OVERDUE_DAYS``. Every such day is returned, not only
    the ones that move the score (a penalty past the limit of its rule, a minor one leaving its
    year): conservative, an earlier day only costs a recompute. What the data layer filters by
    the day (entries in force, publicity, late disclosure) is not here: it changes ``facts``
    itself, and ``resolvers.data.queries.calendar`` gives its days."""
    open_states = (ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS)
    starts: list[tuple[date, tuple[int, ...]]] = [
        *((p.decided, (0, RECENT_DAYS, PENALTY_DAYS)) for p in facts.penalties),
        *((c.on, (0, PENALTY_DAYS)) for c in facts.commitments),
        *((c.filed, (0, COMPLAINT_OVERDUE_DAYS, COMPLAINT_DAYS) if c.status in open_states
           else (0, COMPLAINT_DAYS)) for c in facts.complaints),
    ]
    days = (start + timedelta(days=offset) for start, offsets in starts for offset in offsets)
    return min((day for day in days if day > today), default=None)


@dataclass(frozen=True)
class SubjectGrade:
    """A computed grade of one subject in one view, as cached: ``computed_at`` is when, and
    ``next_change`` the first later day the calendar may change it (``None``: never)."""

    subject_id: int
    graded: Graded
    computed_at: datetime
    next_change: date | None = None

    def encode(self) -> bytes:
        return json.dumps({
            "s": self.subject_id, "l": self.graded.letter.value, "p": self.graded.score,
            "t": self.computed_at.isoformat(),
            "n": None if self.next_change is None else self.next_change.isoformat(),
            "r": [[r.rule, r.effect, *(r.record or ())] for r in self.graded.reasons],
        }, separators=(",", ":")).encode()

    @classmethod
    def decode(cls, data: bytes) -> SubjectGrade:
        value = json.loads(data)
        reasons = tuple(Reason(r[0], int(r[1]), (str(r[2]), int(r[3])) if len(r) == 4 else None)
                        for r in value["r"])
        computed_at = datetime.fromisoformat(value["t"])
        if "n" in value:
            changes = None if value["n"] is None else date.fromisoformat(value["n"])
        else:  # cached before grades carried the day: good until the day after, as then
            changes = computed_at.astimezone(CHINA).date() + timedelta(days=1)
        return cls(int(value["s"]), Graded(Letter(value["l"]), int(value["p"]), reasons),
                   computed_at, changes)
