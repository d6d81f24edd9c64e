"""A carrier's strongest merchants (寄递物流关系) follow every write: ``related`` from a carrier
ranks its merchants by parcels summed over their links, read from the ``carrier_tie`` summary
the links' triggers keep. After each write — a new link through the API, two at once to one
pair, an operator's UPDATE and DELETE in SQL (the API never changes a stored link) — the
auditor's answer is checked against the sum over the links themselves."""

from __future__ import annotations

import asyncio
from typing import Any

from resolvers.domain.enums import Role
from tests.conftest import Backend, sql_execute, sql_rows, writer_client
from tests.writes.conftest import Cast, Connect, issue_key
from tests.writes.test_grade_rules import write

RELATED = """query($u: USCC!, $fan: Int) { subject(uscc: $u) {
  related(via: [CARRIER], depth: 1, first: 100, fanOut: $fan) { truncated
    subjects { subject { uscc } evidence { kind count parcels } } } } }"""
FAN = 3


async def strongest(backend: Backend, carrier: str, fan: int) -> list[tuple[str, int, int]]:
    """The carrier's ``fan`` strongest merchants from the links, strongest first: (USCC,
    links, parcels)."""
    rows = await sql_rows(
        backend.database_url,
        "SELECT m.uscc, count(*), sum(l.parcels), l.merchant_id FROM logistics_link l "
        "JOIN subject c ON c.id = l.carrier_id JOIN subject m ON m.id = l.merchant_id "
        f"WHERE c.uscc = '{carrier}' GROUP BY l.merchant_id, m.uscc "
        f"ORDER BY sum(l.parcels) DESC, l.merchant_id DESC LIMIT {fan}")
    return [(row[0], int(row[1]), int(row[2])) for row in rows]


async def answered(backend: Backend, key: str, carrier: str) -> list[tuple[str, int, int]]:
    """The merchants ``related`` gives the carrier at a fan-out of ``FAN``."""
    async with writer_client(backend, key) as client:
        related = (await client.data(RELATED, {"u": carrier, "fan": FAN}))["subject"]["related"]
    found = []
    for tie in related["subjects"]:
        evidence: dict[str, Any] = next(e for e in tie["evidence"] if e["kind"] == "CARRIER")
        found.append((tie["subject"]["uscc"], evidence["count"], evidence["parcels"]))
    return found


def link(merchant: str, carrier: str, month: int, parcels: int) -> dict[str, Any]:
    return {"merchant": merchant, "carrier": carrier, "periodStart": f"2024-{month:02d}-01",
            "periodEnd": f"2024-{month:02d}-28", "parcels": parcels, "emptyParcels": 0}


async def test_a_carriers_strongest_merchants_follow_every_write(
        writable: Backend, as_writer: Connect, cast: Cast) -> None:
    auditor = await issue_key(writable, "DEVELOPMENT_REFORM", role=Role.AUDITOR)
    carrier, merchants = cast.carriers[0], cast.merchants[4:7]

    async def agrees() -> list[tuple[str, int, int]]:
        truth = await strongest(writable, carrier, FAN)
        assert sorted(await answered(writable, auditor, carrier)) == sorted(truth)
        return truth

    await agrees()
    async with as_writer("postal") as postal:
        # a merchant with more parcels than any comes first, and one with more still first
        await write(postal, "recordLogisticsLink", link(merchants[0], carrier, 1, 3 * 10**8))
        first = await agrees()
        assert first[0][0] == merchants[0]
        assert first[0][2] >= 3 * 10**8
        await write(postal, "recordLogisticsLink", link(merchants[2], carrier, 1, 6 * 10**8))
        second = await agrees()
        assert [uscc for uscc, _, _ in second[:2]] == [merchants[2], merchants[0]]
        # two writes to one pair at once both count
        await asyncio.gather(
            write(postal, "recordLogisticsLink", link(merchants[1], carrier, 2, 45 * 10**7)),
            write(postal, "recordLogisticsLink", link(merchants[1], carrier, 3, 45 * 10**7)))
        both = await agrees()
        assert both[0][0] == merchants[1]
        assert both[0][2] >= 9 * 10**8
    # an operator's correction moves a pair down, a deletion takes it out
    await sql_execute(writable.database_url, "UPDATE logistics_link SET parcels = 1, empty_parcels = 0 "
                             "WHERE parcels = 450000000")
    corrected = await agrees()
    assert corrected[0][0] == merchants[2]
    await sql_execute(writable.database_url, "DELETE FROM logistics_link WHERE parcels = 600000000")
    deleted = await agrees()
    assert deleted[0][0] == merchants[0]
