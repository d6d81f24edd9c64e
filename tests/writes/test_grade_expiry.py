"""信用等级 in the response cache, on both backends: an answer holding a grade is cached until the
first day the grade's own inputs can change it (a penalty leaving its year of recency here),
not until midnight — and an answer whose grade came from the entity cache keeps the same day.

The app's clock is set twenty years back (``clock_offset``, then ``clock.move`` across days), so
the demo records of the subjects lie years ahead and none of them changes anything within the
days the test crosses; the penalties written at that date are twenty years old in real time, so
no other test (nor the list rules' job) counts them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from resolvers.domain import clock
from resolvers.domain.grading.rules import RECENT_DAYS
from tests.cache.test_response_cache import ask
from tests.cache.test_stampede import cross_midnight, move_to
from tests.conftest import Backend, GraphQLClient, Writers, app_client
from tests.writes.conftest import penalty_input

START = clock.today().replace(year=clock.today().year - 20, month=6, day=10)
GRADE = """query($u: USCC!) { subject(uscc: $u) { creditGrade { grade score
    reasons { rule record { id } } } } }"""
LETTER = "query($u: USCC!) { subject(uscc: $u) { creditGrade { grade } } }"


@pytest.fixture(autouse=True)
def restored_clock() -> Iterator[None]:
    yield
    clock.set_offset(0)


def offset_to(day: date) -> str:
    """The clock offset (seconds) that makes it noon of ``day`` in Beijing."""
    return str((datetime.combine(day, time(12), clock.CHINA)
                - datetime.now(clock.CHINA)).total_seconds())


@asynccontextmanager
async def on(backend: Backend, day: date, key: str | None = None
             ) -> AsyncIterator[GraphQLClient]:
    """A fresh app (its own response and entity cache) whose clock reads noon of ``day``."""
    clock.set_offset(0)
    async with app_client(backend, clock_offset=offset_to(day)) as client:
        if key is not None:
            client.http.headers["Authorization"] = f"Bearer {key}"
        yield client


async def merchants(backend: Backend) -> list[str]:
    """The last merchants of the demo graph (the other write tests use the first ones)."""
    async with app_client(backend) as client:
        data = await client.data("{ subjects(first: 100, filter: {kind: MERCHANT}) "
                                 "{ edges { node { uscc } } } }")
    return [edge["node"]["uscc"] for edge in data["subjects"]["edges"]][-2:]


async def penalty_decided(backend: Backend, writers: Writers, subject: str, decided: date) -> str:
    """A serious penalty of ``subject`` decided on ``decided``, written on ``START``."""
    async with on(backend, START, writers.keys["market"]) as market:
        data = await market.data(
            "mutation($i: PublishPenaltyInput!) { publishPenalty(input: $i) { id } }",
            {"i": penalty_input(subject, severity="SERIOUS", decisionDate=decided.isoformat(),
                                publishedOn=(decided + timedelta(days=3)).isoformat())})
    return str(data["publishPenalty"]["id"])


def rule_of(data: dict[str, Any], penalty: str) -> str:
    (rule,) = [reason["rule"] for reason in data["subject"]["creditGrade"]["reasons"]
               if reason["record"] and reason["record"]["id"] == penalty]
    return str(rule)


async def test_a_grade_answer_is_cached_until_its_grade_can_change(
        writable: Backend, writers: Writers) -> None:
    tomorrow_subject, later_subject = await merchants(writable)
    # recent through today, one to three years old from tomorrow: the grade changes at 00:00
    tomorrow = await penalty_decided(writable, writers, tomorrow_subject,
                                     START - timedelta(days=RECENT_DAYS - 1))
    # the same in three days' time
    later = await penalty_decided(writable, writers, later_subject,
                                  START - timedelta(days=RECENT_DAYS - 3))
    async with on(writable, START) as client:
        first = await ask(client, GRADE, {"u": tomorrow_subject})
        second = await ask(client, GRADE, {"u": tomorrow_subject})
        assert (first[0], second[0]) == ("MISS", "HIT")
        assert rule_of(first[1], tomorrow) == "penalty.serious.recent"
        cross_midnight()
        state, after = await ask(client, GRADE, {"u": tomorrow_subject})
        assert state == "MISS", "a grade was served past the day its penalty left its year"
        assert rule_of(after, tomorrow) == "penalty.serious.past"
        assert after["subject"]["creditGrade"]["score"] \
            == first[1]["subject"]["creditGrade"]["score"] + 5

    async with on(writable, START) as client:
        computed = await ask(client, GRADE, {"u": later_subject})
        # another document over the same grade: the grade now comes from the entity cache,
        # with the day it changes
        cached = await ask(client, LETTER, {"u": later_subject})
        assert (computed[0], cached[0]) == ("MISS", "MISS")
        assert rule_of(computed[1], later) == "penalty.serious.recent"
        move_to(START + timedelta(days=2), time(23, 59))  # two midnights later
        for document in (GRADE, LETTER):
            state, _ = await ask(client, document, {"u": later_subject})
            assert state == "HIT", "an answer expired before its grade could change"
            assert client.statements == 0
        cross_midnight()
        for document in (GRADE, LETTER):
            state, _ = await ask(client, document, {"u": later_subject})
            assert state == "MISS", "a grade was served past the day its penalty left its year"
        state, after = await ask(client, GRADE, {"u": later_subject})
        assert state == "HIT"
        assert rule_of(after, later) == "penalty.serious.past"
