"""公示时限: every licence and penalty shows its disclosure lag in PRC working days and whether
it was disclosed late, and late ones can be filtered — per subject and across subjects."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from resolvers.domain import clock
from resolvers.domain.enums import Role
from tests.conftest import Backend, GraphQLClient, app_client
from tests.roles import ReadKeys, read_keys_fixture  # noqa: F401

DECISIONS = ("licenses", "penalties")


def workdays_after(start: date, end: date) -> int:
    """Working days in (start, end], by the official calendar the test reads for itself
    (Monday–Friday for years the calendar does not cover, as the gateway documents)."""
    import chinese_calendar

    def workday(day: date) -> bool:
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            return day.weekday() < 5

    return sum(1 for n in range(1, (end - start).days + 1) if workday(start + timedelta(days=n)))


async def decisions(client: GraphQLClient, relation: str, late: bool | None = None
                    ) -> dict[str, list[dict[str, Any]]]:
    """The licences or penalties of every subject (all pages), by USCC."""
    argument = "" if late is None else f", late: {str(late).lower()}"
    found: dict[str, list[dict[str, Any]]] = {}
    after = None
    while True:
        data = (await client.data(f"""query($after: String) {{ subjects(first: 100, after: $after)
            {{ pageInfo {{ hasNextPage endCursor }} edges {{ node {{ uscc
            {relation}(first: 100{argument}) {{ totalCount edges {{ node {{ id decisionDate
            publishedOn disclosureLagDays lateDisclosure }} }} }} }} }} }} }}""",
                                  {"after": after}))["subjects"]
        found.update({edge["node"]["uscc"]: [e["node"] for e in edge["node"][relation]["edges"]]
                      for edge in data["edges"]})
        if not data["pageInfo"]["hasNextPage"]:
            return found
        after = data["pageInfo"]["endCursor"]


@pytest.mark.parametrize("relation", DECISIONS)
async def test_lag_and_late_flag_follow_the_official_calendar(read_keys: ReadKeys,
                                                              relation: str) -> None:
    today = clock.today()
    seen = late_seen = 0
    # a regulator sees every penalty, past its publicity period too (docs/PRIVACY.md)
    async with read_keys.client(Role.REGULATOR) as client:
        everything = await decisions(client, relation)
    for records in everything.values():
        for record in records:
            decided = date.fromisoformat(record["decisionDate"])
            if record["publishedOn"] is None:
                assert record["disclosureLagDays"] is None
                late = workdays_after(decided, today) > 7
            else:
                lag = workdays_after(decided, date.fromisoformat(record["publishedOn"]))
                assert record["disclosureLagDays"] == lag
                late = lag > 7
            assert record["lateDisclosure"] is late
            seen += 1
            late_seen += late
    assert seen > 10
    assert 0 < late_seen < seen  # the demo data has both kinds


@pytest.mark.parametrize("relation", DECISIONS)
async def test_late_argument_splits_each_list(client: GraphQLClient, relation: str) -> None:
    everything = await decisions(client, relation)
    late = await decisions(client, relation, late=True)
    in_time = await decisions(client, relation, late=False)
    for uscc, records in everything.items():
        assert [r["id"] for r in late[uscc]] == [r["id"] for r in records if r["lateDisclosure"]]
        assert [r["id"] for r in in_time[uscc]] == [
            r["id"] for r in records if not r["lateDisclosure"]]


async def test_late_filter_costs_one_statement_per_relation(seeded: Backend) -> None:
    query = """{ subjects(first: 100) { edges { node {
        penalties(first: 5, late: true) { totalCount edges { node { id } } } } } } }"""
    async with app_client(seeded) as client:
        await client.data(query)
        # subjects, the late page, the late count, and the answer's calendar boundary (read
        # as it is stored in the response cache: the late filter compares with today)
        assert client.statements == 4


async def test_subject_filter_finds_subjects_with_a_late_decision(client: GraphQLClient) -> None:
    query = """query($late: Boolean) { subjects(first: 100, filter: {lateDisclosure: $late}) {
        totalCount edges { node { uscc
          licenses(first: 100) { edges { node { lateDisclosure } } }
          penalties(first: 100) { edges { node { lateDisclosure } } } } } } }"""

    def any_late(node: dict[str, Any]) -> bool:
        return any(e["node"]["lateDisclosure"] for r in DECISIONS for e in node[r]["edges"])

    everyone = (await client.data(query, {"late": None}))["subjects"]
    late = (await client.data(query, {"late": True}))["subjects"]
    in_time = (await client.data(query, {"late": False}))["subjects"]
    assert late["totalCount"] > 0
    assert late["totalCount"] + in_time["totalCount"] == everyone["totalCount"]
    assert all(any_late(e["node"]) for e in late["edges"])
    assert not any(any_late(e["node"]) for e in in_time["edges"])
