"""What the list rules read (``resolvers.domain.list_rules``): the records of a chunk of
subjects, one statement per record family, and the candidates already waiting for review."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from resolvers.data.models import (
    Commitment,
    Complaint,
    ListCandidate,
    ListEntry,
    LogisticsLink,
    Penalty,
    Rating,
)
from resolvers.data.models import Subject as SubjectRow
from resolvers.domain import lists
from resolvers.domain.enums import (
    CandidateStatus,
    CommitmentStatus,
    Department,
    ListKind,
    Severity,
    SubjectKind,
    SubjectStatus,
)
from resolvers.domain.list_rules import LinkFact, PenaltyFact, SubjectFacts


def _t(model: type) -> sa.Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]


async def subject_ids(conn: AsyncConnection, after_id: int, limit: int,
                      usccs: Sequence[str] | None = None) -> list[int]:
    """The next ``limit`` subject ids after ``after_id`` (of ``usccs`` only, when given)."""
    table = _t(SubjectRow)
    query = sa.select(table.c.id).where(table.c.id > after_id)
    if usccs is not None:
        query = query.where(table.c.uscc.in_(list(usccs)))
    rows = await conn.execute(query.order_by(table.c.id).limit(limit))
    return [int(row.id) for row in rows]


async def facts(conn: AsyncConnection, ids: Sequence[int], today: date) -> list[SubjectFacts]:
    """The facts of the subjects ``ids`` (records newest first)."""
    s, p, c, r, link, e, q = (_t(m) for m in (SubjectRow, Penalty, Commitment, Rating,
                                             LogisticsLink, ListEntry, Complaint))
    penalties: dict[int, list[PenaltyFact]] = defaultdict(list)
    for row in await conn.execute(
            sa.select(p.c.id, p.c.subject_id, p.c.violation_type, p.c.severity,
                      p.c.decision_date, p.c.source, p.c.repaired_on)
            .where(p.c.subject_id.in_(ids)).order_by(p.c.decision_date.desc(), p.c.id.desc())):
        penalties[row.subject_id].append(PenaltyFact(
            row.id, row.violation_type, Severity(row.severity), row.decision_date,
            Department(row.source), row.repaired_on is not None))
    commitments: dict[int, list[tuple[int, CommitmentStatus, date]]] = defaultdict(list)
    for c_row in await conn.execute(
            sa.select(c.c.id, c.c.subject_id, c.c.status, c.c.committed_on)
            .where(c.c.subject_id.in_(ids)).order_by(c.c.committed_on.desc(), c.c.id.desc())):
        commitments[c_row.subject_id].append((c_row.id, CommitmentStatus(c_row.status),
                                              c_row.committed_on))
    ratings: dict[int, list[tuple[int, int, date]]] = defaultdict(list)
    for r_row in await conn.execute(
            sa.select(r.c.id, r.c.ratee_id, r.c.score, r.c.rated_on)
            .where(r.c.ratee_id.in_(ids)).order_by(r.c.rated_on.desc(), r.c.id.desc())):
        ratings[r_row.ratee_id].append((r_row.id, r_row.score, r_row.rated_on))
    links: dict[int, list[LinkFact]] = defaultdict(list)
    for l_row in await conn.execute(
            sa.select(link.c.id, link.c.merchant_id, link.c.carrier_id, link.c.period_end,
                      link.c.parcels, link.c.empty_parcels)
            .where(sa.or_(link.c.merchant_id.in_(ids), link.c.carrier_id.in_(ids)))):
        found = LinkFact(l_row.id, l_row.merchant_id, l_row.carrier_id, l_row.period_end,
                         l_row.parcels, l_row.empty_parcels)
        for subject in {l_row.merchant_id, l_row.carrier_id}:
            links[subject].append(found)
    complaints: dict[int, list[date]] = defaultdict(list)
    for q_row in await conn.execute(
            sa.select(q.c.subject_id, q.c.filed_on).where(q.c.subject_id.in_(ids))):
        complaints[q_row.subject_id].append(q_row.filed_on)
    black: set[int] = set()
    for e_row in await conn.execute(
            sa.select(e.c.subject_id, e.c.valid_from, e.c.valid_to, e.c.lifted_on)
            .where(e.c.subject_id.in_(ids), e.c.list_kind == ListKind.BLACK.value)):
        if lists.in_force(e_row.valid_from, e_row.valid_to, e_row.lifted_on, today):
            black.add(e_row.subject_id)
    subjects = await conn.execute(
        sa.select(s.c.id, s.c.uscc, s.c.kind, s.c.status, s.c.registered_on, s.c.verified)
        .where(s.c.id.in_(ids)).order_by(s.c.id))
    return [SubjectFacts(
        id=row.id, uscc=row.uscc, kind=SubjectKind(row.kind), status=SubjectStatus(row.status),
        registered_on=row.registered_on, black_in_force=row.id in black,
        verified=bool(row.verified),
        penalties=penalties[row.id], commitments=commitments[row.id], ratings=ratings[row.id],
        complaints=complaints[row.id], links=links[row.id]) for row in subjects]


async def pending(conn: AsyncConnection, ids: Sequence[int]) -> set[tuple[int, str]]:
    """(subject id, rule) of the candidates of ``ids`` still waiting for review."""
    table = _t(ListCandidate)
    rows = await conn.execute(sa.select(table.c.subject_id, table.c.rule).where(
        table.c.subject_id.in_(ids), table.c.status == CandidateStatus.PENDING.value))
    return {(int(row.subject_id), str(row.rule)) for row in rows}
