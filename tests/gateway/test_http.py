"""The HTTP edge: GET and POST, GraphiQL, /healthz, and a database that does not answer."""

from __future__ import annotations

import httpx

from gateway.app import create_app
from gateway.settings import Settings
from tests.conftest import Backend, GraphQLClient

QUERY = "{ subjects(first: 2) { totalCount edges { node { uscc } } } }"


async def test_get_and_post_give_the_same_answer(client: GraphQLClient) -> None:
    posted = await client.post(QUERY)
    got = await client.http.get("/graphql", params={"query": QUERY})
    assert got.status_code == 200
    assert got.json() == posted
    assert posted["data"]["subjects"]["totalCount"] > 0


async def test_mutations_are_not_accepted_over_get(client: GraphQLClient) -> None:
    got = await client.http.get("/graphql", params={"query": "mutation { x }"})
    assert got.status_code in (400, 405)


async def test_browsers_get_graphiql(client: GraphQLClient) -> None:
    page = await client.http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    assert (await client.http.get("/", follow_redirects=False)).headers["location"] == "/graphql"


async def test_production_mode_serves_no_graphiql(seeded: Backend) -> None:
    app = create_app(Settings(database_url=seeded.database_url, environment="production"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        page = await http.get("/graphql", headers={"accept": "text/html"})
        assert "graphiql" not in page.text.lower()
        assert "x-sql-statements" not in (await http.post("/graphql", json={"query": QUERY})
                                          ).headers
    await app.state.services.aclose()


async def test_healthz_reports_database_and_cache(client: GraphQLClient, seeded: Backend) -> None:
    health = await client.http.get("/healthz")
    assert health.status_code == 200
    body = health.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["backend"] == ("sqlite" if seeded.name == "sqlite" else "postgresql")
    assert body["cache"] == ("memory" if seeded.name == "sqlite" else "redis")


async def test_unreachable_database_is_a_coded_error_without_internals() -> None:
    app = create_app(Settings(database_url="postgresql://postgres@127.0.0.1:9/none",
                              db_connect_timeout="2"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.post("/graphql", json={"query": QUERY})
        body = response.json()
        assert [e["extensions"]["code"] for e in body["errors"]] == ["DATABASE_UNAVAILABLE"]
        for leak in ("Traceback", "asyncpg", "sqlalchemy", "127.0.0.1", "Errno"):
            assert leak not in response.text
        health = await http.get("/healthz")
        assert health.status_code == 503
        assert health.json()["database"] == "DATABASE_UNAVAILABLE"
        assert "Errno" not in health.text
    await app.state.services.aclose()
