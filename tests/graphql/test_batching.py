"""Loaders batch every relation: statements depend on the selection, not on the page size.

Counts come from the ``X-SQL-Statements`` header, which the HTTP edge fills from an engine
event on every statement sent to the database.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from bench.statements import EVERYTHING
from tests.conftest import Backend, app_client

RELATIONS = ("licenses", "penalties", "ratings", "commitments", "logisticsLinks", "complaints",
             "listEntries")
# 1 subject page + list standing + rating summary + 7 relations x (page + count)
BASE = 1 + 1 + 1 + 7 * 2
# referenced subjects (raters and platforms, carriers) come in at most one batch per relation
# that references them; licence subjects are already primed from the page
REFERENCE_WAVES = 2


async def statements_for(backend: Backend, first: int, after: str | None = None) -> tuple[int, int]:
    """(statements, subjects returned) on a fresh app, so no cache is warm."""
    async with app_client(backend) as client:
        data = await client.data(EVERYTHING, {"first": first, "after": after})
        return client.statements, len(data["subjects"]["edges"])


async def referencing_subject_cursor(backend: Backend) -> str:
    """The cursor just before a subject whose ratings and logistics links are non-empty, the
    relations that reference further subjects (raters, platforms, carriers)."""
    counts = " ".join(f"{r}(first: 0) {{ totalCount }}" for r in RELATIONS)
    async with app_client(backend) as client:
        data = await client.data(f"{{ subjects(first: 100) {{ edges {{ cursor node {{ {counts} }} }} }} }}")
    edges = data["subjects"]["edges"]
    for before, edge in pairwise(edges):
        if all(edge["node"][r]["totalCount"] > 0 for r in ("ratings", "logisticsLinks")):
            cursor: str = before["cursor"]
            return cursor
    raise AssertionError("the demo data should have a merchant with ratings and carriers")


async def test_statements_do_not_grow_with_subjects(seeded: Backend) -> None:
    one, returned_one = await statements_for(seeded, 1)
    hundred, returned_hundred = await statements_for(seeded, 100)
    assert (returned_one, returned_hundred) == (1, 100)
    for count in (one, hundred):
        assert BASE <= count <= BASE + REFERENCE_WAVES, (one, hundred)
    # when the single subject references others too, it costs what 100 subjects cost
    busy, returned_busy = await statements_for(seeded, 1, await referencing_subject_cursor(seeded))
    assert returned_busy == 1
    assert abs(busy - hundred) <= 1, (busy, hundred)


@pytest.mark.parametrize("first", [1, 100])
async def test_selecting_fewer_relations_costs_fewer_statements(
    seeded: Backend, first: int
) -> None:
    async with app_client(seeded) as client:
        await client.data("query($f: Int!) { subjects(first: $f) { edges { node { uscc } } } }",
                          {"f": first})
        assert client.statements == 1
        await client.data("""query($f: Int!) { subjects(first: $f) { edges { node {
            licenses(first: 3) { edges { node { decisionNumber } } } } } } }""", {"f": first})
        assert client.statements == 2


async def test_subject_entities_come_from_the_cache_when_warm(seeded: Backend) -> None:
    async with app_client(seeded) as client:
        code = (await client.data("{ subjects(first: 1) { edges { node { uscc } } } }")
                )["subjects"]["edges"][0]["node"]["uscc"]
        query = "query($u: USCC!) { subject(uscc: $u) { name kind } }"
        cold = await client.data(query, {"u": code})
        assert client.statements == 1
        warm = await client.data(query, {"u": code})
        assert client.statements == 0
        assert warm == cold
