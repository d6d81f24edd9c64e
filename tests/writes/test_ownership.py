"""Who may write what: no key, no write; a department writes only the record types it owns; a
platform writes ratings of its own orders and complaints of its own channel only."""

from __future__ import annotations

import pytest

from tests.writes.conftest import Cast, Connect, penalty_input, unique

PUBLISH = "mutation($i: PublishPenaltyInput!) { publishPenalty(input: $i) { id } }"
RATE = "mutation($i: RecordRatingInput!) { recordRating(input: $i) { id platform { uscc } } }"
COMPLAIN = "mutation($i: FileComplaintInput!) { fileComplaint(input: $i) { id sourceCode } }"


def rating(cast: Cast, platform: str) -> dict[str, object]:
    return {"platform": platform, "rater": cast.merchants[0], "ratee": cast.merchants[1],
            "orderReference": unique("O"), "score": 5, "ratedOn": "2026-11-01"}


async def test_anonymous_writes_are_unauthenticated(as_writer: Connect, cast: Cast) -> None:
    async with as_writer(None) as client:
        body = await client.post(PUBLISH, {"i": penalty_input(cast.merchants[0])})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert body["data"] is None


@pytest.mark.parametrize("role", ["platform", "credit"])
async def test_departments_that_do_not_own_penalties_are_forbidden(
    as_writer: Connect, cast: Cast, role: str
) -> None:
    async with as_writer(role) as client:
        body = await client.post(PUBLISH, {"i": penalty_input(cast.merchants[0])})
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert error["extensions"]["recordType"] == "Penalty"


async def test_only_platforms_record_ratings(as_writer: Connect, cast: Cast) -> None:
    async with as_writer("market") as client:
        body = await client.post(RATE, {"i": rating(cast, cast.platforms[0])})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


async def test_a_platform_rates_orders_on_itself_only(as_writer: Connect, cast: Cast) -> None:
    async with as_writer("platform") as client:
        own = await client.data(RATE, {"i": rating(cast, cast.platforms[0])})
        other = await client.post(RATE, {"i": rating(cast, cast.platforms[1])})
    assert own["recordRating"]["platform"]["uscc"] == cast.platforms[0]
    (error,) = other["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert error["extensions"]["field"] == ["input", "platform"]


async def test_a_platform_files_complaints_of_its_own_channel(as_writer: Connect,
                                                               cast: Cast) -> None:
    complaint = {"subject": cast.merchants[0], "reference": unique("P-"), "summary": "假货",
                 "filedOn": "2026-11-03"}
    async with as_writer("platform") as client:
        hotline = await client.post(COMPLAIN, {"i": {**complaint, "channel": "HOTLINE_12315"}})
        own = await client.data(COMPLAIN, {"i": {**complaint, "channel": "PLATFORM"}})
    assert hotline["errors"][0]["extensions"] == {
        "code": "FORBIDDEN", "field": ["input", "channel"]}
    # the platform's own USCC is the complaint's source code: how "its own" is told later
    assert own["fileComplaint"]["sourceCode"] == cast.platforms[0]
