"""刷单炒信, kept by a job (docs/AUDIT.md, "Brushing signals, kept by a job"), on both backends:
``brushingSuspects`` reads the run ``credit-gateway brushing refresh`` last published — a ring
planted after it shows only once the job ran again, and ``brushingRun`` says which run; two
runs at once keep the later-started one's, whatever order they finish in; a reader holding a
run finds its rows until two more runs were published; before any run the answer says so."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import pytest

from resolvers.data.database import Database
from resolvers.data.queries import brushing_store
from resolvers.domain import clock
from resolvers.domain.enums import Role
from tests.conftest import (
    Backend,
    GraphQLClient,
    Writers,
    command,
    issue_writers,
    sql_execute,
    sql_rows,
    writable_database,
    writer_client,
)
from tests.roles import new_key
from tests.writes.conftest import unique

CANDIDATES = """{ listCandidates(first: 100, status: PENDING) { edges { node { summary
  subject { uscc } rule { code } evidence { ... on Rating { rater { uscc } ratee { uscc } } } } } } }"""
RUN = "{ brushingRun { computedAt computedOn windowStart windowEnd ratings suspects } }"
RINGS = """{ brushingRun { computedAt } brushingSuspects(filter: {signals: [RATING_RING]},
  first: 100) { subject { uscc } evidence { signal partners { uscc } ratings } } }"""


@pytest.fixture(scope="module")
async def own(backend: Backend,
              tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Backend]:
    """A database of this module's own: its planted ring and its runs touch no other test."""
    async with writable_database(backend, tmp_path_factory.mktemp("brushing"),
                                 "brushing") as database:
        yield database


@pytest.fixture(scope="module")
async def own_writers(own: Backend) -> Writers:
    return await issue_writers(own)


@pytest.fixture(scope="module")
async def auditor(own: Backend) -> str:
    return await new_key(own, Role.AUDITOR)


def refresh_command(backend: Backend) -> str:
    """``credit-gateway brushing refresh``: the brushing job."""
    return command(backend, "brushing", "refresh")


async def ring_members(client: GraphQLClient) -> tuple[str, dict[str, list[set[str]]]]:
    """When the run shown was computed, and each RATING_RING suspect's partners, ring by
    ring."""
    data = await client.data(RINGS)
    return data["brushingRun"]["computedAt"], {
        s["subject"]["uscc"]: [{p["uscc"] for p in e["partners"]} for e in s["evidence"]
                               if e["signal"] == "RATING_RING"]
        for s in data["brushingSuspects"]}


async def test_suspects_are_the_job_s_run_until_it_runs_again(
        own: Backend, own_writers: Writers, auditor: str) -> None:
    today = clock.today()
    async with writer_client(own, auditor) as client:
        run = (await client.data(RUN))["brushingRun"]
        before, suspects = await ring_members(client)
        # merchants the run found in no ring, never black-listed (the list rules skip those)
        merchants = [row[0] for row in await sql_rows(own.database_url, (
            "SELECT uscc FROM subject WHERE kind = 'MERCHANT' AND id NOT IN (SELECT subject_id "
            "FROM list_entry WHERE list_kind = 'BLACK') ORDER BY id DESC"))
            if row[0] not in suspects]
    ((window,),) = await sql_rows(own.database_url, (
        f"SELECT count(*) FROM rating WHERE rated_on BETWEEN '{run['windowStart']}' AND "
        f"'{run['windowEnd']}'"))
    assert run["computedOn"] == today.isoformat()  # the seed's own first run
    assert run["windowEnd"] <= today.isoformat()
    assert run["ratings"] == window > 0
    assert run["suspects"] >= len(suspects) > 0
    # two rings sharing x: x is rated by the first (with y) and rates in the second (with
    # two accounts of its own), so x has two RATING_RING signals
    a1, a2, a3, x, y, b1, b2, c1, c2 = merchants[:9]
    rings = [([a1, a2, a3], [x, y]), ([x, b1, b2], [c1, c2])]
    async with writer_client(own, own_writers.keys["platform"]) as platform:
        pairs = [(rater, ratee) for raters, ratees in rings for rater in raters
                 for ratee in ratees]
        for day, (rater, ratee) in enumerate(pairs):
            for n in range(4):
                await platform.data(
                    "mutation($i: RecordRatingInput!) { recordRating(input: $i) { id } }",
                    {"i": {"platform": own_writers.platforms[0], "rater": rater,
                           "ratee": ratee, "orderReference": unique("B"), "score": 5,
                           "comment": "好评返现",
                           "ratedOn": (today - timedelta(days=3 + (day + n) % 5)).isoformat()}})
    async with writer_client(own, auditor) as client:
        # the writes committed, the job has not run: the run shown is the one before them
        assert await ring_members(client) == (before, suspects)
        printed = refresh_command(own)
        after, found = await ring_members(client)
        now = (await client.data(RUN))["brushingRun"]
    assert printed.startswith(f"brushing signals as of {today.isoformat()} (run ")
    assert f"{now['suspects']} suspect(s), {now['ratings']} rating(s) read" in printed
    assert after > before
    # the window follows the latest rating: now the ring's, within the last week
    assert now["windowEnd"] >= (today - timedelta(days=7)).isoformat()
    ((window,),) = await sql_rows(own.database_url, (
        f"SELECT count(*) FROM rating WHERE rated_on BETWEEN '{now['windowStart']}' AND "
        f"'{now['windowEnd']}'"))
    assert now["ratings"] == window >= 48
    # every member found, its partners the other side of its ring; x in both rings
    for raters, ratees in rings:
        for rater in set(raters) - {x}:
            assert found[rater] == [set(ratees)]
        for ratee in set(ratees) - {x}:
            assert found[ratee] == [set(raters)]
    assert sorted(found[x], key=len) == [{c1, c2}, {a1, a2, a3}]
    # the list rules read the same run: x's black-list candidate cites both rings' ratings
    assert "BLACK_RATING_RING      BLACK      1 new" in command(own, "lists", "propose",
                                                                "--subject", x)
    async with writer_client(own, auditor) as client:
        listed = (await client.data(CANDIDATES))["listCandidates"]["edges"]
    [candidate] = [e["node"] for e in listed if e["node"]["subject"]["uscc"] == x
                   and e["node"]["rule"]["code"] == "BLACK_RATING_RING"]
    cited = [(r["rater"]["uscc"], r["ratee"]["uscc"]) for r in candidate["evidence"]]
    assert sorted(cited) == sorted([(rater, x) for rater in (a1, a2, a3)] * 4
                                   + [(x, ratee) for ratee in (c1, c2)] * 4)
    assert "与5个主体互评20次" in candidate["summary"]


async def test_two_runs_at_once_keep_the_later_started_run(
        own: Backend, auditor: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The interleaving: run A takes its id and reads the facts, run B starts later and
    publishes first, then A finishes — A must not replace B (B read fresher facts)."""
    compute = brushing_store.compute
    a_computing, a_may_finish = asyncio.Event(), asyncio.Event()
    calls = 0

    async def held(conn: Any, today: date) -> Any:
        nonlocal calls
        calls += 1
        found = await compute(conn, today)
        if calls == 1:  # run A: hold it between reading the facts and publishing
            a_computing.set()
            await a_may_finish.wait()
        return found

    monkeypatch.setattr(brushing_store, "compute", held)
    database = Database(own.database_url)
    try:
        a = asyncio.create_task(brushing_store.refresh(database, clock.today()))
        await a_computing.wait()
        b = await brushing_store.refresh(database, clock.today())
        a_may_finish.set()
        a_done = await a
    finally:
        await database.dispose()
    assert b.own > a_done.own
    assert b.current is not None
    assert b.current.id == b.own
    assert not b.superseded
    assert a_done.superseded
    assert a_done.current == b.current
    runs = await sql_rows(own.database_url, "SELECT id FROM brushing_run ORDER BY id")
    assert a_done.own not in {row[0] for row in runs}  # the discarded run left nothing
    async with writer_client(own, auditor) as client:
        shown = (await client.data(RUN))["brushingRun"]
    assert shown["computedAt"] == b.current.finished_at.isoformat()


async def test_a_reader_holding_a_run_finds_its_rows_until_two_more_are_published(
        own: Backend) -> None:
    database = Database(own.database_url)
    try:
        held = (await brushing_store.refresh(database, clock.today())).current
        assert held is not None

        async def rows_of_held() -> list[tuple[int, float]]:
            async with database.read_session() as session:
                return await brushing_store.ranked(session, held.id, first=100)

        first = await rows_of_held()
        assert first
        await brushing_store.refresh(database, clock.today())
        assert await rows_of_held() == first  # the run after it was published: still there
        await brushing_store.refresh(database, clock.today())
        assert await rows_of_held() == []  # the run after next: gone
        runs = await sql_rows(own.database_url, "SELECT count(*) FROM brushing_run")
    finally:
        await database.dispose()
    assert runs == [(2,)]  # the current run and the one before it


async def test_before_the_first_run_the_answer_says_so(own: Backend, auditor: str) -> None:
    for table in ("brushing_evidence", "brushing_suspect", "brushing_run"):
        await sql_execute(own.database_url, f"DELETE FROM {table}")
    try:
        async with writer_client(own, auditor) as client:
            run = await client.post(RUN)
            body = await client.post(RINGS)
    finally:
        refresh_command(own)
    assert run == {"data": {"brushingRun": None}}
    assert body["data"] is None  # brushingSuspects is a non-null list
    [error] = body["errors"]
    assert error["extensions"]["code"] == "NOT_COMPUTED"
    assert "credit-gateway brushing refresh" in error["message"]
