"""A database that answers with an error (not just one that is down) leaks nothing to the client:
the error is ``INTERNAL_SERVER_ERROR`` with a generic message — no SQL, no table or driver names,
no stack trace — the rest of the answer still arrives, and a write that fails half-way leaves
nothing behind."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa

from resolvers.data.database import Database
from resolvers.data.migrate import upgrade
from resolvers.demo.seeding import seed_database
from resolvers.domain.enums import Role
from tests.conftest import Backend, app_client, writer_client
from tests.roles import new_key, regulator_key
from tests.writes.conftest import penalty_input

LEAKS = ("SELECT", "INSERT", "FROM ", "sqlalchemy", "asyncpg", "aiosqlite", "sqlite3",
         "UndefinedTable", "no such table", "does not exist", "Traceback", "_broken")
SUBJECTS = "{ subjects(first: 3) { edges { node { uscc name licenses { totalCount } } } } }"
PUBLISH = "mutation($i: PublishPenaltyInput!) { publishPenalty(input: $i) { id } }"
COUNT = "query($u: USCC!) { subject(uscc: $u) { penalties(first: 0) { totalCount } } }"


@pytest.fixture
async def small(empty_url: str, backend: Backend) -> AsyncIterator[Backend]:
    await upgrade(empty_url)
    database = Database(empty_url)
    try:
        await seed_database(database, subjects=12, seed=3, progress=False)
        yield Backend(backend.name, empty_url, backend.redis_url, f"{backend.cache_prefix}-h")
    finally:
        await database.dispose()


async def rename(url: str, table: str, to: str) -> None:
    database = Database(url)
    try:
        async with database.session() as session:
            connection = await session.connection()
            await connection.execute(sa.text(f"ALTER TABLE {table} RENAME TO {to}"))
            await session.commit()
    finally:
        await database.dispose()


def assert_nothing_leaks(text: str) -> None:
    for leak in LEAKS:
        assert leak.lower() not in text.lower(), (leak, text)


async def test_a_failing_query_is_a_generic_error_beside_the_data_that_worked(
        small: Backend) -> None:
    await rename(small.database_url, "license", "license_broken")
    async with app_client(small) as client:
        body = await client.post(SUBJECTS)
    assert {error["extensions"]["code"] for error in body["errors"]} == {"INTERNAL_SERVER_ERROR"}
    assert {error["message"] for error in body["errors"]} == {"Internal server error."}
    assert_nothing_leaks(client.last.text if client.last else "")
    # the subjects themselves were read: only the broken relation is missing
    assert body["data"] is None or len(body["data"]["subjects"]["edges"]) == 3


async def test_a_write_failing_half_way_leaves_nothing_behind(small: Backend) -> None:
    key = await regulator_key(small)  # a market-regulation key: it publishes penalties
    async with app_client(small) as reader:
        subjects = await reader.data("{ subjects(first: 5, filter: {kind: MERCHANT}) "
                                     "{ edges { node { uscc } } } }")
        uscc = subjects["subjects"]["edges"][0]["node"]["uscc"]
        before = (await reader.data(COUNT, {"u": uscc}))["subject"]["penalties"]["totalCount"]
    # the penalty row is written first, its audit event in the same transaction: that fails
    await rename(small.database_url, "audit_event", "audit_event_broken")
    try:
        async with writer_client(small, key) as writer:
            body = await writer.post(PUBLISH, {"i": penalty_input(uscc)})
            assert [e["extensions"]["code"] for e in body["errors"]] == ["INTERNAL_SERVER_ERROR"]
            assert_nothing_leaks(writer.last.text if writer.last else "")
    finally:
        await rename(small.database_url, "audit_event_broken", "audit_event")
    async with app_client(small) as reader:
        after = (await reader.data(COUNT, {"u": uscc}))["subject"]["penalties"]["totalCount"]
    assert after == before


PERSONAL = "query Audit { subjects(first: 3) { edges { node { uscc phone } } } }"


async def test_a_failing_extension_hook_is_coded_logged_and_leaks_nothing(
        small: Backend, caplog: pytest.LogCaptureFixture) -> None:
    # the access log is written by an extension once the operation ran (gateway/access_log.py):
    # when that write fails, the answer is a generic coded error and the server log has it
    auditor = await new_key(small, Role.AUDITOR)
    await rename(small.database_url, "access_log", "access_log_broken")
    try:
        async with writer_client(small, auditor) as client:
            with caplog.at_level(logging.ERROR, logger="credit_gateway.errors"):
                body = await client.post(PERSONAL)
            text = client.last.text if client.last else ""
    finally:
        await rename(small.database_url, "access_log_broken", "access_log")
    assert [e.get("extensions", {}).get("code") for e in body["errors"]] == [
        "INTERNAL_SERVER_ERROR"], text
    assert [e["message"] for e in body["errors"]] == ["Internal server error."]
    assert_nothing_leaks(text)
    assert body.get("data") is None  # the personal data read is never delivered unlogged
    logged = [record for record in caplog.records if record.name == "credit_gateway.errors"]
    assert logged, "the failure was not logged"
    assert "access_log" in "".join(logging.Formatter().format(record) for record in logged)
