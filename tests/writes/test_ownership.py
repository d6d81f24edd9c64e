"""Who may write what: no key, no write; a department writes only the record types it owns; a
platform writes ratings of its own orders and complaints of its own channel only."""

from __future__ import annotations

import asyncio
import itertools
from datetime import date, timedelta

import pytest
from click.testing import CliRunner, Result

from gateway.cli.main import cli
from tests.conftest import Backend, writer_client
from tests.writes.conftest import (
    SHANGHAI,
    SHANGHAI_DISTRICT,
    Cast,
    Connect,
    issue_key,
    penalty_input,
    unique,
)

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


REPAIR = "mutation($id: ID!) { repairCredit(id: $id, on: \"2026-11-20\") { repairedOn } }"


async def test_a_department_key_publishes_as_its_own_authority_only(
    as_writer: Connect, cast: Cast
) -> None:
    """The market key is Shenzhen's (AUTHORITY): it does not publish as the Shanghai bureau."""
    async with as_writer("market") as client:
        own = await client.post(PUBLISH, {"i": penalty_input(cast.merchants[0])})
        foreign = await client.post(PUBLISH, {"i": penalty_input(
            cast.merchants[0], authority="上海市市场监督管理局", authorityCode=SHANGHAI)})
    assert "errors" not in own, own
    (error,) = foreign["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert error["extensions"]["field"] == ["input", "authorityCode"]
    assert foreign["data"] is None


async def test_a_key_without_an_authority_code_publishes_no_decision(
    writable: Backend, cast: Cast
) -> None:
    key = await issue_key(writable, "MARKET_REGULATION")
    async with writer_client(writable, key) as client:
        body = await client.post(PUBLISH, {"i": penalty_input(cast.merchants[0])})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert "--code" in body["errors"][0]["message"]


async def test_only_the_authoritys_keys_repair_its_penalty(
    writable: Backend, as_writer: Connect, cast: Cast
) -> None:
    shanghai = await issue_key(writable, "MARKET_REGULATION", code=SHANGHAI)
    async with writer_client(writable, shanghai) as client:
        created = await client.data(PUBLISH, {"i": penalty_input(
            cast.merchants[1], authority="上海市市场监督管理局", authorityCode=SHANGHAI,
            decisionDate="2026-07-01", publishedOn=None)})
    penalty = created["publishPenalty"]["id"]
    async with as_writer("market") as client:  # Shenzhen's market regulation
        foreign = await client.post(REPAIR, {"id": penalty})
    assert [e["extensions"]["code"] for e in foreign["errors"]] == ["FORBIDDEN"]
    async with writer_client(writable, shanghai) as client:
        own = await client.data(REPAIR, {"id": penalty})
    assert own["repairCredit"] == {"repairedOn": "2026-11-20"}


async def test_a_key_speaks_for_its_named_subordinate_authorities(
    writable: Backend, cast: Cast
) -> None:
    """``keys create --code SHANGHAI --speaks-for DISTRICT``: the city bureau's key publishes
    and repairs for the district bureau, not for anyone else."""
    city = await issue_key(writable, "MARKET_REGULATION", code=SHANGHAI,
                           speaks_for=[SHANGHAI_DISTRICT])
    district = await issue_key(writable, "MARKET_REGULATION", code=SHANGHAI_DISTRICT)
    async with writer_client(writable, city) as client:
        for_district = await client.data(PUBLISH, {"i": penalty_input(
            cast.merchants[2], authority="浦东新区市场监督管理局", authorityCode=SHANGHAI_DISTRICT,
            decisionDate="2026-07-01", publishedOn=None)})
        for_shenzhen = await client.post(PUBLISH, {"i": penalty_input(cast.merchants[2])})
    assert [e["extensions"]["code"] for e in for_shenzhen["errors"]] == ["FORBIDDEN"]
    penalty = for_district["publishPenalty"]["id"]
    # the district's own key still acts for itself; it does not speak for the city
    async with writer_client(writable, district) as client:
        assert (await client.data(REPAIR, {"id": penalty}))["repairCredit"]["repairedOn"]
        up = await client.post(PUBLISH, {"i": penalty_input(
            cast.merchants[2], authority="上海市市场监督管理局", authorityCode=SHANGHAI)})
    assert [e["extensions"]["code"] for e in up["errors"]] == ["FORBIDDEN"]


SUBMIT = "mutation($i: SubmitCommitmentInput!) { submitCommitment(input: $i) { id } }"
SETTLE = "mutation($id: ID!) { setCommitmentStatus(id: $id, status: FULFILLED) { status } }"


DAYS = itertools.count(1)


def commitment(subject: str) -> dict[str, object]:
    """A commitment with a key of its own (one per subject, kind and day)."""
    return {"subject": subject, "kind": "NO_REASON_RETURN", "text": unique("七天无理由退货承诺"),
            "committedOn": (date(2026, 1, 1) + timedelta(days=next(DAYS))).isoformat()}


async def hosting(backend: Backend, *args: str) -> Result:
    """``credit-gateway hosting …`` (a CLI run: in a thread, it runs its own event loop)."""
    return await asyncio.to_thread(CliRunner().invoke, cli, ["hosting", *args], env=backend.env)


async def test_a_platform_records_commitments_only_for_subjects_it_hosts(
    writable: Backend, as_writer: Connect, cast: Cast
) -> None:
    hosted, elsewhere = cast.merchants[4], cast.merchants[5]
    async with as_writer("platform") as client:
        refused = await client.post(SUBMIT, {"i": commitment(elsewhere)})
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    assert refused["errors"][0]["extensions"]["field"] == ["input", "subject"]

    declared = await hosting(writable, "add", "--platform", cast.platforms[0], hosted)
    assert declared.exit_code == 0, declared.output
    listed = await hosting(writable, "list", "--platform", cast.platforms[0])
    assert hosted in listed.output
    assert elsewhere not in listed.output
    async with as_writer("platform") as client:
        recorded = await client.data(SUBMIT, {"i": commitment(hosted)})
    async with as_writer("platform2") as client:  # hosts nobody: neither records nor changes
        assert [e["extensions"]["code"] for e in (await client.post(
            SUBMIT, {"i": commitment(hosted)}))["errors"]] == ["FORBIDDEN"]
        foreign = await client.post(SETTLE, {"id": recorded["submitCommitment"]["id"]})
    assert [e["extensions"]["code"] for e in foreign["errors"]] == ["FORBIDDEN"]
    async with as_writer("platform") as client:
        settled = await client.data(SETTLE, {"id": recorded["submitCommitment"]["id"]})
    assert settled["setCommitmentStatus"]["status"] == "FULFILLED"

    # a department records commitments of any subject; hosting is a platform's limit
    async with as_writer("commerce") as client:
        assert "errors" not in await client.post(SUBMIT, {"i": commitment(elsewhere)})
    withdrawn = await hosting(writable, "remove", "--platform", cast.platforms[0], hosted)
    assert withdrawn.exit_code == 0, withdrawn.output
    async with as_writer("platform") as client:
        again = await client.post(SUBMIT, {"i": commitment(hosted)})
    assert [e["extensions"]["code"] for e in again["errors"]] == ["FORBIDDEN"]


async def test_two_platforms_ticket_numbers_never_collide(as_writer: Connect,
                                                          cast: Cast) -> None:
    ticket = unique("TK-")
    complaint = {"subject": cast.merchants[0], "channel": "PLATFORM", "reference": ticket,
                 "filedOn": "2026-11-03"}
    async with as_writer("platform") as client:
        first = await client.post(COMPLAIN, {"i": {**complaint, "summary": "发货慢"}})
    async with as_writer("platform2") as client:
        second = await client.post(COMPLAIN, {"i": {**complaint, "summary": "假货"}})
        same = await client.post(COMPLAIN, {"i": {**complaint, "summary": "假货"}})
    assert "errors" not in first, first
    assert "errors" not in second, second
    assert first["data"]["fileComplaint"]["id"] != second["data"]["fileComplaint"]["id"]
    assert second["data"]["fileComplaint"]["sourceCode"] == cast.platforms[1]
    assert same["data"] == second["data"]  # a repeat within one platform is still one record
