"""刷单炒信 — brushing signals (发改财金〔2016〕2370号, 电子商务领域炒信): rating rings, empty
parcels (空包) per merchant and per carrier, review bursts; ranked suspects with evidence.

Rating rings are found with FRAUDAR (Hooi, Song, Beutel, Shah, Shin, Faloutsos: "FRAUDAR:
Bounding Graph Fraud in the Face of Camouflage", KDD 2016): greedy peeling of the bipartite
rater → ratee graph for its densest block, each edge weighted by the number of ratings between
the pair times the column weight ``1 / log(ratings received + 5)`` (so a popular shop's many
honest raters do not make a block); the block found is set aside and the peeling repeated
while blocks stay denser than ``MIN_DENSITY``. Pure functions of plain facts: the credit
grade's black-list candidates call ``suspects`` as they are.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class BrushingSignal(StrEnum):
    """炒信信号 — why a subject is suspected."""

    RATING_RING = "RATING_RING"
    EMPTY_PARCELS = "EMPTY_PARCELS"
    CARRIER_EMPTY_PARCELS = "CARRIER_EMPTY_PARCELS"
    REVIEW_BURST = "REVIEW_BURST"


SIGNAL_TERMS: dict[BrushingSignal, str] = {
    BrushingSignal.RATING_RING: "互刷评价团伙 — a dense group of accounts rating each other (FRAUDAR)",
    BrushingSignal.EMPTY_PARCELS: "空包 — a merchant's share of empty parcels",
    BrushingSignal.CARRIER_EMPTY_PARCELS: "空包寄递 — a carrier's share of empty parcels",
    BrushingSignal.REVIEW_BURST: "集中好评 — many ratings received within a few days",
}

WINDOW_DAYS = 180  # ratings considered: the half-year before today
MIN_DENSITY = 1.0  # densest honest blocks measured 0.39–0.69 (docs/AUDIT.md); rings 1.06 and up
MIN_BLOCK = 3  # subjects in a ring at least
MAX_BLOCKS = 50
COLUMN_SHIFT = 5  # FRAUDAR's column weight 1 / log(x + 5)
EMPTY_SHARE = 0.10  # a merchant with at least this share of empty parcels …
EMPTY_MIN = 5  # … and at least this many
CARRIER_FACTOR = 3.0  # a carrier whose empty share is this many times the overall one
BURST_DAYS = 10
BURST_MIN = 8  # ratings received within BURST_DAYS


@dataclass(frozen=True, slots=True)
class RatingFact:
    rater: int
    ratee: int
    rated_on: date
    score: int
    comment: str | None
    id: int = 0  # the rating's row id: the evidence a list candidate cites


@dataclass(frozen=True, slots=True)
class ParcelFact:
    """A merchant's parcels with one carrier over the periods reported."""

    merchant: int
    carrier: int
    parcels: int
    empty: int


@dataclass(frozen=True)
class Evidence:
    """One signal of one subject: its strength (0–1] and the facts behind it."""

    signal: BrushingSignal
    strength: float
    ring: int | None = None  # RATING_RING: the block's number, densest first
    partners: tuple[int, ...] = ()  # RATING_RING: the subjects on the block's other side
    ratings: int = 0  # ratings within the ring / within the burst
    repeated_comments: int = 0  # of those, ratings repeating the rater's own earlier comment
    first_on: date | None = None
    last_on: date | None = None
    parcels: int = 0
    empty_parcels: int = 0
    rating_ids: tuple[int, ...] = ()  # RATING_RING: the ratings within the ring, newest first


@dataclass
class Suspect:
    subject: int
    score: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)


def dense_blocks(pairs: Mapping[tuple[int, int], int]) -> list[tuple[set[int], set[int], float]]:
    """FRAUDAR blocks of the rater → ratee multigraph ``pairs`` (count of ratings per pair):
    ``(raters, ratees, density)``, densest first, each denser than ``MIN_DENSITY``."""
    received: dict[int, int] = defaultdict(int)
    for (_, ratee), count in pairs.items():
        received[ratee] += count
    weights = {pair: count / math.log(received[pair[1]] + COLUMN_SHIFT)
               for pair, count in pairs.items()}
    blocks: list[tuple[set[int], set[int], float]] = []
    while weights and len(blocks) < MAX_BLOCKS:
        raters, ratees, density = _densest(weights)
        if density < MIN_DENSITY:
            break
        # a block of fewer subjects (one loyal customer rating one shop many times) is no
        # ring, but it is set aside like one: it must not hide the rings less dense than it
        if len(raters | ratees) >= MIN_BLOCK:
            blocks.append((raters, ratees, density))
        weights = {pair: w for pair, w in weights.items()
                   if not (pair[0] in raters and pair[1] in ratees)}
    return blocks


def _densest(weights: Mapping[tuple[int, int], float]) -> tuple[set[int], set[int], float]:
    """Greedy peeling: drop the node of least remaining weight until none is left; the
    densest set seen (total weight / nodes) is the block. A rater is node ``2·id``, a ratee
    ``2·id + 1`` (a subject may be both)."""
    edges: dict[int, dict[int, float]] = defaultdict(dict)
    for (rater, ratee), weight in weights.items():
        edges[2 * rater][2 * ratee + 1] = weight
        edges[2 * ratee + 1][2 * rater] = weight
    load = {node: sum(near.values()) for node, near in edges.items()}
    total = sum(weights.values())
    heap = [(value, node) for node, value in load.items()]
    heapq.heapify(heap)
    alive = set(load)
    removed: list[int] = []
    best, best_at = total / len(alive), 0
    while len(alive) > 1:
        value, node = heapq.heappop(heap)
        if node not in alive or value != load[node]:
            continue
        alive.discard(node)
        removed.append(node)
        total -= value
        for other, weight in edges[node].items():
            if other in alive:
                load[other] -= weight
                heapq.heappush(heap, (load[other], other))
        if total / len(alive) > best:
            best, best_at = total / len(alive), len(removed)
    block = set(load) - set(removed[:best_at])
    return {n // 2 for n in block if n % 2 == 0}, {n // 2 for n in block if n % 2}, best


def _ring_evidence(ring: int, raters: set[int], ratees: set[int],
                   ratings: list[RatingFact]) -> dict[int, Evidence]:
    inside = [r for r in ratings if r.rater in raters and r.ratee in ratees]
    said: set[tuple[int, str]] = set()
    repeated: dict[int, int] = defaultdict(int)
    mine: dict[int, list[RatingFact]] = defaultdict(list)
    for rating in sorted(inside, key=lambda r: (r.rated_on, r.rater, r.ratee)):
        mine[rating.rater].append(rating)
        mine[rating.ratee].append(rating)
        if rating.comment:
            if (rating.rater, rating.comment) in said:
                repeated[rating.rater] += 1
                repeated[rating.ratee] += 1
            said.add((rating.rater, rating.comment))
    found = {}
    for subject, own in mine.items():
        partners = {r.ratee if r.rater == subject else r.rater for r in own}
        found[subject] = Evidence(
            BrushingSignal.RATING_RING, 1.0, ring=ring, partners=tuple(sorted(partners)),
            ratings=len(own), repeated_comments=repeated[subject],
            first_on=own[0].rated_on, last_on=own[-1].rated_on,
            rating_ids=tuple(r.id for r in reversed(own)))
    return found


def _bursts(ratings: list[RatingFact]) -> dict[int, Evidence]:
    received: dict[int, list[date]] = defaultdict(list)
    for rating in ratings:
        received[rating.ratee].append(rating.rated_on)
    found = {}
    for ratee, days in received.items():
        days.sort()
        start, most, span = 0, 0, (days[0], days[0])
        for end, day in enumerate(days):
            while day - days[start] >= timedelta(days=BURST_DAYS):
                start += 1
            if end - start + 1 > most:
                most, span = end - start + 1, (days[start], day)
        if most >= BURST_MIN:
            found[ratee] = Evidence(BrushingSignal.REVIEW_BURST, min(1.0, most / (2 * BURST_MIN)),
                                    ratings=most, first_on=span[0], last_on=span[1])
    return found


def _empty_parcels(parcels: Iterable[ParcelFact]) -> dict[int, list[Evidence]]:
    merchants: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    carriers: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for fact in parcels:
        for totals, who in ((merchants, fact.merchant), (carriers, fact.carrier)):
            totals[who][0] += fact.parcels
            totals[who][1] += fact.empty
    overall = sum(t[1] for t in merchants.values()) / max(1, sum(t[0] for t in
                                                                merchants.values()))
    found: dict[int, list[Evidence]] = defaultdict(list)
    for merchant, (sent, empty) in merchants.items():
        if empty >= EMPTY_MIN and empty >= EMPTY_SHARE * sent:
            found[merchant].append(Evidence(BrushingSignal.EMPTY_PARCELS, min(1.0, empty / sent / 0.3),
                                            parcels=sent, empty_parcels=empty))
    for carrier, (sent, empty) in carriers.items():
        if sent and overall and empty >= EMPTY_MIN and empty / sent >= CARRIER_FACTOR * overall:
            found[carrier].append(Evidence(
                BrushingSignal.CARRIER_EMPTY_PARCELS, min(1.0, empty / sent / (10 * overall)),
                parcels=sent, empty_parcels=empty))
    return found


def suspects(ratings: Iterable[RatingFact], parcels: Iterable[ParcelFact], *,
             today: date) -> list[Suspect]:
    """Every subject with a brushing signal, highest score (sum of strengths) first, each
    with its evidence; ratings older than ``WINDOW_DAYS`` before ``today`` are ignored."""
    since = today - timedelta(days=WINDOW_DAYS)
    recent = [r for r in ratings if since <= r.rated_on <= today and r.rater != r.ratee]
    pairs: dict[tuple[int, int], int] = defaultdict(int)
    for rating in recent:
        pairs[(rating.rater, rating.ratee)] += 1
    found: dict[int, Suspect] = {}

    def add(subject: int, evidence: Evidence) -> None:
        suspect = found.setdefault(subject, Suspect(subject))
        suspect.evidence.append(evidence)
        suspect.score += evidence.strength

    for ring, (raters, ratees, _) in enumerate(dense_blocks(pairs), 1):
        for subject, evidence in _ring_evidence(ring, raters, ratees, recent).items():
            add(subject, evidence)
    for subject, evidence in _bursts(recent).items():
        add(subject, evidence)
    for subject, signals in _empty_parcels(parcels).items():
        for evidence in signals:
            add(subject, evidence)
    return sorted(found.values(), key=lambda s: (-s.score, s.subject))
