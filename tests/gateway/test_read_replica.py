"""``DATABASE_READ_URL``: queries read the replica; a mutation answers from the primary.

The "replica" here is a migrated but empty database, so where a read went shows in its answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from resolvers.data.migrate import upgrade
from tests.conftest import Backend, Writers, app_client, create_pg_database, drop_pg_database
from tests.writes.conftest import penalty_input


@pytest.fixture
async def empty_replica(writable: Backend, tmp_path_factory: pytest.TempPathFactory
                        ) -> AsyncIterator[str]:
    if writable.name == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('replica') / 'replica.sqlite3'}"
    else:
        url = await create_pg_database()
    try:
        await upgrade(url)
        yield url
    finally:
        if writable.name == "postgres":
            await drop_pg_database(url)


async def test_queries_read_the_replica_and_mutations_read_the_primary(
    writable: Backend, writers: Writers, empty_replica: str,
) -> None:
    async with app_client(writable) as primary:
        code = (await primary.data("{ subjects(first: 1) { edges { node { uscc } } } }")
                )["subjects"]["edges"][0]["node"]["uscc"]
    async with app_client(writable, database_read_url=empty_replica) as client:
        client.http.headers.update(writers.header("market"))
        # the replica has no subjects yet (it "lags"), so a query finds none
        assert (await client.data("{ subjects(first: 5) { totalCount } }")
                )["subjects"]["totalCount"] == 0
        published = await client.data(
            """mutation($input: PublishPenaltyInput!) { publishPenalty(input: $input) {
                decisionNumber subject { uscc } } }""", {"input": penalty_input(code)})
        # ... while the mutation reads back what it wrote, subject included, from the primary
        assert published["publishPenalty"]["subject"]["uscc"] == code
        health = await client.http.get("/healthz")
        assert health.json()["database"] == "ok"  # both answer
