"""Stored public grades (docs/CREDIT_GRADE.md, "The stored grade"), on both backends: ``stats``
counts subjects by the grade ``creditGrade`` shows; ``subjects`` filters and sorts by it, paged
both ways; a write moves a subject's stored grade and the counts at once; the daily job
``credit-gateway grades refresh`` regrades rows of an earlier day, idempotently, also when two
runs race, and resumes after a run died between chunks."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import pytest
from click.testing import CliRunner

from gateway.cli.main import cli
from gateway.settings import Settings
from resolvers.cache import create_cache
from resolvers.data.database import Database
from resolvers.data.queries import grade_store
from resolvers.domain import clock
from resolvers.writes import grades
from tests.conftest import (
    Backend,
    GraphQLClient,
    Writers,
    app_client,
    issue_writers,
    sql_rows,
    writable_database,
    writer_client,
)
from tests.writes.conftest import penalty_input

ALL_GRADES = """query($after: String) { subjects(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } edges { node { uscc creditGrade { grade } } } } }"""
COUNTS = "{ stats { gradesAsOf subjects(by: GRADE) { key label count } } }"
ORDERED = """query($first: Int, $after: String, $last: Int, $before: String,
                  $filter: SubjectFilter, $direction: Direction) {
  subjects(first: $first, after: $after, last: $last, before: $before, filter: $filter,
           orderBy: {field: GRADE, direction: $direction}) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node { uscc } } } }"""
DAY = 86_400


async def graded(client: GraphQLClient) -> list[tuple[str, str]]:
    """(USCC, the grade ``creditGrade`` shows) of every subject, in creation order."""
    found: list[tuple[str, str]] = []
    after = None
    while True:
        page = (await client.data(ALL_GRADES, {"after": after}))["subjects"]
        found += [(e["node"]["uscc"], e["node"]["creditGrade"]["grade"]) for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


async def counts(client: GraphQLClient) -> tuple[dict[str, int], str]:
    stats = (await client.data(COUNTS))["stats"]
    return {b["key"]: b["count"] for b in stats["subjects"]}, stats["gradesAsOf"]


async def walk(client: GraphQLClient, size: int, *, backwards: bool = False,
               flt: dict[str, Any] | None = None, direction: str = "ASC") -> list[str]:
    """Every USCC of the GRADE order, page by page, forwards or from the end backwards."""
    codes: list[str] = []
    cursor = None
    while True:
        asked = ({"last": size, "before": cursor} if backwards
                 else {"first": size, "after": cursor})
        page = (await client.data(ORDERED, {**asked, "filter": flt,
                                            "direction": direction}))["subjects"]
        got = [e["node"]["uscc"] for e in page["edges"]]
        codes = got + codes if backwards else codes + got
        info = page["pageInfo"]
        if not (info["hasPreviousPage"] if backwards else info["hasNextPage"]):
            return codes
        cursor = info["startCursor"] if backwards else info["endCursor"]


async def test_counts_by_grade_are_the_grades_every_subject_shows(
        client: GraphQLClient) -> None:
    shown = await graded(client)
    found, as_of = await counts(client)
    assert found == dict(Counter(grade for _, grade in shown))
    assert as_of == clock.today().isoformat()
    for letter in "ABCD":
        page = await client.data("query($g: [CreditGradeLetter!]) { subjects(filter: "
                                 "{grade: $g}) { totalCount } }", {"g": [letter]})
        assert page["subjects"]["totalCount"] == found.get(letter, 0)
    assert len(found) >= 3, "the demo data has subjects of several grades"


async def test_filter_and_order_by_grade_page_both_ways(client: GraphQLClient) -> None:
    shown = await graded(client)
    rank = dict(shown)
    best_first = [code for code, _ in sorted(shown, key=lambda item: item[1])]  # stable: by id
    assert await walk(client, 30) == best_first
    assert await walk(client, 30, backwards=True) == best_first
    assert await walk(client, 45, direction="DESC") == best_first[::-1]
    assert await walk(client, 45, direction="DESC", backwards=True) == best_first[::-1]
    middle = [code for code in best_first if rank[code] in ("B", "C")]
    flt = {"grade": ["C", "B"]}
    assert await walk(client, 8, flt=flt) == middle
    assert await walk(client, 8, flt=flt, backwards=True) == middle
    # a cursor pages its own order only
    page = (await client.data(ORDERED, {"first": 2}))["subjects"]
    assert await client.error_codes(
        "query($a: String) { subjects(first: 2, after: $a) { totalCount } }",
        {"a": page["pageInfo"]["endCursor"]}) == ["INVALID_CURSOR"]


@pytest.fixture(scope="module")
async def own(backend: Backend,
              tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Backend]:
    """A database of this module's own: its writes and its moved clock touch no other test."""
    async with writable_database(backend, tmp_path_factory.mktemp("grades"), "grades") as db:
        yield db


@pytest.fixture(scope="module")
async def own_writers(own: Backend) -> Writers:
    return await issue_writers(own)


async def test_a_write_moves_the_stored_grade_and_the_counts_at_once(
        own: Backend, own_writers: Writers) -> None:
    in_grade = ("query($g: [CreditGradeLetter!]) { subjects(filter: {grade: $g}, first: 100) "
                "{ edges { node { uscc } } } }")
    # one app for the reads and the write: the write's purge reaches its cached answers
    async with writer_client(own, own_writers.keys["market"]) as market:
        before, _ = await counts(market)
        await counts(market)
        assert market.last is not None
        assert market.last.headers["x-cache"] == "HIT"
        page = await market.data('{ subjects(first: 1, filter: {grade: [A], kind: MERCHANT}) '
                                 "{ edges { node { uscc } } } }")
        (edge,) = page["subjects"]["edges"]
        uscc = edge["node"]["uscc"]
        recent = (clock.today() - timedelta(days=10)).isoformat()
        await market.data("mutation($i: PublishPenaltyInput!) { publishPenalty(input: $i) "
                          "{ id } }", {"i": penalty_input(uscc, severity="SERIOUS",
                                                         decisionDate=recent,
                                                         publishedOn=recent)})
        after, _ = await counts(market)
        async with app_client(own) as public:
            shown = await public.data("query($u: USCC!) { subject(uscc: $u) { creditGrade "
                                      "{ grade } } }", {"u": uscc})
        now = shown["subject"]["creditGrade"]["grade"]
        member = await market.data(in_grade, {"g": [now]})
        still_a = await market.data(in_grade, {"g": ["A"]})
    assert now != "A"  # −30: a serious penalty of the last year
    assert after["A"] == before["A"] - 1
    assert after[now] == before.get(now, 0) + 1
    assert uscc in {e["node"]["uscc"] for e in member["subjects"]["edges"]}
    assert uscc not in {e["node"]["uscc"] for e in still_a["subjects"]["edges"]}


def refresh_command(backend: Backend, offset: int) -> str:
    """``credit-gateway grades refresh`` on ``backend`` with its clock ``offset`` seconds on:
    the command itself (Click's runner, in a thread of its own: its own event loop and
    connection, without a process's start-up time); its output."""
    result = CliRunner().invoke(cli, ["grades", "refresh"], env={
        **backend.env, "CREDIT_GATEWAY_CLOCK_OFFSET": str(offset)})
    assert result.exit_code == 0, result.output
    return result.output


def regraded(out: str) -> int:
    return int(out.split(": ", 1)[1].split(" ", 1)[0])


async def refresh_here(backend: Backend, today: date) -> int:
    """The job the command runs, in this process, purging as the command does."""
    settings = Settings(database_url=backend.database_url, redis_url=backend.redis_url,
                        cache_prefix=backend.cache_prefix)
    database = Database(backend.database_url)
    tags = create_cache(settings.redis_url, prefix=settings.cache_prefix,
                        ttl=settings.cache_ttl, journal=settings.tag_journal_path)
    try:
        return (await grades.refresh(database, today, tags)).graded
    finally:
        await tags.aclose()
        await database.dispose()


async def test_the_daily_job_regrades_older_rows_once_even_when_two_run(
        own: Backend) -> None:
    today = clock.today()
    tomorrow = today + timedelta(days=1)
    try:
        # the command's cache prefix: the job's purge reaches this app's cached answers
        async with app_client(own, clock_offset=str(DAY),
                              cache_prefix=own.cache_prefix) as client:
            stale, as_of = await counts(client)
            # until the job ran, tomorrow's dashboards count the grades stored today
            assert as_of == today.isoformat()
            # two runs at once, each on a connection of its own: the command, and the job
            out, here = await asyncio.gather(asyncio.to_thread(refresh_command, own, DAY),
                                             refresh_here(own, tomorrow))
            subjects = len(await graded(client))
            if own.name == "postgres":  # each chunk claims its rows: none is graded twice
                assert here + regraded(out) == subjects
            else:  # SQLite serialises the two runs' transactions; each grade stored is current
                assert here + regraded(out) >= subjects
            assert await refresh_here(own, tomorrow) == 0  # idempotent: nothing older is left
            found, as_of = await counts(client)
            shown = await graded(client)
    finally:
        clock.set_offset(0)  # the app set the process's clock a day on
    assert as_of == tomorrow.isoformat()
    assert found == dict(Counter(grade for _, grade in shown))
    assert sum(stale.values()) == sum(found.values()) == subjects


class Killed(Exception):
    """The job's process dying between two chunks."""


async def test_a_run_killed_between_chunks_resumes_where_it_stopped(
        own: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    later = clock.today() + timedelta(days=2)  # every stored row is of an earlier day
    monkeypatch.setattr(grade_store, "CHUNK", 10)
    chunk, calls = grade_store.refresh_chunk, []

    async def dying(conn: Any, after: int, today: date, **options: Any) -> Any:
        calls.append(after)
        if len(calls) == 3:
            raise Killed
        return await chunk(conn, after, today, **options)

    monkeypatch.setattr(grade_store, "refresh_chunk", dying)
    with pytest.raises(Killed):
        await refresh_here(own, later)
    monkeypatch.setattr(grade_store, "refresh_chunk", chunk)
    ((subjects,),) = await sql_rows(own.database_url, "SELECT count(*) FROM subject")
    ((done,),) = await sql_rows(own.database_url, "SELECT count(*) FROM subject_grade "
                                                  f"WHERE as_of = '{later.isoformat()}'")
    assert done == 20  # the two chunks committed before it died
    assert await refresh_here(own, later) == subjects - 20  # the rest, and only the rest
    assert await refresh_here(own, later) == 0
