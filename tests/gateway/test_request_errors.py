"""Errors raised before execution (parse, validation, variables that do not fit, the document
limits, a NUL in the text) make a *request error*: the answer has no ``data`` key, as the
GraphQL spec says ("If an error was raised before execution begins, the data entry should not
be present"). ``application/json`` clients get them with 200; clients that accept
``application/graphql-response+json`` (GraphQL over HTTP) get that media type and 400, so they
can surface the error code. Errors during execution keep ``data`` and a 200."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Backend, GraphQLClient, app_client

GRAPHQL_RESPONSE = "application/graphql-response+json"
REQUEST_ERRORS = [
    ("{ subjects { ", {}, "GRAPHQL_PARSE_FAILED"),
    ("{ noSuchField }", {}, "GRAPHQL_VALIDATION_FAILED"),
    ("query($f: Int!) { subjects(first: $f) { totalCount } }", {"f": "x"}, "BAD_USER_INPUT"),
    ("query($f: Int!) { subjects(first: $f) { totalCount } }", {}, "BAD_USER_INPUT"),
    ("{ subjects { edges { node { " + "penalties { edges { node { subject { " * 4 + "uscc"
     + " } } } }" * 4 + " } } } }", {}, "QUERY_TOO_DEEP"),
    ("query($t: String!) { searchSubjects(text: $t) { uscc } }", {"t": "\x00"},
     "BAD_USER_INPUT"),
]
FIELD_ERROR = ('{ node(id: "not-ours") { id } }', "INVALID_ID")  # raised by the resolver


async def send(client: GraphQLClient, query: str, variables: dict[str, Any],
               accept: str | None = None) -> tuple[int, str, dict[str, Any]]:
    headers = {"accept": accept} if accept else {}
    response = await client.http.post("/graphql", json={"query": query, "variables": variables},
                                      headers=headers)
    return response.status_code, response.headers["content-type"], response.json()


@pytest.mark.parametrize(("query", "variables", "code"), REQUEST_ERRORS)
async def test_request_errors_have_no_data_key(client: GraphQLClient, query: str,
                                               variables: dict[str, Any], code: str) -> None:
    status, media_type, body = await send(client, query, variables)
    assert "data" not in body, body
    assert [error["extensions"]["code"] for error in body["errors"]] == [code]
    assert (status, media_type) == (200, "application/json")


@pytest.mark.parametrize(("query", "variables", "code"), REQUEST_ERRORS)
async def test_graphql_response_clients_get_400_for_request_errors(
        client: GraphQLClient, query: str, variables: dict[str, Any], code: str) -> None:
    status, media_type, body = await send(client, query, variables,
                                          accept=f"{GRAPHQL_RESPONSE}, application/json")
    assert (status, media_type) == (400, f"{GRAPHQL_RESPONSE}; charset=utf-8"), body
    assert "data" not in body
    assert [error["extensions"]["code"] for error in body["errors"]] == [code]


@pytest.mark.parametrize("accept", [None, "application/json", GRAPHQL_RESPONSE, "*/*"])
async def test_field_errors_keep_data_and_200(client: GraphQLClient, accept: str | None) -> None:
    status, media_type, body = await send(client, FIELD_ERROR[0], {}, accept=accept)
    assert status == 200, body
    assert media_type.split(";")[0] == (GRAPHQL_RESPONSE if accept == GRAPHQL_RESPONSE
                                        else "application/json")
    assert body["data"] == {"node": None}
    assert [error["extensions"]["code"] for error in body["errors"]] == [FIELD_ERROR[1]]


async def test_a_get_answer_varies_by_accept(client: GraphQLClient) -> None:
    response = await client.http.get("/graphql", params={"query": "{ __typename }"},
                                     headers={"accept": GRAPHQL_RESPONSE})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == GRAPHQL_RESPONSE
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
async def test_a_trusted_document_refusal_has_no_data_key(seeded: Backend, accept: str) -> None:
    async with app_client(seeded, environment="production") as client:
        response = await client.http.post("/graphql", json={"query": "{ __typename }"},
                                          headers={"accept": accept})
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert [error["extensions"]["code"] for error in body["errors"]] == ["DOCUMENT_NOT_TRUSTED"]
