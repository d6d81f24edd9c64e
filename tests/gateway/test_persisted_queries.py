"""Apollo's Automatic Persisted Queries over POST and GET (docs/CACHING.md)."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import httpx

from gateway.persisted.manifest import MANIFEST
from tests.conftest import Backend, app_client


def extensions(digest: str, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


def codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json().get("errors", [])]


def fresh_query() -> str:
    # a document no other run registered: a comment makes its hash new
    return f"# {uuid.uuid4().hex}\n{{ subjects(first: 2) {{ edges {{ node {{ uscc name }} }} }} }}"


async def test_unknown_hash_then_registration_then_hash_alone_over_post_and_get(
    seeded: Backend,
) -> None:
    query = fresh_query()
    digest = hashlib.sha256(query.encode()).hexdigest()
    async with app_client(seeded) as client:
        unknown = await client.http.get("/graphql", params={
            "extensions": json.dumps(extensions(digest))})
        assert unknown.status_code == 200  # Apollo clients then retry with the query
        assert codes(unknown) == ["PERSISTED_QUERY_NOT_FOUND"]
        registered = await client.http.post("/graphql", json={
            "query": query, "extensions": extensions(digest)})
        assert registered.status_code == 200
        data = registered.json()["data"]
        assert len(data["subjects"]["edges"]) == 2
        by_get = await client.http.get("/graphql", params={
            "extensions": json.dumps(extensions(digest))})
        assert by_get.status_code == 200
        assert by_get.json() == {"data": data}
        by_post = await client.http.post("/graphql", json={"extensions": extensions(digest)})
        assert by_post.json() == {"data": data}


async def test_a_hash_that_is_not_the_querys_is_refused_and_nothing_is_stored(
    seeded: Backend,
) -> None:
    query = fresh_query()
    wrong = hashlib.sha256(b"something else").hexdigest()
    async with app_client(seeded) as client:
        refused = await client.http.post("/graphql", json={"query": query,
                                                           "extensions": extensions(wrong)})
        assert refused.status_code == 400
        assert codes(refused) == ["PERSISTED_QUERY_HASH_MISMATCH"]
        still = await client.http.post("/graphql", json={"extensions": extensions(wrong)})
        assert codes(still) == ["PERSISTED_QUERY_NOT_FOUND"]


async def test_other_versions_and_malformed_hashes_are_typed_errors(seeded: Backend) -> None:
    digest = hashlib.sha256(b"{ __typename }").hexdigest()
    async with app_client(seeded) as client:
        version = await client.http.post("/graphql", json={
            "query": "{ __typename }", "extensions": extensions(digest, version=2)})
        assert version.status_code == 400
        assert codes(version) == ["PERSISTED_QUERY_VERSION_UNSUPPORTED"]
        malformed = await client.http.post("/graphql", json={"extensions": extensions("xyz")})
        assert malformed.status_code == 400
        assert codes(malformed) == ["BAD_USER_INPUT"]


async def test_trusted_documents_are_known_by_their_id_without_registration(
    seeded: Backend,
) -> None:
    widget = json.loads(MANIFEST.read_text(encoding="utf-8"))["operations"][0]
    async with app_client(seeded) as client:
        code = (await client.data("{ subjects(first: 1) { edges { node { uscc } } } }")
                )["subjects"]["edges"][0]["node"]["uscc"]
        response = await client.http.get("/graphql", params={
            "extensions": json.dumps(extensions(widget["id"])),
            "variables": json.dumps({"uscc": code})})
        assert response.status_code == 200
        assert response.json()["data"]["subject"]["uscc"] == code
