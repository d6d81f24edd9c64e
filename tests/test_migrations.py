"""Migrations: the revisions build what the models declare, plus the subject-name search, on both
backends; ``credit-gateway migrate`` reports where it got to, or a one-line error."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TypeVar

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from resolvers.data.database import Database
from resolvers.data.migrate import (
    MigrationError,
    current_revision,
    downgrade,
    head_revision,
    pending_changes,
    upgrade,
)
from resolvers.data.models import Subject
from resolvers.domain.enums import Department, IdType, SubjectCategory, SubjectKind, SubjectStatus
from tests.conftest import Backend

T = TypeVar("T")


def a_subject() -> Subject:
    return Subject(
        source=Department.MARKET_REGULATION, uscc="91110000MA01ABCD1X",
        name="北京京东世纪贸易有限公司", kind=SubjectKind.PLATFORM,
        category=SubjectCategory.LEGAL_PERSON, region_code="110000",
        registered_on=date(2007, 4, 20), status=SubjectStatus.ACTIVE, legal_rep_name="张三",
        legal_rep_id_type=IdType.RESIDENT_ID, legal_rep_id_number="110101199001011234",
        address="北京市大兴区", phone="010-12345678",
    )


async def store_a_subject(url: str) -> None:
    """``a_subject`` stored by an older revision: only the columns it sets (the model may
    have columns a later migration adds)."""
    database = Database(url)
    subject = a_subject()
    values = {column.name: getattr(subject, column.name) for column in Subject.__table__.c  # type: ignore[attr-defined]
              if getattr(subject, column.name) is not None}
    try:
        async with database.session() as session:
            await session.exec(sa.insert(Subject).values(**values))
            await session.commit()
    finally:
        await database.dispose()



async def on(url: str, work: Callable[[Connection], T]) -> T:
    """Run ``work`` on a connection of the application's own engine and commit."""
    database = Database(url)
    try:
        async with database.engine.begin() as connection:
            return await connection.run_sync(work)
    finally:
        await database.dispose()


def table_names(connection: Connection) -> set[str]:
    return set(sa.inspect(connection).get_table_names())


async def test_upgrade_creates_every_table_of_the_models(empty_url: str) -> None:
    assert not set(SQLModel.metadata.tables) & await on(empty_url, table_names)

    await upgrade(empty_url)

    assert set(SQLModel.metadata.tables) <= await on(empty_url, table_names)
    assert await current_revision(empty_url) == head_revision()


async def test_migrated_fixture_is_at_head(migrated: Backend) -> None:
    assert await current_revision(migrated.database_url) == head_revision()


async def test_models_and_migrations_agree(migrated: Backend) -> None:
    assert await pending_changes(migrated.database_url) == []


async def test_agreement_check_reports_a_missing_index(empty_url: str) -> None:
    await upgrade(empty_url)
    await on(empty_url, lambda c: c.execute(sa.text("DROP INDEX ix_subject_region_code")))

    changes = await pending_changes(empty_url)

    assert [describe(change) for change in changes] == [("add_index", "ix_subject_region_code")]


def describe(change: object) -> tuple[object, object]:
    """An autogenerate diff entry as (operation, name of the object it concerns)."""
    assert isinstance(change, tuple), change
    return change[0], getattr(change[1], "name", None)


async def test_never_migrated_database_has_no_revision(empty_url: str) -> None:
    assert await current_revision(empty_url) is None


async def test_subject_names_are_searchable_by_substring(backend: Backend, empty_url: str) -> None:
    await upgrade(empty_url)
    await store_a_subject(empty_url)

    if backend.name == "sqlite":
        await _assert_fts_follows_subject(empty_url)
    else:
        await _assert_trigram_index_serves_like(empty_url)


async def _assert_fts_follows_subject(url: str) -> None:
    def names(connection: Connection, needle: str) -> list[str]:
        rows = connection.execute(
            sa.text("SELECT subject.name FROM subject_name_fts JOIN subject "
                    "ON subject.id = subject_name_fts.rowid WHERE subject_name_fts MATCH :q"),
            {"q": f'"{needle}"'},
        )
        return list(rows.scalars())

    assert await on(url, lambda c: names(c, "京东世纪")) == ["北京京东世纪贸易有限公司"]
    assert await on(url, lambda c: names(c, "天猫")) == []

    # the triggers keep the external-content index in step with updates and deletes
    await on(url, lambda c: c.execute(sa.text("UPDATE subject SET name = '杭州天猫网络有限公司'")))
    assert await on(url, lambda c: names(c, "京东世纪")) == []
    assert await on(url, lambda c: names(c, "天猫网络")) == ["杭州天猫网络有限公司"]

    await on(url, lambda c: c.execute(sa.text("DELETE FROM subject")))
    assert await on(url, lambda c: names(c, "天猫网络")) == []


async def _assert_trigram_index_serves_like(url: str) -> None:
    def plan(connection: Connection) -> str:
        # one row: forbid the sequential scan so the plan shows whether the index can serve LIKE
        connection.execute(sa.text("SET LOCAL enable_seqscan = off"))
        rows = connection.execute(
            sa.text("EXPLAIN SELECT id FROM subject WHERE name LIKE '%京东世纪%'"))
        return "\n".join(rows.scalars())

    definition = await on(url, lambda c: c.execute(sa.text(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_subject_name_trgm'")).scalar_one())
    assert "USING gin (name gin_trgm_ops)" in definition
    assert "ix_subject_name_trgm" in await on(url, plan)
    found = await on(url, lambda c: c.execute(sa.text(
        "SELECT name FROM subject WHERE name LIKE '%京东世纪%'")).scalars().all())
    assert found == ["北京京东世纪贸易有限公司"]


async def test_downgrade_to_base_then_upgrade_again(backend: Backend, empty_url: str) -> None:
    await upgrade(empty_url)

    await downgrade(empty_url, "base")

    assert await current_revision(empty_url) is None
    assert await on(empty_url, table_names) <= {"alembic_version"}
    if backend.name == "postgres":
        trigram = await on(empty_url, lambda c: c.execute(sa.text(
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_subject_name_trgm'")).scalar())
        assert trigram == 0

    await upgrade(empty_url)

    assert await current_revision(empty_url) == head_revision()
    assert await pending_changes(empty_url) == []


_DECISION_ROW = {
    "source": "MARKET_REGULATION", "created_at": datetime(2025, 10, 20, 1, tzinfo=UTC),
    "updated_at": datetime(2025, 10, 20, 1, tzinfo=UTC), "subject_id": 1, "content": "内容",
    "decision_date": date(2025, 9, 26), "authority": "测试市市场监督管理局",
    "authority_code": "914403001922038216",
}
_PENALTY = ("INSERT INTO penalty (source, created_at, updated_at, subject_id, decision_number, "
            "content, decision_date, published_on, authority, authority_code, violation_type, "
            "facts, legal_basis, category, severity, publicity_end) VALUES (:source, "
            ":created_at, :updated_at, :subject_id, :number, :content, :decision_date, "
            ":published, :authority, :authority_code, '虚假宣传', '事实', '依据', 'WARNING', "
            "'GENERAL', '2026-09-26')")
_LICENSE = ("INSERT INTO license (source, created_at, updated_at, subject_id, decision_number, "
            "content, decision_date, published_on, authority, authority_code, decision_title, "
            "category, valid_from, status) VALUES (:source, :created_at, :updated_at, "
            ":subject_id, :number, :content, :decision_date, :published, :authority, "
            ":authority_code, '食品经营许可决定书', 'GENERAL', '2025-09-26', 'VALID')")


async def test_0003_fills_the_disclosure_lag_of_existing_decisions(empty_url: str) -> None:
    await upgrade(empty_url, "0002")
    await store_a_subject(empty_url)
    # 2025 National Day: Oct 1–8 off, Sun Sep 28 and Sat Oct 11 worked (调休)
    rows = [(_PENALTY, "罚1", date(2025, 10, 14)), (_PENALTY, "罚2", None),
            (_LICENSE, "许1", date(2025, 10, 13))]

    def insert(connection: Connection) -> None:
        for statement, number, published in rows:
            connection.execute(sa.text(statement),
                               {**_DECISION_ROW, "number": number, "published": published})

    await on(empty_url, insert)

    await upgrade(empty_url, "0003")

    def lags(connection: Connection) -> dict[str, int | None]:
        found = connection.execute(sa.text(
            "SELECT decision_number, disclosure_lag_days FROM penalty UNION ALL "
            "SELECT decision_number, disclosure_lag_days FROM license"))
        return {str(number): lag for number, lag in found}

    # PRC working days, not Monday–Friday (which would give 12 and 11)
    assert await on(empty_url, lags) == {"罚1": 8, "罚2": None, "许1": 7}


async def test_unknown_revision_is_a_migration_error(empty_url: str) -> None:
    with pytest.raises(MigrationError, match="nope"):
        await upgrade(empty_url, "nope")


async def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    """``credit-gateway ARGS`` in-process, as a user would type it."""
    # Imported here so a half-finished sibling subcommand fails only the CLI tests.
    from gateway.cli.main import cli

    # The command runs its own event loop, so it gets a thread of its own.
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args), env=env)


async def test_cli_migrate_reports_revision_and_backend(backend: Backend, empty_url: str) -> None:
    url = empty_url
    if backend.name == "postgres":
        # trust authentication ignores the password, so the URL may carry one to hide
        url = url.replace("postgresql://postgres@", "postgresql://postgres:s3cret@")

    result = await invoke("migrate", env={"DATABASE_URL": url})

    assert result.exit_code == 0, result.output
    assert f"at revision {head_revision()} (head)" in result.output
    assert ("sqlite" if backend.name == "sqlite" else "postgresql") in result.output
    assert "s3cret" not in result.output
    assert await current_revision(empty_url) == head_revision()


async def test_cli_migrate_help() -> None:
    result = await invoke("migrate", "--help")

    assert result.exit_code == 0
    assert "--revision REV" in result.output
    assert "DATABASE_URL" in result.output


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://postgres:s3cret@127.0.0.1:1/nope", "127.0.0.1:1"),
        ("mysql://root@localhost/credit", "unsupported database 'mysql'"),
        ("not a url at all", "cannot be parsed"),
    ],
)
async def test_cli_migrate_fails_in_one_line(url: str, message: str) -> None:
    result = await invoke("migrate", env={"DATABASE_URL": url})

    assert result.exit_code == 1
    assert result.output.startswith("Error: migration failed: ")
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert "s3cret" not in result.output


_COMPLAINT = ("INSERT INTO complaint (source, source_code, created_at, updated_at, subject_id, "
              "channel, reference, summary, filed_on, status{extra}) VALUES (:source, :code, "
              "'2025-10-20 01:00:00', '2025-10-20 01:00:00', 1, :channel, 'T-1', '假货', "
              "'2025-10-19', 'RECEIVED'{values})")
_PLATFORM_A, _PLATFORM_B = "91330100799655058B", "91110108MA01PTF01K"


async def test_0008_scopes_platform_tickets_by_their_platform(empty_url: str) -> None:
    await upgrade(empty_url, "0007")
    await store_a_subject(empty_url)

    def before(connection: Connection) -> None:
        statement = sa.text(_COMPLAINT.format(extra="", values=""))
        connection.execute(statement, {"source": "PLATFORM", "code": _PLATFORM_A,
                                       "channel": "PLATFORM"})
        connection.execute(statement, {"source": "MARKET_REGULATION", "code": None,
                                       "channel": "HOTLINE_12315"})

    await on(empty_url, before)
    await upgrade(empty_url, "0008")

    def scoped(connection: Connection) -> list[tuple[str, str]]:
        return [(row.channel, row.platform_code) for row in connection.execute(sa.text(
            "SELECT channel, platform_code FROM complaint ORDER BY id"))]

    # the platform's complaint is backfilled with its platform; the hotline's stays national
    assert await on(empty_url, scoped) == [("PLATFORM", _PLATFORM_A), ("HOTLINE_12315", "")]
    after = sa.text(_COMPLAINT.format(extra=", platform_code", values=", :platform"))

    def another_platform(connection: Connection) -> None:  # the same ticket number: no clash
        connection.execute(after, {"source": "PLATFORM", "code": _PLATFORM_B,
                                   "channel": "PLATFORM", "platform": _PLATFORM_B})

    await on(empty_url, another_platform)

    def same_platform(connection: Connection) -> None:
        connection.execute(after, {"source": "PLATFORM", "code": _PLATFORM_A,
                                   "channel": "PLATFORM", "platform": _PLATFORM_A})

    with pytest.raises(sa.exc.IntegrityError):
        await on(empty_url, same_platform)


async def test_0011_fills_the_look_up_keys_of_stored_subjects(empty_url: str) -> None:
    await upgrade(empty_url, "0008")
    await store_a_subject(empty_url)  # phone 010-12345678, address 北京市大兴区
    await on(empty_url, lambda connection: connection.execute(sa.text(
        "UPDATE subject SET address = '北京市 大兴区 兴华大街３号'")))
    await upgrade(empty_url, "0011")

    def keys(connection: Connection) -> list[tuple[str, str]]:
        return [(row.phone_key, row.address_key) for row in connection.execute(sa.text(
            "SELECT phone_key, address_key FROM subject"))]

    assert await on(empty_url, keys) == [("01012345678", "兴华大街3号")]
