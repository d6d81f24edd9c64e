"""``subject(uscc:)`` and the USCC scalar, over HTTP, on both backends."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQLClient

SUBJECT = """query($uscc: USCC!, $legacy: Boolean! = false) {
  subject(uscc: $uscc, allowLegacy: $legacy) {
    id uscc name kind region { code province name } listStatus
    verification { verified mark }
    legalRepresentative { name idType }
    licenses(first: 2) { totalCount edges { node { decisionNumber subject { uscc } } } }
    ratingSummary { count average creditPoints positive neutral negative }
  }
}"""


async def any_uscc(client: GraphQLClient) -> str:
    data = await client.data("{ subjects(first: 1) { edges { node { uscc } } } }")
    code: str = data["subjects"]["edges"][0]["node"]["uscc"]
    return code


async def test_known_subject_is_returned_with_its_relations(client: GraphQLClient) -> None:
    code = await any_uscc(client)
    subject = (await client.data(SUBJECT, {"uscc": code}))["subject"]
    assert subject["uscc"] == code
    assert subject["name"]
    assert subject["region"]["code"] == code[2:8]
    assert subject["region"]["province"]
    for edge in subject["licenses"]["edges"]:
        assert edge["node"]["subject"]["uscc"] == code
    summary = subject["ratingSummary"]
    assert summary["positive"] + summary["neutral"] + summary["negative"] == summary["count"]
    assert summary["creditPoints"] == summary["positive"] - summary["negative"]


async def test_lowercase_and_spaced_input_is_normalised(client: GraphQLClient) -> None:
    code = await any_uscc(client)
    spaced = f"{code[:2]} {code[2:8]} {code[8:]}".lower()
    subject = (await client.data(SUBJECT, {"uscc": spaced}))["subject"]
    assert subject["uscc"] == code


@pytest.mark.parametrize("code", ["914403001922038216", "91330100716105852F",
                                  "91520000214434146R", "91110000600037341L",
                                  "121200004013590816"])
async def test_valid_but_unknown_uscc_is_null(client: GraphQLClient, code: str) -> None:
    assert (await client.data(SUBJECT, {"uscc": code}))["subject"] is None


@pytest.mark.parametrize(
    ("code", "reason", "words"),
    [
        ("9144030019220382", "length", "18 characters, got 16"),
        ("9144030019220382160", "length", "got 19"),
        ("9144030019220382IO", "alphabet", "'IO'"),
        ("91440300192203821Z", "alphabet", "'Z'"),
        ("914403001922038217", "check", "requires '6'"),
        ("91110108717809965C", "check", "requires 'J'"),
    ],
)
async def test_bad_uscc_is_a_typed_error_naming_the_fault(
    client: GraphQLClient, code: str, reason: str, words: str
) -> None:
    for body in (await client.post(SUBJECT, {"uscc": code}),
                 await client.post(f'{{ subject(uscc: "{code}") {{ name }} }}')):
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "INVALID_USCC"
        assert error["extensions"]["reason"] == reason
        assert words in error["message"]


async def test_legacy_pilot_code_only_when_asked_explicitly(client: GraphQLClient) -> None:
    legacy = "91350100M0001TGQXM"
    refused = await client.post(SUBJECT, {"uscc": legacy})
    (error,) = refused["errors"]
    assert error["extensions"]["code"] == "INVALID_USCC"
    assert "allowLegacy" in error["message"]
    accepted = await client.post(SUBJECT, {"uscc": legacy, "legacy": True})
    assert "errors" not in accepted
    assert accepted["data"]["subject"] is None  # valid as a legacy code, not in the data


async def test_non_string_uscc_is_rejected(client: GraphQLClient) -> None:
    assert await client.error_codes(SUBJECT, {"uscc": 914403001922038216}) == ["INVALID_USCC"]


@pytest.mark.parametrize("code", ["9144030019220382", "9144030019220382IO", "914403001922038217",
                                  914403001922038216])
async def test_a_malformed_uscc_answers_one_error_shape(client: GraphQLClient,
                                                        code: str | int) -> None:
    """Whatever is wrong (length, alphabet, check character, type), as a variable or written
    in the document: the field is null beside one INVALID_USCC error at its path."""
    literal = f'"{code}"' if isinstance(code, str) else str(code)
    for body in (await client.post(SUBJECT, {"uscc": code}),
                 await client.post(f"{{ subject(uscc: {literal}) {{ name }} }}")):
        assert body["data"] == {"subject": None}, body
        (error,) = body["errors"]
        assert sorted(error) == ["extensions", "locations", "message", "path"], error
        assert error["path"] == ["subject"]
        assert error["extensions"]["code"] == "INVALID_USCC"
