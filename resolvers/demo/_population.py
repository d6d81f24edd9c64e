"""Who is in the demo dataset: each subject's profile (市场主体类型, region, registration date,
traits) as a pure function of ``(seed, ordinal)``, and the population-wide pools that records
refer to (platforms, carriers, brushing rings).

Because a profile is a function of its ordinal, the records of subject 900,000 can name its
home platform, its carriers and its raters without anything about them being kept in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from math import sqrt
from typing import NamedTuple

from resolvers.demo import names
from resolvers.demo._calendar import REFERENCE_DATE
from resolvers.demo._identity import region_weights, subject_uscc
from resolvers.demo._random import Draws, SplitMix, Stream, Weights, key
from resolvers.domain.enums import SubjectKind, SubjectStatus

SUBJECT_STREAM = 1
KIND_STREAM = 2
RING_STREAM = 4

KINDS = tuple(SubjectKind)
_KIND_INDEX = {kind: index for index, kind in enumerate(KINDS)}
# 市场主体 mix of an e-commerce region: mostly platform merchants, then 个体工商户 sellers.
KIND_WEIGHTS = Weights([
    (SubjectKind.MERCHANT, 71.8), (SubjectKind.INDIVIDUAL_SELLER, 18.0),
    (SubjectKind.SERVICE_PROVIDER, 5.0), (SubjectKind.LOGISTICS_FIRM, 5.0),
    (SubjectKind.PLATFORM, 0.2),
])
SELLERS = (SubjectKind.MERCHANT, SubjectKind.INDIVIDUAL_SELLER)
RATERS = frozenset({SubjectKind.MERCHANT, SubjectKind.INDIVIDUAL_SELLER,
                    SubjectKind.SERVICE_PROVIDER})
STATUS_WEIGHTS = Weights([
    (SubjectStatus.ACTIVE, 95.0), (SubjectStatus.CANCELLED, 2.5),
    (SubjectStatus.SUSPENDED, 1.5), (SubjectStatus.REVOKED, 1.0),
])
# Monthly parcel volume tiers (parcels per month): most shops are small, a few ship a lot.
VOLUME_TIERS = Weights([((10, 100), 40.0), ((100, 500), 30.0), ((500, 3_000), 20.0),
                        ((3_000, 20_000), 8.0), ((20_000, 100_000), 2.0)])
MERCHANT_TRADES = Weights([(index, w) for index, (_, w, _) in enumerate(names.MERCHANT_TRADES)])
INDIVIDUAL_TRADES = Weights([(i, w) for i, (_, w, _) in enumerate(names.INDIVIDUAL_TRADES)])
SUBJECTS_PER_RING = 4_000
BRUSHING_SHARE = 0.015  # of sellers: 刷单炒信 suspects
COUNTERFEIT_SHARE = 0.010  # of sellers: 售假
SHOWCASE_REGISTERED_BY = date(2021, 6, 30)


@dataclass(frozen=True, slots=True)
class Showcase:
    """A subject whose role is fixed so that even a tiny dataset shows every feature."""

    kind: SubjectKind
    brushing: bool = False
    counterfeit: bool = False
    red: bool = False
    black: bool | None = None
    """黑名单: always listed (True), never (False), or as chance has it (None)."""


# With the demo seed the showcase covers every class of the public credit grade (信用等级):
# 2, 3, 6, 7 A; 1 B; the counterfeiter 5 C (its serious penalty, not black-listed: a
# BLACK_SERIOUS_PENALTY candidate for review); the black-listed brushing seller 4 D.
SHOWCASE: dict[int, Showcase] = {
    1: Showcase(SubjectKind.PLATFORM),
    2: Showcase(SubjectKind.LOGISTICS_FIRM),
    3: Showcase(SubjectKind.MERCHANT, red=True),
    4: Showcase(SubjectKind.MERCHANT, brushing=True, black=True),
    5: Showcase(SubjectKind.MERCHANT, counterfeit=True, black=False),
    6: Showcase(SubjectKind.PLATFORM),
    7: Showcase(SubjectKind.LOGISTICS_FIRM),
}


class Profile(NamedTuple):
    """What the records of one subject depend on (a tuple: millions are built per run)."""

    ordinal: int
    kind: SubjectKind
    region: str
    registered_on: date
    status: SubjectStatus
    trade: int  # index into the kind's trade list
    volume: int  # parcels per month (sellers)
    brushing: bool  # 刷单炒信 suspect: empty parcels, a rating ring
    counterfeit: bool  # 售假
    red: bool  # 红名单 candidate
    ring: int  # brushing ring (shared raters and carrier), −1 for none
    home_platform: int  # ordinal of the platform the seller trades on, 0 for none

    @property
    def seller(self) -> bool:
        return self.kind in SELLERS


def kind_of(seed: int, ordinal: int) -> SubjectKind:
    showcase = SHOWCASE.get(ordinal)
    if showcase is not None:
        return showcase.kind
    return SplitMix(key(seed, ordinal, KIND_STREAM)).weighted(KIND_WEIGHTS)


def _rank_weights(ordinals: list[int]) -> Weights[int]:
    # Zipf-like shares, rank^-1.5: a few national platforms / carriers take most of the trade.
    return Weights([(o, 1.0 / (rank * sqrt(rank))) for rank, o in enumerate(ordinals, 1)])


class Population:
    """All subjects of one ``(subjects, seed)`` dataset, by ordinal 1…N (= subject id)."""

    def __init__(self, subjects: int, seed: int) -> None:
        self.size = subjects
        self.seed = seed
        kinds = bytearray(subjects + 1)
        platforms: list[int] = []
        carriers: list[int] = []
        for ordinal in range(1, subjects + 1):
            kind = kind_of(seed, ordinal)
            kinds[ordinal] = _KIND_INDEX[kind]
            if kind is SubjectKind.PLATFORM:
                platforms.append(ordinal)
            elif kind is SubjectKind.LOGISTICS_FIRM:
                carriers.append(ordinal)
        self._kinds = kinds
        self.platforms = platforms
        self.carriers = carriers
        self.platform_weights = _rank_weights(platforms)
        self.carrier_weights = _rank_weights(carriers) if carriers else None
        self.rings = max(1, subjects // SUBJECTS_PER_RING)
        # re-seeded for each look-up of another subject (one thread generates at a time)
        self._scratch = Stream()
        self._usccs: dict[int, str] = {}
        # platforms are named on every rating and commitment: resolve their codes once
        self._usccs = {ordinal: self.uscc(ordinal) for ordinal in platforms}
        self._ring_raters: dict[int, tuple[int, ...]] = {}
        # a ring ships its empty parcels with one small carrier, never a national top three
        small = carriers[3:] or carriers[-1:]
        self.ring_carriers = [
            SplitMix(key(seed, ring, RING_STREAM + 1)).pick(small) if small else 0
            for ring in range(self.rings)
        ]

    def kind(self, ordinal: int) -> SubjectKind:
        return KINDS[self._kinds[ordinal]]

    def stream(self, ordinal: int) -> Stream:
        """Subject ``ordinal``'s own stream, from its start, on the scratch generator."""
        return self._scratch.reseed(key(self.seed, ordinal, SUBJECT_STREAM))

    def profile(self, ordinal: int, draw: Draws | None = None) -> Profile:
        """The profile of subject ``ordinal``: the first draws of its stream. ``draw`` is that
        stream freshly seeded (the generator passes its own and goes on drawing from it);
        without it the scratch stream is seeded, which gives the same profile."""
        if draw is None:
            draw = self.stream(ordinal)
        kind = self.kind(ordinal)
        showcase = SHOWCASE.get(ordinal)
        region = draw.weighted(region_weights()).code
        registered_on = _registration_date(kind, draw.triangular_low(), draw.random())
        if showcase is not None:
            # showcase subjects are established firms, so their records have room in time
            registered_on = min(registered_on, SHOWCASE_REGISTERED_BY)
        seller = kind in SELLERS
        if showcase is not None:
            brushing, counterfeit, red = showcase.brushing, showcase.counterfeit, showcase.red
        else:
            brushing = seller and draw.chance(BRUSHING_SHARE)
            counterfeit = seller and not brushing and draw.chance(COUNTERFEIT_SHARE)
            red = not brushing and not counterfeit and draw.chance(
                0.03 if kind is not SubjectKind.LOGISTICS_FIRM else 0.02)
        status = SubjectStatus.ACTIVE
        if showcase is None:
            status = draw.weighted(STATUS_WEIGHTS)
            if counterfeit and draw.chance(0.3):
                status = SubjectStatus.REVOKED  # 吊销营业执照 after serious counterfeiting
        if kind is SubjectKind.INDIVIDUAL_SELLER:
            trade = draw.weighted(INDIVIDUAL_TRADES)
        else:
            trade = draw.weighted(MERCHANT_TRADES)
        low, high = draw.weighted(VOLUME_TIERS)
        volume = draw.between(low, high)
        ring = draw.below(self.rings) if brushing else -1
        home = draw.weighted(self.platform_weights) if seller and self.platforms else 0
        return Profile(ordinal, kind, region, registered_on, status, trade, volume,
                       brushing, counterfeit, red, ring, home)

    def uscc(self, ordinal: int) -> str:
        """The USCC of any subject, e.g. the platform a rating was given on."""
        cached = self._usccs.get(ordinal)
        if cached is not None:
            return cached
        profile = self.profile(ordinal)
        return subject_uscc(self.seed, ordinal, profile.region,
                            profile.kind is SubjectKind.INDIVIDUAL_SELLER, profile.registered_on)

    def ring_raters(self, ring: int) -> tuple[int, ...]:
        """The handful of accounts a brushing ring rates its members with."""
        found = self._ring_raters.get(ring)
        if found is None:
            draw = SplitMix(key(self.seed, ring, RING_STREAM))
            members: list[int] = []
            for _ in range(draw.between(4, 7)):
                rater = self.pick_rater(draw, 0)
                if rater is not None and rater not in members:
                    members.append(rater)
            found = self._ring_raters[ring] = tuple(members)
        return found

    def pick_rater(self, draw: Draws, ratee: int) -> int | None:
        """Another trading subject (merchant, seller or service firm) as the rating party;
        ``None`` when a few tries find none (tiny datasets)."""
        for _ in range(8):
            candidate = 1 + draw.below(self.size)
            if candidate != ratee and KINDS[self._kinds[candidate]] in RATERS:
                return candidate
        return None


def _registration_date(kind: SubjectKind, recent: float, spread: float) -> date:
    """Registration skewed towards recent years (the e-commerce boom); platforms and carriers
    are older firms."""
    if kind is SubjectKind.PLATFORM:
        first, last = date(1998, 1, 1), date(2016, 12, 31)
        offset = int(spread * (last - first).days)
        return first + timedelta(days=offset)
    years = 28 if kind is SubjectKind.LOGISTICS_FIRM else 22
    days = int(recent * years * 365.25)
    # nobody registers in the last fortnight before the reference date: records need room
    return REFERENCE_DATE - timedelta(days=days + 14)
