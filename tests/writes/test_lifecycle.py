"""Later steps of a record's life: each is made once, repeating it changes nothing, a different
step is a CONFLICT, and only the department (or platform) that supplied the record takes it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.writes.conftest import AUTHORITY, Cast, Connect, license_input, penalty_input, unique


async def create(client: GraphQLClient, mutation: str, input_type: str,
                 values: dict[str, Any]) -> str:
    data = await client.data(f"mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ id }} }}",
                             {"i": values})
    return str(data[mutation]["id"])


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


async def test_licence_ends_once(as_writer: Connect, cast: Cast) -> None:
    change = "mutation($id: ID!, $s: LicenseStatus!) { setLicenseStatus(id: $id, status: $s) " \
             "{ id status } }"
    async with as_writer("commerce") as client:
        licence = await create(client, "grantLicense", "GrantLicenseInput",
                               license_input(cast.merchants[0]))
        revoked = await client.data(change, {"id": licence, "s": "REVOKED"})
        again = await client.data(change, {"id": licence, "s": "REVOKED"})
        other = await client.post(change, {"id": licence, "s": "EXPIRED"})
        valid = await client.post(change, {"id": licence, "s": "VALID"})
    assert revoked["setLicenseStatus"] == {"id": licence, "status": "REVOKED"}
    assert again == revoked
    assert codes(other) == ["CONFLICT"]
    assert other["errors"][0]["extensions"]["fields"] == ["status"]
    assert codes(valid) == ["BAD_USER_INPUT"]
    assert valid["errors"][0]["extensions"]["field"] == ["status"]
    # another licensing department does not end commerce's licence
    async with as_writer("market") as client:
        assert codes(await client.post(change, {"id": licence, "s": "CANCELLED"})) == ["FORBIDDEN"]


async def test_unknown_or_foreign_ids(as_writer: Connect) -> None:
    change = "mutation($id: ID!) { setLicenseStatus(id: $id, status: REVOKED) { id } }"
    async with as_writer("market") as client:
        missing = await client.post(change, {"id": "TGljZW5zZTo5OTk5OTk5"})  # License:9999999
        penalty_id = await client.post(change, {"id": "UGVuYWx0eToxMjM="})  # Penalty:123
    assert codes(missing) == ["NOT_FOUND"]
    assert missing["errors"][0]["extensions"]["field"] == ["id"]
    assert codes(penalty_id) == ["INVALID_ID"]


async def test_rating_follow_up_once_and_only_by_its_platform(as_writer: Connect,
                                                               cast: Cast) -> None:
    follow = "mutation($id: ID!, $t: String!) { addRatingFollowUp(id: $id, text: $t) " \
             "{ followUp followUpOn ratedOn } }"
    rating = {"platform": cast.platforms[0], "rater": cast.merchants[2],
              "ratee": cast.merchants[3], "orderReference": unique("O"), "score": 3,
              "ratedOn": "2026-11-01"}
    async with as_writer("platform") as client:
        rating_id = await create(client, "recordRating", "RecordRatingInput", rating)
    async with as_writer("platform2") as client:
        assert codes(await client.post(follow, {"id": rating_id, "t": "冒用"})) == ["FORBIDDEN"]
    async with as_writer("platform") as client:
        first = await client.data(follow, {"id": rating_id, "t": "用了一周，质量不错"})
        again = await client.data(follow, {"id": rating_id, "t": "用了一周，质量不错"})
        other = await client.post(follow, {"id": rating_id, "t": "改主意了"})
        blank = await client.post(follow, {"id": rating_id, "t": "  "})
    assert first == again
    assert first["addRatingFollowUp"]["followUp"] == "用了一周，质量不错"
    assert first["addRatingFollowUp"]["followUpOn"] >= "2026-11-01"
    assert codes(other) == ["CONFLICT"]
    assert blank["errors"][0]["extensions"]["field"] == ["text"]


async def test_commitment_kept_or_breached(as_writer: Connect, cast: Cast) -> None:
    settle = "mutation($id: ID!, $s: CommitmentStatus!, $on: Date) { " \
             "setCommitmentStatus(id: $id, status: $s, on: $on) { status statusOn } }"
    async with as_writer("commerce") as client:
        commitment = await create(client, "submitCommitment", "SubmitCommitmentInput", {
            "subject": cast.merchants[6], "kind": "PRODUCT_QUALITY", "text": unique("质量承诺"),
            "committedOn": "2026-10-15"})
        early = await client.post(settle, {"id": commitment, "s": "BREACHED", "on": "2026-10-01"})
        done = await client.data(settle, {"id": commitment, "s": "BREACHED", "on": "2026-11-01"})
        conflict = await client.post(settle, {"id": commitment, "s": "FULFILLED"})
    assert early["errors"][0]["extensions"]["field"] == ["on"]
    assert done["setCommitmentStatus"] == {"status": "BREACHED", "statusOn": "2026-11-01"}
    assert codes(conflict) == ["CONFLICT"]


async def test_complaint_resolved_once(as_writer: Connect, cast: Cast) -> None:
    resolve = "mutation($id: ID!, $r: String!, $s: ComplaintStatus) { " \
              "resolveComplaint(id: $id, resolution: $r, status: $s) { status resolution resolvedOn } }"
    async with as_writer("market") as client:
        complaint = await create(client, "fileComplaint", "FileComplaintInput", {
            "subject": cast.merchants[3], "channel": "HOTLINE_12315", "reference": unique("T"),
            "summary": "虚假宣传", "filedOn": "2026-11-01"})
        resolved = await client.data(resolve, {"id": complaint, "r": "已责令整改", "s": "RESOLVED"})
        again = await client.data(resolve, {"id": complaint, "r": "已责令整改", "s": "RESOLVED"})
        dismissed = await client.post(resolve, {"id": complaint, "r": "不予受理", "s": "DISMISSED"})
    assert resolved == again
    assert resolved["resolveComplaint"]["status"] == "RESOLVED"
    assert codes(dismissed) == ["CONFLICT"]


async def test_list_entry_lifted_with_reason(as_writer: Connect, cast: Cast) -> None:
    standing = "query($u: USCC!) { subject(uscc: $u) { listStatus } }"
    lift = "mutation($id: ID!, $r: String!) { liftListEntry(id: $id, reason: $r) " \
           "{ inForce liftedOn liftReason } }"
    subject = cast.merchants[7]
    async with as_writer("credit") as client:
        entry = await create(client, "addListEntry", "AddListEntryInput", {
            "subject": subject, "kind": "BLACK", "reason": unique("刷单炒信"),
            "authority": "测试市发展和改革委员会", "authorityCode": AUTHORITY,
            "validFrom": "2026-11-01", "measures": "限制参与评优"})
        assert (await client.data(standing, {"u": subject}))["subject"]["listStatus"] == "BLACK"
        lifted = await client.data(lift, {"id": entry, "r": "信用修复"})
        assert (await client.data(standing, {"u": subject}))["subject"]["listStatus"] != "BLACK"
    assert lifted["liftListEntry"]["inForce"] is False
    assert lifted["liftListEntry"]["liftReason"] == "信用修复"


@pytest.mark.parametrize(("severity", "decided", "on", "code"), [
    ("GENERAL", "2026-09-01", "2026-11-20", "REPAIR_TOO_EARLY"),   # 3 months not over
    ("GENERAL", "2026-07-01", "2026-10-01", None),                 # exactly 3 months
    ("SERIOUS", "2026-01-05", "2026-11-01", "REPAIR_TOO_EARLY"),   # a year at least
    ("MINOR", "2026-11-02", "2026-11-03", None),                    # no minimum
    ("MINOR", "2026-06-01", "2026-09-02", "PUBLICITY_ENDED"),      # ended by itself
])
async def test_credit_repair_after_the_minimum_period(
    as_writer: Connect, cast: Cast, severity: str, decided: str, on: str, code: str | None
) -> None:
    repair = "mutation($id: ID!, $on: Date) { repairCredit(id: $id, on: $on) { repairedOn } }"
    async with as_writer("market") as client:
        penalty = await create(client, "publishPenalty", "PublishPenaltyInput", penalty_input(
            cast.merchants[4], severity=severity, decisionDate=decided, publishedOn=None))
        body = await client.post(repair, {"id": penalty, "on": on})
    if code is None:
        assert body["data"]["repairCredit"] == {"repairedOn": on}
    else:
        assert codes(body) == [code]
        assert body["errors"][0]["extensions"]["field"] == ["on"]
