"""信用档案: every write leaves an audit event in the subject's history (newest first), naming
the action, the record, the department and the writer; and a decision's disclosure lag is
counted in PRC working days when it is written."""

from __future__ import annotations

from typing import Any

import pytest

from resolvers.domain.ownership import RecordType
from tests.conftest import Backend, GraphQLClient, app_client
from tests.writes.conftest import Cast, Connect, penalty_input, unique

HISTORY = """query($u: USCC!, $first: Int, $after: String) { subject(uscc: $u) {
  history(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { at action recordType source
      record { id ... on Penalty { decisionNumber repairedOn } ... on Rating { score } }
      actor { __typename ... on Writer { name department code }
              ... on ImportRun { runId fileName } } } } } } }"""


async def history(client: GraphQLClient, uscc: str, first: int = 20,
                  after: str | None = None) -> dict[str, Any]:
    data = await client.data(HISTORY, {"u": uscc, "first": first, "after": after})
    result: dict[str, Any] = data["subject"]["history"]
    return result


async def test_writes_appear_in_the_subjects_history_newest_first(
    as_writer: Connect, cast: Cast
) -> None:
    subject = cast.merchants[2]
    values = penalty_input(subject, severity="MINOR", decisionDate="2026-11-02",
                           publishedOn="2026-11-03")
    publish = "mutation($i: PublishPenaltyInput!) { publishPenalty(input: $i) { id } }"
    async with as_writer("market") as market:
        before = (await history(market, subject))["totalCount"]
        penalty = (await market.data(publish, {"i": values}))["publishPenalty"]["id"]
        # a repeat writes nothing, so it leaves no event either
        assert (await market.data(publish, {"i": values}))["publishPenalty"]["id"] == penalty
        await market.data("mutation($id: ID!) { repairCredit(id: $id, on: \"2026-11-10\") "
                          "{ id } }", {"id": penalty})
    async with as_writer("platform") as platform:
        await platform.data(
            "mutation($i: RecordRatingInput!) { recordRating(input: $i) { id } }",
            {"i": {"platform": cast.platforms[0], "rater": cast.merchants[0], "ratee": subject,
                   "orderReference": unique("O"), "score": 1, "ratedOn": "2026-11-12"}})

    # a regulator reads it: a minor penalty is withheld from PLATFORM readers (docs/PRIVACY.md)
    async with as_writer("market") as market:
        page = await history(market, subject, first=3)
    assert page["totalCount"] == before + 3
    events = [edge["node"] for edge in page["edges"]]
    assert [e["action"] for e in events] == ["RATING_RECORDED", "CREDIT_REPAIRED",
                                             "PENALTY_PUBLISHED"]
    assert [e["at"] for e in events] == sorted((e["at"] for e in events), reverse=True)
    rating, repair, published = events
    assert rating["actor"] == {"__typename": "Writer", "name": "平台platform",
                               "department": "PLATFORM", "code": cast.platforms[0]}
    assert rating["source"] == "PLATFORM"
    assert rating["record"]["score"] == 1
    assert published["recordType"] == "PENALTY"
    assert published["record"]["id"] == penalty
    assert published["actor"]["department"] == "MARKET_REGULATION"
    assert published["source"] == "MARKET_REGULATION"
    # the record shows its state now: the repair that came later
    assert published["record"]["repairedOn"] == "2026-11-10"
    assert repair["record"]["id"] == penalty


async def test_history_pages_with_cursors(as_writer: Connect, cast: Cast) -> None:
    subject = cast.merchants[5]
    async with as_writer("commerce") as client:
        for day in ("2026-10-01", "2026-10-02", "2026-10-03"):
            await client.data(
                "mutation($i: SubmitCommitmentInput!) { submitCommitment(input: $i) { id } }",
                {"i": {"subject": subject, "kind": "GENERAL_CREDIT", "text": unique("承诺"),
                       "committedOn": day}})
        whole = await history(client, subject, first=100)
        seen: list[dict[str, Any]] = []
        after = None
        while True:
            page = await history(client, subject, first=2, after=after)
            seen += [edge["node"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        bad = await client.post(HISTORY, {"u": subject, "first": 2, "after": "bm9wZQ"})
    assert seen == [edge["node"] for edge in whole["edges"]]
    assert len(seen) == whole["totalCount"] >= 3
    assert [e["extensions"]["code"] for e in bad["errors"]] == ["INVALID_CURSOR"]


async def test_history_of_many_subjects_is_batched(writable: Backend, as_writer: Connect,
                                                   cast: Cast) -> None:
    async with as_writer("commerce") as client:
        for subject in cast.merchants[:3]:
            await client.data(
                "mutation($i: SubmitCommitmentInput!) { submitCommitment(input: $i) { id } }",
                {"i": {"subject": subject, "kind": "FIRST_RESPONSIBILITY", "text": unique("首问"),
                       "committedOn": "2026-09-09"}})
            await client.data(
                "mutation($i: PublishPenaltyInput!) { publishPenalty(input: $i) { id } }",
                {"i": penalty_input(subject)})
    query = """{ subjects(first: 40) { edges { node { history(first: 5) { totalCount edges {
        node { action record { id } actor { ... on Writer { name } ... on ImportRun { runId } }
        } } } } } } }"""
    async with app_client(writable) as client:
        data = await client.data(query)
        statements = client.statements
    events = [e for s in data["subjects"]["edges"] for e in s["node"]["history"]["edges"]]
    assert len({e["node"]["action"] for e in events}) >= 2  # several record types
    # subjects + history page + count + writers + import runs + one per record type at most,
    # and the calendar look-up before the answer is stored when it holds a record shown by the
    # day (a list entry, a penalty in publicity: Loaders.calendar_boundary)
    assert statements <= 5 + len(RecordType) + 1, statements


@pytest.mark.parametrize(("published", "lag", "late"), [
    # 2025 National Day: Oct 1–8 off, Sun Sep 28 and Sat Oct 11 worked (调休)
    ("2025-10-13", 7, False),   # Monday to Friday alone would count 11 days: late
    ("2025-10-14", 8, True),
    (None, None, True),         # unpublished long past the deadline
])
async def test_disclosure_lag_counts_prc_working_days(
    market: GraphQLClient, cast: Cast, published: str | None, lag: int | None, late: bool
) -> None:
    data = await market.data(
        "mutation($i: PublishPenaltyInput!) { publishPenalty(input: $i) { disclosureLagDays "
        "lateDisclosure } }",
        {"i": penalty_input(cast.merchants[3], decisionDate="2025-09-26", publishedOn=published,
                            severity="SERIOUS")})
    assert data["publishPenalty"] == {"disclosureLagDays": lag, "lateDisclosure": late}
