"""Input that is not what it seems gets its documented code, never a 500 or a wrong one: lone
UTF-16 surrogates (not Unicode text: ``BAD_REQUEST``), NUL characters in text (no column
holds one: ``BAD_USER_INPUT``), node IDs and cursors whose numbers are not ASCII digits or do
not fit a row id (``INVALID_ID``, ``INVALID_CURSOR``), and methods other than GET and POST
(``METHOD_NOT_ALLOWED``, as JSON)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.conftest import GraphQLClient

SEARCH = "query Search($t: String!) { searchSubjects(text: $t) { uscc } }"
FILTERED = ("query($n: String) { subjects(first: 2, filter: {nameContains: $n}) "
            "{ edges { node { uscc } } } }")
NODE = "query($id: ID!) { node(id: $id) { id } }"
AFTER = "query($a: String) { subjects(first: 2, after: $a) { edges { node { uscc } } } }"


async def raw_post(client: GraphQLClient, body: str) -> tuple[int, dict[str, Any]]:
    """POST ``body`` as it is written (JSON escapes such as ``\\ud800`` stay escapes)."""
    response = await client.http.post("/graphql", content=body.encode(),
                                      headers={"content-type": "application/json"})
    return response.status_code, response.json()


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.mark.parametrize("body", [
    # in the variables, the document, the operation name; paired halves are one character
    '{"query": "query Search($t: String!) { searchSubjects(text: $t) { uscc } }", '
    '"variables": {"t": "ab\\ud800"}}',
    '{"query": "{ searchSubjects(text: \\"\\udfff\\") { uscc } }"}',
    '{"query": "query Search { __typename }", "operationName": "Search\\udbff"}',
    '{"query": "query($f: SubjectFilter) { subjects(filter: $f) { totalCount } }", '
    '"variables": {"f": {"nameContains": "\\ud83d"}}}',
])
async def test_lone_surrogates_in_a_body_are_a_bad_request(client: GraphQLClient,
                                                           body: str) -> None:
    status, answer = await raw_post(client, body)
    assert (status, codes(answer)) == (400, ["BAD_REQUEST"]), answer


async def test_lone_surrogates_in_get_parameters_are_a_bad_request(client: GraphQLClient) -> None:
    response = await client.http.get("/graphql", params={
        "query": SEARCH, "variables": '{"t": "\\udc00x"}'})
    assert response.status_code == 400, response.text
    assert codes(response.json()) == ["BAD_REQUEST"]


async def test_a_surrogate_pair_is_one_character_and_answers(client: GraphQLClient) -> None:
    status, answer = await raw_post(client, json.dumps(
        {"query": SEARCH, "variables": {"t": "😀"}}, ensure_ascii=True))  # \ud83d\ude00
    assert status == 200, answer
    assert "errors" not in answer, answer


@pytest.mark.parametrize(("query", "variables"), [
    (SEARCH, {"t": "a\x00b"}),
    (FILTERED, {"n": "\x00"}),
    ('{ searchSubjects(text: "x\\u0000") { uscc } }', {}),
])
async def test_nul_characters_in_text_are_bad_user_input(
        client: GraphQLClient, query: str, variables: dict[str, Any]) -> None:
    answer = await client.post(query, variables)
    assert codes(answer) == ["BAD_USER_INPUT"], answer


def global_id(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize("key", ["²", "٣", "１２", "99999999999999999999", "2147483648", "-1",
                                 "+1", " 1"])
async def test_node_ids_with_numbers_that_are_no_row_id_are_invalid(
        client: GraphQLClient, key: str) -> None:
    answer = await client.post(NODE, {"id": global_id(f"Penalty:{key}")})
    assert codes(answer) == ["INVALID_ID"], answer


@pytest.mark.parametrize("key", ["²", "٣", "１２", "99999999999999999999", "2147483648"])
async def test_cursors_with_numbers_that_are_no_row_id_are_invalid(
        client: GraphQLClient, key: str) -> None:
    answer = await client.post(AFTER, {"a": cursor(f"v1|subjects|{key}")})
    assert codes(answer) == ["INVALID_CURSOR"], answer


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
async def test_other_methods_are_a_coded_405(client: GraphQLClient, method: str) -> None:
    response = await client.http.request(method, "/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 405, response.text
    assert response.headers["allow"] == "GET, POST"
    assert codes(response.json()) == ["METHOD_NOT_ALLOWED"]


@pytest.mark.parametrize("region", ["٣٣", "３３", "3²"])
async def test_a_region_of_non_ascii_digits_is_bad_user_input(client: GraphQLClient,
                                                              region: str) -> None:
    answer = await client.post("query($r: String) { subjects(filter: {region: $r}) "
                               "{ totalCount } }", {"r": region})
    assert codes(answer) == ["BAD_USER_INPUT"], answer
