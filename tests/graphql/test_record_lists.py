"""Root lists for dashboards — ``penalties``, ``licenses``, ``listEntries`` and the sorted
``subjects`` — paged forwards and backwards in every order against the order SQL gives the raw
rows; filters against the rows; the public view; ``regions``; bad arguments as typed errors."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from resolvers.domain import clock
from resolvers.domain.enums import Role
from resolvers.domain.workdays import late_disclosure
from tests.conftest import GraphQLClient
from tests.graphql.test_dashboard_stats import rows
from tests.graphql.test_publicity import expected_state
from tests.roles import ReadKeys, read_keys_fixture  # noqa: F401

LIST = """query($f: {filter}, $o: {order}, $first: Int, $after: String, $last: Int,
                $before: String) {{
  {field}(filter: $f, orderBy: $o, first: $first, after: $after, last: $last, before: $before) {{
    totalCount pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
    edges {{ cursor node {{ id }} }} }} }}"""
LISTS = {"penalties": ("PenaltyFilter", "PenaltyOrder", "penalty"),
         "licenses": ("LicenseFilter", "LicenseOrder", "license"),
         "listEntries": ("ListEntryFilter", "ListEntryOrder", "list_entry"),
         "subjects": ("SubjectFilter", "SubjectOrder", "subject")}
# page sizes giving each list of the 120-subject dataset a few pages each way
SIZES = {"penalties": 6, "licenses": 20, "listEntries": 2, "subjects": 45}


def document(field: str) -> str:
    flt, order, _ = LISTS[field]
    return LIST.format(filter=flt, order=order, field=field)


def row_id(node: dict[str, Any]) -> str:
    """The row id of a record's global ID, or a subject's USCC."""
    return base64.b64decode(node["id"]).decode().split(":", 1)[1]


async def walk(client: GraphQLClient, field: str, order: dict[str, str] | None,
               flt: dict[str, Any] | None = None, *, backwards: bool = False) -> list[str]:
    """Every item of the list, page by page (``last``/``before`` backwards), in list order."""
    found: list[str] = []
    cursor = None
    while True:
        size = SIZES[field]
        variables = ({"last": size, "before": cursor} if backwards
                     else {"first": size, "after": cursor})
        page = (await client.data(document(field), {"f": flt, "o": order, **variables}))[field]
        ids = [row_id(edge["node"]) for edge in page["edges"]]
        found = ids + found if backwards else found + ids
        info = page["pageInfo"]
        assert info["hasNextPage" if backwards else "hasPreviousPage"] is (cursor is not None)
        if not info["hasPreviousPage" if backwards else "hasNextPage"]:
            assert len(found) == page["totalCount"]
            return found
        cursor = info["startCursor" if backwards else "endCursor"]


async def sql_order(read_keys: ReadKeys, field: str, column: str, descending: bool,
                    where: str = "") -> list[str]:
    table = LISTS[field][2]
    way = "DESC" if descending else "ASC"
    key = "uscc" if field == "subjects" else "id"
    found = await rows(read_keys.backend, f"SELECT {key} FROM {table} {where} "
                                          f"ORDER BY {column} {way}, id {way}")
    return [str(getattr(r, key)) for r in found]


CASES = [
    ("penalties", None, "decision_date", True),
    ("penalties", {"field": "PUBLICITY_END", "direction": "ASC"}, "publicity_end", False),
    ("licenses", None, "decision_date", True),
    ("licenses", {"field": "VALID_FROM", "direction": "ASC"}, "valid_from", False),
    ("listEntries", None, "valid_from", True),
    ("listEntries", {"field": "ID", "direction": "ASC"}, "id", False),
    ("subjects", {"field": "NAME", "direction": "ASC"}, "lower(name)", False),
    ("subjects", {"field": "REGISTERED_ON", "direction": "DESC"}, "registered_on", True),
]


@pytest.mark.parametrize(("field", "order", "column", "descending"), CASES)
async def test_paging_forwards_and_backwards_follows_the_sort(
        read_keys: ReadKeys, field: str, order: dict[str, str] | None, column: str,
        descending: bool) -> None:
    async with read_keys.client(Role.REGULATOR) as client:
        forwards = await walk(client, field, order)
        backwards = await walk(client, field, order, backwards=True)
    assert forwards == await sql_order(read_keys, field, column, descending)
    assert backwards == forwards
    assert len(forwards) > 2 * SIZES[field]  # at least three pages: cursors crossed both ways


async def test_the_public_pages_penalties_in_publicity_only(read_keys: ReadKeys) -> None:
    today = clock.today()
    stored = await rows(read_keys.backend, "SELECT * FROM penalty")
    public = {str(p.id) for p in stored if expected_state(p, today) == "PUBLIC"}
    async with read_keys.client(Role.PUBLIC) as client:
        seen = await walk(client, "penalties", None)
    assert set(seen) == public
    assert len(public) < len(stored)


async def test_filters_keep_exactly_the_matching_rows(read_keys: ReadKeys) -> None:
    today = clock.today()
    penalties = await rows(read_keys.backend, "SELECT p.*, s.region_code FROM penalty p "
                                              "JOIN subject s ON s.id = p.subject_id")
    late = [p for p in penalties if late_disclosure(p.decision_date, p.published_on, today)]
    sample = late[len(late) // 2]
    flt = {"late": True, "region": sample.region_code[:2], "severity": sample.severity,
           "decidedFrom": sample.decision_date.replace(month=1, day=1).isoformat(),
           "decidedTo": sample.decision_date.isoformat()}
    wanted = {str(p.id) for p in late if p.region_code.startswith(flt["region"])
              and p.severity == sample.severity
              and flt["decidedFrom"] <= p.decision_date.isoformat() <= flt["decidedTo"]}
    by_authority = {str(p.id) for p in penalties if p.authority_code == sample.authority_code}
    subjects = await rows(read_keys.backend, "SELECT uscc, status, category, registered_on "
                                             "FROM subject")
    some = subjects[len(subjects) // 3]
    subject_filter = {"status": some.status, "category": some.category,
                      "registeredTo": some.registered_on.isoformat()}
    matching = {s.uscc for s in subjects if s.status == some.status
                and s.category == some.category and s.registered_on <= some.registered_on}
    async with read_keys.client(Role.REGULATOR) as client:
        assert set(await walk(client, "penalties", None, flt)) == wanted
        assert set(await walk(client, "penalties", {"field": "ID", "direction": "ASC"},
                              {"authorityCode": sample.authority_code})) == by_authority
        assert set(await walk(client, "subjects", {"field": "NAME", "direction": "DESC"},
                              subject_filter)) == matching
    assert wanted
    assert matching


async def test_regions_lists_divisions_with_their_names(read_keys: ReadKeys) -> None:
    query = "query($p: String) { regions(parent: $p) { code prefix name } }"
    async with read_keys.client(Role.PUBLIC) as client:
        provinces = (await client.data(query))["regions"]
        cities = (await client.data(query, {"p": "440000"}))["regions"]
        districts = (await client.data(query, {"p": "4403"}))["regions"]
        codes = await client.error_codes(query, {"p": "4"})
    assert len(provinces) == 34  # 省级行政区, Hong Kong, Macao and Taiwan included
    assert {"prefix": "44", "code": "440000", "name": "广东省"} in provinces
    assert {"prefix": "4403", "code": "440300", "name": "深圳市"} in cities
    assert {"prefix": "440305", "code": "440305", "name": "南山区"} in districts
    assert all(d["prefix"].startswith("4403") and len(d["prefix"]) == 6 for d in districts)
    assert codes == ["BAD_USER_INPUT"]


async def test_bad_arguments_are_typed_errors(read_keys: ReadKeys) -> None:
    by_name = {"field": "NAME", "direction": "ASC"}
    async with read_keys.client(Role.PUBLIC) as client:
        page = (await client.data(document("subjects"), {"o": by_name, "first": 2}))["subjects"]
        cursor = page["pageInfo"]["endCursor"]
        assert await client.error_codes(document("subjects"), {
            "o": {"field": "REGISTERED_ON", "direction": "ASC"}, "after": cursor}) == [
            "INVALID_CURSOR"]  # a cursor of one order is refused on another
        assert await client.error_codes(document("subjects"), {
            "o": by_name, "last": 2, "before": "bm90IGEgY3Vyc29y"}) == [
            "INVALID_CURSOR"]
        assert await client.error_codes(document("penalties"), {"first": 2, "last": 2}) == [
            "BAD_USER_INPUT"]
        assert await client.error_codes(document("licenses"), {"last": 101}) == [
            "BAD_USER_INPUT"]
        assert await client.error_codes(document("listEntries"), {
            "f": {"validFrom": "2026-02-01", "validTo": "2026-01-01"}}) == ["BAD_USER_INPUT"]
        assert await client.error_codes(document("penalties"), {"f": {"region": "9"}}) == [
            "BAD_USER_INPUT"]
