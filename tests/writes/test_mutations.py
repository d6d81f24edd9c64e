"""Every record type is written through its mutation, answered with the stored record, and is
idempotent by its natural key: a repeat changes nothing, different content is a CONFLICT."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from tests.writes.conftest import AUTHORITY, Cast, Connect, license_input, penalty_input, unique


@dataclass(frozen=True)
class Case:
    mutation: str
    type_name: str
    role: str
    selection: str
    make: Callable[[Cast], dict[str, Any]]
    changed: dict[str, Any]  # same natural key, different content
    relation: str  # the subject's relation the record joins
    owner: str = "subject"

    @property
    def input_type(self) -> str:
        return self.mutation[0].upper() + self.mutation[1:] + "Input"


CASES = [
    Case("publishPenalty", "Penalty", "market",
         "decisionNumber fine severity publicityEnd source subject { uscc }",
         lambda c: penalty_input(c.merchants[0]), {"fine": "2"}, "penalties"),
    Case("grantLicense", "License", "commerce",
         "decisionNumber status validTo source subject { uscc }",
         lambda c: license_input(c.merchants[0]), {"validTo": "2030-01-01"}, "licenses"),
    Case("recordRating", "Rating", "platform",
         "score orderReference platform { uscc } ratee { uscc } source sourceCode",
         lambda c: {"platform": c.platforms[0], "rater": c.merchants[1], "ratee": c.merchants[0],
                    "orderReference": unique("O"), "score": 2, "ratedOn": "2026-11-01",
                    "comment": "发货慢"}, {"score": 5}, "ratings", owner="ratee"),
    Case("submitCommitment", "Commitment", "commerce", "kind status text source",
         lambda c: {"subject": c.merchants[2], "kind": "NO_REASON_RETURN",
                    "text": unique("七日无理由退货承诺"), "committedOn": f"2026-0{_next_day()}"},
         {"text": "另一份承诺"}, "commitments"),
    Case("recordLogisticsLink", "LogisticsLink", "postal",
         "parcels emptyParcels merchant { uscc } carrier { uscc } source",
         lambda c: {"merchant": c.merchants[0], "carrier": c.carriers[0],
                    "periodStart": f"2025-0{_next_day()}", "periodEnd": "2025-12-31",
                    "parcels": 1200, "emptyParcels": 3},
         {"parcels": 1300}, "logisticsLinks", owner="merchant"),
    Case("fileComplaint", "Complaint", "market", "channel status reference source",
         lambda c: {"subject": c.merchants[3], "channel": "HOTLINE_12315",
                    "reference": unique("12315-"), "summary": "商品与描述不符",
                    "filedOn": "2026-11-02"}, {"summary": "另一事由"}, "complaints"),
    Case("addListEntry", "ListEntry", "credit", "kind reason validFrom inForce source",
         lambda c: {"subject": c.merchants[4], "kind": "RED", "reason": unique("守信激励"),
                    "authority": "测试市发展和改革委员会", "authorityCode": AUTHORITY,
                    "validFrom": f"2026-0{_next_day()}"}, {"reason": "另一事由"},
         "listEntries"),
]

_days = iter(f"{m}-{d:02d}" for m in range(1, 10) for d in range(1, 29))


def _next_day() -> str:
    """A fresh day for keys that contain a date (commitments, links, list entries)."""
    return next(_days)


def document(case: Case) -> str:
    return (f"mutation($input: {case.input_type}!) {{ {case.mutation}(input: $input) "
            f"{{ id {case.selection} }} }}")


async def relation_count(client: Any, case: Case, uscc: str) -> int:
    data = await client.data(f"query($u: USCC!) {{ subject(uscc: $u) {{ {case.relation}(first: 0) "
                             "{ totalCount } } }", {"u": uscc})
    return int(data["subject"][case.relation]["totalCount"])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.mutation)
async def test_write_returns_the_stored_record_and_a_repeat_changes_nothing(
    as_writer: Connect, cast: Cast, case: Case
) -> None:
    values = case.make(cast)
    owner = values[case.owner]
    async with as_writer(case.role) as client:
        before = await relation_count(client, case, owner)
        first = (await client.data(document(case), {"input": values}))[case.mutation]
        stored = await client.data("query($id: ID!) { node(id: $id) { id } }", {"id": first["id"]})
        assert stored["node"] == {"id": first["id"]}
        assert await relation_count(client, case, owner) == before + 1

        again = (await client.data(document(case), {"input": values}))[case.mutation]

        assert again == first
        assert await relation_count(client, case, owner) == before + 1
    for field, value in values.items():
        if field in first and not isinstance(first[field], dict):
            assert same(first[field], value), field
    assert first["source"] == {"market": "MARKET_REGULATION", "commerce": "COMMERCE",
                               "platform": "PLATFORM", "postal": "POSTAL",
                               "credit": "DEVELOPMENT_REFORM"}[case.role]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.mutation)
async def test_same_natural_key_with_other_content_is_a_conflict(
    as_writer: Connect, cast: Cast, case: Case
) -> None:
    values = case.make(cast)
    async with as_writer(case.role) as client:
        first = (await client.data(document(case), {"input": values}))[case.mutation]

        body = await client.post(document(case), {"input": {**values, **case.changed}})

        assert body["data"] is None
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "CONFLICT"
        assert error["extensions"]["existing"] == first["id"]
        assert error["extensions"]["fields"] == list(case.changed)
        assert error["path"] == [case.mutation]
        # never an overwrite: the stored record is as the first write left it
        fields = " ".join(k for k in case.changed)
        stored = await client.data(
            f"query($id: ID!) {{ node(id: $id) {{ ... on {case.type_name} {{ {fields} }} }} }}",
            {"id": first["id"]})
        for field in case.changed:
            assert same(stored["node"][field], values[field])


def same(shown: Any, given: Any) -> bool:
    """Decimals travel as strings whose scale the backend may pad (1.5 → 1.500000)."""
    if isinstance(given, str) and isinstance(shown, str) and given.replace(".", "").isdigit():
        return Decimal(shown) == Decimal(given)
    return bool(shown == given)
