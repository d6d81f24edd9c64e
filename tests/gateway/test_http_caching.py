"""HTTP caching of /graphql GETs: ETag, Cache-Control, Vary and 304 (docs/CACHING.md)."""

from __future__ import annotations

from tests.conftest import Backend, Writers, app_client, writer_client

QUERY = "{ subjects(first: 3) { edges { node { uscc name listStatus } } } }"


async def test_a_public_get_is_publicly_cacheable_with_a_strong_etag_and_answers_304(
    seeded: Backend,
) -> None:
    async with app_client(seeded) as client:
        first = await client.http.get("/graphql", params={"query": QUERY})
        assert first.status_code == 200
        etag = first.headers["etag"]
        assert etag.startswith('"')  # strong: no W/ prefix
        assert first.headers["cache-control"] == "public, max-age=60"
        assert "Authorization" in first.headers["vary"]
        assert "Origin" in first.headers["vary"]
        # named once, though both the cache and the CORS layer vary on it
        assert first.headers["vary"].lower().count("origin") == 1
        again = await client.http.get("/graphql", params={"query": QUERY},
                                      headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag
        other = await client.http.get("/graphql", params={"query": QUERY},
                                      headers={"If-None-Match": '"0000"'})
        assert other.status_code == 200
        assert other.content == first.content


async def test_the_max_age_follows_the_response_ttl(seeded: Backend) -> None:
    async with app_client(seeded, response_cache_ttl="0") as client:
        response = await client.http.get("/graphql", params={"query": QUERY})
        assert response.headers["cache-control"] == "public, max-age=0"
        assert response.headers["x-cache"] == "BYPASS"  # no response cache at all


async def test_a_key_holders_get_is_never_public(writable: Backend, writers: Writers) -> None:
    for role in ("market", "platform"):  # REGULATOR, and PLATFORM (public view, but a key)
        async with writer_client(writable, writers.keys[role]) as client:
            response = await client.http.get("/graphql", params={"query": QUERY})
            assert response.status_code == 200
            assert response.headers["cache-control"] == "private, no-store"
            assert "Authorization" in response.headers["vary"]


async def test_posts_mutations_and_errors_are_not_http_cacheable(seeded: Backend) -> None:
    async with app_client(seeded) as client:
        post = await client.http.post("/graphql", json={"query": QUERY})
        assert post.headers["cache-control"] == "no-store"
        assert "etag" not in post.headers
        failed = await client.http.get("/graphql", params={
            "query": '{ subject(uscc: "914403001922038217") { name } }'})
        assert failed.json()["errors"][0]["extensions"]["code"] == "INVALID_USCC"
        assert failed.headers["cache-control"] == "no-store"
        assert "etag" not in failed.headers
        assert failed.headers["x-cache"] == "MISS"  # looked up, not stored
        assert (await client.http.get("/graphql", params={
            "query": '{ subject(uscc: "914403001922038217") { name } }'})).headers["x-cache"] == "MISS"
        mutation = await client.http.get("/graphql", params={
            "query": "mutation { liftListEntry(id: \"x\") { id } }"})
        assert mutation.status_code in (400, 405)
        assert "etag" not in mutation.headers
