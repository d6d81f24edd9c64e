"""信用等级: every rule of the table (docs/CREDIT_GRADE.md) with hand-built records written
through the mutations, read back over GraphQL on both backends — the reason names its rule,
its clause, its effect and the record that was written. The doc's table is the code's."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from resolvers.domain import clock
from resolvers.domain.grading import RULE_VERSION, RULES
from resolvers.domain.grading.rules import table_markdown
from tests.conftest import GraphQLClient
from tests.writes.conftest import AUTHORITY, Cast, Connect, license_input, penalty_input, unique

ROOT = Path(__file__).resolve().parents[2]
GRADE = ("{ grade score ruleVersion computedAt "
         "reasons { rule clause effect record { __typename id } } }")
READ = f"query($u: USCC!) {{ subject(uscc: $u) {{ creditGrade {GRADE} supervisoryClass {GRADE} }} }}"


def day(offset: int) -> str:
    return (clock.today() + timedelta(days=offset)).isoformat()


async def grades(connect: Connect, uscc: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(creditGrade as PUBLIC sees it, supervisoryClass as a REGULATOR sees it)."""
    async with connect(None) as anonymous:
        public = (await anonymous.data(f"query($u: USCC!) {{ subject(uscc: $u) "
                                       f"{{ creditGrade {GRADE} }} }}", {"u": uscc}))
    async with connect("market") as regulator:
        supervisory = (await regulator.data(READ, {"u": uscc}))["subject"]
    # a regulator's own grade is computed from all it may see: every record
    assert supervisory["creditGrade"] == {**supervisory["supervisoryClass"],
                                          "computedAt": supervisory["creditGrade"]["computedAt"]}
    return public["subject"]["creditGrade"], supervisory["supervisoryClass"]


def naming(grade: dict[str, Any], record_id: str) -> list[dict[str, Any]]:
    return [r for r in grade["reasons"] if r["record"] and r["record"]["id"] == record_id]


def rules_of(grade: dict[str, Any]) -> set[str]:
    return {r["rule"] for r in grade["reasons"]}


def check(grade: dict[str, Any]) -> None:
    """What holds of every grade: the class is the score's band, the score is 90 plus the
    effects within 0–100 (or the black cap), every reason's clause is its rule's."""
    assert grade["ruleVersion"] == RULE_VERSION
    total = max(0, min(100, 90 + sum(r["effect"] for r in grade["reasons"])))
    assert grade["score"] == total
    assert grade["grade"] == ("A" if total >= 90 else "B" if total >= 70
                              else "C" if total >= 40 else "D")
    for reason in grade["reasons"]:
        assert reason["clause"] == RULES[reason["rule"]].clause


async def write(client: GraphQLClient, mutation: str, values: dict[str, Any]) -> str:
    name = mutation[0].upper() + mutation[1:]
    data = await client.data(f"mutation($i: {name}Input!) {{ {mutation}(input: $i) {{ id }} }}",
                             {"i": values})
    return str(data[mutation]["id"])


def test_the_documented_rule_table_is_the_code_s() -> None:
    doc = (ROOT / "docs" / "CREDIT_GRADE.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- rule table: begin -->\n(.*?)\n<!-- rule table: end -->", doc,
                      flags=re.S)
    assert table is not None
    assert table.group(1) == table_markdown()


async def test_penalties_by_severity_and_recency(as_writer: Connect, cast: Cast) -> None:
    subject = cast.merchants[5]
    written = {}
    async with as_writer("market") as market:
        for severity, offset, rule in (("SERIOUS", -20, "penalty.serious.recent"),
                                       ("SERIOUS", -500, "penalty.serious.past"),
                                       ("GENERAL", -20, "penalty.general.recent"),
                                       ("GENERAL", -500, "penalty.general.past"),
                                       ("MINOR", -20, "penalty.minor.recent")):
            written[rule] = await write(market, "publishPenalty", penalty_input(
                subject, severity=severity, decisionDate=day(offset),
                publishedOn=day(offset + 3)))
        # four years ago: past the longest publicity period, it no longer counts
        old = await write(market, "publishPenalty", penalty_input(
            subject, severity="SERIOUS", decisionDate=day(-1500), publishedOn=day(-1497),
            publicityEnd=day(-1500 + 3 * 365)))
        public, supervisory = await grades(as_writer, subject)
    for rule, record in written.items():
        (reason,) = naming(supervisory, record)
        assert (reason["rule"], reason["effect"]) == (rule, RULES[rule].effect)
        assert reason["record"]["__typename"] == "Penalty"
    assert naming(supervisory, old) == []
    # the public view: the minor one is withheld and the general one's year of publicity ended
    for rule in ("penalty.serious.recent", "penalty.serious.past", "penalty.general.recent"):
        assert len(naming(public, written[rule])) == 1
    for rule in ("penalty.general.past", "penalty.minor.recent"):
        assert naming(public, written[rule]) == []
    check(public)
    check(supervisory)


async def test_a_black_entry_caps_at_d_and_lifting_it_never_worsens(
        as_writer: Connect, cast: Cast) -> None:
    subject = cast.merchants[6]
    async with as_writer("credit") as credit:
        before, _ = await grades(as_writer, subject)
        entry = await write(credit, "addListEntry", {
            "subject": subject, "kind": "BLACK", "reason": unique("炒信"),
            "authority": "测试市发展和改革委员会", "authorityCode": AUTHORITY,
            "validFrom": day(-30)})
        listed, listed_all = await grades(as_writer, subject)
        await credit.data('mutation($id: ID!) { liftListEntry(id: $id, reason: "信用修复") '
                          "{ id } }", {"id": entry})
        lifted, _ = await grades(as_writer, subject)
    for grade in (listed, listed_all):
        assert grade["grade"] == "D"
        assert grade["score"] <= 39
        (reason,) = naming(grade, entry)
        assert reason["rule"] == "list.black.in_force"
        assert reason["effect"] == -40
        check(grade)
    cap = [r for r in listed["reasons"] if r["rule"] == "list.black.cap"]
    assert len(cap) == (1 if before["score"] - 40 > 39 else 0)
    assert lifted == {**before, "computedAt": lifted["computedAt"]}


async def test_entries_count_while_in_force_and_red_only_without_black(
        as_writer: Connect, cast: Cast) -> None:
    subject = cast.merchants[7]
    entry = {"subject": subject, "authority": "测试市发展和改革委员会", "authorityCode": AUTHORITY}
    async with as_writer("credit") as credit:
        expired = await write(credit, "addListEntry", {
            **entry, "kind": "BLACK", "reason": unique("已到期"), "validFrom": day(-800),
            "validTo": day(-1)})
        red = await write(credit, "addListEntry", {
            **entry, "kind": "RED", "reason": unique("守信"), "validFrom": day(-10)})
        public, _ = await grades(as_writer, subject)
    assert naming(public, expired) == []  # an entry stops counting the day after its end
    assert "list.black.cap" not in rules_of(public)
    (reason,) = naming(public, red)
    assert (reason["rule"], reason["effect"]) == ("list.red.in_force", 5)
    check(public)


async def test_commitments_breached_and_fulfilled(as_writer: Connect, cast: Cast) -> None:
    subject = cast.merchants[4]
    async with as_writer("commerce") as commerce:
        breached, kept = [await write(commerce, "submitCommitment", {
            "subject": subject, "kind": kind, "text": unique("承诺"), "committedOn": day(-200)})
            for kind in ("PRODUCT_QUALITY", "ADVANCE_COMPENSATION")]
        for record, status in ((breached, "BREACHED"), (kept, "FULFILLED")):
            await commerce.data("mutation($id: ID!, $s: CommitmentStatus!) { "
                                "setCommitmentStatus(id: $id, status: $s) { id } }",
                                {"id": record, "s": status})
        public, supervisory = await grades(as_writer, subject)
    for grade in (public, supervisory):
        (reason,) = naming(grade, breached)
        assert (reason["rule"], reason["effect"]) == ("commitment.breached", -10)
        fulfilled = [r for r in grade["reasons"] if r["rule"] == "commitment.fulfilled"]
        assert naming(grade, kept) == [] or naming(grade, kept)[0]["effect"] == 2
        assert 0 < sum(r["effect"] for r in fulfilled) <= 6
        check(grade)


async def test_complaints_frequent_and_unresolved(as_writer: Connect, cast: Cast) -> None:
    subject = cast.carriers[1]
    async with as_writer("market") as market:
        overdue = await write(market, "fileComplaint", {
            "subject": subject, "channel": "HOTLINE_12315", "reference": unique("12315-"),
            "summary": "未按约定时限投递", "filedOn": day(-90)})
        for offset in (-5, -6, -7):
            await write(market, "fileComplaint", {
                "subject": subject, "channel": "HOTLINE_12315", "reference": unique("12315-"),
                "summary": "包裹破损", "filedOn": day(offset)})
        public, _ = await grades(as_writer, subject)
    assert "complaint.frequent" in rules_of(public)
    (reason,) = naming(public, overdue)
    assert (reason["rule"], reason["effect"]) == ("complaint.unresolved", -2)
    assert reason["record"]["__typename"] == "Complaint"
    check(public)


async def test_rating_average_and_negative_follow_ups(as_writer: Connect, cast: Cast) -> None:
    low, high = cast.carriers[2], cast.carriers[0]  # carriers receive no demo ratings

    async def rate(client: GraphQLClient, ratee: str, score: int) -> str:
        return await write(client, "recordRating", {
            "platform": cast.platforms[0], "rater": cast.merchants[1], "ratee": ratee,
            "orderReference": unique("O"), "score": score, "ratedOn": day(-3)})

    async with as_writer("platform") as platform:
        poor = [await rate(platform, low, 1) for _ in range(5)]
        for rating in poor[:2]:
            await platform.data('mutation($id: ID!) { addRatingFollowUp(id: $id, '
                                'text: "追评：至今未退款") { id } }', {"id": rating})
        after_low, _ = await grades(as_writer, low)
        for _ in range(5):
            await rate(platform, low, 5)  # ten ratings averaging 3.0
        after_fair, _ = await grades(as_writer, low)
        for _ in range(6):
            await rate(platform, high, 5)
        after_high, _ = await grades(as_writer, high)
    assert "rating.average.low" in rules_of(after_low)
    follow_ups = [r for r in after_low["reasons"] if r["rule"] == "rating.follow_up.negative"]
    assert [r["effect"] for r in follow_ups] == [-1, -1]
    assert "rating.average.fair" in rules_of(after_fair)
    assert "rating.average.low" not in rules_of(after_fair)
    assert "rating.average.high" in rules_of(after_high)
    for grade in (after_low, after_fair, after_high):
        check(grade)


async def test_late_disclosure_names_the_late_record(as_writer: Connect, cast: Cast) -> None:
    subject = cast.merchants[3]
    async with as_writer("commerce") as commerce:
        late = await write(commerce, "grantLicense", license_input(
            subject, decisionDate=day(-60), publishedOn=day(-20), validFrom=day(-60)))
        public, _ = await grades(as_writer, subject)
    late_reasons = [r for r in public["reasons"] if r["rule"] == "disclosure.late"]
    assert naming(public, late) or sum(r["effect"] for r in late_reasons) == -3
    assert all(r["effect"] == -1 for r in late_reasons)
    check(public)


async def test_verification_and_empty_parcels(as_writer: Connect, cast: Cast) -> None:
    async with as_writer("postal") as postal:
        page = await postal.data("{ subjects(first: 40) { edges { node { uscc "
                                 "verification { verified } creditGrade { reasons { rule } } } } } }")
        for edge in page["subjects"]["edges"]:
            node = edge["node"]
            flagged = {r["rule"] for r in node["creditGrade"]["reasons"]}
            assert ("verification.missing" in flagged) is (not node["verification"]["verified"])
        carrier = cast.carriers[1]
        await write(postal, "recordLogisticsLink", {
            "merchant": cast.merchants[0], "carrier": carrier, "periodStart": day(-60),
            "periodEnd": day(-31), "parcels": 50_000_000, "emptyParcels": 1_500_000})
        high, _ = await grades(as_writer, carrier)
        await write(postal, "recordLogisticsLink", {
            "merchant": cast.merchants[1], "carrier": carrier, "periodStart": day(-60),
            "periodEnd": day(-31), "parcels": 50_000_000, "emptyParcels": 10_000_000})
        severe, _ = await grades(as_writer, carrier)
    assert "logistics.empty_parcels.high" in rules_of(high)
    assert "logistics.empty_parcels.severe" in rules_of(severe)
    assert "logistics.empty_parcels.high" not in rules_of(severe)
    check(high)
    check(severe)


@pytest.mark.parametrize("role", [None, "platform"])
async def test_supervisory_class_is_forbidden_to_public_and_platform(
        as_writer: Connect, cast: Cast, role: str | None) -> None:
    async with as_writer(role) as client:
        body = await client.post(READ, {"u": cast.merchants[0]})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert body["data"]["subject"]["supervisoryClass"] is None
    check(body["data"]["subject"]["creditGrade"])


async def test_a_write_purges_the_cached_grade_and_repair_hides_it_from_the_public(
        as_writer: Connect, cast: Cast) -> None:
    subject = cast.merchants[2]
    read = f"query($u: USCC!) {{ subject(uscc: $u) {{ supervisoryClass {GRADE} }} }}"
    async with as_writer("market") as market:  # one app: one entity and response cache
        before = (await market.data(read, {"u": subject}))["subject"]["supervisoryClass"]
        penalty = await write(market, "publishPenalty", penalty_input(
            subject, severity="GENERAL", decisionDate=day(-120), publishedOn=day(-117)))
        after = (await market.data(read, {"u": subject}))["subject"]["supervisoryClass"]
        public_before, _ = await grades(as_writer, subject)
        await market.data("mutation($id: ID!) { repairCredit(id: $id) { id } }", {"id": penalty})
        repaired = (await market.data(read, {"u": subject}))["subject"]["supervisoryClass"]
        public_after, _ = await grades(as_writer, subject)
    assert naming(before, penalty) == []
    assert [r["rule"] for r in naming(after, penalty)] == ["penalty.general.recent"]
    assert after["score"] < before["score"] or after["score"] == 0
    assert len(naming(public_before, penalty)) == 1
    # credit repair ends publicity: the public grade forgets it, supervision does not
    assert naming(public_after, penalty) == []
    assert len(naming(repaired, penalty)) == 1
