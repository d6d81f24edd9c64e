"""Fixtures of the write tests: demo subjects of the ``writable`` database by kind, inputs that
pass every check, and a client per writer role."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import Backend, GraphQLClient, Writers, app_client, writer_client

AUTHORITY = "914403001922038216"  # a valid USCC (GB 32100-2015 check character) for authorities


@dataclass(frozen=True)
class Cast:
    """USCCs of demo subjects to write about."""

    merchants: list[str]
    carriers: list[str]
    platforms: tuple[str, str]


async def cast_of(writable: Backend, writers: Writers) -> Cast:
    """The demo subjects of ``writable`` the write tests write about."""
    async with app_client(writable) as client:
        def codes(data: dict[str, Any]) -> list[str]:
            return [edge["node"]["uscc"] for edge in data["subjects"]["edges"]]
        merchants = codes(await client.data(
            "{ subjects(first: 8, filter: {kind: MERCHANT}) { edges { node { uscc } } } }"))
        carriers = codes(await client.data(
            "{ subjects(first: 3, filter: {kind: LOGISTICS_FIRM}) { edges { node { uscc } } } }"))
    return Cast(merchants, carriers, writers.platforms)


@pytest.fixture(scope="session")
async def cast(writable: Backend, writers: Writers) -> Cast:
    return await cast_of(writable, writers)


Connect = Callable[[str | None], AbstractAsyncContextManager[GraphQLClient]]


@pytest.fixture
def as_writer(writable: Backend, writers: Writers) -> Connect:
    """``async with as_writer("market") as client``: a client sending that role's key
    (``None``: anonymous)."""
    def connect(role: str | None) -> AbstractAsyncContextManager[GraphQLClient]:
        return writer_client(writable, writers.keys[role] if role else None)
    return connect


@pytest.fixture
async def market(as_writer: Connect) -> AsyncIterator[GraphQLClient]:
    async with as_writer("market") as client:
        yield client


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def penalty_input(subject: str, **changes: Any) -> dict[str, Any]:
    values = {
        "subject": subject, "decisionNumber": unique("测市监罚〔2026〕"), "violationType": "虚假宣传",
        "facts": "在网店页面宣传商品具有未经证实的功效", "legalBasis": "《中华人民共和国广告法》第五十五条",
        "category": "FINE", "content": "罚款1.5万元", "severity": "GENERAL",
        "decisionDate": "2026-10-09", "authority": "测试市市场监督管理局",
        "authorityCode": AUTHORITY, "fine": "1.5", "publishedOn": "2026-10-20",
    }
    return {**values, **changes}


def license_input(subject: str, **changes: Any) -> dict[str, Any]:
    values = {
        "subject": subject, "decisionNumber": unique("测市监许〔2026〕"),
        "decisionTitle": "食品经营许可决定书", "category": "GENERAL", "content": "预包装食品销售",
        "decisionDate": "2026-09-01", "validFrom": "2026-09-01", "validTo": "2031-08-31",
        "authority": "测试市市场监督管理局", "authorityCode": AUTHORITY,
        "certificateName": "食品经营许可证", "licenseNumber": unique("JY1"),
        "publishedOn": "2026-09-03",
    }
    return {**values, **changes}


SHANGHAI = "11310000MB2F3K0X1X"  # 上海市市场监督管理局 in these tests; AUTHORITY is Shenzhen's
SHANGHAI_DISTRICT = "11310115MB2F3K0X2X"  # 上海市浦东新区市场监督管理局, a subordinate authority


async def issue_key(backend: Backend, department: str, **options: Any) -> str:
    """A new key on ``backend`` (``keys.create`` with ``options``: code, speaks_for …)."""
    from resolvers.data.database import Database
    from resolvers.domain.enums import Department
    from resolvers.writes import keys

    database = Database(backend.database_url)
    try:
        async with database.session() as session:
            return (await keys.create(session, name=unique("测试"),
                                      department=Department(department), **options)).key
    finally:
        await database.dispose()
