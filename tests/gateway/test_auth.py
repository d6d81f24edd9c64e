"""``Authorization: Bearer <key>``: anonymous reads stay open, a bad key is refused with 401
before any GraphQL runs, and a good key reaches the resolvers as the caller."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from resolvers.data.database import Database
from resolvers.writes import keys
from tests.conftest import Backend, Writers, app_client

QUERY = {"query": "{ subjects(first: 1) { totalCount } }"}


def assert_unauthenticated(response: httpx.Response) -> None:
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert "data" not in body


async def test_anonymous_reads_stay_open(writable: Backend) -> None:
    async with app_client(writable) as client:
        response = await client.http.post("/graphql", json=QUERY)
    assert response.status_code == 200
    assert response.json()["data"]["subjects"]["totalCount"] > 0


@pytest.mark.parametrize("header", [
    "Bearer cgk_00000000_not-a-real-secret",   # well-formed, unknown
    "Bearer not-even-a-key",                    # malformed
    "Bearer ",                                  # empty
    "Basic dXNlcjpwYXNz",                       # another scheme
])
async def test_bad_credentials_are_401_with_a_bearer_challenge(
    writable: Backend, header: str
) -> None:
    async with app_client(writable) as client:
        response = await client.http.post("/graphql", json=QUERY,
                                          headers={"Authorization": header})
    assert_unauthenticated(response)


async def test_a_key_with_the_right_prefix_but_wrong_secret_is_refused(
    writable: Backend, writers: Writers
) -> None:
    prefix = writers.keys["market"].split("_")[1]
    async with app_client(writable) as client:
        response = await client.http.post(
            "/graphql", json=QUERY, headers={"Authorization": f"Bearer cgk_{prefix}_forged"})
    assert_unauthenticated(response)


async def test_valid_key_passes_and_costs_one_statement(writable: Backend, writers: Writers) -> None:
    async with app_client(writable) as client:
        anonymous = await client.http.post("/graphql", json={"query": "{ __typename }"})
        response = await client.http.post("/graphql", json={"query": "{ __typename }"},
                                          headers=writers.header("market"))
    assert response.status_code == 200
    assert response.json()["data"] == {"__typename": "Query"}
    # the key look-up is one indexed query (by prefix); nothing else runs for __typename
    assert int(response.headers["x-sql-statements"]) == int(
        anonymous.headers["x-sql-statements"]) + 1


async def test_revoked_key_is_refused(writable: Backend) -> None:
    """Within ``CREDIT_GATEWAY_AUTH_CACHE_TTL`` seconds (here 1): a key's look-up is
    remembered that long."""
    from resolvers.domain.enums import Department

    database = Database(writable.database_url)
    try:
        async with database.session() as session:
            issued = await keys.create(session, name="临时", department=Department.COMMERCE)
        header = {"Authorization": f"Bearer {issued.key}"}
        async with app_client(writable, auth_cache_ttl="1") as client:
            assert (await client.http.post("/graphql", json=QUERY, headers=header)
                    ).status_code == 200
            async with database.session() as session:
                await keys.revoke(session, issued.writer.key_prefix)
            await asyncio.sleep(1.1)
            assert_unauthenticated(await client.http.post("/graphql", json=QUERY, headers=header))
    finally:
        await database.dispose()


async def test_keys_whose_secret_contains_underscores_authenticate(writable: Backend) -> None:
    from resolvers.domain.enums import Department

    database = Database(writable.database_url)
    try:
        async with database.session() as session:
            for _ in range(40):  # URL-safe secrets contain "_" often; 40 keys make it certain
                issued = await keys.create(session, name="下划线", department=Department.TAX)
                if "_" in issued.key.split("_", 2)[2]:
                    break
            else:
                pytest.fail("no secret with an underscore in 40 keys")
            found = await keys.authenticate(session, issued.key)
        assert found is not None
        assert found.id == issued.writer.id
    finally:
        await database.dispose()
