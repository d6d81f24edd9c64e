"""The gram table behind short-text name search follows every change to subjects' names.

Writes go through plain SQL on purpose: the database's triggers must keep the table right for
any writer (the app, the seeder's COPY, a DBA), not only for the gateway's own code.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from resolvers.data.database import Database
from resolvers.data.migrate import upgrade
from tests.conftest import Backend, app_client

INSERT = """INSERT INTO subject (id, source, created_at, updated_at, uscc, uscc_legacy, name, kind,
    category, region_code, registered_on, status, legal_rep_name, legal_rep_id_type,
    legal_rep_id_number, address, phone, verified)
  VALUES (:id, 'MARKET_REGULATION', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :uscc, false, :name,
    'MERCHANT', 'LEGAL_PERSON', '110101', '2020-01-01', 'ACTIVE', '张三', 'RESIDENT_ID',
    '110101199001011234', '北京', '13800000000', true)"""
SEARCH = "query($t: String!) { searchSubjects(text: $t, first: 50) { uscc } }"


@pytest.fixture
async def fresh(backend: Backend, empty_url: str) -> Backend:
    """A freshly migrated, empty database of the backend's kind."""
    await upgrade(empty_url)
    return Backend(backend.name, empty_url, backend.redis_url, backend.cache_prefix)


async def grams_of(database: Database, subject_id: int) -> set[str]:
    async with database.engine.connect() as conn:
        rows = await conn.execute(sa.text(
            "SELECT gram FROM subject_name_gram WHERE subject_id = :i"), {"i": subject_id})
        return {row.gram for row in rows}


async def found(backend: Backend, text: str) -> list[str]:
    async with app_client(backend) as client:
        data = await client.data(SEARCH, {"t": text})
        return [s["uscc"] for s in data["searchSubjects"]]


async def test_grams_follow_insert_rename_and_delete(fresh: Backend) -> None:
    database = Database(fresh.database_url)
    try:
        async with database.engine.begin() as conn:
            await conn.execute(sa.text(INSERT), {"id": 1, "uscc": "914403001922038216",
                                                 "name": "美尚AB鞋业"})
        assert await grams_of(database, 1) == {
            "美", "尚", "a", "b", "鞋", "业", "美尚", "尚a", "ab", "b鞋", "鞋业"}
        assert await found(fresh, "美尚") == ["914403001922038216"]
        assert await found(fresh, "aB") == ["914403001922038216"]  # ASCII case ignored
        async with database.engine.begin() as conn:
            await conn.execute(sa.text("UPDATE subject SET name = '京东商城' WHERE id = 1"))
        assert await found(fresh, "美尚") == []
        assert await found(fresh, "京东") == ["914403001922038216"]
        async with database.engine.begin() as conn:
            await conn.execute(sa.text("UPDATE subject SET phone = '1' WHERE id = 1"))
            await conn.execute(sa.text("DELETE FROM subject WHERE id = 1"))
        assert await grams_of(database, 1) == set()
        assert await found(fresh, "京") == []
    finally:
        await database.dispose()
