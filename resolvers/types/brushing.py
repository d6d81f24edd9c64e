"""``Query.brushingSuspects`` (刷单炒信嫌疑): subjects ranked by the brushing signals of
``resolvers.domain.brushing`` (FRAUDAR rating rings, empty parcels, review bursts), each with
its evidence. AUDITOR and REGULATOR keys only; every suspect shown goes to the access log."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry import Parent

from resolvers.context import Info
from resolvers.data.queries import brushing as brushing_queries
from resolvers.domain import brushing
from resolvers.domain.brushing import BrushingSignal
from resolvers.domain.enums import SubjectKind
from resolvers.errors import BadUserInputError
from resolvers.types import pagination
from resolvers.types.common import SubjectRef, load_subject, subject_field
from resolvers.types.relations import explored, require_explorer

PARTNERS_SHOWN = 20
SUSPECTS_DEFAULT = 20
SUSPECTS_MAX = 100


async def _partners(root: Parent[Any], info: Info) -> list[SubjectRef]:
    shown = root.partner_ids[:PARTNERS_SHOWN]
    return list(await asyncio.gather(*(load_subject(info, ident) for ident in shown)))


@strawberry.type(description="证据 — one brushing signal of a suspect and the facts behind it.")
class BrushingEvidence:
    partner_ids: strawberry.Private[tuple[int, ...]]
    signal: BrushingSignal = strawberry.field(description="炒信信号 — which signal.")
    strength: float = strawberry.field(description="Strength of the signal, 0 to 1.")
    ring: int | None = strawberry.field(
        description="RATING_RING: the ring's number in this answer, densest first.")
    partner_count: int = strawberry.field(
        description="RATING_RING: subjects on the other side of the ring (raters of a shop, "
                    "shops of a rater).")
    partners: list[SubjectRef] = strawberry.field(
        resolver=_partners, description=f"The first {PARTNERS_SHOWN} of those subjects.")
    ratings: int = strawberry.field(
        description="RATING_RING: ratings inside the ring; REVIEW_BURST: ratings in the burst.")
    repeated_comments: int = strawberry.field(
        description="RATING_RING: ratings repeating a comment the same rater wrote before "
                    "(stock comments).")
    first_on: date | None = strawberry.field(description="First rating of the ring or burst.")
    last_on: date | None = strawberry.field(description="Last rating of the ring or burst.")
    parcels: int = strawberry.field(description="EMPTY_PARCELS / CARRIER_EMPTY_PARCELS: "
                                                "parcels reported.")
    empty_parcels: int = strawberry.field(description="Of those, empty parcels (空包).")


@strawberry.type(description="刷单炒信嫌疑 — a subject with brushing signals.")
class BrushingSuspect:
    subject_id: strawberry.Private[int]
    subject: SubjectRef = subject_field("The suspect.", "subject_id")
    score: float = strawberry.field(description="Sum of the signals' strengths: the ranking.")
    evidence: list[BrushingEvidence] = strawberry.field(description="Every signal found.")


@strawberry.input(description="Which suspects to list; every condition given must hold.")
class BrushingFilter:
    signals: list[BrushingSignal] | None = strawberry.field(
        default=None, description="Only suspects with at least one of these signals.")
    kind: SubjectKind | None = strawberry.field(default=None, description="市场主体类型.")
    min_score: float | None = strawberry.field(default=None, description="Lowest score.")


def _shown(found: brushing.Evidence) -> BrushingEvidence:
    return BrushingEvidence(
        partner_ids=found.partners, signal=found.signal, strength=round(found.strength, 3),
        ring=found.ring, partner_count=len(found.partners), ratings=found.ratings,
        repeated_comments=found.repeated_comments, first_on=found.first_on,
        last_on=found.last_on, parcels=found.parcels, empty_parcels=found.empty_parcels)


async def brushing_suspects(
    info: Info,
    filter: Annotated[BrushingFilter | None, strawberry.argument(
        description="Conditions to match.")] = None,
    first: Annotated[int | None, strawberry.argument(
        description=f"Most suspects (default {SUSPECTS_DEFAULT}, at most {SUSPECTS_MAX}).")]
    = None,
) -> list[BrushingSuspect]:
    require_explorer(info, "brushingSuspects")
    size = pagination.page_size(first, default=SUSPECTS_DEFAULT, maximum=SUSPECTS_MAX)
    wanted = filter or BrushingFilter()
    if wanted.signals is not None and not wanted.signals:
        raise BadUserInputError("signals must name at least one signal", argument="filter")
    latest, ratings, parcels = await info.context.loaders.read(
        lambda session: brushing_queries.facts(session, days=brushing.WINDOW_DAYS,
                                               until=info.context.today))
    ranked = brushing.suspects(ratings, parcels, today=latest or info.context.today)
    if wanted.kind is not None:  # the candidates' subjects in one statement
        await info.context.loaders.subject_by_id.load_many([s.subject for s in ranked])
    chosen: list[BrushingSuspect] = []
    for suspect in ranked:
        if len(chosen) >= size:
            break
        if wanted.min_score is not None and suspect.score < wanted.min_score:
            break  # ranked by score
        if wanted.signals and not {e.signal for e in suspect.evidence} & set(wanted.signals):
            continue
        if wanted.kind is not None and (await load_subject(info, suspect.subject)).kind \
                is not wanted.kind:
            continue
        explored(info, suspect.subject, "brushingSuspects")
        chosen.append(BrushingSuspect(subject_id=suspect.subject,
                                      score=round(suspect.score, 3),
                                      evidence=[_shown(e) for e in suspect.evidence]))
    return chosen
