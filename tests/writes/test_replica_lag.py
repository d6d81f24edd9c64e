"""With a read replica that lags, a write's answer is still the last word: every read after it
shows the write, whether the record's row, its subject's pages or a cached answer.

PostgreSQL: a private primary with a streaming replica whose WAL replay is paused (as the
cluster test does). SQLite: the "replica" is a copy of the database taken before the write,
which never follows at all.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from gateway.topology.postgres import PrimaryWithReplica
from gateway.topology.processes import StartupError
from tests.conftest import REDIS_URL, Backend, GraphQLClient, Writers, app_client, unavailable
from tests.writes.conftest import AUTHORITY, Cast, license_input

GRANT = "mutation($i: GrantLicenseInput!) { grantLicense(input: $i) { id } }"
REVOKE = "mutation($id: ID!) { setLicenseStatus(id: $id, status: REVOKED) { status } }"
NODE = "query($id: ID!) { node(id: $id) { ... on License { status } } }"
PAGE = """query($u: USCC!) { subject(uscc: $u) {
  licenses(first: 100) { edges { node { id status } } } } }"""


@dataclass
class Lagging:
    """A primary (``backend``), a writer key on it, a merchant, and a replica to freeze."""

    backend: Backend
    key: str
    merchant: str
    freeze: Callable[[], Awaitable[str]]  # the URL of a replica holding the primary as now
    thaw: Callable[[], Awaitable[None]]


@pytest.fixture(scope="module")
async def private_postgres(writable: Backend, tmp_path_factory: pytest.TempPathFactory
                           ) -> AsyncIterator[PrimaryWithReplica | None]:
    """On the PostgreSQL backend, a private primary (seeded) with a streaming replica."""
    if writable.name == "sqlite":
        yield None
        return
    for tool in ("initdb", "pg_ctl", "pg_basebackup"):
        if shutil.which(tool) is None:
            unavailable(tool, FileNotFoundError(tool))
    servers = PrimaryWithReplica(tmp_path_factory.mktemp("lagging"))
    try:
        servers.start_primary()
        url = servers.create_database("credit")
        from resolvers.data.database import Database
        from resolvers.data.migrate import upgrade
        from resolvers.demo.seeding import seed_database

        await upgrade(url)
        database = Database(url)
        try:
            await seed_database(database, subjects=30, seed=5, progress=False)
        finally:
            await database.dispose()
        servers.start_replica()
        yield servers
    except StartupError as error:
        unavailable("a private PostgreSQL primary with a replica", error)
    finally:
        servers.stop()


async def _commerce_key(url: str) -> tuple[str, str]:
    """A COMMERCE writer's key on the database at ``url``, and a merchant's USCC."""
    from sqlmodel import select

    from resolvers.data.database import Database
    from resolvers.data.models import Subject
    from resolvers.domain.enums import Department, SubjectKind
    from resolvers.writes import keys

    database = Database(url)
    try:
        async with database.session() as session:
            merchant = (await session.exec(select(Subject.uscc).where(
                Subject.kind == SubjectKind.MERCHANT))).first()
            issued = await keys.create(session, name="复制延迟测试", department=Department.COMMERCE,
                                       code=AUTHORITY)
    finally:
        await database.dispose()
    assert merchant is not None
    return issued.key, merchant


@pytest.fixture
async def lagging(writable: Backend, writers: Writers, cast: Cast,
                  private_postgres: PrimaryWithReplica | None, tmp_path: Path
                  ) -> AsyncIterator[Lagging]:
    if private_postgres is None:
        source = writable.database_url.removeprefix("sqlite:///")
        copy = tmp_path / "replica.sqlite3"

        async def freeze_copy() -> str:
            with closing(sqlite3.connect(source)) as live, \
                    closing(sqlite3.connect(copy)) as frozen:
                live.backup(frozen)
            return f"sqlite:///{copy}"

        async def nothing() -> None:
            return None

        yield Lagging(writable, writers.keys["commerce"], cast.merchants[4], freeze_copy, nothing)
        return
    servers = private_postgres
    primary_url, replica_url = servers.primary.url("credit"), servers.replica.url("credit")
    key, merchant = await _commerce_key(primary_url)

    async def pause() -> str:
        primary = await asyncpg.connect(primary_url)
        replica = await asyncpg.connect(replica_url)
        try:  # caught up first, so the replica holds everything written before the pause
            target = await primary.fetchval("SELECT pg_current_wal_lsn()")
            for _ in range(300):
                if await replica.fetchval("SELECT pg_last_wal_replay_lsn() >= $1", target):
                    break
                await asyncio.sleep(0.1)
            await replica.execute("SELECT pg_wal_replay_pause()")
        finally:
            await primary.close()
            await replica.close()
        return replica_url

    async def resume() -> None:
        replica = await asyncpg.connect(replica_url)
        try:
            await replica.execute("SELECT pg_wal_replay_resume()")
        finally:
            await replica.close()

    backend = Backend("postgres", primary_url, REDIS_URL, f"cgtest-lag-{uuid.uuid4().hex[:8]}")
    yield Lagging(backend, key, merchant, pause, resume)


async def license_states(client: GraphQLClient, license_id: str, merchant: str
                         ) -> tuple[str, str]:
    """The licence's status as ``node`` shows it and as its subject's page shows it."""
    shown = (await client.data(NODE, {"id": license_id}))["node"]["status"]
    page = (await client.data(PAGE, {"u": merchant}))["subject"]["licenses"]["edges"]
    listed = next(edge["node"]["status"] for edge in page if edge["node"]["id"] == license_id)
    return shown, listed


async def test_reads_after_a_write_show_it_while_the_replica_lags(lagging: Lagging) -> None:
    async with app_client(lagging.backend) as primary_only:
        primary_only.http.headers["Authorization"] = f"Bearer {lagging.key}"
        license_id = (await primary_only.data(GRANT, {"i": license_input(lagging.merchant)})
                      )["grantLicense"]["id"]
    replica = await lagging.freeze()  # holds the licence as VALID, and stops following
    try:
        async with app_client(lagging.backend, database_read_url=replica) as client:
            client.http.headers["Authorization"] = f"Bearer {lagging.key}"
            # read from the replica, and cached
            assert await license_states(client, license_id, lagging.merchant) == ("VALID",
                                                                                  "VALID")
            answer = await client.data(REVOKE, {"id": license_id})
            assert answer["setLicenseStatus"] == {"status": "REVOKED"}
            for _ in range(2):  # from the database, then from the caches
                assert await license_states(client, license_id, lagging.merchant) == (
                    "REVOKED", "REVOKED")
    finally:
        await lagging.thaw()


PLANNED = "credit_gateway_planned_answers_total "
# PAGE without the node ids (a global id is not compiled into plans)
NUMBERED = """query($u: USCC!) { subject(uscc: $u) {
  licenses(first: 20) { edges { node { licenseNumber status } } } } }"""


async def planned_answers(client: GraphQLClient) -> float:
    metrics = (await client.http.get("/metrics")).text
    return float(next(line for line in metrics.splitlines()
                      if line.startswith(PLANNED)).removeprefix(PLANNED))


async def test_a_planned_answer_after_a_write_shows_it_while_the_replica_lags(
    lagging: Lagging,
) -> None:
    """A compiled plan's statement reads on the loaders' choice of replica or primary, as the
    strawberry path's loaders do (PostgreSQL: plans; SQLite: strawberry answers every time)."""
    granted = license_input(lagging.merchant)
    async with app_client(lagging.backend) as primary_only:
        primary_only.http.headers["Authorization"] = f"Bearer {lagging.key}"
        license_id = (await primary_only.data(GRANT, {"i": granted}))["grantLicense"]["id"]
    replica = await lagging.freeze()
    try:
        # no response cache: every page below is computed, from the second on by the plan
        async with app_client(lagging.backend, database_read_url=replica,
                              response_cache_ttl="0") as client:
            client.http.headers["Authorization"] = f"Bearer {lagging.key}"

            async def listed() -> str:
                page = (await client.data(NUMBERED, {"u": lagging.merchant})
                        )["subject"]["licenses"]["edges"]
                return str(next(edge["node"]["status"] for edge in page
                                if edge["node"]["licenseNumber"] == granted["licenseNumber"]))

            assert await listed() == "VALID"  # strawberry's answer arms the plan
            before = await planned_answers(client)
            assert await listed() == "VALID"  # the plan's, from the replica
            await client.data(REVOKE, {"id": license_id})
            assert await listed() == "REVOKED"  # the plan's, from the primary
            postgres = lagging.backend.name == "postgres"
            assert await planned_answers(client) - before == (2 if postgres else 0)
    finally:
        await lagging.thaw()
