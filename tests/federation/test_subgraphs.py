"""Each owner's subgraph: its projection of the graph, ``_service``, and batched ``_entities``.

Statement counts come from the ``X-SQL-Statements`` header, as in ``test_batching``.
"""

from __future__ import annotations

from typing import Any

import graphql
import pytest
from graphql import GraphQLObjectType

from federation.ownership import SUBGRAPHS
from federation.schema import build_schema
from federation.subgraphs import build_subgraph_schema, subgraph_sdl
from tests.conftest import Backend, app_client, writer_client
from tests.roles import regulator_key

ENTITIES = """query($representations: [_Any!]!) { _entities(representations: $representations) {
  __typename
  ... on Subject { uscc listStatus penalties(first: 2) { totalCount edges { node { decisionNumber } } } }
  ... on Penalty { id decisionNumber fine subject { uscc } }
} }"""
EMBEDDED = """query($u: USCC!) { subject(uscc: $u) {
  uscc listStatus penalties(first: 2) { totalCount edges { node { decisionNumber } } } } }"""


def object_fields(schema: Any) -> dict[str, set[str]]:
    return {name: set(kind.fields) for name, kind in schema.served.type_map.items()
            if isinstance(kind, GraphQLObjectType) and not name.startswith("_")}


def test_every_field_of_the_graph_is_served_by_exactly_one_subgraph_or_shared() -> None:
    whole = object_fields(build_schema())
    served: dict[tuple[str, str], list[str]] = {}
    for name in SUBGRAPHS:
        for type_name, fields in object_fields(build_subgraph_schema(name)).items():
            for field in fields - {"_service", "_entities"}:
                served.setdefault((type_name, field), []).append(name)
    assert {t for t, _ in served} == set(whole)
    assert set(served) == {(t, f) for t, fields in whole.items() for f in fields}
    # beyond keys (USCC, record IDs) and value types, nothing is served twice
    twice = {(t, f) for (t, f), names in served.items() if len(names) > 1}
    keys = {("Subject", "uscc")} | {(t, "id") for t, _ in twice if t != "Subject"}
    shared = {t for t in whole if "@shareable" in _type_line(t)}
    assert {(t, f) for t, f in twice if t not in shared} <= keys


def _type_line(type_name: str) -> str:
    for name in SUBGRAPHS:
        for line in subgraph_sdl(name).splitlines():
            if line.startswith(f"type {type_name} "):
                return line
    return ""


@pytest.mark.parametrize(("subgraph", "owned"), [
    ("registry", {"licenses", "name", "verification", "id"}),
    ("enforcement", {"penalties", "listEntries", "listStatus"}),
    ("trade", {"ratings", "ratingSummary", "commitments", "complaints"}),
    ("logistics", {"logisticsLinks", "carrierCreditClass"}),
])
def test_subject_is_an_entity_keyed_by_uscc_in_each_subgraph(subgraph: str, owned: set[str]
                                                             ) -> None:
    sdl = subgraph_sdl(subgraph)
    assert '@link(url: "https://specs.apollo.dev/federation/v2.9"' in sdl
    subject_line = next(line for line in sdl.splitlines() if line.startswith("type Subject "))
    assert '@key(fields: "uscc"' in subject_line
    fields = object_fields(build_subgraph_schema(subgraph))["Subject"]
    assert owned <= fields


async def test_service_sdl_is_served_over_http(seeded: Backend) -> None:
    async with app_client(seeded, subgraph="trade") as client:
        data = await client.data("{ _service { sdl } }")
    assert data["_service"]["sdl"].rstrip() == subgraph_sdl("trade").rstrip()


@pytest.mark.parametrize("subgraph", sorted(SUBGRAPHS))
async def test_introspection_names_each_directive_location_once(seeded: Backend,
                                                                subgraph: str) -> None:
    async with app_client(seeded, subgraph=subgraph) as client:
        data = await client.data("{ __schema { directives { name locations } } }")
    repeated = {d["name"]: d["locations"] for d in data["__schema"]["directives"]
                if len(set(d["locations"])) != len(d["locations"])}
    assert repeated == {}


async def usccs_with_penalties(backend: Backend, count: int) -> list[str]:
    # a regulator's key: most demo penalties are past their publicity period (docs/PRIVACY.md)
    regulator = await regulator_key(backend)
    async with writer_client(backend, regulator) as client:
        data = await client.data("""{ subjects(first: 100) { edges { node {
            uscc penalties(first: 0) { totalCount } } } } }""")
    codes = [e["node"]["uscc"] for e in data["subjects"]["edges"]
             if e["node"]["penalties"]["totalCount"]]
    assert len(codes) >= count
    return codes[:count]


@pytest.mark.parametrize("count", [1, 12])
async def test_n_subject_representations_cost_one_statement(seeded: Backend, count: int) -> None:
    codes = await usccs_with_penalties(seeded, count)
    representations = [{"__typename": "Subject", "uscc": code} for code in codes]
    async with app_client(seeded, subgraph="enforcement") as client:
        data = await client.data("""query($r: [_Any!]!) {
            _entities(representations: $r) { ... on Subject { uscc } } }""", {"r": representations})
        assert client.statements == 1
        assert [e["uscc"] for e in data["_entities"]] == codes
        # now the subjects come from the entity cache, and each selected relation costs one
        # statement for all N subjects: list standing, penalty page, penalty count; and one
        # more for the answer's calendar boundary as it is stored (docs/CACHING.md, Midnight)
        await client.data(ENTITIES, {"representations": representations})
        assert client.statements == 3 + 1


async def test_entities_answer_what_the_embedded_gateway_answers(seeded: Backend) -> None:
    codes = await usccs_with_penalties(seeded, 3)
    async with app_client(seeded) as client:
        embedded = [(await client.data(EMBEDDED, {"u": code}))["subject"] for code in codes]
    async with app_client(seeded, subgraph="enforcement") as client:
        data = await client.data(ENTITIES, {"representations": [
            {"__typename": "Subject", "uscc": code} for code in codes]})
        entities = data["_entities"]
        assert [{k: v for k, v in e.items() if k != "__typename"} for e in entities] == embedded
        penalty_ids = await _penalty_ids(client, codes)
        records = await client.data(ENTITIES, {"representations": [
            {"__typename": "Penalty", "id": ident} for ident in penalty_ids]})
        assert client.statements == 1  # the penalties; their subjects are cached by now
    assert [r["id"] for r in records["_entities"]] == penalty_ids
    assert all(r["__typename"] == "Penalty" and r["subject"]["uscc"] in codes
               for r in records["_entities"])


async def _penalty_ids(client: Any, codes: list[str]) -> list[str]:
    data = await client.data("""query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Subject { penalties(first: 5) { edges { node { id } } } } } }""",
                             {"r": [{"__typename": "Subject", "uscc": c} for c in codes]})
    return [edge["node"]["id"] for entity in data["_entities"]
            for edge in entity["penalties"]["edges"]]


async def test_unknown_references_resolve_to_null(seeded: Backend) -> None:
    async with app_client(seeded, subgraph="registry") as client:
        data = await client.data("""{ _entities(representations: [
            {__typename: "Subject", uscc: "914403001922038216"}]) { ... on Subject { name } } }""")
    assert data["_entities"] == [None]


def served_fields(subgraph: str, type_name: str) -> set[str]:
    """The fields ``type_name`` has in the subgraph's SDL, as the router reads it."""
    named = graphql.build_schema(subgraph_sdl(subgraph), assume_valid_sdl=True).type_map[type_name]
    assert isinstance(named, GraphQLObjectType)
    return set(named.fields)


async def test_a_subgraph_refuses_a_field_it_does_not_own(seeded: Backend) -> None:
    """trade executes with the whole graph's types, but serves ratings, not penalties."""
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Subject { %s } } }"""
    representations = {"r": [{"__typename": "Subject", "uscc": "91110000802100433B"}]}
    async with app_client(seeded, subgraph="trade") as client:
        body = await client.post(query % "penalties(first: 1) { totalCount }", representations)
        served = await client.post(query % "ratings(first: 1) { totalCount }", representations)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]
    assert "Cannot query field 'penalties' on type 'Subject'" in body["errors"][0]["message"]
    assert body.get("data") is None
    assert "errors" not in served, served


@pytest.mark.parametrize("subgraph", sorted(SUBGRAPHS))
async def test_introspection_shows_what_the_subgraph_serves(seeded: Backend,
                                                            subgraph: str) -> None:
    fragment = """query { ...Types } fragment Types on Query {
        __type(name: "Subject") { fields { name } } }"""
    async with app_client(seeded, subgraph=subgraph) as client:
        roots = await client.data("{ __schema { queryType { fields { name } } } }")
        subject_type = await client.data(fragment)
    assert {f["name"] for f in roots["__schema"]["queryType"]["fields"]} == served_fields(
        subgraph, "Query")
    subject_fields = {f["name"] for f in subject_type["__type"]["fields"]}
    assert subject_fields == served_fields(subgraph, "Subject")
    assert "uscc" in subject_fields
    assert len(subject_fields) < len(object_fields(build_schema())["Subject"])


async def test_introspection_beside_data_fields_is_refused(seeded: Backend) -> None:
    async with app_client(seeded, subgraph="logistics") as client:
        body = await client.post('{ __type(name: "Subject") { name } _service { sdl } }')
        alone = await client.data('{ __typename __type(name: "Subject") { name } }')
    assert [e["extensions"]["code"] for e in body["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]
    assert "operation of their own" in body["errors"][0]["message"]
    assert alone == {"__typename": "Query", "__type": {"name": "Subject"}}
