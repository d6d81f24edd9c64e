"""``searchSubjects`` (name substring / USCC prefix) and Relay ``node``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQLClient


async def everyone(client: GraphQLClient) -> list[dict[str, Any]]:
    data = await client.data("{ subjects(first: 100) { edges { node { id uscc name } } } }")
    return [edge["node"] for edge in data["subjects"]["edges"]]


@pytest.mark.parametrize("length", [1, 2, 3, 5])
async def test_search_by_chinese_name_substring(client: GraphQLClient, length: int) -> None:
    target = (await everyone(client))[5]
    fragment = target["name"][2:2 + length]
    data = await client.data("query($t: String!) { searchSubjects(text: $t, first: 50) "
                             "{ uscc name } }", {"t": fragment})
    found = data["searchSubjects"]
    assert all(fragment in s["name"] for s in found)
    if len(found) < 50:
        assert target["uscc"] in [s["uscc"] for s in found]


async def test_search_by_uscc_prefix(client: GraphQLClient) -> None:
    target = (await everyone(client))[7]
    prefix = target["uscc"][:12].lower()
    data = await client.data("query($t: String!) { searchSubjects(text: $t) { uscc } }",
                             {"t": prefix})
    codes = [s["uscc"] for s in data["searchSubjects"]]
    assert target["uscc"] in codes
    assert all(code.startswith(prefix.upper()) for code in codes)


async def test_short_and_long_name_filters_match_exactly_the_names_containing_them(
    client: GraphQLClient,
) -> None:
    names = {s["uscc"]: s["name"] for s in await everyone_paged(client)}
    sample = next(iter(names.values()))
    for fragment in (sample[0], sample[1:3], sample[2:5], sample[:2].lower()):
        found = await everyone_paged(client, {"nameContains": fragment})
        expected = {u for u, n in names.items() if fragment.lower() in n.lower()}
        assert {s["uscc"] for s in found} == expected, fragment


async def everyone_paged(client: GraphQLClient, flt: dict[str, str] | None = None
                         ) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = (await client.data(
            """query($f: SubjectFilter, $a: String) { subjects(filter: $f, first: 100, after: $a)
               { pageInfo { hasNextPage endCursor } edges { node { uscc name } } } }""",
            {"f": flt, "a": after}))["subjects"]
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize("text", ["", "   ", "x" * 101])
async def test_search_text_is_bounded(client: GraphQLClient, text: str) -> None:
    assert await client.error_codes("query($t: String!) { searchSubjects(text: $t) { uscc } }",
                                    {"t": text}) == ["BAD_USER_INPUT"]


async def test_node_resolves_every_record_type(client: GraphQLClient) -> None:
    data = await client.data("""{ subjects(first: 100) { edges { node { id uscc
        licenses(first: 1) { edges { node { id } } }
        penalties(first: 1) { edges { node { id } } }
        ratings(first: 1) { edges { node { id } } }
        commitments(first: 1) { edges { node { id } } }
        logisticsLinks(first: 1) { edges { node { id } } }
        complaints(first: 1) { edges { node { id } } }
        listEntries(first: 1) { edges { node { id } } } } } } }""")
    ids: dict[str, str] = {}
    for edge in data["subjects"]["edges"]:
        node = edge["node"]
        ids.setdefault("Subject", node["id"])
        for relation, page in node.items():
            if isinstance(page, dict) and page["edges"]:
                ids.setdefault(relation, page["edges"][0]["node"]["id"])
    assert len(ids) == 8
    for global_id in ids.values():
        found = await client.data("query($id: ID!) { node(id: $id) { __typename id } }",
                                  {"id": global_id})
        assert found["node"]["id"] == global_id


async def test_subject_node_id_is_stable_and_unknown_ids_are_null(client: GraphQLClient) -> None:
    first = (await everyone(client))[0]
    data = await client.data("query($id: ID!) { node(id: $id) { ... on Subject { uscc } } }",
                             {"id": first["id"]})
    assert data["node"]["uscc"] == first["uscc"]
    import base64

    unknown = base64.b64encode(b"Penalty:987654321").decode()
    assert (await client.data("query($id: ID!) { node(id: $id) { id } }", {"id": unknown})
            ) == {"node": None}


@pytest.mark.parametrize("bad", ["%%%", "bm90aGluZw==", "VW5rbm93bjox", "UGVuYWx0eTp4"])
async def test_malformed_global_id_is_a_typed_error(client: GraphQLClient, bad: str) -> None:
    assert await client.error_codes("query($id: ID!) { node(id: $id) { id } }",
                                    {"id": bad}) == ["INVALID_ID"]
