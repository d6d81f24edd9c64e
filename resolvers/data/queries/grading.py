"""What the credit grade reads of a page of subjects, in ONE statement (a ``UNION ALL``).

Each branch reads one record family of ``subject_ids`` as rows of the same shape —
(subject, family, record id, code, day, flag, n1, n2) — and ``facts`` folds them into one
``SubjectFacts`` per subject. The public view reuses the publicity rule in SQL
(``publicity.public_conditions``): a penalty a PUBLIC caller may not see is never read, so it
cannot move the public grade nor be named by a reason. List entries in force and late
disclosure are the same conditions the list standing and ``late`` filters use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import (
    Commitment,
    Complaint,
    License,
    ListEntry,
    LogisticsLink,
    Penalty,
    Rating,
    Subject,
)
from resolvers.data.queries import disclosure, publicity
from resolvers.data.queries.list_pages import entry_in_force
from resolvers.domain.enums import (
    CommitmentStatus,
    ComplaintStatus,
    ListKind,
    Severity,
    SubjectKind,
)
from resolvers.domain.grading import (
    CommitmentFact,
    ComplaintFact,
    EntryFact,
    PenaltyFact,
    SubjectFacts,
)
from resolvers.domain.grading.rules import COMPLAINT_DAYS, PENALTY_DAYS


def _branch(family: str, subject: Any, record: Any = None, code: Any = None, day: Any = None,
            flag: Any = None, n1: Any = None, n2: Any = None) -> sa.Select[Any]:
    def _int(value: Any) -> Any:
        # typed NULLs: PostgreSQL types a UNION column from its branches in order
        return sa.cast(sa.null(), sa.BigInteger) if value is None else sa.cast(value, sa.BigInteger)

    return sa.select(
        subject.label("subject"), sa.literal_column(f"'{family}'").label("family"),
        _int(record).label("record"),
        sa.cast(sa.null() if code is None else code, sa.String).label("code"),
        (sa.cast(sa.null(), sa.Date) if day is None else sa.type_coerce(day, sa.Date)).label("day"),
        _int(flag).label("flag"), _int(n1).label("n1"), _int(n2).label("n2"))


def _as_int(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.case((condition, 1), else_=0)


def statement(subject_ids: Sequence[int], today: date, *, public_view: bool) -> sa.Select[Any]:
    """The one statement reading every input of the grade of ``subject_ids`` on ``today``."""
    ids = list(subject_ids)
    penalty_where = [col(Penalty.subject_id).in_(ids),
                     col(Penalty.decision_date) > today - timedelta(days=PENALTY_DAYS)]
    if public_view:
        penalty_where += publicity.public_conditions(Penalty, today)
    license_where = [col(License.subject_id).in_(ids), disclosure.late(License, today)]
    score = col(Rating.score)
    branches = [
        _branch("P", col(Penalty.subject_id), col(Penalty.id), col(Penalty.severity),
                col(Penalty.decision_date), _as_int(disclosure.late(Penalty, today)))
        .where(*penalty_where),
        _branch("L", col(ListEntry.subject_id), col(ListEntry.id), col(ListEntry.list_kind),
                col(ListEntry.valid_from))
        .where(col(ListEntry.subject_id).in_(ids), entry_in_force(today)),
        _branch("C", col(Commitment.subject_id), col(Commitment.id), col(Commitment.status),
                sa.func.coalesce(col(Commitment.status_on), col(Commitment.committed_on)))
        .where(col(Commitment.subject_id).in_(ids),
               col(Commitment.status).in_([CommitmentStatus.BREACHED.value,
                                           CommitmentStatus.FULFILLED.value])),
        _branch("Q", col(Complaint.subject_id), col(Complaint.id), col(Complaint.status),
                col(Complaint.filed_on))
        .where(col(Complaint.subject_id).in_(ids),
               col(Complaint.filed_on) > today - timedelta(days=COMPLAINT_DAYS)),
        _branch("X", col(License.subject_id), col(License.id)).where(*license_where),
        _branch("R", col(Rating.ratee_id), n1=sa.func.count(), n2=sa.func.sum(score),
                flag=sa.func.sum(_as_int(sa.and_(score <= 2,
                                                 col(Rating.follow_up).is_not(None)))))
        .where(col(Rating.ratee_id).in_(ids)).group_by(col(Rating.ratee_id)),
        _branch("E", col(LogisticsLink.carrier_id), n1=sa.func.sum(col(LogisticsLink.parcels)),
                n2=sa.func.sum(col(LogisticsLink.empty_parcels)))
        .where(col(LogisticsLink.carrier_id).in_(ids)).group_by(col(LogisticsLink.carrier_id)),
        _branch("V", col(Subject.id), code=col(Subject.kind),
                flag=_as_int(col(Subject.verified) == sa.true()))
        .where(col(Subject.id).in_(ids)),
    ]
    return sa.union_all(*branches)  # type: ignore[return-value]


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def facts(session: AsyncSession | AsyncConnection, subject_ids: Sequence[int],
                today: date, *, public_view: bool) -> dict[int, SubjectFacts]:
    """``SubjectFacts`` of each subject of ``subject_ids`` that exists, in one statement (read
    through a session, or on a write's connection inside its transaction)."""
    query = statement(subject_ids, today, public_view=public_view)
    if isinstance(session, AsyncSession):
        rows = (await session.exec(query)).all()  # type: ignore[call-overload]
    else:
        rows = (await session.execute(query)).all()
    return fold(rows)


def fold(rows: Iterable[Any]) -> dict[int, SubjectFacts]:
    """The rows of ``statement`` as ``SubjectFacts`` per subject that exists (also for a
    migration's synchronous connection)."""
    parts: dict[int, _Parts] = defaultdict(_Parts)
    for row in rows:
        found = parts[int(row.subject)]
        if row.family == "P":
            found.penalties.append(PenaltyFact(int(row.record), Severity(row.code),
                                               _day(row.day), bool(row.flag)))
        elif row.family == "L":
            found.entries.append(EntryFact(int(row.record), ListKind(row.code)))
        elif row.family == "C":
            found.commitments.append(CommitmentFact(int(row.record), CommitmentStatus(row.code),
                                                    _day(row.day)))
        elif row.family == "Q":
            found.complaints.append(ComplaintFact(int(row.record), ComplaintStatus(row.code),
                                                  _day(row.day)))
        elif row.family == "X":
            found.late_licences.append(int(row.record))
        elif row.family == "R":
            found.figures.update(ratings=int(row.n1), rating_sum=int(row.n2),
                                 negative_follow_ups=int(row.flag))
        elif row.family == "E":
            found.figures.update(parcels=int(row.n1), empty_parcels=int(row.n2))
        else:
            found.verified = bool(row.flag)
            found.carrier = SubjectKind(row.code) is SubjectKind.LOGISTICS_FIRM
    return {subject: found.facts() for subject, found in parts.items()
            if found.verified is not None}


@dataclass
class _Parts:
    """One subject's rows, gathered before they become ``SubjectFacts``."""

    verified: bool | None = None
    carrier: bool = False
    penalties: list[PenaltyFact] = field(default_factory=list)
    entries: list[EntryFact] = field(default_factory=list)
    commitments: list[CommitmentFact] = field(default_factory=list)
    complaints: list[ComplaintFact] = field(default_factory=list)
    late_licences: list[int] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)

    def facts(self) -> SubjectFacts:
        return SubjectFacts(
            verified=bool(self.verified), carrier=self.carrier, penalties=tuple(self.penalties),
            entries=tuple(self.entries), commitments=tuple(self.commitments),
            complaints=tuple(self.complaints), late_licences=tuple(self.late_licences),
            **self.figures)
