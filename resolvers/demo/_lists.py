"""红名单 / 黑名单 entries of a demo subject.

Black-list entries follow the brushing (炒信) black list of 发改财金〔2016〕2370号 — for
brushing sellers and for the small carriers that ship their empty parcels — and the serious
违法失信 list for counterfeiters; red-list entries are the honours that earn priority in search
ranking and traffic. Some entries have run out (valid_to passed) and some were lifted after
credit repair, so "currently listed" differs from "ever listed".
"""

from __future__ import annotations

from datetime import date, timedelta

from resolvers.demo import _catalogue as catalogue
from resolvers.demo._calendar import REFERENCE_DATE, stamp
from resolvers.demo._identity import Authority, city_authority
from resolvers.demo._population import SHOWCASE, Population, Profile
from resolvers.demo._random import Draws
from resolvers.demo._rows import Sink
from resolvers.domain.enums import Department, ListKind, SubjectKind
from resolvers.domain.publicity import add_months

LIFTED_SHARE = 0.10


def _showcase_black(profile: Profile) -> bool | None:
    """Whether a showcase subject is black-listed (the brushing seller 4 always, the
    counterfeiter 5 never); ``None`` for any other subject."""
    showcase = SHOWCASE.get(profile.ordinal)
    return None if showcase is None else showcase.black


def _black_reason(draw: Draws, population: Population, profile: Profile) -> str | None:
    if _showcase_black(profile) is False:
        return None  # before any draw: the subject's other records stay as they were
    listed = _showcase_black(profile) is True
    if profile.brushing and (listed or draw.chance(0.7)):
        return "brushing"
    if profile.counterfeit and (listed or draw.chance(0.65)):
        return "counterfeit"
    if (profile.kind is SubjectKind.LOGISTICS_FIRM
            and profile.ordinal in population.ring_carriers and draw.chance(0.7)):
        return "empty_parcels"
    return None


def add_list_entries(sink: Sink, population: Population, profile: Profile, draw: Draws) -> None:
    reason = _black_reason(draw, population, profile)
    if reason is not None:
        text, measures = catalogue.BLACK_REASONS[reason]
        authority = city_authority(profile.region, Department.MARKET_REGULATION)
        # listed in the last four years for three years each: about one in six has run out
        showcase = _showcase_black(profile) is True
        since = _since(draw, profile, 1460 if not showcase else 200)
        if since is not None:
            lifted = not showcase and draw.chance(LIFTED_SHARE)
            _add(sink, draw, profile, ListKind.BLACK, text, measures, authority, since,
                 add_months(since, 36) - timedelta(days=1), lifted)
    if profile.red:
        text, measures, department = catalogue.RED_REASONS[
            draw.below(len(catalogue.RED_REASONS))]
        authority = city_authority(profile.region, department)
        since = _since(draw, profile, 1460 if profile.ordinal != 3 else 200)
        if since is not None:
            # honours run two years; older ones have expired by the reference day
            _add(sink, draw, profile, ListKind.RED, text, measures, authority, since,
                 add_months(since, 24) - timedelta(days=1), False)


def _since(draw: Draws, profile: Profile, horizon_days: int) -> date | None:
    earliest = profile.registered_on + timedelta(days=60)
    span = min(horizon_days, (REFERENCE_DATE - earliest).days)
    if span <= 0:
        return None
    return REFERENCE_DATE - timedelta(days=1 + draw.below(span))


def _add(sink: Sink, draw: Draws, profile: Profile, kind: ListKind, reason: str,
         measures: str, authority: Authority, valid_from: date, valid_to: date,
         lifted: bool) -> None:
    lifted_on = lift_reason = None
    if lifted:
        # 信用修复: a black-list entry may be lifted after a year at the earliest
        earliest = add_months(valid_from, 12)
        if earliest < REFERENCE_DATE:
            lifted_on = earliest + timedelta(days=draw.below((REFERENCE_DATE - earliest).days))
            lift_reason = catalogue.LIFT_REASON
    sink.add(
        "list_entry", authority.department.value, authority.code, stamp(valid_from),
        stamp(lifted_on or valid_from), profile.ordinal, kind.value, reason, measures,
        authority.name, authority.code, valid_from, valid_to, lifted_on, lift_reason,
    )
