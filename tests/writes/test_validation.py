"""A bad write gets one typed error per bad field — ``extensions.code`` and the field's path —
and writes nothing at all."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.writes.conftest import Cast, Connect, license_input, penalty_input, unique

PUBLISH = """mutation($input: PublishPenaltyInput!) {
  publishPenalty(input: $input) { id } }"""
GRANT = """mutation($input: GrantLicenseInput!) { grantLicense(input: $input) { id } }"""


def by_field(body: dict[str, Any]) -> dict[tuple[str, ...], dict[str, Any]]:
    assert body["data"] is None
    found: dict[tuple[str, ...], dict[str, Any]] = {}
    for error in body["errors"]:
        field = tuple(error["extensions"]["field"])
        assert field not in found, f"two errors for {field}"
        found[field] = error["extensions"]
    return found


async def penalties(client: GraphQLClient, uscc: str) -> int:
    data = await client.data("query($u: USCC!) { subject(uscc: $u) { penalties(first: 0) "
                             "{ totalCount } } }", {"u": uscc})
    return int(data["subject"]["penalties"]["totalCount"])


async def test_every_bad_field_is_reported_and_nothing_is_written(
    market: GraphQLClient, cast: Cast
) -> None:
    subject = cast.merchants[5]
    before = await penalties(market, subject)
    bad = penalty_input(
        subject,
        decisionDate="2099-01-01",            # in the future
        publishedOn="2026-01-01",             # before the decision
        fine="-1.1234567",                    # negative and 7 decimals
        confiscated="0.1234565",              # 7 decimals
        authorityCode="914403001922038217",   # wrong check character
        publicityEnd="2200-01-01",            # beyond the longest period
        decisionNumber="   ",                 # blank
        facts="事" * 4001,                     # over the 4000 a TEXT column takes
        violationType="类" * 201,              # over the column's 200
    )

    errors = by_field(await market.post(PUBLISH, {"input": bad}))

    assert {field: e["code"] for field, e in errors.items()} == {
        ("input", "decisionDate"): "BAD_USER_INPUT",
        ("input", "publishedOn"): "BAD_USER_INPUT",
        ("input", "fine"): "BAD_USER_INPUT",
        ("input", "confiscated"): "BAD_USER_INPUT",
        ("input", "authorityCode"): "INVALID_USCC",
        ("input", "publicityEnd"): "BAD_USER_INPUT",
        ("input", "decisionNumber"): "BAD_USER_INPUT",
        ("input", "violationType"): "BAD_USER_INPUT",
        ("input", "facts"): "BAD_USER_INPUT",
    }
    assert errors[("input", "decisionDate")]["reason"] == "future"
    assert errors[("input", "fine")]["reason"] == "negative"
    assert errors[("input", "confiscated")]["reason"] == "decimals"
    assert errors[("input", "authorityCode")]["expectedCheckCharacter"] == "6"
    assert errors[("input", "violationType")]["maximum"] == 200
    assert errors[("input", "facts")] == {"code": "BAD_USER_INPUT", "field": ["input", "facts"],
                                          "reason": "length", "maximum": 4000}
    assert await penalties(market, subject) == before


@pytest.mark.parametrize(("subject", "code", "reason"), [
    ("914403001922038217", "INVALID_USCC", "check"),      # check character wrong
    ("9144030019220382", "INVALID_USCC", "length"),
    ("91440300192203821I", "INVALID_USCC", "alphabet"),
    ("91330100716105852F", "UNKNOWN_SUBJECT", None),      # valid, but no such subject
])
async def test_the_subject_must_be_a_stored_subject(
    market: GraphQLClient, subject: str, code: str, reason: str | None
) -> None:
    errors = by_field(await market.post(PUBLISH, {"input": penalty_input(subject)}))

    assert list(errors) == [("input", "subject")]
    assert errors[("input", "subject")]["code"] == code
    assert errors[("input", "subject")].get("reason") == reason


@pytest.mark.parametrize(("severity", "end", "ok"), [
    ("MINOR", "2026-10-09", True),       # minor: up to 3 months, may end the same day
    ("MINOR", "2027-01-10", False),
    ("GENERAL", "2027-01-08", False),    # general: at least 3 months
    ("GENERAL", "2027-01-09", True),
    ("GENERAL", "2027-10-09", True),
    ("SERIOUS", "2027-10-08", False),    # serious: 1 to 3 years
    ("SERIOUS", "2029-10-09", True),
    ("SERIOUS", "2029-10-10", False),
])
async def test_publicity_end_follows_the_severity(
    market: GraphQLClient, cast: Cast, severity: str, end: str, ok: bool
) -> None:
    body = await market.post(PUBLISH, {"input": penalty_input(
        cast.merchants[1], severity=severity, publicityEnd=end, decisionDate="2026-10-09")})
    if ok:
        assert "errors" not in body, body
    else:
        assert by_field(body)[("input", "publicityEnd")]["reason"] == "range"


async def test_publicity_end_defaults_to_the_longest_period(market: GraphQLClient,
                                                            cast: Cast) -> None:
    data = await market.data(
        "mutation($input: PublishPenaltyInput!) { publishPenalty(input: $input) "
        "{ publicityEnd severity } }",
        {"input": penalty_input(cast.merchants[1], severity="SERIOUS", decisionDate="2026-02-28")})
    assert data["publishPenalty"] == {"publicityEnd": "2029-02-28", "severity": "SERIOUS"}


async def test_a_fine_penalty_needs_its_amount(market: GraphQLClient, cast: Cast) -> None:
    bad = penalty_input(cast.merchants[1])
    del bad["fine"]
    errors = by_field(await market.post(PUBLISH, {"input": bad}))
    assert errors[("input", "fine")]["reason"] == "required"


@pytest.mark.parametrize(("changes", "field"), [
    ({"validTo": "2026-08-31"}, "validTo"),                  # before validFrom
    ({"officialUrl": "ftp://example.cn/licence"}, "officialUrl"),
    ({"publishedOn": "2099-01-01"}, "publishedOn"),
])
async def test_licence_fields_are_checked(as_writer: Connect, cast: Cast,
                                          changes: dict[str, str], field: str) -> None:
    async with as_writer("commerce") as client:
        errors = by_field(await client.post(GRANT, {"input": license_input(cast.merchants[0],
                                                                             **changes)}))
    assert list(errors) == [("input", field)]


@pytest.mark.parametrize(("mutation", "values", "field", "reason"), [
    ("recordRating", {"score": 6}, "score", "range"),
    ("recordRating", {"ratedOn": "2099-01-01"}, "ratedOn", "future"),
    ("recordRating", {"platform": "MERCHANT0"}, "platform", "kind"),
    ("recordRating", {"rater": "RATEE"}, "ratee", "self"),
])
async def test_rating_fields_are_checked(as_writer: Connect, cast: Cast, mutation: str,
                                         values: dict[str, Any], field: str, reason: str) -> None:
    names = {"MERCHANT0": cast.merchants[0], "RATEE": cast.merchants[1]}
    rating = {"platform": cast.platforms[0], "rater": cast.merchants[0],
              "ratee": cast.merchants[1], "orderReference": unique("O"), "score": 4,
              "ratedOn": "2026-11-01"}
    rating.update({k: names.get(v, v) if isinstance(v, str) else v for k, v in values.items()})
    async with as_writer("platform") as client:
        body = await client.post("mutation($i: RecordRatingInput!) { recordRating(input: $i) "
                                 "{ id } }", {"i": rating})
    errors = by_field(body)
    assert errors[("input", field)]["reason"] == reason


async def test_logistics_link_needs_a_carrier_and_sane_counts(as_writer: Connect,
                                                              cast: Cast) -> None:
    link = {"merchant": cast.merchants[0], "carrier": cast.merchants[1],
            "periodStart": "2026-03-01", "periodEnd": "2026-02-28", "parcels": 10,
            "emptyParcels": 11}
    async with as_writer("postal") as client:
        body = await client.post("mutation($i: RecordLogisticsLinkInput!) { "
                                 "recordLogisticsLink(input: $i) { id } }", {"i": link})
    errors = by_field(body)
    assert errors[("input", "carrier")]["reason"] == "kind"
    assert errors[("input", "periodEnd")]["reason"] == "order"
    assert errors[("input", "emptyParcels")]["reason"] == "range"


@pytest.mark.parametrize("changes", [{"category": "PUBLIC_SHAMING"}, {"decisionDate": "09/10/2026"},
                                     {"fine": "a lot"}])
async def test_values_outside_their_graphql_type_are_bad_input(
    market: GraphQLClient, cast: Cast, changes: dict[str, str]
) -> None:
    body = await market.post(PUBLISH, {"input": penalty_input(cast.merchants[0], **changes)})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    assert body.get("data") is None


async def test_messages_name_graphql_fields_and_offer_only_what_exists(
    market: GraphQLClient, cast: Cast
) -> None:
    """A CONFLICT names the input's fields (authorityCode, not authority_code); a failed check
    character of an authority code does not suggest allowLegacy, which no write offers."""
    values = penalty_input(cast.merchants[5])
    assert "errors" not in await market.post(PUBLISH, {"input": values})
    conflict = (await market.post(PUBLISH, {"input": {**values, "fine": "2.5",
                                                      "violationType": "刷单炒信"}}))["errors"][0]
    assert conflict["extensions"]["code"] == "CONFLICT"
    assert "authorityCode, decisionNumber" in conflict["message"], conflict["message"]
    assert "fine, violationType" in conflict["message"], conflict["message"]
    assert "_" not in conflict["message"].split(";")[0], conflict["message"]

    bad = (await market.post(PUBLISH, {"input": penalty_input(
        cast.merchants[5], authorityCode="914403001922038217")}))["errors"][0]
    assert bad["extensions"]["code"] == "INVALID_USCC"
    assert "requires '6'" in bad["message"]
    assert "allowLegacy" not in bad["message"], bad["message"]
