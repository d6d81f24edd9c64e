"""``Query.stats``: every aggregate against counts computed here from the raw rows (SQL via
``sql_rows``), as a regulator (everything) and as the public (penalties in publicity only);
one statement per aggregate; purged by a write; bad ranges and regions are typed errors."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from resolvers.domain import clock
from resolvers.domain.enums import Role
from resolvers.domain.workdays import late_disclosure
from tests.conftest import Backend, Writers, sql_execute, sql_rows, writer_client
from tests.graphql.test_publicity import expected_state
from tests.roles import ReadKeys, read_keys_fixture  # noqa: F401
from tests.writes.conftest import penalty_input

ALL = """query($f: SubjectFilter) { stats(filter: $f) {
  province: subjects(by: PROVINCE) { key label count }
  city: subjects(by: CITY) { key label count }
  kind: subjects(by: KIND) { key label count }
  status: subjects(by: STATUS) { key count }
  category: subjects(by: CATEGORY) { key count }
  standing: subjects(by: LIST_STANDING) { key label count }
  month: penalties(by: MONTH) { key count fineTotal }
  severity: penalties(by: SEVERITY) { key label count fineTotal }
  penaltyCategory: penalties(by: CATEGORY) { key count fineTotal }
  authority: penalties(by: AUTHORITY) { key label count fineTotal }
  region: penalties(by: REGION) { key label count fineTotal }
  lateAuthority: lateDisclosures(by: AUTHORITY) { key label count }
  lateMonth: lateDisclosures(by: MONTH) { key count }
  lateType: lateDisclosures(by: RECORD_TYPE) { key count }
  blackListGrowth { key count }
  channel: complaints(by: CHANNEL) { key label count }
  complaintStatus: complaints(by: STATUS) { key count }
  complaintMonth: complaints(by: MONTH) { key count }
} }"""
AGGREGATES = 18


def day(value: Any) -> date | None:
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


def row(record: Any) -> Any:
    """A raw row with its dates as dates (SQLite hands back strings)."""
    values = {key: day(value) if key.endswith(("_on", "_date", "_end", "_from", "_to"))
              else value for key, value in record._mapping.items()}
    return type("Row", (), values)


async def rows(backend: Backend, statement: str) -> list[Any]:
    return [row(r) for r in await sql_rows(backend.database_url, statement)]


def counts(keys: list[str]) -> dict[str, int]:
    return dict(Counter(keys))


def sums(pairs: list[tuple[str, Any]]) -> dict[str, Decimal]:
    found: dict[str, Decimal] = defaultdict(Decimal)
    for key, fine in pairs:
        found[key] += Decimal(str(fine)) if fine is not None else Decimal(0)
    return found


def got(buckets: list[dict[str, Any]]) -> dict[str, int]:
    return {b["key"]: b["count"] for b in buckets}


def got_fines(buckets: list[dict[str, Any]]) -> dict[str, Decimal]:
    return {b["key"]: Decimal(b["fineTotal"]) for b in buckets}


async def expected(backend: Backend, *, public: bool, region: str = "") -> dict[str, Any]:
    """Every aggregate of ``ALL`` computed in Python from the raw rows."""
    today = clock.today()
    subjects = [s for s in await rows(backend, "SELECT id, region_code, kind, status, category "
                                               "FROM subject") if s.region_code.startswith(region)]
    ids = {s.id for s in subjects}
    region_of = {s.id: s.region_code for s in subjects}
    entries = [e for e in await rows(backend, "SELECT subject_id, list_kind, valid_from, "
                                              "valid_to, lifted_on FROM list_entry")
               if e.subject_id in ids]
    binding: dict[int, set[str]] = defaultdict(set)
    for e in entries:
        if e.lifted_on is None and e.valid_from <= today and (e.valid_to is None
                                                               or e.valid_to >= today):
            binding[e.subject_id].add(e.list_kind)
    standing = ["BLACK" if "BLACK" in binding[i] else "RED" if "RED" in binding[i] else "NONE"
                for i in ids]
    penalties = [p for p in await rows(backend, "SELECT * FROM penalty") if p.subject_id in ids]
    if public:
        penalties = [p for p in penalties if expected_state(p, today) == "PUBLIC"]
    licences = [x for x in await rows(backend, "SELECT * FROM license") if x.subject_id in ids]
    late = [d for d in [*licences, *penalties]
            if late_disclosure(d.decision_date, d.published_on, today)]
    complaints = [c for c in await rows(backend, "SELECT * FROM complaint")
                  if c.subject_id in ids]
    level = len(region) + 2
    return {
        "province": counts([s.region_code[:2] for s in subjects]),
        "city": counts([s.region_code[:4] for s in subjects]),
        "kind": counts([s.kind for s in subjects]),
        "status": counts([s.status for s in subjects]),
        "category": counts([s.category for s in subjects]),
        "standing": counts(standing),
        "month": [(p.decision_date.isoformat()[:7], p.fine) for p in penalties],
        "severity": [(p.severity, p.fine) for p in penalties],
        "penaltyCategory": [(p.category, p.fine) for p in penalties],
        "authority": [(p.authority_code, p.fine) for p in penalties],
        "region": [(region_of[p.subject_id][:level], p.fine) for p in penalties],
        "lateAuthority": counts([d.authority_code for d in late]),
        "lateMonth": counts([d.decision_date.isoformat()[:7] for d in late]),
        "lateType": counts(["PENALTY" if hasattr(d, "severity") else "LICENSE" for d in late]),
        "blackListGrowth": counts([e.valid_from.isoformat()[:7] for e in entries
                                   if e.list_kind == "BLACK" and e.valid_from <= today]),
        "channel": counts([c.channel for c in complaints]),
        "complaintStatus": counts([c.status for c in complaints]),
        "complaintMonth": counts([c.filed_on.isoformat()[:7] for c in complaints]),
    }


def assert_matches(answer: dict[str, Any], wanted: dict[str, Any]) -> None:
    for name, value in wanted.items():
        if isinstance(value, list):  # penalties: counts and exact fine totals
            assert got(answer[name]) == counts([key for key, _ in value]), name
            assert got_fines(answer[name]) == sums(value), name
        else:
            assert got(answer[name]) == value, name


@pytest.mark.parametrize("role", [Role.REGULATOR, Role.PUBLIC])
async def test_every_aggregate_matches_the_raw_rows(read_keys: ReadKeys, role: Role) -> None:
    async with read_keys.client(role) as client:
        await client.data("{ regions { code } }")  # the key is looked up (and remembered)
        assert client.statements == (0 if role is Role.PUBLIC else 1)
        answer = (await client.data(ALL))["stats"]
        assert client.statements == AGGREGATES  # one GROUP BY per aggregate asked
    public = role is Role.PUBLIC
    wanted = await expected(read_keys.backend, public=public)
    assert_matches(answer, wanted)
    assert {"BLACK", "NONE"} <= set(got(answer["standing"]))
    assert all(b["label"] for b in answer["province"] + answer["kind"] + answer["authority"])
    if public:  # the demo data holds penalties the public may not see
        async with read_keys.client(Role.REGULATOR) as regulator:
            everything = (await regulator.data(ALL))["stats"]
        assert sum(got(answer["severity"]).values()) < sum(got(everything["severity"]).values())
        assert "MINOR" not in got(answer["severity"])


async def test_a_region_filter_counts_its_subjects_and_groups_one_level_down(
        read_keys: ReadKeys) -> None:
    async with read_keys.client(Role.REGULATOR) as client:
        provinces = (await client.data(ALL))["stats"]["province"]
        busiest = max(provinces, key=lambda b: b["count"])["key"]
        answer = (await client.data(ALL, {"f": {"region": busiest}}))["stats"]
    assert got(answer["province"]) == {busiest: max(b["count"] for b in provinces)}
    assert all(len(b["key"]) == 4 and b["key"].startswith(busiest) for b in answer["region"])
    assert_matches(answer, await expected(read_keys.backend, public=False, region=busiest))


async def test_a_write_purges_the_cached_aggregate(writable: Backend, writers: Writers) -> None:
    query = "{ stats { penalties(by: SEVERITY) { key count fineTotal } } }"
    async with writer_client(writable, writers.keys["market"]) as market:
        before = got((await market.data(query))["stats"]["penalties"])
        await market.data(query)
        assert market.last is not None
        assert market.last.headers["x-cache"] == "HIT"
        uscc = (await market.data("{ subjects(first: 1, filter: {kind: MERCHANT}) "
                                  "{ edges { node { uscc } } } }"))["subjects"]["edges"]
        await market.data("mutation($i: PublishPenaltyInput!) { publishPenalty(input: $i) "
                          "{ id } }", {"i": penalty_input(uscc[0]["node"]["uscc"],
                                                         severity="SERIOUS")})
        after = got((await market.data(query))["stats"]["penalties"])
        assert market.last.headers["x-cache"] == "MISS"
    assert after["SERIOUS"] == before.get("SERIOUS", 0) + 1


@pytest.mark.parametrize(("query", "argument"), [
    ('{ stats { penalties(by: MONTH, from: "2026-02-01", to: "2026-01-01") { key } } }', "from"),
    ('{ stats(filter: {region: "4"}) { subjects(by: KIND) { key } } }', "filter.region"),
    ('{ stats(filter: {registeredFrom: "2026-02-01", registeredTo: "2025-01-01"}) '
     '{ subjects(by: KIND) { key } } }', "filter.registeredFrom"),
])
async def test_bad_filters_are_typed_errors(read_keys: ReadKeys, query: str,
                                            argument: str) -> None:
    async with read_keys.client(Role.PUBLIC) as client:
        body = await client.post(query)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["argument"] == argument



REGIONS = "{ stats { %s: penalties(by: REGION) { key count fineTotal } } }"


def assert_regions(answer: list[dict[str, Any]], wanted: list[tuple[str, Any]]) -> None:
    assert got(answer) == counts([key for key, _ in wanted])
    assert got_fines(answer) == sums(wanted)


async def test_penalties_by_region_follow_new_penalties_and_moved_subjects(
        writable: Backend, writers: Writers) -> None:
    """The division a penalty counts under is its subject's (kept on the penalty row by
    triggers): a new penalty counts where its subject is, and a subject that moves to another
    province takes its penalties along."""
    async with writer_client(writable, writers.keys["market"]) as market:
        uscc = (await market.data("{ subjects(first: 1, filter: {kind: MERCHANT}) "
                                  "{ edges { node { uscc } } } }"))["subjects"]["edges"][0]
        await market.data("mutation($i: PublishPenaltyInput!) { publishPenalty(input: $i) "
                          "{ id } }", {"i": penalty_input(uscc["node"]["uscc"])})
        before = (await market.data(REGIONS % "before"))["stats"]["before"]
        assert_regions(before, (await expected(writable, public=False))["region"])
        (subject_id, region, penalties), = await sql_rows(
            writable.database_url,
            "SELECT s.id, s.region_code, (SELECT count(*) FROM penalty p WHERE p.subject_id "
            f"= s.id) FROM subject s WHERE s.uscc = '{uscc['node']['uscc']}'")
        elsewhere = "31" if region.startswith("11") else "11"
        await sql_execute(writable.database_url,
                          "UPDATE subject SET region_code = :r WHERE id = :i",
                          {"r": elsewhere + "0101", "i": subject_id})
        after = (await market.data(REGIONS % "after"))["stats"]["after"]
    assert_regions(after, (await expected(writable, public=False))["region"])
    assert penalties >= 1
    assert got(after).get(elsewhere, 0) == got(before).get(elsewhere, 0) + penalties
    assert got(after).get(region[:2], 0) == got(before)[region[:2]] - penalties
