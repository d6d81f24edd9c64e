"""CORS per platform origin: a key works from the pages of its own origins only (403
``ORIGIN_NOT_ALLOWED`` and no ``Access-Control-Allow-Origin`` elsewhere); preflights name
``Authorization`` for origins registered on an active key and only ``Content-Type`` for public
ones; anonymous public reads are readable from any origin by default; refusals of the inner
limits carry CORS headers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
import pytest

from resolvers.data.database import Database
from resolvers.domain.enums import Department
from resolvers.writes import keys
from tests.conftest import Backend, app_client

QUERY = {"query": "{ __typename }"}
SHOP = "https://shop.example.cn"
OTHER = "https://evil.example.com"


@dataclass(frozen=True)
class OriginKeys:
    shop: str  # a platform department's key for SHOP's pages
    bare: str  # a key registered for no origin (server-to-server)
    revoked_origin: str  # origin of a revoked key only


@pytest.fixture(scope="session")
async def origin_keys(writable: Backend) -> OriginKeys:
    revoked_origin = f"https://{uuid.uuid4().hex[:8]}.example.org"
    database = Database(writable.database_url)
    try:
        async with database.session() as session:
            shop = await keys.create(session, name="窗口", department=Department.COMMERCE,
                                     origins=[SHOP, "http://localhost:3000"])
            bare = await keys.create(session, name="后台", department=Department.COMMERCE)
            old = await keys.create(session, name="旧窗口", department=Department.COMMERCE,
                                    origins=[revoked_origin])
            await keys.revoke(session, old.writer.key_prefix)
    finally:
        await database.dispose()
    return OriginKeys(shop.key, bare.key, revoked_origin)


def preflight_headers(origin: str, headers: str = "authorization, content-type") -> dict[str, str]:
    return {"Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": headers}


def allowed_headers(response: httpx.Response) -> set[str]:
    return {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}


def assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    assert "access-control-allow-origin" not in response.headers
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "ORIGIN_NOT_ALLOWED"


# what a browser's Apollo Client sends besides a key: the body's type, its name and version
CLIENT = {"content-type", "apollographql-client-name", "apollographql-client-version"}
# the tracing headers browsers' instrumentation adds (W3C Trace Context and Baggage, Sentry)
TRACING = {"traceparent", "tracestate", "baggage", "sentry-trace"}


async def test_preflight_names_authorization_for_registered_origins_only(
    writable: Backend, origin_keys: OriginKeys
) -> None:
    async with app_client(writable) as client:
        registered = await client.http.options("/graphql", headers=preflight_headers(SHOP))
        assert registered.status_code == 204
        assert registered.headers["access-control-allow-origin"] == SHOP
        assert allowed_headers(registered) == {"authorization", *CLIENT, *TRACING}
        assert {m.strip() for m in registered.headers["access-control-allow-methods"].split(",")} \
            == {"GET", "POST"}
        assert "origin" in registered.headers["vary"].lower()
        assert "access-control-allow-credentials" not in registered.headers
        for origin in (OTHER, origin_keys.revoked_origin):  # public only: no Authorization
            public = await client.http.options("/graphql", headers=preflight_headers(origin))
            assert public.status_code == 204
            assert public.headers["access-control-allow-origin"] == origin
            assert allowed_headers(public) == CLIENT | TRACING
    async with app_client(writable, cors_public_origins="") as client:
        assert_refused(await client.http.options("/graphql", headers=preflight_headers(OTHER)))
        registered = await client.http.options("/graphql", headers=preflight_headers(SHOP))
        assert registered.status_code == 204


async def test_a_key_reads_from_its_own_origins_only(
    writable: Backend, origin_keys: OriginKeys
) -> None:
    shop = {"Authorization": f"Bearer {origin_keys.shop}"}
    async with app_client(writable) as client:
        for origin in (SHOP, "http://localhost:3000"):
            response = await client.http.post("/graphql", json=QUERY,
                                              headers={**shop, "Origin": origin})
            assert response.status_code == 200
            assert response.headers["access-control-allow-origin"] == origin
            assert "origin" in response.headers["vary"].lower()
        assert_refused(await client.http.post("/graphql", json=QUERY,
                                              headers={**shop, "Origin": OTHER}))
        bare = {"Authorization": f"Bearer {origin_keys.bare}"}
        assert_refused(await client.http.post("/graphql", json=QUERY,
                                              headers={**bare, "Origin": SHOP}))
        # without Origin (not a browser): the key works; CORS protects browsers, not keys
        for headers in (shop, bare):
            response = await client.http.post("/graphql", json=QUERY, headers=headers)
            assert response.status_code == 200
            assert "access-control-allow-origin" not in response.headers


async def test_anonymous_public_reads_from_any_origin_by_default(writable: Backend) -> None:
    async with app_client(writable) as client:
        response = await client.http.post("/graphql", json=QUERY, headers={"Origin": OTHER})
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == OTHER
    async with app_client(writable, cors_public_origins=SHOP) as client:
        response = await client.http.post("/graphql", json=QUERY, headers={"Origin": OTHER})
        assert response.status_code == 200  # answered, but no browser lets the page read it
        assert "access-control-allow-origin" not in response.headers
        response = await client.http.post("/graphql", json=QUERY, headers={"Origin": SHOP})
        assert response.headers["access-control-allow-origin"] == SHOP


async def test_limit_refusals_carry_cors_headers(writable: Backend) -> None:
    async with app_client(writable, rate_limit_anonymous="1") as client:
        await client.http.post("/graphql", json=QUERY, headers={"Origin": SHOP})
        limited = await client.http.post("/graphql", json=QUERY, headers={"Origin": SHOP})
        assert limited.status_code == 429
        assert limited.headers["access-control-allow-origin"] == SHOP
        assert "retry-after" in limited.headers["access-control-expose-headers"].lower()


async def test_pages_can_read_etag_and_x_cache(writable: Backend) -> None:
    async with app_client(writable) as client:
        response = await client.http.get("/graphql", params=QUERY, headers={"Origin": SHOP})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == SHOP
    exposed = {h.strip().lower() for h in
               response.headers["access-control-expose-headers"].split(",")}
    assert exposed == {"retry-after", "etag", "x-cache"}


async def test_preflight_allows_tracing_headers_and_they_are_configurable(
    writable: Backend, origin_keys: OriginKeys
) -> None:
    asked = "content-type, traceparent, tracestate, baggage, sentry-trace"
    async with app_client(writable) as client:
        public = await client.http.options("/graphql", headers=preflight_headers(OTHER, asked))
        assert allowed_headers(public) == CLIENT | TRACING
        registered = await client.http.options("/graphql", headers=preflight_headers(SHOP, asked))
        assert allowed_headers(registered) == {"authorization"} | CLIENT | TRACING
    async with app_client(writable, cors_allow_headers="X-Request-Id, traceparent") as client:
        public = await client.http.options("/graphql", headers=preflight_headers(OTHER))
        assert allowed_headers(public) == CLIENT | {"x-request-id", "traceparent"}


async def test_origin_null_is_never_echoed(writable: Backend) -> None:
    # sandboxed iframes, file: pages and some redirects send `Origin: null`: a page nobody can
    # name, so it is never allowed, even when any origin may read public data
    null = {"Origin": "null"}
    async with app_client(writable) as client:
        response = await client.http.post("/graphql", json=QUERY, headers=null)
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers
        assert_refused(await client.http.options("/graphql", headers=preflight_headers("null")))


def test_a_bad_allowed_header_name_is_a_settings_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from gateway.settings import Settings, SettingsError

    monkeypatch.setenv("CREDIT_GATEWAY_CORS_ALLOW_HEADERS", "traceparent, x request")
    with pytest.raises(SettingsError, match="CREDIT_GATEWAY_CORS_ALLOW_HEADERS"):
        Settings.from_env()
