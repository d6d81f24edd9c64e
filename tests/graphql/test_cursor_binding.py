"""Cursors are bound to their list (README, "Pagination"): a cursor of a filtered list, of one
subject's relation or of a relation narrowed by ``late`` is ``INVALID_CURSOR`` on any other
list, and still pages on its own."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient

SUBJECTS = """query($f: SubjectFilter, $a: String) { subjects(first: 2, filter: $f, after: $a) {
  pageInfo { endCursor } edges { node { uscc } } } }"""
PENALTIES = """query($u: USCC!, $a: String, $late: Boolean) { subject(uscc: $u) {
  penalties(first: 1, after: $a, late: $late) { pageInfo { endCursor } edges { node { id } } } } }"""
WITH_PENALTIES = """{ subjects(first: 100) { edges { node { uscc
  penalties(first: 0) { totalCount } } } } }"""


async def codes(client: GraphQLClient, query: str, variables: dict[str, Any]) -> list[str]:
    return await client.error_codes(query, variables)


async def test_a_filtered_lists_cursor_is_invalid_on_another_list(client: GraphQLClient) -> None:
    merchants = {"kind": "MERCHANT"}
    page = await client.data(SUBJECTS, {"f": merchants})
    cursor = page["subjects"]["pageInfo"]["endCursor"]
    assert await codes(client, SUBJECTS, {"f": merchants, "a": cursor}) == []
    for other in (None, {"kind": "PLATFORM"}, {"kind": "MERCHANT", "verified": True}):
        assert await codes(client, SUBJECTS, {"f": other, "a": cursor}) == ["INVALID_CURSOR"], other
    unfiltered = (await client.data(SUBJECTS, {}))["subjects"]["pageInfo"]["endCursor"]
    assert await codes(client, SUBJECTS, {"f": merchants, "a": unfiltered}) == ["INVALID_CURSOR"]


async def test_a_subjects_relation_cursor_is_invalid_on_another_subject(
        client: GraphQLClient) -> None:
    edges = (await client.data(WITH_PENALTIES))["subjects"]["edges"]
    first, second = [edge["node"]["uscc"] for edge in edges
                     if edge["node"]["penalties"]["totalCount"] >= 1][:2]
    page = await client.data(PENALTIES, {"u": first})
    cursor = page["subject"]["penalties"]["pageInfo"]["endCursor"]
    assert await codes(client, PENALTIES, {"u": first, "a": cursor}) == []
    assert await codes(client, PENALTIES, {"u": second, "a": cursor}) == ["INVALID_CURSOR"]
    assert await codes(client, PENALTIES, {"u": first, "a": cursor, "late": False}) == [
        "INVALID_CURSOR"]
