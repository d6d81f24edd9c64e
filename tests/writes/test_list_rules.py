"""The list rules (红黑名单认定, docs/CREDIT_LISTS.md) on hand-built records: each rule proposes
its candidate with the records behind it (``credit-gateway lists propose``), an authority's key
approves or rejects it (``reviewListCandidate``), an approval is a real list entry (standing,
``creditList``) until its end, and only reviewers, regulators and auditors read candidates."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from resolvers.data.database import Database
from resolvers.domain import clock, list_rules
from resolvers.domain.enums import ListKind, Role
from resolvers.domain.list_rules import entry_end
from resolvers.writes import candidates as jobs
from tests.conftest import (
    Backend,
    GraphQLClient,
    Writers,
    app_client,
    command,
    issue_writers,
    writable_database,
)
from tests.writes.conftest import (
    AUTHORITY,
    Cast,
    Connect,
    cast_of,
    issue_key,
    penalty_input,
    unique,
)

CANDIDATES = """query($after: String) { listCandidates(first: 100, after: $after, status: null) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id kind status summary subject { uscc } rule { code kind title clause }
    evidence { id __typename ... on Rating { rater { uscc } ratee { uscc } } }
    entry { id kind inForce validTo authorityCode } } } } }"""
REVIEW = """mutation($id: ID!, $d: ReviewDecision!, $r: String!, $to: Date) {
  reviewListCandidate(id: $id, decision: $d, reason: $r, validTo: $to) {
    id status reviewReason entry { id kind inForce validFrom validTo authority authorityCode
      subject { uscc listStatus } } } }"""
CREDIT_LIST = """query($k: ListKind!, $first: Int, $after: String, $f: CreditListFilter) {
  creditList(kind: $k, first: $first, after: $after, filter: $f) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id kind validTo inForce subject { uscc kind } } } } }"""
TODAY = clock.today()
RECENT = (TODAY - timedelta(days=20)).isoformat()


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


@dataclass(frozen=True)
class Built:
    """The subjects the records were written for, and the records' global IDs."""

    counterfeit: tuple[str, str]  # (subject, penalty)
    brushing: tuple[str, str]
    serious: tuple[str, str]
    shipper: tuple[str, str]  # (merchant, logistics link)
    carrier: str  # the link's carrier (empty parcels) with two postal penalties
    postal: list[str]
    clean: str  # a subject without penalties: commitments kept, high ratings
    fulfilled: list[str]
    ratings: list[str]


async def _create(client: GraphQLClient, mutation: str, input_type: str,
                  values: dict[str, Any]) -> str:
    data = await client.data(f"mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ id }} }}",
                             {"i": values})
    return str(data[mutation]["id"])


async def _subjects(client: GraphQLClient, kind: str | None) -> list[dict[str, Any]]:
    data = await client.data("""query($k: SubjectKind) { subjects(first: 100, filter: {kind: $k})
      { edges { node { uscc registeredOn status listStatus verification { verified }
        penalties(first: 1) { totalCount }
        ratingSummary { neutral negative } complaints(first: 1) { edges { node { filedOn } } }
        commitments(first: 100) { edges { node { status } } }
      } } } }""", {"k": kind})
    return [edge["node"] for edge in data["subjects"]["edges"]]


async def _build(as_writer: Connect, cast: Cast) -> Built:
    async with as_writer("market") as market:
        merchants = [s for s in await _subjects(market, "MERCHANT")
                     if s["uscc"] not in cast.merchants]  # others' tests write the first eight
        # rules propose none while a black entry binds; other tests write for the first carrier
        carriers = [s["uscc"] for s in await _subjects(market, "LOGISTICS_FIRM")
                    if s["listStatus"] != "BLACK" and s["uscc"] != cast.carriers[0]]
        five_years = (TODAY - timedelta(days=5 * 366)).isoformat()
        last_year = (TODAY - timedelta(days=365)).isoformat()
        others = [s for s in await _subjects(market, None)
                  if s["uscc"] not in (*cast.merchants, *cast.carriers, *cast.platforms)]
        clean = next(s["uscc"] for s in reversed(others)
                     if s["penalties"]["totalCount"] == 0 and s["status"] == "ACTIVE"
                     and s["listStatus"] != "BLACK" and s["registeredOn"] <= five_years
                     and all(edge["node"]["filedOn"] < last_year
                             for edge in s["complaints"]["edges"])
                     and s["verification"]["verified"]
                     and s["ratingSummary"]["neutral"] == s["ratingSummary"]["negative"] == 0
                     and all(edge["node"]["status"] != "BREACHED"
                             for edge in s["commitments"]["edges"]))
        targets = [s["uscc"] for s in merchants
                   if s["uscc"] != clean and s["listStatus"] != "BLACK"]
        made = {}
        for name, subject, changes in (
                ("counterfeit", targets[0], {"violationType": "销售假冒伪劣商品"}),
                ("brushing", targets[1], {"violationType": "组织刷单炒信"}),
                ("serious", targets[2], {"severity": "SERIOUS", "violationType": "虚假宣传"})):
            values = penalty_input(subject, decisionDate=RECENT, publishedOn=RECENT, **changes)
            made[name] = (subject, await _create(market, "publishPenalty", "PublishPenaltyInput",
                                                 values))
    carrier = carriers[-1]
    async with as_writer("postal") as postal:
        link = await _create(postal, "recordLogisticsLink", "RecordLogisticsLinkInput", {
            "merchant": targets[3], "carrier": carrier, "periodStart": RECENT,
            "periodEnd": RECENT, "parcels": 50_000_000, "emptyParcels": 10_000_000})
        penalties = [await _create(postal, "publishPenalty", "PublishPenaltyInput", penalty_input(
            carrier, decisionDate=RECENT, publishedOn=RECENT, violationType="违规收寄",
            authority="测试市邮政管理局")) for _ in range(2)]
    async with as_writer("commerce") as commerce:
        fulfilled = []
        for kind in ("GENERAL_CREDIT", "NO_REASON_RETURN", "PRODUCT_QUALITY"):
            commitment = await _create(commerce, "submitCommitment", "SubmitCommitmentInput", {
                "subject": clean, "kind": kind, "text": unique("承诺"), "committedOn": RECENT})
            await commerce.data("mutation($id: ID!) { setCommitmentStatus(id: $id, status: "
                                "FULFILLED) { id } }", {"id": commitment})
            fulfilled.append(commitment)
    async with as_writer("platform") as platform:
        ratings = [await _create(platform, "recordRating", "RecordRatingInput", {
            "platform": cast.platforms[0], "rater": cast.merchants[0], "ratee": clean,
            "orderReference": unique("O"), "score": 5, "ratedOn": RECENT}) for _ in range(20)]
    return Built(made["counterfeit"], made["brushing"], made["serious"], (targets[3], link),
                 carrier, penalties, clean, fulfilled, ratings)


def propose(backend: Backend, *subjects: str) -> str:
    """``credit-gateway lists propose [--subject USCC]…`` on ``backend``."""
    named = [arg for subject in subjects for arg in ("--subject", subject)]
    return command(backend, "lists", "propose", *named)


@pytest.fixture(scope="module")
async def writable(backend: Backend,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Backend]:
    """The rules read whole histories (five years without a penalty, a carrier's year of
    parcels): they get a ``writable`` database of their own, which other modules' imports
    have not put penalties on."""
    async with writable_database(backend, tmp_path_factory.mktemp("lists"), "lists") as own:
        yield own


@pytest.fixture(scope="module")
async def writers(writable: Backend) -> Writers:
    return await issue_writers(writable)


@pytest.fixture(scope="module")
async def cast(writable: Backend, writers: Writers) -> Cast:
    return await cast_of(writable, writers)


@pytest.fixture(scope="module")
async def built(writable: Backend, writers: Writers, cast: Cast) -> Built:
    from tests.conftest import writer_client

    def as_writer(role: str | None) -> Any:
        return writer_client(writable, writers.keys[role] if role else None)

    made = await _build(as_writer, cast)
    # the job the CLI runs (test_a_second_run_proposes_nothing_new runs the command itself)
    database = Database(writable.database_url)
    try:
        found = await jobs.propose(database, clock.today())
    finally:
        await database.dispose()
    assert found["BLACK_BRUSHING"] >= 1
    return made


async def candidates(client: GraphQLClient) -> dict[tuple[str, str], dict[str, Any]]:
    """Every candidate, by (subject, rule), read page by page."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    after = None
    while True:
        page = (await client.data(CANDIDATES, {"after": after}))["listCandidates"]
        for edge in page["edges"]:
            node = edge["node"]
            found[(node["subject"]["uscc"], node["rule"]["code"])] = node
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


async def test_each_rule_proposes_its_candidate_with_the_records_behind_it(
        built: Built, as_writer: Connect) -> None:
    async with as_writer("market") as market:
        found = await candidates(market)

    def evidence(subject: str, rule: str) -> set[str]:
        node = found[(subject, rule)]
        assert node["status"] == "PENDING"
        assert node["kind"] == node["rule"]["kind"] == rule.split("_")[0]
        return {item["id"] for item in node["evidence"]}

    assert built.counterfeit[1] in evidence(built.counterfeit[0], "BLACK_COUNTERFEIT")
    assert built.brushing[1] in evidence(built.brushing[0], "BLACK_BRUSHING")
    assert "发改财金〔2016〕2370号" in found[(built.brushing[0], "BLACK_BRUSHING")]["rule"]["clause"]
    # a brushing penalty is no counterfeit, and a general one no serious penalty
    assert (built.brushing[0], "BLACK_COUNTERFEIT") not in found
    assert (built.counterfeit[0], "BLACK_SERIOUS_PENALTY") not in found
    assert built.serious[1] in evidence(built.serious[0], "BLACK_SERIOUS_PENALTY")
    # 20 % empty parcels: the shipping merchant and its carrier
    assert built.shipper[1] in evidence(built.shipper[0], "BLACK_EMPTY_PARCELS")
    assert built.shipper[1] in evidence(built.carrier, "BLACK_EMPTY_PARCELS")
    assert "空包" in found[(built.carrier, "BLACK_EMPTY_PARCELS")]["summary"]
    assert set(built.postal) <= evidence(built.carrier, "BLACK_LOGISTICS")
    assert set(built.fulfilled) <= evidence(built.clean, "RED_COMMITMENTS")
    assert set(built.ratings) <= evidence(built.clean, "RED_RATINGS")
    assert "平均5.00分" in found[(built.clean, "RED_RATINGS")]["summary"]
    clean = found[(built.clean, "RED_CLEAN")]
    assert [item["__typename"] for item in clean["evidence"]] == ["Subject"]
    # a subject with a penalty gets no red candidate
    assert not any(key[0] == built.counterfeit[0] and key[1].startswith("RED")
                   for key in found)


async def test_rating_rings_feed_black_candidates_citing_their_ratings(
        built: Built, writable: Backend, as_writer: Connect, cast: Cast) -> None:
    """A ring of accounts rating each other within days (炒信) is found by the same FRAUDAR
    signal ``brushingSuspects`` shows and proposed for the black list, each member citing the
    ratings it exchanged within the ring."""
    used = {built.counterfeit[0], built.brushing[0], built.serious[0], built.shipper[0],
            built.carrier, built.clean, *cast.merchants, *cast.carriers, *cast.platforms}
    async with as_writer("market") as market:
        ring = [s["uscc"] for s in reversed(await _subjects(market, "MERCHANT"))
                if s["uscc"] not in used and s["listStatus"] != "BLACK"][:4]
    assert len(ring) == 4
    async with as_writer("platform") as platform:
        for day, (rater, ratee) in enumerate((a, b) for a in ring for b in ring if a != b):
            for n in range(3):
                await _create(platform, "recordRating", "RecordRatingInput", {
                    "platform": cast.platforms[0], "rater": rater, "ratee": ratee,
                    "orderReference": unique("R"), "score": 5, "comment": "好评返现",
                    "ratedOn": (TODAY - timedelta(days=10 + (day + n) % 5)).isoformat()})
    database = Database(writable.database_url)
    try:
        assert (await jobs.propose(database, clock.today(), ring))["BLACK_RATING_RING"] == 4
    finally:
        await database.dispose()
    async with as_writer("market") as market:
        found = await candidates(market)
        for subject in ring:
            node = found[(subject, "BLACK_RATING_RING")]
            assert "2370号" in node["rule"]["clause"]
            assert "互评18次" in node["summary"]
            assert {item["__typename"] for item in node["evidence"]} == {"Rating"}
            assert len(node["evidence"]) == 18
            for rating in node["evidence"]:
                parties = {rating["rater"]["uscc"], rating["ratee"]["uscc"]}
                assert subject in parties
                assert parties <= set(ring)


@pytest.mark.slow  # a CLI process
async def test_a_second_run_proposes_nothing_new(built: Built, writable: Backend) -> None:
    # the subjects of these tests only: others' tests write records of other subjects meanwhile
    printed = propose(writable, built.counterfeit[0], built.brushing[0], built.shipper[0],
                      built.carrier, built.clean)
    assert "BLACK_BRUSHING         BLACK      0 new" in printed
    assert printed.strip().endswith(": 0 new candidate(s)"), printed


async def test_candidates_are_for_reviewers_regulators_and_auditors(
        built: Built, writable: Backend, as_writer: Connect) -> None:
    query = "{ listCandidates(first: 1) { totalCount } }"
    for role in (None, "platform"):
        async with as_writer(role) as client:
            assert codes(await client.post(query)) == ["FORBIDDEN"], role
    auditor = await issue_key(writable, "DEVELOPMENT_REFORM", role=Role.AUDITOR)
    async with app_client(writable) as client:
        client.http.headers["Authorization"] = f"Bearer {auditor}"
        assert (await client.data(query))["listCandidates"]["totalCount"] >= 1
    async with as_writer("credit") as client:
        assert (await client.data(query))["listCandidates"]["totalCount"] >= 1


async def test_review_by_the_right_and_the_wrong_keys(
        built: Built, writable: Backend, as_writer: Connect) -> None:
    async with as_writer("market") as market:
        found = await candidates(market)
    counterfeit = found[(built.counterfeit[0], "BLACK_COUNTERFEIT")]["id"]
    brushing = found[(built.brushing[0], "BLACK_BRUSHING")]["id"]
    ask = {"id": counterfeit, "d": "APPROVE", "r": "经核查属实"}
    async with as_writer(None) as anonymous:
        assert codes(await anonymous.post(REVIEW, ask)) == ["UNAUTHENTICATED"]
    for role in ("platform", "commerce", "postal"):
        async with as_writer(role) as client:
            assert codes(await client.post(REVIEW, ask)) == ["FORBIDDEN"], role
    auditor = await issue_key(writable, "DEVELOPMENT_REFORM", role=Role.AUDITOR)
    async with app_client(writable) as client:
        client.http.headers["Authorization"] = f"Bearer {auditor}"
        assert codes(await client.post(REVIEW, ask)) == ["FORBIDDEN"]
    async with as_writer("market") as market:
        approved = (await market.data(REVIEW, ask))["reviewListCandidate"]
        again = await market.post(REVIEW, ask)
    entry = approved["entry"]
    assert (approved["status"], approved["reviewReason"]) == ("APPROVED", "经核查属实")
    assert (entry["kind"], entry["inForce"], entry["authorityCode"]) == ("BLACK", True, AUTHORITY)
    assert entry["validFrom"] == TODAY.isoformat()
    assert entry["validTo"] == (TODAY.replace(year=TODAY.year + 3) - timedelta(days=1)).isoformat()
    assert entry["subject"]["listStatus"] == "BLACK"
    assert codes(again) == ["CONFLICT"]
    async with as_writer("credit") as credit:  # the credit authority (发展改革部门) rejects
        rejected = (await credit.data(REVIEW, {"id": brushing, "d": "REJECT",
                                               "r": "证据不足"}))["reviewListCandidate"]
    assert (rejected["status"], rejected["entry"]) == ("REJECTED", None)
    async with app_client(writable) as public:  # the approval is public, the rejection not
        listed = await public.data(CREDIT_LIST, {"k": "BLACK", "first": 100})
        standing = await public.data("query($u: USCC!) { subject(uscc: $u) { listStatus } }",
                                     {"u": built.brushing[0]})
    listed_ids = {edge["node"]["id"] for edge in listed["creditList"]["edges"]}
    assert entry["id"] in listed_ids
    assert standing["subject"]["listStatus"] != "BLACK"


async def test_an_entry_leaves_the_list_at_its_end(built: Built, writable: Backend,
                                                   as_writer: Connect) -> None:
    async with as_writer("market") as market:
        found = await candidates(market)
        serious = found[(built.serious[0], "BLACK_SERIOUS_PENALTY")]["id"]
        ends = TODAY + timedelta(days=1)
        approved = (await market.data(REVIEW, {"id": serious, "d": "APPROVE", "r": "严重失信",
                                               "to": ends.isoformat()}))["reviewListCandidate"]
    entry = approved["entry"]["id"]
    day = 24 * 3600
    for offset, listed in ((0, True), (1 * day, True), (2 * day, False)):
        async with app_client(writable, clock_offset=str(offset)) as public:
            page = await public.data(CREDIT_LIST, {"k": "BLACK", "first": 100})
            standing = await public.data(
                "query($u: USCC!) { subject(uscc: $u) { listStatus } }",
                {"u": built.serious[0]})
        ids = {edge["node"]["id"] for edge in page["creditList"]["edges"]}
        assert (entry in ids) is listed, offset
        assert (standing["subject"]["listStatus"] == "BLACK") is listed, offset


async def test_credit_list_pages_filters_and_is_purged_by_a_write(
        built: Built, writable: Backend, writers: Writers) -> None:
    red_list = {"k": "RED", "first": 100}
    async with app_client(writable) as client:  # one app: one response cache
        before = (await client.data(CREDIT_LIST, red_list))["creditList"]
        cached = (await client.data(CREDIT_LIST, red_list))["creditList"]
        hit = client.last.headers.get("x-cache") if client.last else None
        client.http.headers["Authorization"] = f"Bearer {writers.keys['market']}"
        await _create(client, "addListEntry", "AddListEntryInput", {
            "subject": built.clean, "kind": "RED", "reason": "诚信示范企业",
            "authority": "测试市市场监督管理局", "authorityCode": AUTHORITY,
            "validFrom": RECENT})
        del client.http.headers["Authorization"]
        red = (await client.data(CREDIT_LIST, red_list))["creditList"]
        whole = (await client.data(CREDIT_LIST, {"k": "BLACK", "first": 100}))["creditList"]
        seen, after = [], None
        while True:
            page = (await client.data(CREDIT_LIST, {"k": "BLACK", "first": 1,
                                                    "after": after}))["creditList"]
            seen += [edge["node"]["id"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        foreign = await client.post(CREDIT_LIST, {"k": "RED", "first": 1, "after": after})
        carriers = (await client.data(CREDIT_LIST, {
            "k": "BLACK", "first": 100, "f": {"subjectKind": "LOGISTICS_FIRM"}}))["creditList"]
        bad_region = await client.post(CREDIT_LIST, {"k": "BLACK", "f": {"region": "9x"}})
    assert cached == before
    assert hit == "HIT"
    assert red["totalCount"] == before["totalCount"] + 1  # the write purged the cached list
    assert built.clean in {edge["node"]["subject"]["uscc"] for edge in red["edges"]}
    assert seen == [edge["node"]["id"] for edge in whole["edges"]]
    assert len(seen) == whole["totalCount"] >= 1
    assert all(edge["node"]["kind"] == "BLACK" and edge["node"]["inForce"]
               for edge in whole["edges"])
    assert codes(foreign) == ["INVALID_CURSOR"]
    assert {edge["node"]["subject"]["kind"] for edge in carriers["edges"]} <= {"LOGISTICS_FIRM"}
    assert carriers["totalCount"] < whole["totalCount"]  # the merchants' entries are left out
    assert codes(bad_region) == ["BAD_USER_INPUT"]


def test_default_entry_end_is_the_day_before_the_anniversary() -> None:
    assert entry_end(ListKind.BLACK, date(2026, 12, 3)) == date(2029, 12, 2)
    assert entry_end(ListKind.RED, date(2028, 2, 29)) == date(2030, 2, 28)


def test_the_documented_rule_table_is_the_codes() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "CREDIT_LISTS.md").read_text()
    assert f"rules version `{list_rules.RULES_VERSION}`" in text
    for rule in list_rules.RULES:
        assert f"| `{rule.code}` {rule.title} | {rule.kind.value} |" in text, rule.code
    for shown in (f"**{list_rules.EMPTY_PARCEL_SHARE:.0%}**".replace("%", " %"),
                  f"**{list_rules.EMPTY_PARCEL_MIN_PARCELS}**",
                  f"**{list_rules.HIGH_RATING_COUNT}**", f"**{list_rules.HIGH_RATING_AVERAGE}**",
                  f"**{list_rules.FULFILLED_COMMITMENTS}**", f"**{list_rules.CLEAN_YEARS} years**",
                  f"**{list_rules.LOOKBACK_YEARS} years**", f"**{list_rules.EVIDENCE_MAX}**"):
        assert shown in text, shown
