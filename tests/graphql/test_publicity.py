"""公示期限: PUBLIC and PLATFORM callers see a penalty only within its publicity period —
everywhere a penalty can surface (relation pages and totalCount, node, the late-disclosure
filter, the credit file); regulators and auditors see every penalty with its publicity state."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from resolvers.domain import clock
from resolvers.domain.enums import Role
from tests.conftest import Backend, GraphQLClient, Writers, app_client, sql_rows, writer_client
from tests.roles import ReadKeys, read_keys_fixture  # noqa: F401
from tests.writes.conftest import penalty_input

PENALTIES = """query($after: String) { subjects(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { node { uscc penalties(first: 100) { totalCount edges { node { id
    publicity { state publicUntil } } } } } } } }"""

PUBLIC_ROLES = (Role.PUBLIC, Role.PLATFORM)
ALL_SEEING = (Role.REGULATOR, Role.AUDITOR)


def expected_state(row: Any, today: date) -> str:
    """The rule, written out independently of the gateway's code (docs/PRIVACY.md)."""
    ends = row.publicity_end if row.repaired_on is None else min(row.publicity_end,
                                                                  row.repaired_on)
    if row.repaired_on is not None and row.repaired_on <= today:
        return "REPAIRED"
    if row.publicity_end <= today:
        return "ENDED"
    if row.severity == "MINOR":
        return "WITHHELD"
    if row.published_on is None or row.published_on > today:
        return "NOT_YET_PUBLISHED"
    assert today < ends
    return "PUBLIC"


async def stored_states(backend: Backend) -> dict[str, tuple[str, str]]:
    """Global ID → (USCC, expected state) of every stored penalty, read from the database."""
    import base64

    rows = await sql_rows(backend.database_url,
                          "SELECT p.id, s.uscc, p.severity, p.published_on, p.publicity_end, "
                          "p.repaired_on FROM penalty p JOIN subject s ON s.id = p.subject_id")
    today = clock.today()

    def day(value: Any) -> date | None:
        return value if value is None or isinstance(value, date) else date.fromisoformat(value)

    found = {}
    for row in rows:
        fixed = type("Row", (), {"severity": row.severity, "published_on": day(row.published_on),
                                 "publicity_end": day(row.publicity_end),
                                 "repaired_on": day(row.repaired_on)})
        key = base64.b64encode(f"Penalty:{row.id}".encode()).decode()
        found[key] = (row.uscc, expected_state(fixed, today))
    return found


async def penalties_seen(client: GraphQLClient) -> tuple[dict[str, str], dict[str, int]]:
    """Global ID → publicity state of every penalty the caller sees, and totalCount per USCC."""
    seen: dict[str, str] = {}
    totals: dict[str, int] = {}
    after = None
    while True:
        page = (await client.data(PENALTIES, {"after": after}))["subjects"]
        for edge in page["edges"]:
            penalties = edge["node"]["penalties"]
            totals[edge["node"]["uscc"]] = penalties["totalCount"]
            seen.update({e["node"]["id"]: e["node"]["publicity"]["state"]
                         for e in penalties["edges"]})
        if not page["pageInfo"]["hasNextPage"]:
            return seen, totals
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize("role", [*PUBLIC_ROLES, *ALL_SEEING])
async def test_pages_and_counts_follow_the_publicity_period(read_keys: ReadKeys,
                                                            role: Role) -> None:
    stored = await stored_states(read_keys.backend)
    states = {state for _, state in stored.values()}
    assert {"PUBLIC", "ENDED", "REPAIRED"} <= states  # the demo data has hidden ones to hide
    async with read_keys.client(role) as client:
        seen, totals = await penalties_seen(client)
    if role in PUBLIC_ROLES:
        visible = {key for key, (_, state) in stored.items() if state == "PUBLIC"}
        assert set(seen) == visible
        assert set(seen.values()) == {"PUBLIC"}
    else:
        visible = set(stored)
        assert seen == {key: state for key, (_, state) in stored.items()}
    for uscc, total in totals.items():
        assert total == sum(1 for key in visible if stored[key][0] == uscc)


@pytest.mark.parametrize("role", [*PUBLIC_ROLES, *ALL_SEEING])
async def test_node_answers_a_hidden_penalty_only_to_regulators_and_auditors(
    read_keys: ReadKeys, role: Role
) -> None:
    stored = await stored_states(read_keys.backend)
    hidden = [key for key, (_, state) in stored.items() if state != "PUBLIC"][:5]
    shown = [key for key, (_, state) in stored.items() if state == "PUBLIC"][:5]
    query = "query($id: ID!) { node(id: $id) { id ... on Penalty { publicity { state } } } }"
    async with read_keys.client(role) as client:
        for key in hidden:
            node = (await client.data(query, {"id": key}))["node"]
            if role in PUBLIC_ROLES:
                assert node is None
            else:
                assert node["publicity"]["state"] == stored[key][1]
        for key in shown:
            assert (await client.data(query, {"id": key}))["node"]["publicity"]["state"] == "PUBLIC"


LATE = """{ subjects(first: 100, filter: {lateDisclosure: true}) { totalCount edges { node {
  uscc licenses(late: true, first: 0) { totalCount }
  penalties(late: true, first: 100) { edges { node { publicity { state } } } } } } } }"""


async def test_late_disclosure_filter_counts_only_penalties_the_caller_may_see(
    writable: Backend, writers: Writers
) -> None:
    async def late_subjects(key: str | None) -> dict[str, Any]:
        async with writer_client(writable, key) as client:
            return dict((await client.data(LATE))["subjects"])

    # a subject the public does not see as late (it may be late by a hidden penalty already)
    before = await late_subjects(None)
    late = {e["node"]["uscc"] for e in before["edges"]}
    async with app_client(writable) as anonymous:
        every = (await anonymous.data("{ subjects(first: 100) { edges { node { uscc } } } }")
                 )["subjects"]["edges"]
    uscc = next(e["node"]["uscc"] for e in every if e["node"]["uscc"] not in late)
    # published 9 months after the decision (late), and past its publicity period by now
    publish = "mutation($i: PublishPenaltyInput!) { publishPenalty(input: $i) { id } }"
    async with writer_client(writable, writers.keys["market"]) as market:
        await market.data(publish, {"i": penalty_input(uscc, decisionDate="2024-03-01",
                                                       publishedOn="2024-12-02")})
    everything = await late_subjects(writers.keys["market"])
    public = await late_subjects(None)
    public_codes = {e["node"]["uscc"] for e in public["edges"]}
    only_hidden = set()
    for edge in everything["edges"]:
        node = edge["node"]
        shown_late = node["licenses"]["totalCount"] or any(
            e["node"]["publicity"]["state"] == "PUBLIC" for e in node["penalties"]["edges"])
        if shown_late:
            assert node["uscc"] in public_codes
        else:
            only_hidden.add(node["uscc"])
            assert node["uscc"] not in public_codes
    assert uscc in only_hidden
    assert public["totalCount"] == everything["totalCount"] - len(only_hidden)


async def test_batching_holds_in_the_public_view(read_keys: ReadKeys) -> None:
    statements = {}
    for role in (Role.PUBLIC, Role.REGULATOR):
        async with read_keys.client(role) as client:
            await client.data(PENALTIES, {"after": None})
            statements[role] = client.statements
    # subjects page + penalty pages + penalty counts, and: for the public view, whose pages
    # the publicity period filters by today, the calendar boundary of the stored answer; for
    # the regulator, the key look-up
    assert statements[Role.PUBLIC] == 3 + 1
    assert statements[Role.REGULATOR] == 3 + 1


HISTORY = """query($u: USCC!) { subject(uscc: $u) { history(first: 50) { totalCount edges {
  node { action recordType record { id } } } } } }"""


async def test_credit_file_hides_events_of_hidden_penalties(writable: Backend,
                                                           writers: Writers) -> None:
    async with app_client(writable) as anonymous:
        uscc = (await anonymous.data("{ subjects(first: 1, filter: {kind: MERCHANT}) "
                                     "{ edges { node { uscc } } } }"))["subjects"]["edges"][0]
    uscc = uscc["node"]["uscc"]
    publish = ("mutation($i: PublishPenaltyInput!) { publishPenalty(input: $i) "
               "{ id publicity { state } } }")
    async with writer_client(writable, writers.keys["market"]) as market:
        ended = (await market.data(publish, {"i": penalty_input(
            uscc, decisionDate="2024-01-02", publishedOn="2024-01-05")}))["publishPenalty"]
        current = (await market.data(publish, {"i": penalty_input(uscc)}))["publishPenalty"]
        minor = (await market.data(publish, {"i": penalty_input(
            uscc, severity="MINOR", category="WARNING", fine=None)}))["publishPenalty"]
        assert minor["publicity"]["state"] == "WITHHELD"
        assert ended["publicity"]["state"] == "ENDED"
        assert current["publicity"]["state"] == "PUBLIC"
        regulator_view = (await market.data(HISTORY, {"u": uscc}))["subject"]["history"]
    async with app_client(writable) as anonymous:
        public_view = (await anonymous.data(HISTORY, {"u": uscc}))["subject"]["history"]
        for hidden in (ended, minor):
            assert (await anonymous.data("query($id: ID!) { node(id: $id) { id } }",
                                         {"id": hidden["id"]}))["node"] is None

    def records(history: dict[str, Any]) -> list[str | None]:
        return [e["node"]["record"]["id"] if e["node"]["record"] else None
                for e in history["edges"] if e["node"]["recordType"] == "PENALTY"]

    assert ended["id"] in records(regulator_view)
    assert current["id"] in records(regulator_view)
    assert minor["id"] in records(regulator_view)
    assert ended["id"] not in records(public_view)
    assert minor["id"] not in records(public_view)
    assert current["id"] in records(public_view)
    assert None not in records(public_view)  # no event naming a penalty the caller cannot see
    hidden_events = len(records(regulator_view)) - len(records(public_view))
    assert hidden_events >= 2
    assert public_view["totalCount"] == regulator_view["totalCount"] - hidden_events
