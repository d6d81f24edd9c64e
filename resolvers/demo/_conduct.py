"""Conduct records of a demo subject: 信用评价 (ratings), 信用承诺 (commitments) and
投诉举报 (complaints).

Ratings are skewed high as on real platforms; a brushing suspect (刷单炒信) also receives a
burst of five-star ratings with stock comments from its ring's few accounts within days —
the pattern a rating-abuse signal should find.
"""

from __future__ import annotations

from datetime import date, timedelta

from resolvers.demo import _catalogue as catalogue
from resolvers.demo._calendar import REFERENCE_DATE, compact, stamp
from resolvers.demo._identity import county_authority
from resolvers.demo._population import Population, Profile
from resolvers.demo._random import Draws, Weights
from resolvers.demo._rows import Sink
from resolvers.domain.enums import (
    CommitmentKind,
    CommitmentStatus,
    ComplaintChannel,
    ComplaintStatus,
    Department,
    SubjectKind,
)

_PLATFORM = Department.PLATFORM.value  # enum .value is a property: slow in a hot loop
SCORES = Weights([(5, 62.0), (4, 22.0), (3, 8.0), (2, 3.0), (1, 5.0)])
FOLLOW_UP_SHARE = 0.12
COMMENT_SHARE = 0.7
OTHER_PLATFORM_SHARE = 0.2  # sellers on more than one platform
CHANNELS = Weights([
    (ComplaintChannel.PLATFORM, 55.0), (ComplaintChannel.HOTLINE_12315, 32.0),
    (ComplaintChannel.HOTLINE_12358, 4.0), (ComplaintChannel.HOTLINE_12365, 3.0),
    (ComplaintChannel.HOTLINE_12331, 3.0), (ComplaintChannel.HOTLINE_12312, 2.0),
    (ComplaintChannel.HOTLINE_12318, 1.0),
])
# Which pledges each kind of subject usually publishes, with the share that does.
PLEDGES: dict[SubjectKind, tuple[tuple[CommitmentKind, float], ...]] = {
    SubjectKind.MERCHANT: ((CommitmentKind.NO_REASON_RETURN, 0.70),
                           (CommitmentKind.GENERAL_CREDIT, 0.50),
                           (CommitmentKind.PRODUCT_QUALITY, 0.25),
                           (CommitmentKind.ADVANCE_COMPENSATION, 0.20)),
    SubjectKind.INDIVIDUAL_SELLER: ((CommitmentKind.NO_REASON_RETURN, 0.60),
                                    (CommitmentKind.GENERAL_CREDIT, 0.35),
                                    (CommitmentKind.PRODUCT_QUALITY, 0.15)),
    SubjectKind.PLATFORM: ((CommitmentKind.FIRST_RESPONSIBILITY, 1.0),
                           (CommitmentKind.ADVANCE_COMPENSATION, 1.0),
                           (CommitmentKind.GENERAL_CREDIT, 1.0)),
    SubjectKind.LOGISTICS_FIRM: ((CommitmentKind.GENERAL_CREDIT, 0.8),
                                 (CommitmentKind.FIRST_RESPONSIBILITY, 0.4)),
    SubjectKind.SERVICE_PROVIDER: ((CommitmentKind.GENERAL_CREDIT, 0.8),),
}


def _recent_day(draw: Draws, since: date, horizon_days: int) -> date | None:
    """A day in the last ``horizon_days`` before the reference day, not before ``since``."""
    span = min(horizon_days, (REFERENCE_DATE - since).days)
    if span <= 0:
        return None
    return REFERENCE_DATE - timedelta(days=int(draw.triangular_low() * span))


def _order_reference(day: date, ordinal: int, index: int) -> str:
    # unique per ratee and index, hence per (platform, order, rater)
    return f"{compact(day)}{ordinal:09d}{index:03d}"


def add_ratings(sink: Sink, population: Population, profile: Profile, draw: Draws) -> None:
    if not profile.seller or profile.home_platform == 0:
        return
    since = profile.registered_on + timedelta(days=7)
    count = draw.between(0, 4) + (2 if profile.volume > 500 else 0) + (
        2 if profile.volume > 3_000 else 0)
    index = 0
    for _ in range(count):
        rater = population.pick_rater(draw, profile.ordinal)
        rated_on = _recent_day(draw, since, 730)
        if rater is None or rated_on is None:
            continue
        platform = profile.home_platform
        if draw.chance(OTHER_PLATFORM_SHARE):
            platform = draw.weighted(population.platform_weights)
        score = draw.weighted(SCORES)
        comment = draw.pick(catalogue.RATING_COMMENTS[score]) if draw.chance(COMMENT_SHARE) else None
        follow_up = follow_up_on = None
        if draw.chance(FOLLOW_UP_SHARE):
            follow_up_on = rated_on + timedelta(days=draw.between(3, 60))
            if follow_up_on <= REFERENCE_DATE:
                follow_up = draw.pick(catalogue.FOLLOW_UPS)
            else:
                follow_up_on = None
        _add_rating(sink, population, platform, rater, profile.ordinal, rated_on, index, score,
                    comment, follow_up, follow_up_on)
        index += 1
    if profile.brushing:
        _add_brushing_burst(sink, population, profile, draw, index)


def _add_brushing_burst(sink: Sink, population: Population, profile: Profile, draw: Draws,
                        index: int) -> None:
    raters = [r for r in population.ring_raters(profile.ring) if r != profile.ordinal]
    start = _recent_day(draw, profile.registered_on + timedelta(days=7), 180)
    if not raters or start is None:
        return
    for _ in range(draw.between(10, 20)):
        rated_on = min(start + timedelta(days=draw.between(0, 9)), REFERENCE_DATE)
        _add_rating(sink, population, profile.home_platform, draw.pick(raters),
                    profile.ordinal, rated_on, index, 5, draw.pick(catalogue.BRUSHING_COMMENTS),
                    None, None)
        index += 1


def _add_rating(sink: Sink, population: Population, platform: int, rater: int, ratee: int,
                rated_on: date, index: int, score: int, comment: str | None,
                follow_up: str | None, follow_up_on: date | None) -> None:
    sink.add(
        "rating", _PLATFORM, population.uscc(platform),
        stamp(rated_on), stamp(follow_up_on or rated_on),
        platform, rater, ratee, _order_reference(rated_on, ratee, index), score, comment,
        follow_up, follow_up_on, rated_on,
    )


def _pledge_status(draw: Draws, profile: Profile, kind: CommitmentKind) -> CommitmentStatus:
    if profile.brushing and kind is CommitmentKind.GENERAL_CREDIT and draw.chance(0.8):
        return CommitmentStatus.BREACHED
    if profile.counterfeit and kind is CommitmentKind.PRODUCT_QUALITY:
        return CommitmentStatus.BREACHED
    roll = draw.random()
    return (CommitmentStatus.ACTIVE if roll < 0.83 else CommitmentStatus.FULFILLED
            if roll < 0.96 else CommitmentStatus.BREACHED)


def add_commitments(sink: Sink, population: Population, profile: Profile, draw: Draws) -> None:
    """Up to three distinct pledges; sellers pledge on their platform, others to 商务."""
    if profile.seller and profile.home_platform:
        source, source_code = Department.PLATFORM, population.uscc(profile.home_platform)
    else:
        bureau = county_authority(profile.region, Department.COMMERCE)
        source, source_code = Department.COMMERCE, bureau.code
    chosen = [kind for kind, share in PLEDGES[profile.kind] if draw.chance(share)][:3]
    for kind in chosen:
        span = (REFERENCE_DATE - profile.registered_on).days
        committed_on = profile.registered_on + timedelta(days=draw.below(max(1, span)))
        status = _pledge_status(draw, profile, kind)
        status_on = None
        if status is not CommitmentStatus.ACTIVE:
            status_on = committed_on + timedelta(days=draw.between(30, 700))
            if status_on > REFERENCE_DATE:
                status, status_on = CommitmentStatus.ACTIVE, None
        sink.add(
            "commitment", source.value, source_code,
            stamp(committed_on), stamp(status_on or committed_on),
            profile.ordinal, kind.value, catalogue.COMMITMENT_TEXTS[kind], committed_on,
            status.value, status_on,
        )


def _complaint_count(draw: Draws, profile: Profile) -> int:
    if profile.brushing or profile.counterfeit:
        share = 0.6
    elif profile.seller:
        share = 0.10
    elif profile.kind is SubjectKind.LOGISTICS_FIRM:
        share = 0.15
    else:
        share = 0.03
    return draw.between(1, 3) if draw.chance(share) else 0


def add_complaints(sink: Sink, population: Population, profile: Profile, draw: Draws) -> None:
    for index in range(_complaint_count(draw, profile)):
        filed_on = _recent_day(draw, profile.registered_on, 1095)
        if filed_on is None:
            return
        channel = draw.weighted(CHANNELS)
        platform = 0
        if channel is ComplaintChannel.PLATFORM:
            platform = profile.home_platform or draw.weighted(population.platform_weights)
            if platform == profile.ordinal:  # a platform is complained about to 12315
                channel = ComplaintChannel.HOTLINE_12315
        if channel is ComplaintChannel.PLATFORM:
            source, source_code = Department.PLATFORM, population.uscc(platform)
            reference = f"TS{compact(filed_on)}{profile.ordinal:09d}{index}"
        else:
            department = (Department.COMMERCE if channel is ComplaintChannel.HOTLINE_12312
                          else Department.MARKET_REGULATION)
            source, source_code = department, county_authority(profile.region, department).code
            reference = f"{channel.value[-5:]}{compact(filed_on)}{profile.ordinal:09d}{index}"
        age = (REFERENCE_DATE - filed_on).days
        resolved_on = resolution = None
        if age < 15:
            status = ComplaintStatus.RECEIVED if draw.chance(0.5) else ComplaintStatus.IN_PROGRESS
        else:
            roll = draw.random()
            status = (ComplaintStatus.RESOLVED if roll < 0.80 else ComplaintStatus.DISMISSED
                      if roll < 0.92 else ComplaintStatus.IN_PROGRESS)
            if status is not ComplaintStatus.IN_PROGRESS:
                resolved_on = min(filed_on + timedelta(days=draw.between(3, 30)), REFERENCE_DATE)
                resolution = draw.pick(catalogue.RESOLUTIONS if status is ComplaintStatus.RESOLVED
                                       else catalogue.DISMISSALS)
        sink.add(
            "complaint", source.value, source_code, stamp(filed_on),
            stamp(resolved_on or filed_on), profile.ordinal, channel.value,
            source_code if channel is ComplaintChannel.PLATFORM else "", reference,
            draw.pick(catalogue.COMPLAINT_SUMMARIES[channel]), filed_on, status.value,
            resolved_on, resolution,
        )
