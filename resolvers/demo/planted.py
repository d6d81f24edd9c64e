"""What the demo generator planted, for measuring detectors against it: the members of each
brushing ring (刷单炒信团伙) — its brushing sellers and the accounts that rate them."""

from __future__ import annotations

from collections import defaultdict

from resolvers.demo._population import Population


def brushing_rings(subjects: int, seed: int) -> dict[int, frozenset[int]]:
    """Ring number → subject ids of its members, for the dataset ``(subjects, seed)``
    (subject id = ordinal): every brushing seller of the ring and its ring raters."""
    population = Population(subjects, seed)
    members: dict[int, set[int]] = defaultdict(set)
    for ordinal in range(1, subjects + 1):
        profile = population.profile(ordinal)
        if profile.brushing and profile.seller and profile.home_platform:
            members[profile.ring].add(ordinal)
    return {ring: frozenset(sellers | set(population.ring_raters(ring)))
            for ring, sellers in members.items()}
