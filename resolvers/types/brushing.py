"""``Query.brushingSuspects`` (刷单炒信嫌疑): subjects ranked by the brushing signals of
``resolvers.domain.brushing`` (FRAUDAR rating rings, empty parcels, review bursts), each with
its evidence, as the brushing job last published them (``Query.brushingRun`` says when).
AUDITOR and REGULATOR keys only; every suspect shown goes to the access log."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from strawberry import Parent

from resolvers.context import Info
from resolvers.data.queries import brushing_store
from resolvers.domain import brushing
from resolvers.domain.brushing import BrushingSignal
from resolvers.domain.enums import SubjectKind
from resolvers.errors import BadUserInputError, NotComputedError
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


@strawberry.type(description="炒信信号计算批次 — the run of the brushing job that "
                             "brushingSuspects reads: the job (`credit-gateway brushing "
                             "refresh`, daily) computes the signals of the whole graph.")
class BrushingRun:
    computed_at: datetime = strawberry.field(description="When the run was published (UTC).")
    computed_on: date = strawberry.field(description="The day (Beijing) it judged for.")
    window_start: date | None = strawberry.field(
        description="First day of the ratings it read (null: no rating yet).")
    window_end: date | None = strawberry.field(
        description="Last day of the ratings it read: the latest rating on or before "
                    "computedOn.")
    ratings: int = strawberry.field(description="Ratings in the window.")
    suspects: int = strawberry.field(description="Subjects with at least one signal.")


async def brushing_run(info: Info) -> BrushingRun | None:
    require_explorer(info, "brushingRun")
    run = await info.context.loaders.brushing_run()
    if run is None:
        return None
    return BrushingRun(computed_at=run.finished_at, computed_on=run.computed_on,
                       window_start=run.window_start, window_end=run.window_end,
                       ratings=run.ratings, suspects=run.suspects)


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
    run = await info.context.loaders.brushing_run()
    if run is None:
        raise NotComputedError("the brushing signals have not been computed yet: the job "
                               "`credit-gateway brushing refresh` has not run")
    loaders = info.context.loaders
    chosen = await loaders.read(lambda session: brushing_store.ranked(
        session, run.id, first=size, signals=wanted.signals, kind=wanted.kind,
        min_score=wanted.min_score))
    ids = [subject for subject, _ in chosen]
    found = await loaders.read(lambda session: brushing_store.evidence(session, run.id, ids))
    for subject in ids:
        explored(info, subject, "brushingSuspects")
    return [BrushingSuspect(subject_id=subject, score=round(score, 3),
                            evidence=[_shown(e) for e in found.get(subject, [])])
            for subject, score in chosen]
