"""A subject's relations: every list pages newest first, and counts add up."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQLClient

RELATIONS = {
    "licenses": "decisionDate",
    "penalties": "decisionDate",
    "ratings": "ratedOn",
    "commitments": "committedOn",
    "logisticsLinks": "periodStart",
    "complaints": "filedOn",
    "listEntries": "validFrom",
}


async def busiest(client: GraphQLClient, relation: str) -> tuple[str, int]:
    """The subject with most items of ``relation`` and that count."""
    data = await client.data(f"{{ subjects(first: 100) {{ edges {{ node {{ uscc "
                             f"{relation}(first: 0) {{ totalCount }} }} }} }} }}")
    counts = [(e["node"]["uscc"], e["node"][relation]["totalCount"])
              for e in data["subjects"]["edges"]]
    return max(counts, key=lambda pair: pair[1])


@pytest.mark.parametrize(("relation", "day"), RELATIONS.items())
async def test_relation_pages_cover_the_list_newest_first(
    client: GraphQLClient, relation: str, day: str
) -> None:
    code, total = await busiest(client, relation)
    assert total >= 1, f"demo data should give some subject {relation}"
    seen: list[dict[str, Any]] = []
    after = None
    while True:
        data = await client.data(
            f"""query($u: USCC!, $after: String) {{ subject(uscc: $u) {{
                {relation}(first: 1, after: $after) {{ totalCount
                  pageInfo {{ hasNextPage endCursor }} edges {{ node {{ id {day} }} }} }} }} }}""",
            {"u": code, "after": after})
        page = data["subject"][relation]
        assert page["totalCount"] == total
        seen += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == total
    assert len({node["id"] for node in seen}) == total
    days = [node[day] for node in seen]
    assert days == sorted(days, reverse=True)


async def test_logistics_link_carrier_is_a_logistics_subject(client: GraphQLClient) -> None:
    code, total = await busiest(client, "logisticsLinks")
    assert total > 0
    data = await client.data(
        """query($u: USCC!) { subject(uscc: $u) { uscc logisticsLinks(first: 10) { edges {
             node { parcels emptyParcels emptyParcelRate merchant { uscc }
                    carrier { uscc kind } } } } } }""", {"u": code})
    for edge in data["subject"]["logisticsLinks"]["edges"]:
        link = edge["node"]
        assert link["carrier"]["kind"] == "LOGISTICS_FIRM"
        assert link["merchant"]["uscc"] == code
        assert 0 <= link["emptyParcels"] <= link["parcels"]
        assert link["emptyParcelRate"] == pytest.approx(
            link["emptyParcels"] / link["parcels"] if link["parcels"] else 0)


async def test_list_status_agrees_with_entries_in_force(client: GraphQLClient) -> None:
    data = await client.data("""{ subjects(first: 100) { edges { node { listStatus
        listEntries(first: 100) { edges { node { kind inForce } } } } } } }""")
    for edge in data["subjects"]["edges"]:
        node = edge["node"]
        kinds = {e["node"]["kind"] for e in node["listEntries"]["edges"] if e["node"]["inForce"]}
        expected = "BLACK" if "BLACK" in kinds else "RED" if "RED" in kinds else "NONE"
        assert node["listStatus"] == expected


async def test_penalty_amounts_are_exact_decimals(client: GraphQLClient) -> None:
    code, total = await busiest(client, "penalties")
    assert total > 0
    data = await client.data(
        """query($u: USCC!) { subject(uscc: $u) { penalties(first: 50) { edges { node {
             fine confiscated severity publicityEnd decisionDate } } } } }""", {"u": code})
    for edge in data["subject"]["penalties"]["edges"]:
        penalty = edge["node"]
        for amount in (penalty["fine"], penalty["confiscated"]):
            if amount is not None:
                assert isinstance(amount, str)  # Decimal travels as a string, never a float
                assert len(amount.partition(".")[2]) <= 6
        assert penalty["publicityEnd"] >= penalty["decisionDate"]
