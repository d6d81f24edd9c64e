"""``subjects``: Relay pagination, filters and typed errors, on both backends."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SEED_SUBJECTS, GraphQLClient

PAGE = """query($first: Int, $after: String, $filter: SubjectFilter) {
  subjects(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { uscc name kind regionCode: region { code }
                          verification { verified } listStatus } }
  }
}"""


async def walk(client: GraphQLClient, flt: dict[str, Any] | None = None,
               size: int = 7) -> tuple[list[dict[str, Any]], int]:
    nodes: list[dict[str, Any]] = []
    after = None
    total = -1
    while True:
        page = (await client.data(PAGE, {"first": size, "after": after, "filter": flt}))["subjects"]
        total = page["totalCount"]
        nodes += [edge["node"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            return nodes, total
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]


async def test_walking_all_pages_yields_every_subject_once(client: GraphQLClient) -> None:
    nodes, total = await walk(client)
    codes = [n["uscc"] for n in nodes]
    assert total == SEED_SUBJECTS
    assert len(codes) == SEED_SUBJECTS
    assert len(set(codes)) == SEED_SUBJECTS


async def test_ordering_is_stable_across_requests(client: GraphQLClient) -> None:
    first, _ = await walk(client, size=11)
    second, _ = await walk(client, size=50)
    assert [n["uscc"] for n in first] == [n["uscc"] for n in second]


@pytest.mark.parametrize(
    ("flt", "holds"),
    [
        ({"kind": "MERCHANT"}, lambda n: n["kind"] == "MERCHANT"),
        ({"kind": "LOGISTICS_FIRM"}, lambda n: n["kind"] == "LOGISTICS_FIRM"),
        ({"verified": False}, lambda n: n["verification"]["verified"] is False),
        ({"listStatus": "BLACK"}, lambda n: n["listStatus"] == "BLACK"),
        ({"listStatus": "RED"}, lambda n: n["listStatus"] == "RED"),
        ({"listStatus": "NONE"}, lambda n: n["listStatus"] == "NONE"),
    ],
)
async def test_filters_return_exactly_the_matching_subjects(
    client: GraphQLClient, flt: dict[str, Any], holds: Any
) -> None:
    everyone, _ = await walk(client, size=100)
    matching, total = await walk(client, flt)
    expected = [n["uscc"] for n in everyone if holds(n)]
    assert [n["uscc"] for n in matching] == expected
    assert total == len(expected)


async def test_region_prefix_and_name_filters(client: GraphQLClient) -> None:
    everyone, _ = await walk(client, size=100)
    province = everyone[0]["regionCode"]["code"][:2]
    in_province, _ = await walk(client, {"region": province})
    assert in_province
    assert [n["uscc"] for n in in_province] == [
        n["uscc"] for n in everyone if n["regionCode"]["code"].startswith(province)]
    fragment = everyone[3]["name"][1:4]
    named, _ = await walk(client, {"nameContains": fragment})
    assert everyone[3]["uscc"] in [n["uscc"] for n in named]
    assert all(fragment in n["name"] for n in named)


async def test_like_wildcards_in_name_are_literal(client: GraphQLClient) -> None:
    nodes, total = await walk(client, {"nameContains": "%"})
    assert (nodes, total) == ([], 0)


@pytest.mark.parametrize("cursor", ["not-a-cursor", "", "¿", "djF8c3ViamVjdHN8eA"])
async def test_malformed_or_foreign_cursor_is_a_typed_error(
    client: GraphQLClient, cursor: str
) -> None:
    assert await client.error_codes(PAGE, {"first": 2, "after": cursor}) == ["INVALID_CURSOR"]


@pytest.mark.parametrize("flt", [{"region": "44a"}, {"region": "4403001"}])
async def test_bad_region_is_a_typed_error(client: GraphQLClient, flt: dict[str, str]) -> None:
    assert await client.error_codes(PAGE, {"filter": flt}) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("first", [-1, 101])
async def test_page_size_is_bounded(client: GraphQLClient, first: int) -> None:
    assert await client.error_codes(PAGE, {"first": first}) == ["BAD_USER_INPUT"]


async def test_cursor_of_another_list_is_refused(client: GraphQLClient) -> None:
    data = await client.data("""{ subjects(first: 100) { edges { node {
        licenses(first: 1) { edges { cursor } } } } } }""")
    cursors = [e["cursor"] for edge in data["subjects"]["edges"]
               for e in edge["node"]["licenses"]["edges"]]
    assert cursors, "the demo data has licences"
    assert await client.error_codes(PAGE, {"after": cursors[0]}) == ["INVALID_CURSOR"]


async def test_region_takes_a_division_as_its_description_says(client: GraphQLClient) -> None:
    """2 digits = province, 4 = city, 6 = county — and a city or province written as its
    six-digit GB/T 2260 code (440300, 440000) is that city or province."""
    everyone, _ = await walk(client, size=100)
    county = everyone[0]["regionCode"]["code"]
    for region, prefix in [(county[:2], county[:2]), (county[:2] + "0000", county[:2]),
                           (county[:4], county[:4]), (county[:4] + "00", county[:4]),
                           (county, county)]:
        found, total = await walk(client, {"region": region}, size=100)
        expected = [n["uscc"] for n in everyone if n["regionCode"]["code"].startswith(prefix)]
        assert [n["uscc"] for n in found] == expected, region
        assert total == len(expected) > 0
    for bad in ("4", "440", "44030", "４４０３"):
        assert await client.error_codes(PAGE, {"filter": {"region": bad}}) == \
            ["BAD_USER_INPUT"], bad
