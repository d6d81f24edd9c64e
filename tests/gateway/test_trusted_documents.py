"""Trusted documents in production: anonymous callers run only the allow-listed documents;
introspection and field suggestions are off in production and on in development."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import httpx

from gateway.persisted.manifest import MANIFEST, build_manifest, main, render
from tests.conftest import Backend, Writers, app_client

WIDGET = json.loads(MANIFEST.read_text(encoding="utf-8"))["operations"][0]
OTHER = "{ subjects(first: 1) { edges { node { uscc } } } }"
INTROSPECTION = "{ __schema { queryType { name } } }"
MISSPELT = '{ subject(uscc: "914403001922038216") { nmae } }'


def codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json().get("errors", [])]


def apq(digest: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def test_the_manifest_is_current_and_holds_the_widget_query() -> None:
    assert main(["--check"]) == 0
    assert MANIFEST.read_text(encoding="utf-8") == render(build_manifest())
    assert WIDGET["name"] == "CreditWidget"
    assert WIDGET["type"] == "query"
    assert WIDGET["id"] == hashlib.sha256(WIDGET["body"].encode()).hexdigest()
    for field in ("name", "verification", "listStatus", "licenses", "penalties"):
        assert field in WIDGET["body"]


async def test_anonymous_callers_in_production_run_only_trusted_documents(
    writable: Backend,
) -> None:
    async with app_client(writable, environment="production") as client:
        refused = await client.http.post("/graphql", json={"query": OTHER})
        assert refused.status_code == 400
        assert codes(refused) == ["DOCUMENT_NOT_TRUSTED"]
        code = "914403001922038216"
        by_body = await client.http.post("/graphql", json={"query": WIDGET["body"],
                                                           "variables": {"uscc": code}})
        assert by_body.status_code == 200
        assert "errors" not in by_body.json()
        by_id = await client.http.get("/graphql", params={
            "extensions": json.dumps(apq(WIDGET["id"])), "variables": json.dumps({"uscc": code})})
        assert by_id.json() == by_body.json()
        assert by_id.headers["cache-control"] == "public, max-age=60"
        # registering a new document through APQ is refused, so its hash stays unknown
        query = f"# {uuid.uuid4().hex}\n{OTHER}"
        digest = hashlib.sha256(query.encode()).hexdigest()
        registering = await client.http.post("/graphql", json={"query": query,
                                                               "extensions": apq(digest)})
        assert codes(registering) == ["DOCUMENT_NOT_TRUSTED"]
        unknown = await client.http.post("/graphql", json={"extensions": apq(digest)})
        assert codes(unknown) == ["PERSISTED_QUERY_NOT_FOUND"]
        introspection = await client.http.post("/graphql", json={"query": INTROSPECTION})
        assert codes(introspection) == ["DOCUMENT_NOT_TRUSTED"]


async def test_key_holders_in_production_send_any_document_but_cannot_introspect(
    writable: Backend, writers: Writers,
) -> None:
    async with app_client(writable, environment="production") as client:
        client.http.headers["Authorization"] = f"Bearer {writers.keys['platform']}"
        assert "errors" not in (await client.http.post("/graphql", json={"query": OTHER})).json()
        query = f"# {uuid.uuid4().hex}\n{OTHER}"
        digest = hashlib.sha256(query.encode()).hexdigest()
        stored = await client.http.post("/graphql", json={"query": query, "extensions": apq(digest)})
        assert "errors" not in stored.json()
        introspection = await client.http.post("/graphql", json={"query": INTROSPECTION})
        assert set(codes(introspection)) == {"GRAPHQL_VALIDATION_FAILED"}
        misspelt = (await client.http.post("/graphql", json={"query": MISSPELT})).json()
        assert misspelt["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "nmae" in misspelt["errors"][0]["message"]
        assert "Did you mean" not in misspelt["errors"][0]["message"]


async def test_development_allows_any_document_introspection_and_suggestions(
    writable: Backend,
) -> None:
    async with app_client(writable) as client:
        assert "errors" not in (await client.http.post("/graphql", json={"query": OTHER})).json()
        introspection = (await client.http.post("/graphql", json={"query": INTROSPECTION})).json()
        assert introspection["data"]["__schema"]["queryType"]["name"] == "Query"
        misspelt = (await client.http.post("/graphql", json={"query": MISSPELT})).json()
        assert "Did you mean" in misspelt["errors"][0]["message"]
