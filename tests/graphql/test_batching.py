"""Loaders batch every relation: statements depend on the selection, not on the page size.

Counts come from the ``X-SQL-Statements`` header, which the HTTP edge fills from an engine
event on every statement sent to the database.
"""

from __future__ import annotations

import pytest

from tests.conftest import Backend, app_client

EVERYTHING = """query($first: Int!) { subjects(first: $first) { edges { node {
  uscc name listStatus
  ratingSummary { count average creditPoints }
  licenses(first: 5) { totalCount edges { node { decisionNumber subject { uscc } } } }
  penalties(first: 5) { totalCount edges { node { fine severity } } }
  ratings(first: 5) { totalCount edges { node { score rater { name } platform { name } } } }
  commitments(first: 5) { totalCount edges { node { kind status } } }
  logisticsLinks(first: 5) { totalCount edges { node { parcels carrier { uscc name } } } }
  complaints(first: 5) { totalCount edges { node { channel status } } }
  listEntries(first: 5) { totalCount edges { node { kind inForce } } }
} } } }"""


async def statements_for(backend: Backend, first: int) -> tuple[int, int]:
    """(statements, subjects returned) on a fresh app, so no cache is warm."""
    async with app_client(backend) as client:
        data = await client.data(EVERYTHING, {"first": first})
        return client.statements, len(data["subjects"]["edges"])


async def test_statements_do_not_grow_with_subjects(seeded: Backend) -> None:
    one, returned_one = await statements_for(seeded, 1)
    hundred, returned_hundred = await statements_for(seeded, 100)
    assert (returned_one, returned_hundred) == (1, 100)
    assert hundred == one, f"1 subject: {one} statements, 100 subjects: {hundred}"
    # 1 page + 1 list standing + 1 rating summary + 7 relations x (page + count)
    # + subjects referenced by relations (raters, platforms, carriers) in one more batch
    assert one <= 19


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
