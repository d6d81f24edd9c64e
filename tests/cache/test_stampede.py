"""No midnight stampede, on both backends.

A cached answer expires when what it shows can change by the calendar (the earliest day a
record it shows enters or leaves publicity or force), not at every midnight; concurrent misses
of one response key compute once per process and, on Redis, once per deployment. The clock is
moved in-process (``resolvers.domain.clock.move``), as the benchmark moves a server's.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.settings import Settings
from resolvers.domain import clock
from tests.cache.test_response_cache import ask, subjects
from tests.conftest import Backend, GraphQLClient, app_client, sql_rows
from tests.gateway.test_cached_answers import widget

NAME = "query($u: USCC!) { subject(uscc: $u) { uscc name kind } }"


@pytest.fixture(autouse=True)
def restored_clock() -> Iterator[None]:
    yield
    clock.reset()


def move_to(day: date, at: time) -> None:
    """Set this process's clock to ``at`` on ``day`` in Beijing."""
    clock.move(datetime.combine(day, at, clock.CHINA) - clock.now())


def cross_midnight() -> None:
    """Move the clock to one second after the next 00:00 Beijing."""
    clock.move(timedelta(seconds=clock.seconds_until(clock.today() + timedelta(days=1)) + 1))


def shown(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert response.status_code == 200, body
    assert "errors" not in body, body
    subject: dict[str, Any] = body["data"]["subject"]
    return subject


async def test_an_answer_without_a_calendar_boundary_stays_a_hit_across_midnight(
        seeded: Backend) -> None:
    async with app_client(seeded) as client:
        (code,) = await subjects(client, 1)
        assert (await ask(client, NAME, {"u": code}))[0] == "MISS"
        assert (await ask(client, NAME, {"u": code}))[0] == "HIT"
        cross_midnight()
        state, data = await ask(client, NAME, {"u": code})
        assert state == "HIT", "an answer no calendar day changes expired at midnight"
        assert client.statements == 0
        assert data["subject"]["uscc"] == code


async def penalty_days(backend: Backend) -> list[tuple[str, date, date, date | None]]:
    """(USCC, published, publicity end, repaired) of every published penalty that is not MINOR,
    as dates on both backends."""
    def day(value: Any) -> date:
        return value if isinstance(value, date) else date.fromisoformat(value)

    rows = await sql_rows(backend.database_url, """
        SELECT s.uscc, p.published_on, p.publicity_end, p.repaired_on
        FROM penalty p JOIN subject s ON s.id = p.subject_id
        WHERE p.severity <> 'MINOR' AND p.published_on IS NOT NULL ORDER BY p.id""")
    return [(uscc, day(published), day(end), None if repaired is None else day(repaired))
            for uscc, published, end, repaired in rows]


async def test_a_widget_showing_a_penalty_whose_publicity_ends_tomorrow_expires_at_midnight(
        seeded: Backend) -> None:
    # a penalty in its publicity period on the day before its end
    rows = await penalty_days(seeded)
    code, end = next((uscc, end) for uscc, published, end, repaired in rows
                     if published < end - timedelta(days=1)
                     and (repaired is None or repaired >= end))
    async with app_client(seeded) as client:
        move_to(end - timedelta(days=1), time(12))
        miss = await widget(client, code)
        hit = await widget(client, code)
        assert (miss.headers["x-cache"], hit.headers["x-cache"]) == ("MISS", "HIT")
        before = shown(hit)["penalties"]["totalCount"]
        assert before >= 1
        cross_midnight()  # the penalty's publicity ended at 00:00
        after = await widget(client, code)
        assert after.headers["x-cache"] == "MISS", "an answer was served past its boundary"
        assert shown(after)["penalties"]["totalCount"] == before - 1


async def test_a_widget_expires_when_a_penalty_it_hides_enters_publicity(seeded: Backend) -> None:
    """The public view's SQL hides a penalty not yet published: the answer must still expire
    on its publication day (the subject's calendar is read when the answer is stored)."""
    rows = await penalty_days(seeded)
    code, published = next((uscc, published) for uscc, published, end, repaired in rows
                           if published < end and (repaired is None or repaired > published))
    async with app_client(seeded) as client:
        move_to(published - timedelta(days=1), time(23, 59))
        miss = await widget(client, code)
        hit = await widget(client, code)
        assert (miss.headers["x-cache"], hit.headers["x-cache"]) == ("MISS", "HIT")
        before = shown(hit)["penalties"]["totalCount"]
        cross_midnight()  # published at 00:00
        after = await widget(client, code)
        assert after.headers["x-cache"] == "MISS", "a hidden penalty's publication was missed"
        assert shown(after)["penalties"]["totalCount"] == before + 1


async def gathered(client: GraphQLClient, code: str, count: int) -> list[httpx.Response]:
    return list(await asyncio.gather(*(widget(client, code) for _ in range(count))))


def statements(responses: list[httpx.Response]) -> int:
    return sum(int(response.headers["x-sql-statements"]) for response in responses)


async def test_concurrent_misses_of_one_key_compute_once(seeded: Backend) -> None:
    async with app_client(seeded) as cold:
        codes = await subjects(cold, 2)
        one = statements([await widget(cold, codes[1])])
    async with app_client(seeded) as client:
        await subjects(client, 2)  # the same warm-up as above: the entity cache holds as much
        responses = await gathered(client, codes[1], 8)
        states = sorted(response.headers["x-cache"] for response in responses)
        print("concurrent X-Cache:", states, "statements:", statements(responses), "one:", one)
        assert states == ["HIT"] * 7 + ["MISS"]
        assert statements(responses) == one
        assert len({response.content for response in responses}) == 1


@asynccontextmanager
async def instance(backend: Backend, prefix: str) -> AsyncIterator[GraphQLClient]:
    """An app on ``backend`` whose cache namespace is ``prefix`` (two share one deployment)."""
    app = create_app(Settings(database_url=backend.database_url, redis_url=backend.redis_url,
                              cache_prefix=prefix))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway.test") as http:
            yield GraphQLClient(http)
    finally:
        await app.state.services.aclose()


async def test_two_instances_on_one_redis_compute_a_miss_once(seeded: Backend) -> None:
    if seeded.name != "postgres":
        pytest.skip("one deployment of several processes shares Redis")
    prefix = f"{seeded.cache_prefix}-{uuid.uuid4().hex[:8]}"
    async with app_client(seeded) as cold:
        codes = await subjects(cold, 3)
        one = statements([await widget(cold, codes[2])])
    async with instance(seeded, prefix) as first, instance(seeded, prefix) as second:
        await subjects(first, 3)
        await subjects(second, 3)
        responses = await asyncio.gather(*(widget(client, codes[2])
                                           for _ in range(4) for client in (first, second)))
        states = sorted(response.headers["x-cache"] for response in responses)
        print("two instances X-Cache:", states, "statements:", statements(list(responses)),
              "one:", one)
        assert states == ["HIT"] * 7 + ["MISS"]
        assert statements(list(responses)) == one


async def test_concurrent_misses_that_fail_are_each_answered(seeded: Backend) -> None:
    """A leader that stores nothing (its answer has errors) releases those waiting: each
    computes its own answer and none is left waiting for an entry that never comes."""
    async with app_client(seeded) as client:
        responses = await asyncio.gather(*(widget(client, "91440300MA5FXXXXX0")
                                           for _ in range(6)))
        codes = {error["extensions"]["code"] for response in responses
                 for error in response.json()["errors"]}
        assert codes == {"INVALID_USCC"}
        assert [response.headers["x-cache"] for response in responses] == ["MISS"] * 6
        again = await widget(client, "91440300MA5FXXXXX0")
        assert again.headers["x-cache"] == "MISS"  # an error is never stored
