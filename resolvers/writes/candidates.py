"""名单认定: list candidates proposed by the rule table and reviewed by an authority.

``propose`` is the job behind ``credit-gateway lists propose`` (run it daily, and with
``--subject`` after a write that should be judged at once): it reads the subjects' records in
chunks, applies ``resolvers.domain.list_rules`` and stores each new proposal as a PENDING
candidate. A job, not the writes, because the red rules turn on elapsed time ("no penalty for
three years" becomes true on a day no record is written) and the empty-parcel rule on a
carrier's whole year of links; a write would have to re-judge every subject a record names.

``review`` approves or rejects a PENDING candidate in one transaction: an approval writes the
``ListEntry`` through the write service (``write_batch``: the same checks, natural key, audit
event and purge as ``addListEntry``), as the reviewing key's authority, and links it to the
candidate; a candidate is reviewed once (CONFLICT after).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from resolvers.data.database import Database
from resolvers.data.models import ListCandidate, Subject
from resolvers.data.models.base import utcnow
from resolvers.data.queries import brushing_store, list_facts
from resolvers.domain import brushing, list_rules
from resolvers.domain.actors import WriterIdentity
from resolvers.domain.enums import CandidateStatus, ListKind, ReviewDecision
from resolvers.writes import service
from resolvers.writes.audit import Actor
from resolvers.writes.problems import CONFLICT, NOT_FOUND, Problem, WriteRejected
from resolvers.writes.purge import AfterCommit, Touches, committed
from resolvers.writes.records import LIST_ENTRY, ListEntryDraft
from resolvers.writes.transactions import in_transaction

CHUNK = 500  # subjects judged per transaction
TABLE: sa.Table = ListCandidate.__table__  # type: ignore[attr-defined]


def evidence_key(evidence: Sequence[str]) -> str:
    return hashlib.sha256(" ".join(sorted(evidence)).encode()).hexdigest()


async def _rings(database: Database, today: date) -> dict[int, list[brushing.Evidence]]:
    """The rating rings (FRAUDAR) of every subject found in one: a property of the whole rating
    graph, which the rule table's ``BLACK_RATING_RING`` reads per subject. The brushing job
    runs first, so the candidates cite the very run ``brushingSuspects`` shows."""
    done = await brushing_store.refresh(database, today)
    async with database.engine.connect() as conn:
        return await brushing_store.rings(conn, done.current.id)


async def _propose_chunk(conn: AsyncConnection, ids: Sequence[int], today: date,
                         rings: Mapping[int, list[brushing.Evidence]],
                         found: Counter[str]) -> None:
    waiting = await list_facts.pending(conn, ids)
    rows = []
    for judged in await list_facts.facts(conn, ids, today):
        facts = replace(judged, rings=rings.get(judged.id, ()))
        for proposal in list_rules.proposals(facts, today):
            if (facts.id, proposal.rule.code) in waiting:
                continue  # one open candidate per subject and rule
            rows.append({"subject_id": facts.id, "list_kind": proposal.kind.value,
                         "rule": proposal.rule.code, "summary": proposal.summary[:500],
                         "evidence": " ".join(proposal.evidence),
                         "evidence_key": evidence_key(proposal.evidence),
                         "status": CandidateStatus.PENDING.value, "computed_on": today,
                         "created_at": utcnow()})
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = (dialect.insert(TABLE)
                 .on_conflict_do_nothing(index_elements=[TABLE.c.subject_id, TABLE.c.rule,
                                                         TABLE.c.evidence_key])
                 .returning(TABLE.c.rule))
    for row in await conn.execute(statement, rows):
        found[str(row.rule)] += 1


async def propose(database: Database, today: date,
                  usccs: Sequence[str] | None = None) -> Counter[str]:
    """Judge every subject (or those of ``usccs``); the new candidates per rule. Candidates
    are no records of the graph's readers: nothing is purged (``listCandidates`` is never
    served from the response cache)."""
    found: Counter[str] = Counter()
    rings = await _rings(database, today)
    after = 0
    while True:
        async def chunk(conn: AsyncConnection, start: int = after) -> list[int]:
            ids = await list_facts.subject_ids(conn, start, CHUNK, usccs)
            if ids:
                await _propose_chunk(conn, ids, today, rings, found)
            return ids

        ids = await in_transaction(database, chunk)
        if not ids:
            return found
        after = ids[-1]


@dataclass(frozen=True)
class Review:
    """An authority's decision on one candidate."""

    decision: ReviewDecision
    reason: str
    valid_from: date | None = None
    valid_to: date | None = None


def _entry(candidate: sa.Row[tuple[object, ...]], uscc: str, review: Review,
           writer: WriterIdentity, today: date) -> ListEntryDraft:
    rule = list_rules.RULE_BY_CODE[str(candidate.rule)]
    kind = ListKind(candidate.list_kind)
    since = review.valid_from or today
    reason = f"{rule.title}：{candidate.summary}。依据：{rule.clause}。认定意见：{review.reason}"
    return ListEntryDraft(subject=uscc, kind=kind, reason=reason[:1000],
                          authority=writer.name, authority_code=writer.code, valid_from=since,
                          valid_to=review.valid_to or list_rules.entry_end(kind, since))


async def review(database: Database, writer: WriterIdentity, today: date, candidate_id: int,
                 decision: Review, after: AfterCommit) -> int:
    """Approve or reject the candidate; its id, or ``WriteRejected`` (nothing written)."""
    subjects: sa.Table = Subject.__table__  # type: ignore[attr-defined]

    async def work(conn: AsyncConnection, touches: Touches) -> int:
        found = (await conn.execute(
            sa.select(TABLE, subjects.c.uscc).join(subjects, subjects.c.id == TABLE.c.subject_id)
            .where(TABLE.c.id == candidate_id))).first()
        if found is None:
            raise WriteRejected([Problem("id", NOT_FOUND, f"no list candidate {candidate_id}")])
        if found.status != CandidateStatus.PENDING.value:
            raise WriteRejected([Problem("id", CONFLICT, (
                f"the candidate was reviewed already ({found.status})"),
                {"reason": "reviewed", "status": found.status})])
        entry_id = None
        if decision.decision is ReviewDecision.APPROVE:
            draft = _entry(found, str(found.uscc), decision, writer, today)
            (outcome,) = await service.write_batch(conn, LIST_ENTRY, [draft],
                                                   Actor.of_writer(writer), today, touches)
            if outcome.status in (service.Status.REJECTED, service.Status.CONFLICTING):
                raise WriteRejected(outcome.problems)
            entry_id = outcome.record_id
        status = (CandidateStatus.APPROVED if decision.decision is ReviewDecision.APPROVE
                  else CandidateStatus.REJECTED)
        changed = await conn.execute(
            TABLE.update().where(TABLE.c.id == candidate_id,
                                 TABLE.c.status == CandidateStatus.PENDING.value)
            .values(status=status.value, reviewed_at=utcnow(), reviewer_id=writer.id,
                    review_reason=decision.reason, entry_id=entry_id))
        if changed.rowcount != 1:  # a concurrent review won: ours rolls back
            raise WriteRejected([Problem("id", CONFLICT, "the candidate was reviewed meanwhile",
                                         {"reason": "reviewed"})])
        return candidate_id

    return await committed(database, after, work)
