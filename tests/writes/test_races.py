"""Writers racing with the same natural key end with one record: the loser of the insert finds
the winner's row and answers with it (same content) or with CONFLICT (different content)."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.conftest import GraphQLClient
from tests.writes.conftest import Cast, Connect, penalty_input

PUBLISH = "mutation($i: PublishPenaltyInput!) { publishPenalty(input: $i) { id fine } }"
COUNT = "query($u: USCC!) { subject(uscc: $u) { penalties(first: 0) { totalCount } } }"
ROUNDS = 5


async def total(client: GraphQLClient, uscc: str) -> int:
    return int((await client.data(COUNT, {"u": uscc}))["subject"]["penalties"]["totalCount"])


async def race(first: GraphQLClient, second: GraphQLClient, a: dict[str, Any],
               b: dict[str, Any]) -> list[dict[str, Any]]:
    return list(await asyncio.gather(first.post(PUBLISH, {"i": a}), second.post(PUBLISH, {"i": b})))


async def test_two_writers_with_the_same_penalty_store_it_once(as_writer: Connect,
                                                               cast: Cast) -> None:
    subject = cast.merchants[6]
    async with as_writer("market") as market, as_writer("tax") as tax:
        before = await total(market, subject)
        for _ in range(ROUNDS):
            values = penalty_input(subject)
            answers = await race(market, tax, values, values)
            ids = {answer["data"]["publishPenalty"]["id"] for answer in answers}
            assert len(ids) == 1, answers
        assert await total(market, subject) == before + ROUNDS


async def test_racing_writers_with_different_content_get_one_record_and_one_conflict(
    as_writer: Connect, cast: Cast
) -> None:
    subject = cast.merchants[7]
    async with as_writer("market") as market, as_writer("tax") as tax:
        before = await total(market, subject)
        for _ in range(ROUNDS):
            values = penalty_input(subject)
            answers = await race(market, tax, values, {**values, "fine": "9.9"})
            outcomes = sorted("errors" in answer for answer in answers)
            assert outcomes == [False, True], answers
            (loser,) = [a for a in answers if "errors" in a]
            (winner,) = [a for a in answers if "errors" not in a]
            assert loser["errors"][0]["extensions"]["code"] == "CONFLICT"
            assert loser["errors"][0]["extensions"]["existing"] == \
                winner["data"]["publishPenalty"]["id"]
        assert await total(market, subject) == before + ROUNDS
