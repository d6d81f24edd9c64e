"""API keys that read the ``seeded`` database with each role (查询角色), for tests that read as
PLATFORM, REGULATOR or AUDITOR. Import the fixture into a test module to use it:
``from tests.roles import ReadKeys, read_keys_fixture  # noqa: F401`` and ask for
``read_keys: ReadKeys``."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

import pytest
from sqlmodel import col, select

from resolvers.data.database import Database
from resolvers.data.models import Subject
from resolvers.domain.enums import Department, Role, SubjectKind
from resolvers.writes import keys
from tests.conftest import Backend, GraphQLClient, writer_client


@dataclass(frozen=True)
class ReadKeys:
    """One key per reading role on the ``seeded`` database (PUBLIC: no key)."""

    backend: Backend
    keys: dict[Role, str]

    def client(self, role: Role) -> AbstractAsyncContextManager[GraphQLClient]:
        return writer_client(self.backend, None if role is Role.PUBLIC else self.keys[role])


@pytest.fixture(scope="session", name="read_keys")
async def read_keys_fixture(seeded: Backend) -> ReadKeys:
    database = Database(seeded.database_url)
    issued: dict[Role, str] = {}
    try:
        async with database.session() as session:
            platform = (await session.exec(
                select(Subject.uscc).where(Subject.kind == SubjectKind.PLATFORM)
                .order_by(col(Subject.id)))).first()
            assert platform is not None
            issued[Role.PLATFORM] = (await keys.create(
                session, name="测试平台读者", department=Department.PLATFORM,
                platform_uscc=platform)).key
            issued[Role.REGULATOR] = (await keys.create(
                session, name="测试监管读者", department=Department.MARKET_REGULATION)).key
            issued[Role.AUDITOR] = (await keys.create(
                session, name="测试审计读者", department=Department.DEVELOPMENT_REFORM,
                role=Role.AUDITOR)).key
    finally:
        await database.dispose()
    return ReadKeys(seeded, issued)


async def new_key(backend: Backend, role: Role = Role.REGULATOR) -> str:
    """A new key of ``role`` on ``backend`` (REGULATOR: a market-regulation department's;
    AUDITOR: the credit authority's), for helpers and tests that need a key of their own."""
    department = (Department.DEVELOPMENT_REFORM if role is Role.AUDITOR
                  else Department.MARKET_REGULATION)
    database = Database(backend.database_url)
    try:
        async with database.session() as session:
            # a regulator's key acts as the test authority (tests/writes/conftest.py AUTHORITY)
            code = None if role is Role.AUDITOR else "914403001922038216"
            return (await keys.create(session, name=f"测试{role.value}", department=department,
                                      role=role if role is Role.AUDITOR else None,
                                      code=code)).key
    finally:
        await database.dispose()


async def regulator_key(backend: Backend) -> str:
    return await new_key(backend, Role.REGULATOR)
