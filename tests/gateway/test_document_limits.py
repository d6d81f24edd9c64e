"""Depth, aliases and tokens: each limit refuses with its own code and ``maximum``, before
any SQL runs, and ordinary documents (GraphiQL's introspection included) pass."""

from __future__ import annotations

import time
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
    maximum = DEFAULTS.max_depth
    assert maximum == 15
    assert "errors" not in await client.post(nested(3))  # 14 deep
    extensions = only_error(await client.post(nested(4)))
    assert extensions == {"code": "QUERY_TOO_DEEP", "maximum": maximum, "depth": 18}
    assert client.statements == 0


async def test_depth_counts_through_fragments(seeded: Backend) -> None:
    query = """{ subject(uscc: "914403001922038216") { ...Deep } }
        fragment Deep on Subject { licenses { edges { node { licenseNumber } } } }"""
    async with app_client(seeded, max_depth="4") as client:
        assert only_error(await client.post(query))["code"] == "QUERY_TOO_DEEP"
    async with app_client(seeded, max_depth="5") as client:
        assert "errors" not in await client.post(query)


async def test_graphiqls_introspection_query_passes_the_default_depth(
    client: GraphQLClient,
) -> None:
    body = await client.post(get_introspection_query(descriptions=True))
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_introspection_counts_toward_depth_and_aliases(client: GraphQLClient) -> None:
    maximum = DEFAULTS.max_depth
    # __type is 1 deep, each ofType one more
    hops = maximum - 1
    deep = '{ __type(name: "Subject") { ' + "ofType { " * hops + "name" + " }" * hops + " } }"
    extensions = only_error(await client.post(deep))
    assert extensions == {"code": "QUERY_TOO_DEEP", "maximum": maximum, "depth": maximum + 1}
    too_many = "{ " + " ".join(f"a{i}: __typename" for i in range(31)) + " }"
    assert only_error(await client.post(too_many))["code"] == "TOO_MANY_ALIASES"


def doubling(uscc: str, fragments: int, leaf: str) -> str:
    """A subject whose fragment F0 spreads F1 twice, F1 spreads F2 twice, … and the last
    selects ``leaf``: 2 ** (fragments - 1) spreads of the last when expanded, in ~10 tokens
    per fragment."""
    chain = " ".join(f"fragment F{i} on Subject {{ ...F{i + 1} ...F{i + 1} }}"
                     for i in range(fragments - 1))
    return (f'{{ subject(uscc: "{uscc}") {{ ...F0 }} }} ' + chain
            + f" fragment F{fragments - 1} on Subject {{ {leaf} }}")


async def test_a_fragment_spread_twice_at_every_level_is_walked_once(
    client: GraphQLClient,
) -> None:
    # 20 fragments, about 210 tokens: 524,288 spreads of the last when expanded, which the
    # depth, alias and cost walks did one by one (about 11 s of a blocked event loop)
    data = await client.data("{ subjects(first: 1) { edges { node { uscc } } } }")
    uscc = data["subjects"]["edges"][0]["node"]["uscc"]
    started = time.perf_counter()
    body = await client.post(doubling(uscc, 20, "name"))
    answered = time.perf_counter() - started
    assert "errors" not in body, body
    assert body["data"]["subject"]["name"]
    started = time.perf_counter()
    extensions = only_error(await client.post(doubling(uscc, 20, "a: name")))
    refused = time.perf_counter() - started
    print(f"answered in {answered:.3f} s, refused in {refused:.3f} s")
    # counted where spread, as before: the alias once per expanded spread
    assert extensions == {"code": "TOO_MANY_ALIASES", "maximum": DEFAULTS.max_aliases,
                          "aliases": 2 ** 19}
    assert client.statements == 0  # the refusal ran no SQL
    assert answered < 1.0  # a guard only: each takes milliseconds
    assert refused < 1.0


async def test_a_walk_over_its_visit_budget_is_refused(seeded: Backend) -> None:
    # 40 fields: the depth walk visits 41 selections (the root field and its 40)
    query = '{ subject(uscc: "914403001922038216") { ' + "name " * 40 + "} }"
    async with app_client(seeded, max_visits="41") as client:
        assert "errors" not in await client.post(query)
    async with app_client(seeded, max_visits="40") as client:
        extensions = only_error(await client.post(query))
        assert extensions == {"code": "QUERY_TOO_COMPLEX", "maximum": 40}
        assert client.statements == 0
    # the 20-fragment doubling document: subject, ...F0, 2 spreads in each of F0–F18, name:
    # 41 visits per walk, not 2 ** 19
    async with app_client(seeded, max_visits="41") as client:
        data = await client.data("{ subjects(first: 1) { edges { node { uscc } } } }")
        uscc = data["subjects"]["edges"][0]["node"]["uscc"]
        assert "errors" not in await client.post(doubling(uscc, 20, "name"))


async def test_too_many_aliases_are_refused(client: GraphQLClient) -> None:
    maximum = DEFAULTS.max_aliases
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
    maximum = DEFAULTS.max_tokens
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


async def test_remembered_documents_answer_as_parsed_ones(seeded: Backend) -> None:
    """Documents are parsed once per app and remembered (``RememberedDocuments``); a document
    that does not parse is parsed, and refused with its code, every time it comes."""
    document = '{ subject(uscc: "914403001922038216") { name kind } }'
    count = tokens(document)
    async with app_client(seeded, max_tokens=str(count)) as client:
        first, second = await client.post(document), await client.post(document)
        assert "errors" not in first
        assert second == first
        for _ in range(2):
            over = document.replace("name kind", "name kind status")
            assert only_error(await client.post(over)) == {"code": "TOO_MANY_TOKENS",
                                                           "maximum": count}
            assert only_error(await client.post("{ subject { "))["code"] == (
                "GRAPHQL_PARSE_FAILED")
