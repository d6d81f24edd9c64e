"""关联关系 for auditors: look-ups by person, phone and address (normalised), reverse edges,
``Subject.related`` with evidence and its caps, ``path`` — AUDITOR and REGULATOR only, every
exploration in the access log. The seed plants shared representatives, phones and addresses
(resolvers/demo/_subjects.py); the expectations are read from the database with SQL."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from resolvers.domain.enums import Role
from tests.conftest import sql_rows, writer_client
from tests.roles import ReadKeys, new_key, read_keys_fixture  # noqa: F401

LOOKUPS = """query($phone: String!, $address: String!, $id: String, $name: String) {
  byPhone: subjectsByPhone(phone: $phone) { uscc phone }
  byAddress: subjectsByAddress(address: $address) { uscc address }
  byPerson: subjectsByRepresentative(idNumber: $id, name: $name, first: 100) {
    uscc legalRepresentative { name idNumber } } }"""
RELATED = """query($u: USCC!, $via: [RelationKind!], $depth: Int!, $first: Int, $fan: Int) {
  subject(uscc: $u) { related(via: $via, depth: $depth, first: $first, fanOut: $fan) {
    truncated fanOut subjects { depth subject { uscc } via { uscc }
      evidence { kind recordType records fields count value firstOn lastOn parcels
                 emptyParcels } } } } }"""
PATH = """query($from: USCC!, $to: USCC!, $hops: Int, $via: [RelationKind!]) {
  path(from: $from, to: $to, maxHops: $hops, via: $via) { found length maxHops truncated message
    paths { hops { from { uscc } to { uscc } evidence { kind value count } } } } }"""
LOG = """query($auditor: String) { accessLog(auditor: $auditor, first: 100) {
  edges { node { fields subject { uscc } } } } }"""


async def subjects(read_keys: ReadKeys) -> dict[int, dict[str, Any]]:
    rows = await sql_rows(read_keys.backend.database_url,
                          "SELECT id, uscc, phone, address, legal_rep_name, legal_rep_id_number, "
                          "phone_key, address_key FROM subject ORDER BY id")
    return {row[0]: dict(zip(("id", "uscc", "phone", "address", "rep", "id_number",
                              "phone_key", "address_key"), row, strict=True)) for row in rows}


def groups(stored: dict[int, dict[str, Any]], column: str) -> list[list[int]]:
    """Subjects sharing ``column``, largest group first."""
    found: dict[str, list[int]] = defaultdict(list)
    for row in stored.values():
        found[row[column]].append(row["id"])
    return sorted((ids for ids in found.values() if len(ids) > 1), key=len, reverse=True)


def restyled(address: str) -> str:
    """The same address as another clerk writes it: full-width digits, spaces, no province."""
    full = address.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return " ".join(full[i:i + 5] for i in range(3, len(full), 5))


async def test_look_ups_match_phone_address_and_person_in_any_notation(
        read_keys: ReadKeys) -> None:
    stored = await subjects(read_keys)
    phone_group, address_group = groups(stored, "phone_key")[0], groups(stored, "address_key")[0]
    person_group = groups(stored, "id_number")[0]
    phone = stored[phone_group[0]]["phone"]
    asked = {"phone": f"+86 {phone[:3]} {phone[3:7]}-{phone[7:]}",
             "address": restyled(max((stored[i]["address"] for i in address_group), key=len)),
             "id": " " + stored[person_group[0]]["id_number"].lower(), "name": None}
    async with read_keys.client(Role.AUDITOR) as client:
        data = await client.data(LOOKUPS, asked)
        by_name = await client.data(LOOKUPS, {**asked, "id": None,
                                              "name": stored[person_group[0]]["rep"]})
    assert {s["uscc"] for s in data["byPhone"]} == {stored[i]["uscc"] for i in phone_group}
    assert {s["uscc"] for s in data["byAddress"]} == {stored[i]["uscc"] for i in address_group}
    assert len({stored[i]["address"] for i in address_group}) > 1  # written differently
    assert {s["uscc"] for s in data["byPerson"]} == {stored[i]["uscc"] for i in person_group}
    same_name = {row["uscc"] for row in stored.values()
                 if row["rep"] == stored[person_group[0]]["rep"]}
    assert {s["uscc"] for s in by_name["byPerson"]} == same_name


async def test_reverse_edges_carrier_platform_and_ratings_given(read_keys: ReadKeys) -> None:
    url = read_keys.backend.database_url
    carrier, count = (await sql_rows(url, "SELECT carrier_id, count(DISTINCT merchant_id) AS n "
                                          "FROM logistics_link GROUP BY carrier_id "
                                          "ORDER BY n DESC, carrier_id LIMIT 1"))[0]
    merchants = {row[0] for row in await sql_rows(
        url, f"SELECT DISTINCT s.uscc FROM logistics_link l JOIN subject s "
             f"ON s.id = l.merchant_id WHERE l.carrier_id = {carrier}")}
    rater, given = (await sql_rows(url, "SELECT rater_id, count(*) AS n FROM rating "
                                        "GROUP BY rater_id ORDER BY n DESC, rater_id LIMIT 1"))[0]
    platform = (await sql_rows(url, "SELECT platform_id FROM rating GROUP BY platform_id "
                                    "ORDER BY count(*) DESC LIMIT 1"))[0][0]
    rated = {row[0] for row in await sql_rows(
        url, f"SELECT DISTINCT s.uscc FROM rating r JOIN subject s ON s.id = r.ratee_id "
             f"WHERE r.platform_id = {platform}")}
    stored = await subjects(read_keys)
    query = """query($c: USCC!, $p: USCC!, $r: USCC!) {
      carrierMerchants(carrier: $c, first: 100) { uscc }
      platformMerchants(platform: $p, first: 100) { uscc }
      ratingsGiven(rater: $r, first: 100) { score rater { uscc } ratee { uscc } } }"""
    async with read_keys.client(Role.REGULATOR) as client:
        data = await client.data(query, {"c": stored[carrier]["uscc"],
                                         "p": stored[platform]["uscc"],
                                         "r": stored[rater]["uscc"]})
    assert count > 5
    assert {s["uscc"] for s in data["carrierMerchants"]} == merchants
    assert {s["uscc"] for s in data["platformMerchants"]} == rated
    assert len(data["ratingsGiven"]) == given
    assert {r["rater"]["uscc"] for r in data["ratingsGiven"]} == {stored[rater]["uscc"]}


FORBIDDEN = [
    '{ subjectsByPhone(phone: "13800000000") { uscc } }',
    '{ subjectsByAddress(address: "中山路1号") { uscc } }',
    '{ subjectsByRepresentative(name: "张三") { uscc } }',
    "query($u: USCC!) { carrierMerchants(carrier: $u) { uscc } }",
    "query($u: USCC!) { platformMerchants(platform: $u) { uscc } }",
    "query($u: USCC!) { ratingsGiven(rater: $u) { score } }",
    "query($u: USCC!) { subject(uscc: $u) { related { truncated } } }",
    "query($u: USCC!) { path(from: $u, to: $u) { found } }",
]


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.PLATFORM])
async def test_public_and_platform_callers_are_forbidden(read_keys: ReadKeys, role: Role) -> None:
    stored = await subjects(read_keys)
    async with read_keys.client(role) as client:
        for query in FORBIDDEN:
            body = await client.post(query, {"u": stored[1]["uscc"]} if "$u" in query else None)
            assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], query


async def test_related_gives_each_tie_with_its_evidence(read_keys: ReadKeys) -> None:
    stored = await subjects(read_keys)
    url = read_keys.backend.database_url
    address_group = groups(stored, "address_key")[0]
    start = stored[address_group[0]]
    brushed = (await sql_rows(url, "SELECT ratee_id, rater_id, count(*) AS n FROM rating "
                                   "GROUP BY ratee_id, rater_id ORDER BY n DESC LIMIT 1"))[0]
    link = (await sql_rows(url, f"SELECT carrier_id, sum(parcels), sum(empty_parcels), count(*) "
                                f"FROM logistics_link WHERE merchant_id = {brushed[0]} "
                                f"GROUP BY carrier_id ORDER BY carrier_id LIMIT 1"))[0]
    async with read_keys.client(Role.AUDITOR) as client:
        near = (await client.data(RELATED, {"u": start["uscc"], "via": ["ADDRESS"],
                                            "depth": 1}))["subject"]["related"]
        ring = (await client.data(RELATED, {"u": stored[brushed[0]]["uscc"],
                                            "via": ["RATING", "CARRIER"], "depth": 1,
                                            "first": 100}))["subject"]["related"]
    assert {s["subject"]["uscc"] for s in near["subjects"]} == {
        stored[i]["uscc"] for i in address_group[1:]}
    for tie in near["subjects"]:
        assert tie["depth"] == 1
        assert tie["via"]["uscc"] == start["uscc"]
        [evidence] = tie["evidence"]
        assert evidence["kind"] == "ADDRESS"
        assert evidence["value"] == start["address_key"]
        assert evidence["fields"] == ["address"]
        assert evidence["recordType"] == "Subject"
        assert len(evidence["records"]) == 2
    by_uscc = {s["subject"]["uscc"]: s["evidence"] for s in ring["subjects"]}
    rating = next(e for e in by_uscc[stored[brushed[1]]["uscc"]] if e["kind"] == "RATING")
    assert rating["count"] >= brushed[2]
    assert rating["firstOn"] <= rating["lastOn"]
    carried = next(e for e in by_uscc[stored[link[0]]["uscc"]] if e["kind"] == "CARRIER")
    assert (carried["parcels"], carried["emptyParcels"], carried["count"]) == link[1:]
    assert not ring["truncated"]


async def test_related_depth_two_and_the_caps_say_when_they_cut(read_keys: ReadKeys) -> None:
    stored = await subjects(read_keys)
    url = read_keys.backend.database_url
    merchant = (await sql_rows(url, "SELECT merchant_id FROM logistics_link GROUP BY merchant_id "
                                    "ORDER BY count(DISTINCT carrier_id) DESC, merchant_id "
                                    "LIMIT 1"))[0][0]
    variables = {"u": stored[merchant]["uscc"], "via": ["CARRIER"], "depth": 2, "first": 100}
    async with read_keys.client(Role.AUDITOR) as client:
        full = (await client.data(RELATED, variables))["subject"]["related"]
        cut = (await client.data(RELATED, {**variables, "fan": 1}))["subject"]["related"]
        few = (await client.data(RELATED, {**variables, "first": 2}))["subject"]["related"]
        wrong = await client.post(RELATED, {**variables, "depth": 3})
    depths = [s["depth"] for s in full["subjects"]]
    assert depths == sorted(depths)
    assert set(depths) == {1, 2}
    for tie in full["subjects"]:
        if tie["depth"] == 2:  # reached through a carrier: merchant – carrier – merchant
            assert tie["via"]["uscc"] != stored[merchant]["uscc"]
    assert cut["truncated"]
    assert cut["fanOut"] == 1
    assert len(cut["subjects"]) < len(depths)
    assert few["truncated"]
    assert len(few["subjects"]) == 2
    assert wrong["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_path_finds_the_shortest_evidence_paths_or_says_there_is_none(
        read_keys: ReadKeys) -> None:
    stored = await subjects(read_keys)
    address_group = groups(stored, "address_key")[0]
    phone_group = groups(stored, "phone_key")[0]
    a, b = stored[address_group[0]]["uscc"], stored[address_group[-1]]["uscc"]
    c = stored[phone_group[0]]["uscc"]
    async with read_keys.client(Role.AUDITOR) as client:
        one = (await client.data(PATH, {"from": a, "to": b, "hops": 1}))["path"]
        none = (await client.data(PATH, {"from": a, "to": c, "hops": 2,
                                         "via": ["ADDRESS", "PHONE"]}))["path"]
        far = (await client.data(PATH, {"from": a, "to": c, "hops": 4}))["path"]
        wrong = await client.post(PATH, {"from": a, "to": c, "hops": 7})
    assert one["found"]
    assert one["length"] == 1
    [hop] = one["paths"][0]["hops"]
    assert (hop["from"]["uscc"], hop["to"]["uscc"]) == (a, b)
    assert hop["evidence"][0] == {"kind": "ADDRESS", "value": stored[address_group[0]][
        "address_key"], "count": 1}
    assert not none["found"]
    assert none["length"] is None
    assert none["paths"] == []
    assert none["message"] == "no path within 2 hop(s)"
    assert far["found"]
    assert 1 < far["length"] <= 4
    for path in far["paths"]:
        chain = [hop["from"]["uscc"] for hop in path["hops"]] + [path["hops"][-1]["to"]["uscc"]]
        assert chain[0] == a
        assert chain[-1] == c
        assert len(chain) == far["length"] + 1
        assert all(hop["evidence"] for hop in path["hops"])
    assert wrong["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_every_exploration_leaves_its_trail(read_keys: ReadKeys) -> None:
    stored = await subjects(read_keys)
    auditor = await new_key(read_keys.backend, Role.AUDITOR)
    address_group = groups(stored, "address_key")[0]
    phone_group = groups(stored, "phone_key")[0]
    first, last = stored[address_group[0]], stored[address_group[-1]]
    async with writer_client(read_keys.backend, auditor) as client:
        await client.data("query($a: String!) { subjectsByAddress(address: $a) { kind } }",
                          {"a": first["address"]})
        await client.data(RELATED, {"u": stored[phone_group[0]]["uscc"], "via": ["PHONE"],
                                    "depth": 1})
        await client.data(PATH, {"from": first["uscc"], "to": last["uscc"], "hops": 1})
    async with read_keys.client(Role.REGULATOR) as regulator:
        log = (await regulator.data(LOG, {"auditor": auditor.split("_")[1]}))["accessLog"]
    trail: dict[str, set[str]] = defaultdict(set)
    for edge in log["edges"]:
        trail[edge["node"]["subject"]["uscc"]].update(edge["node"]["fields"])
    for member in address_group:
        assert "lookup.address" in trail[stored[member]["uscc"]]
    for member in phone_group:  # the shared phone was shown as evidence: logged as read
        assert {"related", "phone"} <= trail[stored[member]["uscc"]]
    assert "path" in trail[first["uscc"]]
    assert "path" in trail[last["uscc"]]


async def test_an_unknown_subject_is_a_typed_error(read_keys: ReadKeys) -> None:
    async with read_keys.client(Role.AUDITOR) as client:
        body = await client.post(PATH, {"from": "91440300MA5FXT4K2B", "to": "91440300MA5FXT4K2B"})
    assert body["errors"][0]["extensions"]["code"] in {"BAD_USER_INPUT", "INVALID_USCC"}



async def test_a_regulators_explorations_are_logged_each_time_never_cached(
        read_keys: ReadKeys) -> None:
    stored = await subjects(read_keys)
    regulator = await new_key(read_keys.backend, Role.REGULATOR)
    start = stored[groups(stored, "phone_key")[0][0]]["uscc"]
    caches = []
    async with writer_client(read_keys.backend, regulator) as client:
        for _ in range(2):
            await client.data(RELATED, {"u": start, "via": ["PHONE"], "depth": 1})
            assert client.last is not None
            caches.append(client.last.headers.get("x-cache"))
    async with read_keys.client(Role.REGULATOR) as reader:
        log = (await reader.data(LOG, {"auditor": regulator.split("_")[1]}))["accessLog"]
    rows = [e["node"] for e in log["edges"] if e["node"]["subject"]["uscc"] == start]
    assert "HIT" not in caches
    assert len(rows) == 2
    assert all("related" in row["fields"] for row in rows)
