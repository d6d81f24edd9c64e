"""Request size: a body over the limit is 413 whether it announces its length or comes
chunked, a GET query string over the limit is 414, both GraphQL-shaped with
``REQUEST_TOO_LARGE``; a body under the limit reaches GraphQL unchanged."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx

from gateway.settings import Settings
from tests.conftest import Backend, app_client

MAX_BODY = Settings().max_body_bytes
MAX_QUERY_STRING = Settings().max_query_string_bytes


def padded(size: int) -> bytes:
    """A valid GraphQL request body of exactly ``size`` bytes (a comment pads the document)."""
    empty = json.dumps({"query": "{ __typename }\n#"}).encode()
    body = json.dumps({"query": "{ __typename }\n#" + "x" * (size - len(empty))}).encode()
    assert len(body) == size
    return body


def assert_too_large(response: httpx.Response, status: int, maximum: int, part: str) -> None:
    assert response.status_code == status, response.text
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "REQUEST_TOO_LARGE", "maximum": maximum, "part": part}


async def test_a_body_at_the_limit_passes_and_one_byte_more_is_413(migrated: Backend) -> None:
    assert MAX_BODY == 64 * 1024
    headers = {"content-type": "application/json"}
    async with app_client(migrated) as client:
        response = await client.http.post("/graphql", content=padded(MAX_BODY), headers=headers)
        assert response.status_code == 200
        assert response.json() == {"data": {"__typename": "Query"}}
        response = await client.http.post("/graphql", content=padded(MAX_BODY + 1), headers=headers)
        assert_too_large(response, 413, MAX_BODY, "body")


async def test_a_chunked_body_without_length_is_cut_at_the_limit(migrated: Backend) -> None:
    async def chunks(total: int) -> AsyncIterator[bytes]:
        body = padded(total)
        for start in range(0, total, 4096):
            yield body[start:start + 4096]

    async with app_client(migrated) as client:
        response = await client.http.post("/graphql", content=chunks(10 * MAX_BODY),
                                          headers={"content-type": "application/json"})
        assert "content-length" not in response.request.headers
        assert_too_large(response, 413, MAX_BODY, "body")
        response = await client.http.post("/graphql", content=chunks(MAX_BODY // 2),
                                          headers={"content-type": "application/json"})
        assert response.json() == {"data": {"__typename": "Query"}}


async def test_a_long_get_query_string_is_414(migrated: Backend) -> None:
    async with app_client(migrated) as client:
        short = await client.http.get("/graphql", params={"query": "{ __typename }"})
        assert short.json() == {"data": {"__typename": "Query"}}
        document = "{ __typename }\n#" + "x" * MAX_QUERY_STRING
        response = await client.http.get("/graphql", params={"query": document})
        assert_too_large(response, 414, MAX_QUERY_STRING, "queryString")


async def test_the_limit_is_a_setting(migrated: Backend) -> None:
    async with app_client(migrated, max_body_bytes="100") as client:
        response = await client.http.post("/graphql", content=padded(101),
                                          headers={"content-type": "application/json"})
        assert_too_large(response, 413, 100, "body")
    async with app_client(migrated, max_body_bytes="0", max_tokens="0") as client:
        response = await client.http.post("/graphql", content=padded(4 * MAX_BODY),
                                          headers={"content-type": "application/json"})
        assert response.status_code == 200
