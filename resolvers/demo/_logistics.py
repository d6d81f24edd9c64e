"""寄递物流 links of a demo seller: which carriers (快递物流企业 subjects) shipped how many
parcels for it in each month of the half-year before the reference day, and how many of
those were empty parcels (空包) — next to none for honest sellers, a fifth to three fifths
for brushing suspects, whose empty parcels go through their ring's carrier."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from resolvers.demo._calendar import REFERENCE_DATE, month_start, stamp
from resolvers.demo._identity import province_postal
from resolvers.demo._population import Population, Profile
from resolvers.demo._random import Draws
from resolvers.demo._rows import Sink
from resolvers.domain.enums import Department
from resolvers.domain.publicity import add_months

MONTHS = 6
MISSCAN_SHARE = 0.04
FIRST_MONTH = month_start(REFERENCE_DATE, MONTHS - 1)


def _carriers(draw: Draws, population: Population, profile: Profile) -> list[int]:
    weights = population.carrier_weights
    if weights is None:
        return []
    roll = draw.random()
    wanted = 1 if roll < 0.50 else 2 if roll < 0.85 else 3
    chosen: list[int] = []
    if profile.brushing:
        ring_carrier = population.ring_carriers[profile.ring]
        if ring_carrier:
            chosen.append(ring_carrier)
    for _ in range(wanted * 3):  # a few tries: the big carriers are drawn again and again
        if len(chosen) >= wanted:
            break
        carrier = draw.weighted(weights)
        if carrier not in chosen and carrier != profile.ordinal:
            chosen.append(carrier)
    return chosen


def _month(first: date) -> tuple[date, date, datetime]:
    end = add_months(first, 1) - timedelta(days=1)
    return first, end, stamp(min(end + timedelta(days=5), REFERENCE_DATE))


# (period_start, period_end, reported) of the half-year's months, oldest first
PERIODS = tuple(_month(add_months(FIRST_MONTH, m)) for m in range(MONTHS))


def add_links(sink: Sink, population: Population, profile: Profile, draw: Draws) -> None:
    if not profile.seller:
        return
    carriers = _carriers(draw, population, profile)
    if not carriers:
        return
    postal = province_postal(profile.region).code
    registered = profile.registered_on.replace(day=1)
    opened = next((i for i, p in enumerate(PERIODS) if p[0] >= registered), MONTHS - 1)
    shares = [1 + draw.below(4) for _ in carriers]
    total_share = sum(shares)
    ring_carrier = population.ring_carriers[profile.ring] if profile.brushing else 0
    source = Department.POSTAL.value
    rnd, add, ordinal = draw.random, sink.add, profile.ordinal
    for carrier, share in zip(carriers, shares, strict=True):
        # most links span the whole half-year; others started with a later month
        start = opened if draw.chance(0.4) else min(opened + draw.below(MONTHS), MONTHS - 1)
        monthly = profile.volume * share // total_share
        brushing = carrier == ring_carrier
        for period_start, period_end, reported in PERIODS[start:]:
            # the hot loop of the generator (half of all rows): draws inlined
            parcels = max(1, monthly * (80 + int(rnd() * 41)) // 100)
            if brushing:
                empty = parcels * (20 + int(rnd() * 41)) // 100 + 1
                parcels += empty  # empty parcels come on top of the real trade
            elif rnd() < MISSCAN_SHARE:  # the odd mis-scan or cancelled order
                empty = min(parcels, 1 + int(rnd() * 3))
            else:
                empty = 0
            add("logistics_link", source, postal, reported, reported, ordinal, carrier,
                period_start, period_end, parcels, empty)
