"""Fixtures that run the suite on both backends.

``backend`` is parametrised: ``sqlite`` (a temporary SQLite file + in-process cache) and
``postgres`` (a fresh database on the real PostgreSQL + a private key prefix on the real Redis).
Each run creates and drops its own database and prefix, so runs never collide. With ``CI=true``
an unreachable PostgreSQL or Redis fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import redis.asyncio as aioredis

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() == "true"
SEED_SUBJECTS = 120
SEED = 7


@dataclass(frozen=True)
class Backend:
    """Where one parametrisation of the suite keeps its data."""

    name: str
    database_url: str
    redis_url: str
    cache_prefix: str

    @property
    def env(self) -> dict[str, str]:
        """The environment a CLI run or a server process needs to use this backend."""
        return {"DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url,
                "CREDIT_GATEWAY_CACHE_PREFIX": self.cache_prefix}


def unavailable(what: str, error: BaseException) -> None:
    message = f"{what} is unreachable: {error!r}"
    if IN_CI:
        pytest.fail(message + " (CI=true: the real services are required)", pytrace=False)
    pytest.skip(message)


async def create_pg_database() -> str:
    """A fresh database on the real PostgreSQL; returns its URL."""
    name = f"cg_test_{uuid.uuid4().hex[:12]}"
    try:
        conn = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
    except (OSError, asyncpg.PostgresError) as error:
        unavailable("PostgreSQL", error)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


async def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def redis_prefix() -> str:
    client = aioredis.from_url(REDIS_URL, socket_timeout=2)
    try:
        await client.ping()
    except (OSError, aioredis.RedisError) as error:
        unavailable("Redis", error)
    finally:
        await client.aclose()
    return f"cgtest-{uuid.uuid4().hex[:12]}"


async def drop_redis_prefix(prefix: str) -> None:
    client = aioredis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*", count=500)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
async def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Backend]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "credit.sqlite3"
        yield Backend("sqlite", f"sqlite:///{path}", "", f"cgtest-{uuid.uuid4().hex[:12]}")
        return
    url = await create_pg_database()
    prefix = await redis_prefix()
    try:
        yield Backend("postgres", url, REDIS_URL, prefix)
    finally:
        await drop_pg_database(url)
        await drop_redis_prefix(prefix)


@pytest.fixture
async def empty_url(backend: Backend, tmp_path: Path) -> AsyncIterator[str]:
    """A never-migrated database of the backend's kind, for tests that change the schema."""
    if backend.name == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    url = await create_pg_database()
    try:
        yield url
    finally:
        await drop_pg_database(url)


@pytest.fixture(scope="session")
async def migrated(backend: Backend) -> Backend:
    """The backend with every migration applied."""
    from resolvers.data.migrate import upgrade

    await upgrade(backend.database_url)
    return backend


@pytest.fixture(scope="session")
async def seeded(migrated: Backend) -> Backend:
    """The migrated backend holding the demo dataset (same generator as ``credit-gateway seed``)."""
    from resolvers.data.database import Database
    from resolvers.demo.seeding import seed_database

    database = Database(migrated.database_url)
    try:
        await seed_database(database, subjects=SEED_SUBJECTS, seed=SEED, progress=False)
    finally:
        await database.dispose()
    return migrated


async def sql_rows(url: str, statement: Any) -> list[Any]:
    """The rows of one statement (SQL text or a SQLAlchemy select), read from the database
    directly rather than through the gateway."""
    import sqlalchemy as sa

    from resolvers.data.database import Database

    database = Database(url)
    try:
        async with database.engine.connect() as connection:
            query = sa.text(statement) if isinstance(statement, str) else statement
            return list((await connection.execute(query)).all())
    finally:
        await database.dispose()


async def sql_execute(url: str, statement: str, parameters: dict[str, Any] | None = None) -> None:
    """One statement run on the database directly and committed — an operator's SQL, beside
    the gateway's writes."""
    import sqlalchemy as sa

    from resolvers.data.database import Database

    database = Database(url)
    try:
        async with database.engine.begin() as connection:
            await connection.execute(sa.text(statement), parameters or {})
    finally:
        await database.dispose()


class GraphQLClient:
    """GraphQL over HTTP against the in-process ASGI app (the same app ``serve`` runs)."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.last: httpx.Response | None = None

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        self.last = await self.http.post("/graphql", json={"query": query,
                                                           "variables": variables or {}})
        assert self.last.status_code == 200, self.last.text
        body: dict[str, Any] = self.last.json()
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of a query that must succeed."""
        body = await self.post(query, variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def error_codes(self, query: str, variables: dict[str, Any] | None = None) -> list[str]:
        body = await self.post(query, variables)
        return [e["extensions"]["code"] for e in body.get("errors", [])]

    @property
    def statements(self) -> int:
        assert self.last is not None
        return int(self.last.headers["x-sql-statements"])


# settings for a real server the tests drive hard from one address: no rate limit in the way
UNLIMITED = {"CREDIT_GATEWAY_RATE_LIMIT_ANONYMOUS": "0", "CREDIT_GATEWAY_RATE_LIMIT_KEY": "0"}


def command(backend: Backend, *args: str) -> str:
    """``credit-gateway ARGS…`` run as a process on ``backend``, as cron or an operator runs it;
    what it printed (a failed command fails the test with its error output)."""
    import subprocess
    import sys

    run = subprocess.run([str(Path(sys.executable).with_name("credit-gateway")), *args],
                         env={**os.environ, **backend.env}, capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    return run.stdout


@contextmanager
def serving(backend: Backend, count: int = 1,
            env: Mapping[str, str] | None = None) -> Iterator[list[str]]:
    """``count`` real ``credit-gateway serve`` processes on ``backend`` (extra settings in
    ``env``), each answering ``/healthz``; yields their base URLs, stops them on exit."""
    import sys
    import tempfile

    from gateway.topology.processes import Child, free_port

    executable = str(Path(sys.executable).with_name("credit-gateway"))
    children: list[tuple[Child, str]] = []
    with tempfile.TemporaryDirectory() as logs:
        try:
            for number in range(count):
                port = free_port()
                child = Child.start(f"gateway-{number}", [executable, "serve", "--host",
                                                          "127.0.0.1", "--port", str(port)],
                                    log_dir=Path(logs), env={**backend.env, **(env or {})})
                children.append((child, f"http://127.0.0.1:{port}"))
            for child, url in children:
                child.wait_http(f"{url}/healthz", timeout=60)
            yield [url for _, url in children]
        finally:
            for child, _ in children:
                child.stop()


@asynccontextmanager
async def app_client(backend: Backend, **overrides: str) -> AsyncIterator[GraphQLClient]:
    """A fresh app (fresh loaders, its own cache namespace) on ``backend``."""
    from gateway.app import create_app
    from gateway.settings import Settings

    settings = Settings(**{"database_url": backend.database_url, "redis_url": backend.redis_url,
                           "cache_prefix": f"{backend.cache_prefix}-{uuid.uuid4().hex[:8]}",
                           **overrides})
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as http:
            yield GraphQLClient(http)
    finally:
        await app.state.services.aclose()


@pytest.fixture
async def client(seeded: Backend) -> AsyncIterator[GraphQLClient]:
    async with app_client(seeded) as graphql:
        yield graphql


WRITE_SUBJECTS = 40
WRITE_SEED = 11


@asynccontextmanager
async def writable_database(backend: Backend, folder: Path, prefix: str) -> AsyncIterator[Backend]:
    """A database for tests that write, migrated and seeded with a small demo graph (the same
    generator, size and seed each time), dropped afterwards; ``prefix`` names its cache keys."""
    from resolvers.data.database import Database
    from resolvers.data.migrate import upgrade
    from resolvers.demo.seeding import seed_database

    if backend.name == "sqlite":
        url = f"sqlite:///{folder / 'credit.sqlite3'}"
    else:
        url = await create_pg_database()
    target = Backend(backend.name, url, backend.redis_url, f"{backend.cache_prefix}-{prefix}")
    try:
        await upgrade(url)
        database = Database(url)
        try:
            await seed_database(database, subjects=WRITE_SUBJECTS, seed=WRITE_SEED,
                                progress=False)
        finally:
            await database.dispose()
        yield target
    finally:
        if backend.name == "postgres":
            await drop_pg_database(url)


@pytest.fixture(scope="session")
async def writable(
    backend: Backend, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Backend]:
    """A database of its own for tests that write, so the shared ``seeded`` data stays exactly
    the generator's: migrated and seeded with a small demo graph (the same generator)."""
    async with writable_database(backend, tmp_path_factory.mktemp("writes"), "w") as target:
        yield target


@dataclass(frozen=True)
class Writers:
    """API keys on the ``writable`` database, one per role the tests write as."""

    keys: dict[str, str]
    platforms: tuple[str, str]  # USCCs of the two demo platforms (subjects 1 and 6)

    def header(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}


WRITER_ROLES = {"market": "MARKET_REGULATION", "commerce": "COMMERCE", "postal": "POSTAL",
                "credit": "DEVELOPMENT_REFORM", "tax": "TAX"}


async def issue_writers(writable: Backend) -> Writers:
    """The writer keys (one per role of ``WRITER_ROLES``, two platforms) on ``writable``."""
    from sqlmodel import col, select

    from resolvers.data.database import Database
    from resolvers.data.models import Subject
    from resolvers.domain.enums import Department, SubjectKind
    from resolvers.writes import keys

    database = Database(writable.database_url)
    issued: dict[str, str] = {}
    try:
        async with database.session() as session:
            platforms = list((await session.exec(
                select(Subject.uscc).where(Subject.kind == SubjectKind.PLATFORM)
                .order_by(col(Subject.id)))).all())
            for role, department in WRITER_ROLES.items():
                # every department key acts as the same test authority (AUTHORITY of
                # tests/writes/conftest.py): a key publishes its own authority's decisions only
                key = await keys.create(session, name=f"测试{role}", department=Department(department),
                                        code="914403001922038216")
                issued[role] = key.key
            for role, platform in zip(("platform", "platform2"), platforms, strict=False):
                key = await keys.create(session, name=f"平台{role}", department=Department.PLATFORM,
                                        platform_uscc=platform)
                issued[role] = key.key
    finally:
        await database.dispose()
    return Writers(issued, (platforms[0], platforms[1]))


@pytest.fixture(scope="session")
async def writers(writable: Backend) -> Writers:
    return await issue_writers(writable)


@asynccontextmanager
async def writer_client(backend: Backend, key: str | None) -> AsyncIterator[GraphQLClient]:
    """``app_client`` whose requests carry ``Authorization: Bearer <key>`` (none for None)."""
    async with app_client(backend) as client:
        if key is not None:
            client.http.headers["Authorization"] = f"Bearer {key}"
        yield client


@asynccontextmanager
async def own_redis(backend: Backend, folder: Path) -> AsyncIterator[Backend]:
    """``backend`` with a Redis server of its own (a real ``redis-server`` on a free port, stopped
    afterwards): for the tests that count the server's commands (``script_calls``), which the
    suite's other processes (``pytest -n``) would add to on the shared Redis."""
    import asyncio

    from gateway.topology.processes import free_port

    port = free_port()
    server = await asyncio.create_subprocess_exec(
        "redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
        "--appendonly", "no", "--dir", str(folder), stdout=asyncio.subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = aioredis.from_url(url)
        try:
            for _ in range(100):  # up to 5 s
                try:
                    await client.ping()
                    break
                except (OSError, aioredis.RedisError):
                    await asyncio.sleep(0.05)
            else:
                raise AssertionError(f"redis-server on port {port} did not answer")
        finally:
            await client.aclose()
        yield replace(backend, redis_url=url)
    finally:
        server.terminate()
        await server.wait()


async def script_calls(backend: Backend) -> int:
    """How many ``EVALSHA`` the Redis of ``backend`` has run (``INFO commandstats``): the tests
    that count round trips compare it before and after, on a Redis of their own (``own_redis``)."""
    client = aioredis.from_url(backend.redis_url)
    try:
        stats = await client.info("commandstats")
    finally:
        await client.aclose()
    return int(stats.get("cmdstat_evalsha", {}).get("calls", 0))
