"""Depth, aliases and tokens: each limit refuses with its own code and ``maximum``, before
any SQL runs, and ordinary documents (GraphiQL's introspection included) pass."""

from __future__ import annotations

from typing import Any

from graphql import Lexer, Source, TokenKind, get_introspection_query

from gateway.settings import Settings
from tests.conftest import Backend, GraphQLClient, app_client

DEFAULTS = Settings()


def only_error(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("data") is None, body
    [error] = body["errors"]
    extensions: dict[str, Any] = error["extensions"]
    return extensions


def nested(hops: int) -> str:
    """``subject { licenses { edges { node { subject { … name`` — 2 + 4 × ``hops`` deep."""
    inner = "licenses(first: 1) { edges { node { subject { " * hops + "name" + " } } } }" * hops
    return '{ subject(uscc: "914403001922038216") { ' + inner + " } }"


async def test_a_document_deeper_than_the_limit_is_refused(client: GraphQLClient) -> None:
    maximum = DEFAULTS.limit("max_depth")
    assert maximum == 12
    assert "errors" not in await client.post(nested(2))  # 10 deep
    extensions = only_error(await client.post(nested(3)))
    assert extensions == {"code": "QUERY_TOO_DEEP", "maximum": maximum, "depth": 14}
    assert client.statements == 0


async def test_depth_counts_through_fragments(seeded: Backend) -> None:
    query = """{ subject(uscc: "914403001922038216") { ...Deep } }
        fragment Deep on Subject { licenses { edges { node { licenseNumber } } } }"""
    async with app_client(seeded, max_depth="4") as client:
        assert only_error(await client.post(query))["code"] == "QUERY_TOO_DEEP"
    async with app_client(seeded, max_depth="5") as client:
        assert "errors" not in await client.post(query)


async def test_introspection_is_not_limited_by_depth(client: GraphQLClient) -> None:
    body = await client.post(get_introspection_query(descriptions=True))
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_too_many_aliases_are_refused(client: GraphQLClient) -> None:
    maximum = DEFAULTS.limit("max_aliases")
    fine = "{ " + " ".join(f"a{i}: __typename" for i in range(maximum)) + " }"
    assert "errors" not in await client.post(fine)
    too_many = "{ " + " ".join(f"a{i}: subjects(first: 1) {{ totalCount }}"
                               for i in range(maximum + 1)) + " }"
    extensions = only_error(await client.post(too_many))
    assert extensions == {"code": "TOO_MANY_ALIASES", "maximum": maximum, "aliases": maximum + 1}
    assert client.statements == 0


def tokens(document: str) -> int:
    lexer = Lexer(Source(document))
    count = 0
    while lexer.advance().kind is not TokenKind.EOF:
        count += 1
    return count


async def test_too_many_tokens_are_refused(client: GraphQLClient) -> None:
    maximum = DEFAULTS.limit("max_tokens")
    huge = "{ " + "__typename " * (maximum * 2) + "}"
    extensions = only_error(await client.post(huge))
    assert extensions == {"code": "TOO_MANY_TOKENS", "maximum": maximum}
    assert client.statements == 0


async def test_the_token_limit_is_exact(seeded: Backend) -> None:
    document = '{ subject(uscc: "914403001922038216") { name kind status listStatus } }'
    count = tokens(document)
    async with app_client(seeded, max_tokens=str(count)) as client:
        assert "errors" not in await client.post(document)
    async with app_client(seeded, max_tokens=str(count - 1)) as client:
        assert only_error(await client.post(document))["code"] == "TOO_MANY_TOKENS"


async def test_zero_turns_a_limit_off(seeded: Backend) -> None:
    async with app_client(seeded, max_depth="0", max_aliases="0", max_tokens="0") as client:
        body = await client.post(nested(8))
        assert "errors" not in body
        body = await client.post("{ " + " ".join(f"a{i}: __typename" for i in range(300)) + " }")
        assert "errors" not in body
