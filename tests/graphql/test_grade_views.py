"""信用等级 by role, on the seeded demo graph: the public grade reads only what PUBLIC may read
(no reason names a penalty the public cannot see, though the supervisory class does), a page
of 100 grades costs one statement and none once cached, and the demo's black-listed subjects
are all D."""

from __future__ import annotations

from typing import Any

from resolvers.domain.enums import Role
from tests.conftest import app_client
from tests.roles import ReadKeys, read_keys_fixture  # noqa: F401

REASONS = "reasons { rule effect record { __typename id } }"
PAGE = f"""{{ subjects(first: 100) {{ edges {{ node {{ uscc listStatus
  penalties(first: 100) {{ edges {{ node {{ id }} }} }}
  creditGrade {{ grade score {REASONS} }} }} }} }} }}"""
SUPERVISORY = f"""{{ subjects(first: 100) {{ edges {{ node {{ uscc
  supervisoryClass {{ grade score {REASONS} }} }} }} }} }}"""


def penalty_reasons(grade: dict[str, Any]) -> set[str]:
    return {r["record"]["id"] for r in grade["reasons"]
            if r["record"] and r["record"]["__typename"] == "Penalty"}


async def test_the_public_grade_names_only_what_the_public_can_read(read_keys: ReadKeys) -> None:
    async with read_keys.client(Role.PUBLIC) as public:
        page = (await public.data(PAGE))["subjects"]["edges"]
    async with read_keys.client(Role.REGULATOR) as regulator:
        supervisory = {e["node"]["uscc"]: e["node"]["supervisoryClass"]
                       for e in (await regulator.data(SUPERVISORY))["subjects"]["edges"]}
    hidden_named = 0
    for edge in page:
        node = edge["node"]
        visible = {e["node"]["id"] for e in node["penalties"]["edges"]}
        grade = node["creditGrade"]
        # every reason a PUBLIC caller gets is about a record it can read …
        assert all(r["record"] is not None for r in grade["reasons"]
                   if r["rule"].startswith("penalty."))
        assert penalty_reasons(grade) <= visible
        # … while the supervisory class also names penalties the public cannot see
        hidden_named += len(penalty_reasons(supervisory[node["uscc"]]) - visible)
        if node["listStatus"] == "BLACK":
            assert grade["grade"] == "D"
            assert supervisory[node["uscc"]]["grade"] == "D"
    assert hidden_named > 0  # the demo has withheld and ended penalties that count


async def test_a_page_of_100_grades_is_one_statement_and_none_when_cached(
        read_keys: ReadKeys) -> None:
    counted: dict[str, tuple[int, int, int]] = {}
    for ttl in ("0", "60"):  # without the response cache, then with it
        async with app_client(read_keys.backend, response_cache_ttl=ttl) as client:
            await client.data("{ subjects(first: 100) { edges { node { uscc } } } }")
            bare = client.statements
            await client.data("{ subjects(first: 100) { edges { node { uscc "
                              "creditGrade { grade score } } } } }")
            first = client.statements
            # another document (a response-cache miss): the grades come from the entity cache
            await client.data("{ subjects(first: 100) { edges { node { uscc "
                              "g: creditGrade { score grade } } } } }")
            counted[ttl] = (bare, first, client.statements)
    bare = counted["0"][0]
    assert counted["0"] == (bare, bare + 1, bare)
    # storing an answer holding grades reads its subjects' calendar once (docs/CACHING.md,
    # "Midnight"): the answer is kept until a record or a grade can change, not until midnight
    assert counted["60"] == (bare, bare + 2, bare + 1)
