"""Properties of the grade's pure rule functions (``resolvers.domain.grading``), for any records
hypothesis draws: adding a penalty never improves a grade; lifting a black entry never worsens
it; the public grade never depends on a record the public cannot read; the grade is the same on
every day before its ``next_change``. (The same rules run over
HTTP on both backends in tests/writes/test_grade_rules.py.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from resolvers.domain.enums import CommitmentStatus, ComplaintStatus, ListKind, Severity
from resolvers.domain.grading import (
    CommitmentFact,
    ComplaintFact,
    EntryFact,
    PenaltyFact,
    SubjectFacts,
    grade_of,
    next_change,
)
from resolvers.domain.grading.rules import (
    COMPLAINT_DAYS,
    COMPLAINT_OVERDUE_DAYS,
    PENALTY_DAYS,
    RECENT_DAYS,
)
from resolvers.domain.publicity import PublicityState, default_publicity_end, publicity_state

TODAY = date(2026, 12, 3)
days_back = st.integers(min_value=0, max_value=5 * 365)
ids = st.integers(min_value=1, max_value=10**6)

penalties = st.builds(PenaltyFact, id=ids, severity=st.sampled_from(list(Severity)),
                      decided=days_back.map(lambda d: TODAY - timedelta(days=d)),
                      late=st.booleans())
entries = st.builds(EntryFact, id=ids, kind=st.sampled_from(list(ListKind)))


@st.composite
def facts(draw: st.DrawFn) -> SubjectFacts:
    ratings = draw(st.integers(min_value=0, max_value=40))
    parcels = draw(st.integers(min_value=0, max_value=10**6))
    return SubjectFacts(
        verified=draw(st.booleans()), carrier=draw(st.booleans()),
        penalties=tuple(draw(st.lists(penalties, max_size=5))),
        entries=tuple(draw(st.lists(entries, max_size=3))),
        commitments=tuple(draw(st.lists(st.builds(
            CommitmentFact, id=ids, status=st.sampled_from(list(CommitmentStatus)),
            on=days_back.map(lambda d: TODAY - timedelta(days=d))), max_size=4))),
        complaints=tuple(draw(st.lists(st.builds(
            ComplaintFact, id=ids, status=st.sampled_from(list(ComplaintStatus)),
            filed=days_back.map(lambda d: TODAY - timedelta(days=d))), max_size=5))),
        late_licences=tuple(draw(st.lists(ids, max_size=4))),
        ratings=ratings,
        rating_sum=draw(st.integers(min_value=ratings, max_value=5 * ratings)),
        negative_follow_ups=draw(st.integers(min_value=0, max_value=min(8, ratings))),
        parcels=parcels, empty_parcels=draw(st.integers(min_value=0, max_value=parcels)))


@settings(max_examples=30, deadline=None)
@given(facts(), penalties)
def test_adding_a_penalty_never_improves_a_grade(before: SubjectFacts,
                                                 penalty: PenaltyFact) -> None:
    after = replace(before, penalties=(*before.penalties, penalty))
    old, new = grade_of(before, TODAY), grade_of(after, TODAY)
    assert new.score <= old.score
    assert new.letter >= old.letter  # "A" < "B" < "C" < "D": never a better class


@settings(max_examples=30, deadline=None)
@given(facts(), st.data())
def test_lifting_a_black_entry_never_worsens_it(before: SubjectFacts, data: st.DataObject) -> None:
    black = [e for e in before.entries if e.kind is ListKind.BLACK]
    if not black:
        black = [EntryFact(10**6 + 1, ListKind.BLACK)]
        before = replace(before, entries=(*before.entries, *black))
    lifted = data.draw(st.sampled_from(black))
    after = replace(before, entries=tuple(e for e in before.entries if e is not lifted))
    old, new = grade_of(before, TODAY), grade_of(after, TODAY)
    assert new.score >= old.score
    assert new.letter <= old.letter
    assert old.letter == "D"  # a black entry in force caps at D


def records_of(found: SubjectFacts) -> set[tuple[str, int]]:
    return {*(("Penalty", p.id) for p in found.penalties),
            *(("ListEntry", e.id) for e in found.entries),
            *(("Commitment", c.id) for c in found.commitments),
            *(("Complaint", c.id) for c in found.complaints),
            *(("License", i) for i in found.late_licences)}


@settings(max_examples=30, deadline=None)
@given(facts(), st.lists(st.tuples(penalties, st.integers(min_value=-400, max_value=400),
                                 st.booleans()), max_size=6))
def test_the_public_grade_never_depends_on_what_the_public_cannot_read(
        public: SubjectFacts, drawn: list[tuple[PenaltyFact, int, bool]]) -> None:
    """The public view reads only the records PUBLIC may read (``public``); the penalties it
    may not — withheld, ended, repaired, unpublished, judged by the publicity rule — reach
    only the supervisory class. A grade names no record outside what it read, so the public
    grade cannot name a hidden one, and hidden penalties can only take points from the
    supervisory class, never give the public grade a different score than its own records."""
    hidden: list[PenaltyFact] = []
    for penalty, shift, repaired in drawn:
        state = publicity_state(
            severity=penalty.severity, published_on=penalty.decided + timedelta(days=shift),
            publicity_end=default_publicity_end(penalty.decided, penalty.severity),
            repaired_on=TODAY if repaired else None, today=TODAY)
        if state is not PublicityState.PUBLIC:
            hidden.append(replace(penalty, id=2 * 10**6 + len(hidden)))
    everything = replace(public, penalties=(*public.penalties, *hidden))
    shown, supervisory = grade_of(public, TODAY), grade_of(everything, TODAY)
    assert {r.record for r in shown.reasons if r.record} <= records_of(public)
    assert {r.record for r in supervisory.reasons if r.record} <= records_of(everything)
    assert supervisory.score <= shown.score


# any day from five years back to two years ahead: records may start counting later, too
days_around = st.integers(min_value=-5 * 365, max_value=2 * 365).map(
    lambda d: TODAY + timedelta(days=d))


@st.composite
def dated_facts(draw: st.DrawFn) -> SubjectFacts:
    """``facts`` whose penalties, commitments and complaints may also lie ahead of ``TODAY``."""
    base = draw(facts())
    return replace(
        base,
        penalties=tuple(replace(p, decided=draw(days_around)) for p in base.penalties),
        commitments=tuple(replace(c, on=draw(days_around)) for c in base.commitments),
        complaints=tuple(replace(c, filed=draw(days_around)) for c in base.complaints))


@settings(max_examples=60, deadline=None)
@given(dated_facts())
def test_the_grade_holds_every_day_until_its_next_change(found: SubjectFacts) -> None:
    """``next_change`` is never later than a real change: the grade of every day from today up
    to it is today's (the response cache keeps an answer holding the grade that long)."""
    today = grade_of(found, TODAY)
    changes = next_change(found, TODAY)
    assert changes is None or changes > TODAY
    last = changes or TODAY + timedelta(days=4 * 365)  # none: no day ever changes it
    for offset in range((last - TODAY).days):
        assert grade_of(found, TODAY + timedelta(days=offset)) == today, offset
    if changes is None:
        assert grade_of(found, date.max - timedelta(days=1)) == today


@settings(max_examples=30, deadline=None)
@given(dated_facts())
def test_next_change_names_a_day_a_rule_counts(found: SubjectFacts) -> None:
    """Not conservative past use: the day named is one a rule's window opens or closes on —
    a penalty's, commitment's or complaint's own date plus one of the rule table's spans."""
    changes = next_change(found, TODAY)
    spans = {0, RECENT_DAYS, PENALTY_DAYS, COMPLAINT_DAYS, COMPLAINT_OVERDUE_DAYS}
    starts = ({p.decided for p in found.penalties} | {c.on for c in found.commitments}
              | {c.filed for c in found.complaints})
    if changes is not None:
        assert any((changes - start).days in spans for start in starts)
