"""``credit-gateway seed`` and the demo generator: deterministic content on both backends, the
invariants the rest of the suite relies on, and one-line errors."""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel
from stdnum.cn import ric

import resolvers.demo.seeding as seeding
from gateway.cli.main import cli
from resolvers.data.database import Database
from resolvers.data.migrate import upgrade
from resolvers.demo import _producer
from resolvers.demo._calendar import REFERENCE_DATE
from resolvers.demo.generator import COLUMNS, TABLES, DemoGenerator, Row
from resolvers.domain import regions, uscc
from resolvers.domain.publicity import add_months
from resolvers.domain.workdays import add_workdays
from tests.conftest import SEED, SEED_SUBJECTS, Backend, sql_rows

NATURAL_KEYS = {
    "subject": ("uscc",),
    "license": ("authority_code", "decision_number"),
    "penalty": ("authority_code", "decision_number"),
    "rating": ("platform_id", "order_reference", "rater_id"),
    "commitment": ("subject_id", "kind", "committed_on"),
    "complaint": ("channel", "reference"),
    "logistics_link": ("merchant_id", "carrier_id", "period_start"),
}


def canonical(value: object) -> object:
    """One spelling per value whatever the backend returns: UTC timestamps without zone,
    decimals without trailing zeros, enums as their stored value."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # SQLite hands back naive UTC, PostgreSQL aware
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, Enum):
        return value.value
    return value


def digest(tables: Iterable[tuple[str, Iterable[Row]]]) -> str:
    hasher = hashlib.sha256()
    for table, rows in tables:
        for row in rows:
            hasher.update(repr((table, tuple(canonical(v) for v in row))).encode())
    return hasher.hexdigest()


def generated_digest(subjects: int, seed: int, batch_size: int = 5_000) -> str:
    per_table: dict[str, list[Row]] = {table: [] for table in TABLES}
    for table, row in DemoGenerator(subjects=subjects, seed=seed).rows(batch_size):
        per_table[table].append(row)
    return digest(per_table.items())


async def stored_digest(url: str) -> str:
    """The digest of every credit table's rows, read back in id order."""
    database = Database(url)
    try:
        async with database.engine.connect() as conn:
            tables = []
            for name in TABLES:
                table = SQLModel.metadata.tables[name]
                query = sa.select(*(table.c[c] for c in COLUMNS[name])).order_by(table.c.id)
                tables.append((name, [tuple(r) for r in await conn.execute(query)]))
            return digest(tables)
    finally:
        await database.dispose()


async def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    # the command runs its own event loop, so it gets a thread of its own
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args), env=env)



# --- the generator alone -----------------------------------------------------------------


def test_generator_rows_depend_on_seed_only_not_on_batch_size() -> None:
    reference = generated_digest(SEED_SUBJECTS, SEED)
    assert generated_digest(SEED_SUBJECTS, SEED, batch_size=1) == reference
    assert generated_digest(SEED_SUBJECTS, SEED, batch_size=7) == reference
    assert generated_digest(SEED_SUBJECTS, SEED + 1) != reference


def test_rows_fill_every_column_of_the_tables() -> None:
    for table in TABLES:
        assert set(COLUMNS[table]) == set(SQLModel.metadata.tables[table].columns.keys()), table
    for table, row in DemoGenerator(subjects=20, seed=3).rows():
        assert len(row) == len(COLUMNS[table]), table


def test_distributions_at_a_few_thousand_subjects() -> None:
    subjects = 3_000
    kinds: Counter[str] = Counter()
    scores: Counter[int] = Counter()
    penalised, late, penalties = set(), 0, 0
    for table, row in DemoGenerator(subjects=subjects, seed=11).rows():
        values = dict(zip(COLUMNS[table], row, strict=True))
        if table == "subject":
            kinds[str(values["kind"])] += 1
        elif table == "rating":
            scores[int(str(values["score"]))] += 1
        elif table == "penalty":
            for amount in (values["fine"], values["confiscated"]):
                assert amount is None or (isinstance(amount, Decimal) and decimals(amount) <= 6)
            penalties += 1
            penalised.add(values["subject_id"])
            decided, published = values["decision_date"], values["published_on"]
            assert isinstance(decided, date)
            if isinstance(published, date) and published > add_workdays(decided, 7):
                late += 1
    assert 0.66 < kinds["MERCHANT"] / subjects < 0.78
    assert 0.14 < kinds["INDIVIDUAL_SELLER"] / subjects < 0.22
    assert kinds["LOGISTICS_FIRM"] >= 100
    assert kinds["PLATFORM"] >= 2
    assert 0.10 < len(penalised) / subjects < 0.20
    assert 0.02 < late / penalties < 0.15  # the disclosure-lag flag has work to do
    assert scores[5] > scores[4] > scores[3] > scores[2]  # skewed high


async def test_child_process_yields_the_same_chunks() -> None:
    expected = list(DemoGenerator(subjects=SEED_SUBJECTS, seed=SEED).chunks(16))
    received = [c async for c in _producer.in_process(SEED_SUBJECTS, SEED, 16)]
    assert [c.rows for c in received] == [c.rows for c in expected]


# --- seeded databases ----------------------------------------------------------------------


async def test_seeded_database_holds_exactly_the_generated_rows(seeded: Backend) -> None:
    # byte-identical content on SQLite and PostgreSQL: both equal the generator's own rows
    assert await stored_digest(seeded.database_url) == generated_digest(SEED_SUBJECTS, SEED)


def decimals(amount: Decimal) -> int:
    exponent = amount.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


async def rows(conn: AsyncConnection, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in await conn.execute(sa.text(sql))]


async def test_seeded_invariants(seeded: Backend) -> None:
    database = Database(seeded.database_url)
    try:
        async with database.engine.connect() as conn:
            subjects = await rows(conn, "SELECT id, uscc, region_code, kind, legal_rep_id_type, "
                                        "legal_rep_id_number FROM subject")
            kind_of = {r[0]: r[3] for r in subjects}
            current = {r.code for r in regions.current_counties()}
            assert len(subjects) == SEED_SUBJECTS
            for _, code, region, _, id_type, id_number in subjects:
                assert uscc.is_valid(str(code)), code
                assert region in current
                assert str(code)[2:8] == region
                if id_type == "RESIDENT_ID":
                    assert ric.is_valid(str(id_number)), id_number
            assert {"PLATFORM", "LOGISTICS_FIRM", "MERCHANT"} <= set(kind_of.values())
            for table, key in NATURAL_KEYS.items():
                columns = ", ".join(key)
                duplicates = await rows(conn, f"SELECT {columns} FROM {table} GROUP BY "
                                              f"{columns} HAVING count(*) > 1")
                assert duplicates == [], table
            links = await rows(conn, "SELECT merchant_id, carrier_id, parcels, empty_parcels "
                                     "FROM logistics_link")
            assert {kind_of[carrier] for _, carrier, _, _ in links} == {"LOGISTICS_FIRM"}
            linked = {merchant for merchant, _, _, _ in links}
            assert {s for s, k in kind_of.items() if k == "MERCHANT"} <= linked
            # brushing suspects ship many empty parcels (空包)
            assert any(int(str(e)) > int(str(p)) // 5 for _, _, p, e in links)
            kinds = {r[0] for r in await rows(conn, "SELECT list_kind FROM list_entry")}
            assert kinds == {"BLACK", "RED"}
    finally:
        await database.dispose()


async def test_penalty_amounts_and_publicity(seeded: Backend) -> None:
    database = Database(seeded.database_url)
    months = {"MINOR": 3, "GENERAL": 12, "SERIOUS": 36}
    try:
        async with database.engine.connect() as conn:
            # read amounts as text, as stored, so SQLite's REAL cannot hide extra digits
            penalties = await rows(conn, "SELECT CAST(fine AS TEXT), CAST(confiscated AS TEXT), "
                                         "severity, decision_date, publicity_end, source "
                                         "FROM penalty")
    finally:
        await database.dispose()
    assert penalties
    amounts = [Decimal(str(a)) for p in penalties for a in p[:2] if a is not None]
    assert amounts
    assert all(decimals(a) <= 6 for a in amounts)
    for _, _, severity, decided, ends, source in penalties:
        decided = date.fromisoformat(str(decided)[:10])
        assert date.fromisoformat(str(ends)[:10]) == add_months(decided, months[str(severity)])
        assert decided <= REFERENCE_DATE
        assert source in ("MARKET_REGULATION", "COMMERCE")


async def test_ratings_and_complaints_come_through_platforms_and_hotlines(seeded: Backend) -> None:
    database = Database(seeded.database_url)
    try:
        async with database.engine.connect() as conn:
            ratings = await rows(conn, "SELECT r.source, r.source_code, p.uscc, p.kind, r.score "
                                       "FROM rating r JOIN subject p ON p.id = r.platform_id")
            complaints = await rows(conn, "SELECT channel, source FROM complaint")
    finally:
        await database.dispose()
    assert ratings
    for source, code, platform_code, kind, score in ratings:
        assert (source, kind) == ("PLATFORM", "PLATFORM")
        assert code == platform_code
        assert 1 <= int(str(score)) <= 5
    for channel, source in complaints:
        assert source == ("PLATFORM" if channel == "PLATFORM" else
                          "COMMERCE" if channel == "HOTLINE_12312" else "MARKET_REGULATION")


# --- the command ---------------------------------------------------------------------------


async def test_seed_help_names_every_option() -> None:
    result = await invoke("seed", "--help")
    assert result.exit_code == 0
    for option in ("--subjects", "--seed", "--batch-size", "--replace", "--quiet"):
        assert option in result.output


async def test_non_empty_database_is_refused_without_replace(seeded: Backend) -> None:
    result = await invoke("seed", "--subjects", "10", "--quiet", env=seeded.env)
    assert result.exit_code == 1
    assert f"already holds {SEED_SUBJECTS} subjects" in result.output
    assert "--replace" in result.output
    assert "Traceback" not in result.output
    assert await stored_digest(seeded.database_url) == generated_digest(SEED_SUBJECTS, SEED)


async def test_unmigrated_database_asks_for_migrate(empty_url: str) -> None:
    result = await invoke("seed", "--subjects", "10", "--quiet", env={"DATABASE_URL": empty_url})
    assert result.exit_code == 1
    assert "run `credit-gateway migrate` first" in result.output
    assert "Traceback" not in result.output


async def test_unreachable_database_is_one_line() -> None:
    url = "postgresql://postgres:secret@127.0.0.1:9/nowhere"
    result = await invoke("seed", "--quiet", env={"DATABASE_URL": url})
    assert result.exit_code == 1
    assert "cannot reach the database" in result.output
    assert "secret" not in result.output
    assert len(result.output.strip().splitlines()) == 1


async def test_other_seed_then_replace_gives_the_same_content(
    backend: Backend, empty_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await upgrade(empty_url)
    env = {"DATABASE_URL": empty_url}
    first = await invoke("seed", "--subjects", str(SEED_SUBJECTS), "--seed", "8", "--quiet",
                         env=env)
    assert first.exit_code == 0, first.output
    counts = {line.split()[0]: line.split()[-1] for line in first.output.splitlines()
              if line.split() and line.split()[0] in (*TABLES, "total")}
    assert list(counts) == [*TABLES, "total"]
    assert counts["subject"] == str(SEED_SUBJECTS)
    assert first.output.rstrip().endswith("rows/s")
    assert await stored_digest(empty_url) != generated_digest(SEED_SUBJECTS, SEED)

    # the replacement goes through the child-process producer and another batch size
    monkeypatch.setattr(seeding, "PROCESS_MIN_SUBJECTS", 1)
    again = await invoke("seed", "--subjects", str(SEED_SUBJECTS), "--seed", str(SEED),
                         "--batch-size", "13", "--replace", "--quiet", env=env)
    assert again.exit_code == 0, again.output
    assert await stored_digest(empty_url) == generated_digest(SEED_SUBJECTS, SEED)

    # ids were the generator's; the next insert continues after them on both backends
    database = Database(empty_url)
    try:
        async with database.engine.begin() as conn:
            subject = SQLModel.metadata.tables["subject"]
            copied = (await conn.execute(sa.select(subject).where(subject.c.id == 1))).one()
            values = {**copied._asdict(), "uscc": uscc.build("9", "1", "110101", "MA000001")}
            del values["id"]
            new_id = (await conn.execute(subject.insert().values(values)
                                         .returning(subject.c.id))).scalar_one()
        assert new_id == SEED_SUBJECTS + 1
    finally:
        await database.dispose()


async def test_small_batches_whose_records_name_later_subjects_seed_cleanly(
    empty_url: str,
) -> None:
    """With batches of 10 subjects, ratings and carriers point into later batches: foreign keys
    must be checked at the end, not per batch (an empty database, no --replace)."""
    from resolvers.data.migrate import upgrade
    from resolvers.demo.seeding import seed_database

    await upgrade(empty_url)
    database = Database(empty_url)
    try:
        report = await seed_database(database, subjects=SEED_SUBJECTS, seed=SEED, progress=False,
                                     batch_size=10)
    finally:
        await database.dispose()
    assert report.counts["subject"] == SEED_SUBJECTS
    assert await stored_digest(empty_url) == generated_digest(SEED_SUBJECTS, SEED)


async def test_seed_leaves_planner_statistics_and_visibility(seeded: Backend) -> None:
    """A fresh load is analysed (and on PostgreSQL vacuumed) before ``seed`` returns: without
    statistics a search planned a merge join over every subject (docs/SEARCH.md)."""
    if seeded.name == "sqlite":
        analysed = await sql_rows(seeded.database_url, "SELECT DISTINCT tbl FROM sqlite_stat1")
        assert {"subject", "subject_name_gram"} <= {row[0] for row in analysed}
        return
    tables = await sql_rows(seeded.database_url, """
        SELECT c.relname, c.relallvisible, s.last_analyze
          FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
         WHERE c.relname IN ('subject', 'subject_name_gram')""")
    assert len(tables) == 2
    for name, all_visible, analysed in tables:
        assert all_visible > 0, name  # the visibility map: index-only scans stay in the index
        assert analysed is not None, name  # by seed itself, not by autovacuum some time later
