"""查关系 — walking the ties level by level: the subjects near one (``related``) and the
shortest evidence paths between two (``path``, a bidirectional breadth-first search).

Every level is one ``ties_of`` call for the whole frontier (one statement per kind), each
subject's ties cut at the fan-out cap; a search says when a cap cut it, so "no path" is only
ever claimed for the part of the graph that was searched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.queries.ties import Tie, ties_of
from resolvers.domain.relations import PATHS_MAX, RelationKind


@dataclass(frozen=True)
class Near:
    """A subject ``depth`` ties from the start, reached from ``via`` by ``ties``."""

    subject: int
    depth: int
    via: int
    ties: tuple[Tie, ...]


@dataclass
class Nearby:
    found: list[Near] = field(default_factory=list)
    truncated: bool = False  # a fan-out cap or ``first`` left ties out


def _grouped(ties: Sequence[Tie]) -> dict[tuple[int, int], list[Tie]]:
    grouped: dict[tuple[int, int], list[Tie]] = {}
    for tie in ties:
        grouped.setdefault((tie.source, tie.target), []).append(tie)
    return grouped


async def related(session: AsyncSession, start: int, kinds: Sequence[RelationKind], *,
                  depth: int, first: int, cap: int) -> Nearby:
    """Subjects up to ``depth`` ties from ``start``, nearest first, then by row id; each with
    every tie (of ``kinds``) that links it to the subject it was reached from."""
    out = Nearby()
    seen = {start}
    frontier = [start]
    for level in range(1, depth + 1):
        ties = await ties_of(session, frontier, kinds, cap=cap)
        out.truncated |= bool(ties.cut)
        reached: dict[int, tuple[int, list[Tie]]] = {}
        for (source, target), group in sorted(_grouped(ties.found).items()):
            if target not in seen and target not in reached:
                reached[target] = (source, group)
        for target in sorted(reached):
            if len(out.found) >= first:
                out.truncated = True
                return out
            source, group = reached[target]
            out.found.append(Near(target, level, source, tuple(group)))
        seen.update(reached)
        frontier = sorted(reached)
    return out


@dataclass
class Paths:
    """Shortest paths (each a list of hops, each hop the ties between two subjects)."""

    paths: list[list[tuple[Tie, ...]]] = field(default_factory=list)
    truncated: bool = False  # a fan-out or frontier cap cut the search
    searched: int = 0  # subjects reached


class _Side:
    """One direction of the search: each subject reached, the subjects it was reached from."""

    def __init__(self, start: int) -> None:
        self.parents: dict[int, list[int]] = {start: []}
        self.frontier = [start]
        self.depth = 0


def _chains(side: _Side, node: int, limit: int) -> list[list[int]]:
    """Up to ``limit`` chains from ``side``'s start to ``node`` (start first)."""
    if not side.parents[node]:
        return [[node]]
    found: list[list[int]] = []
    for parent in side.parents[node]:
        for chain in _chains(side, parent, limit - len(found)):
            found.append([*chain, node])
            if len(found) >= limit:
                return found
    return found


async def shortest_paths(session: AsyncSession, source: int, target: int,
                         kinds: Sequence[RelationKind], *, max_hops: int, cap: int,
                         frontier_cap: int) -> Paths:
    """The shortest paths from ``source`` to ``target`` of at most ``max_hops`` ties (up to
    ``PATHS_MAX`` of them), expanding the smaller frontier first; none when the two are further
    apart (``truncated`` says whether a cap may have hidden a path)."""
    out = Paths()
    if source == target:
        out.paths.append([])
        return out
    ahead, back = _Side(source), _Side(target)
    edges: dict[tuple[int, int], list[Tie]] = {}
    meeting: list[int] = []
    while ahead.depth + back.depth < max_hops and ahead.frontier and back.frontier:
        side, other = (ahead, back) if len(ahead.frontier) <= len(back.frontier) else (back, ahead)
        expand = side.frontier
        if len(expand) > frontier_cap:
            expand, out.truncated = expand[:frontier_cap], True
        ties = await ties_of(session, expand, kinds, cap=cap)
        out.truncated |= bool(ties.cut)
        reached: dict[int, list[int]] = {}
        for tie in ties.found:
            edges.setdefault((tie.source, tie.target), []).append(tie)
            if tie.target not in side.parents:
                reached.setdefault(tie.target, [])
                if tie.source not in reached[tie.target]:
                    reached[tie.target].append(tie.source)
        side.parents.update(reached)
        side.frontier = sorted(reached)
        side.depth += 1
        meeting = sorted(node for node in reached if node in other.parents)
        if meeting:
            break
    out.searched = len(ahead.parents) + len(back.parents)
    for node in meeting:
        for head in _chains(ahead, node, PATHS_MAX):
            for tail in _chains(back, node, PATHS_MAX):
                chain = head + list(reversed(tail))[1:]
                out.paths.append([_hop(edges, a, b) for a, b in pairwise(chain)])
                if len(out.paths) >= PATHS_MAX:
                    return out
    return out


def _hop(edges: dict[tuple[int, int], list[Tie]], a: int, b: int) -> tuple[Tie, ...]:
    """The ties between ``a`` and ``b`` as seen from ``a`` (found from either end)."""
    found = edges.get((a, b))
    if found:
        return tuple(found)
    return tuple(tie.reversed() for tie in edges[(b, a)])
