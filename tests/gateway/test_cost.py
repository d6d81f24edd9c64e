"""Static cost by ``@cost`` / ``@listSize``: the widget and a 20-subject dashboard stay well
under the default, 100 subjects × every relation × ``first: 100`` is refused before any SQL;
``first`` is at most 100 on every list field of the schema."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, get_named_type
from strawberry.federation.schema_directives import ListSize

from federation.schema import SCHEMA_FILE, build_schema
from gateway.settings import Settings
from tests.conftest import Backend, GraphQLClient, app_client

MAXIMUM = Settings().max_cost
WIDGET = """query($uscc: USCC!) { subject(uscc: $uscc) { name listStatus verification { mark }
  licenses(first: 5) { edges { node { licenseNumber status validTo } } }
  penalties(first: 5) { edges { node { decisionNumber fine severity } } } } }"""
RELATIONS = """licenses(first: $n) { totalCount edges { node { licenseNumber status } } }
  penalties(first: $n) { totalCount edges { node { decisionNumber fine } } }
  ratings(first: $n) { totalCount edges { node { id } } }
  commitments(first: $n) { totalCount edges { node { id } } }
  logisticsLinks(first: $n) { totalCount edges { node { carrier { name } parcels } } }
  complaints(first: $n) { totalCount edges { node { id } } }
  listEntries(first: $n) { totalCount edges { node { kind } } }
  history(first: $n) { totalCount edges { node { action } } }
  listStatus ratingSummary { count average }"""
DASHBOARD = ("query($subjects: Int, $n: Int) { subjects(first: $subjects) { totalCount "
             "edges { node { uscc name " + RELATIONS + " } } } }")


async def some_uscc(client: GraphQLClient) -> str:
    data = await client.data("{ subjects(first: 1) { edges { node { uscc } } } }")
    uscc: str = data["subjects"]["edges"][0]["node"]["uscc"]
    return uscc


def cost_error(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("data") is None, body
    [error] = body["errors"]
    extensions: dict[str, Any] = error["extensions"]
    assert extensions["code"] == "QUERY_TOO_COSTLY"
    return extensions


async def test_widget_and_dashboard_are_well_under_the_default(seeded: Backend) -> None:
    # a limit of a fifth of the default still lets both through
    async with app_client(seeded, max_cost=str(MAXIMUM // 5)) as client:
        uscc = await some_uscc(client)
        assert (await client.data(WIDGET, {"uscc": uscc}))["subject"] is not None
        data = await client.data(DASHBOARD, {"subjects": 20, "n": 20})
        assert len(data["subjects"]["edges"]) == 20


async def test_every_relation_of_100_subjects_by_100_is_refused(client: GraphQLClient) -> None:
    extensions = cost_error(await client.post(DASHBOARD, {"subjects": 100, "n": 100}))
    assert extensions["maximum"] == MAXIMUM
    assert extensions["cost"] > 3 * MAXIMUM
    assert client.statements == 0  # refused before execution


async def test_cost_follows_first_and_the_assumed_page_size(seeded: Backend) -> None:
    # 3 subjects of 1 + (edges 1 + node 1) each, the connection itself 1: cost 7 (plus totalCount 1)
    query = "query($n: Int) { subjects(first: $n) { totalCount edges { node { uscc } } } }"
    async with app_client(seeded, max_cost="7") as client:
        assert cost_error(await client.post(query, {"n": 3}))["cost"] == 8
    async with app_client(seeded, max_cost="8") as client:
        assert "errors" not in await client.post(query, {"n": 3})
        # without `first` the connection counts its assumed size, the default page of 20
        assert cost_error(await client.post(query))["cost"] == 1 + 1 + 20 * 2
        # a literal counts like a variable; fragments count where they are spread
        spread = "{ subjects(first: 3) { ...Page } } fragment Page on SubjectConnection { " \
                 "totalCount edges { node { uscc } } }"
        assert "errors" not in await client.post(spread)


async def test_validation_is_remembered_but_the_cost_follows_each_requests_variables(
    seeded: Backend,
) -> None:
    query = "query($n: Int) { subjects(first: $n) { totalCount edges { node { uscc } } } }"
    async with app_client(seeded, max_cost="8") as client:
        for n, cost in ((4, 10), (3, None), (4, 10), (3, None)):  # one document, one app
            body = await client.post(query, {"n": n})
            if cost is None:
                assert "errors" not in body, body
            else:
                assert cost_error(body)["cost"] == cost
        wrong = "{ subjects(first: 1) { edges { node { uscc nope } } } }"
        first, again = await client.post(wrong), await client.post(wrong)
        assert first == again
        assert [e["extensions"]["code"] for e in first["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]


async def test_a_variable_not_sent_counts_its_default(seeded: Backend) -> None:
    # `$n` defaults to 100: 1 + 1 + 100 × 2 = 202, not the assumed page of 20 (42)
    query = ("query($n: Int = 100) { subjects(first: $n) { totalCount edges { node { uscc } } } }")
    async with app_client(seeded, max_cost="100") as client:
        body = await client.post(query)
        assert cost_error(body)["cost"] == 202
        assert client.statements == 0
        assert cost_error(await client.post(query, {"n": 100}))["cost"] == 202
        assert "errors" not in await client.post(query, {"n": 3})
        # an explicit null is not the default: the connection counts its assumed page
        assert "errors" not in await client.post(query, {"n": None})


async def test_a_mutation_costs_ten_more(seeded: Backend) -> None:
    async with app_client(seeded, max_cost="10") as client:
        assert "errors" not in await client.post("mutation { __typename }")
    async with app_client(seeded, max_cost="9") as client:
        body = await client.post("mutation { __typename }")
        assert cost_error(body) == {"code": "QUERY_TOO_COSTLY", "cost": 10, "maximum": 9}


def test_the_schema_file_shows_the_directives() -> None:
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    assert text.startswith("directive @cost(weight: Int!)")
    assert "directive @listSize(" in text
    assert '@listSize(assumedSize: 20, slicingArguments: ["first"], sizedFields: ["edges"]' in text
    assert "totalCount: Int! @cost(weight: 1)" in text


def list_fields() -> list[tuple[str, str, bool]]:
    """(type, field, has `first`) for every field returning a list or a connection."""
    found = []
    for name, kind in build_schema()._schema.type_map.items():
        if name.startswith("__") or not isinstance(kind, GraphQLObjectType):
            continue
        for field_name, field in kind.fields.items():
            type_ = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            named = get_named_type(type_)
            connection = named is not None and named.name.endswith("Connection")
            if isinstance(type_, GraphQLList) or connection:
                found.append((name, field_name, "first" in field.args))
    return found


def test_every_list_field_is_paged_or_is_a_page() -> None:
    unpaged = {(t, f) for t, f, first in list_fields() if not first}
    # a connection's edges are its page; a carrier scale is the few classes of the setting; an
    # access-log entry names the few personal-data fields one read returned; a list candidate
    # cites at most 20 records (@listSize(assumedSize: 20))
    bounded = {("CarrierCreditClass", "scale"), ("AccessLogEntry", "fields"),
               ("ListCandidate", "evidence"),
               # an aggregate's groups are bounded by its dimension (provinces, enum values,
               # authorities, months), the divisions one level below a parent by the table
               *(("Stats", f) for f in ("subjects", "penalties", "lateDisclosures",
                                         "blackListGrowth", "complaints")),
               ("Query", "regions"),
               # a grade's reasons are at most its rule table's rules; the auditor's answers are
               # bounded by their own caps (fan-out, paths, evidence records per tie: docs/AUDIT.md)
               ("CreditGrade", "reasons"), ("Related", "subjects"), ("RelatedSubject", "evidence"),
               ("Evidence", "fields"), ("Evidence", "records"), ("PathAnswer", "paths"),
               ("EvidencePath", "hops"), ("Hop", "evidence"), ("BrushingSuspect", "evidence"),
               ("BrushingEvidence", "partners")}
    assert all(f == "edges" or (t, f) in bounded for t, f in unpaged), unpaged
    schema = build_schema()._schema
    for type_name, field_name, first in list_fields():
        if first:  # the cost limit knows each page's size
            owner = schema.type_map[type_name]
            assert isinstance(owner, GraphQLObjectType)
            definition = owner.fields[field_name]
            directives = definition.extensions["strawberry-definition"].directives
            assert any(isinstance(d, ListSize) for d in directives), (type_name, field_name)


async def test_first_over_100_is_refused_on_every_list_field(client: GraphQLClient) -> None:
    uscc = await some_uscc(client)
    paged = [(t, f) for t, f, first in list_fields() if first]
    assert ("Query", "subjects") in paged
    assert len(paged) >= 10
    for type_name, field in paged:
        if type_name == "Query":
            required = {"searchSubjects": 'text: "科技", ', "creditList": "kind: BLACK, ",
                        "subjectsByPhone": 'phone: "13800000000", ',
                        "subjectsByAddress": 'address: "杭州市", ',
                        **{name: f'{argument}: "{uscc}", ' for name, argument in (
                            ("carrierMerchants", "carrier"), ("platformMerchants", "platform"),
                            ("ratingsGiven", "rater"))}}
            arguments = f"({required.get(field, '')}first: 101)"
            query = f"{{ {field}{arguments} {{ __typename }} }}"
        elif type_name == "Subject":
            query = f'{{ subject(uscc: "{uscc}") {{ {field}(first: 101) {{ __typename }} }} }}'
        else:
            raise AssertionError(f"a paged field on {type_name}: extend this test")
        body = await client.post(query)
        [error] = body["errors"]
        assert error["extensions"]["code"] in ("BAD_USER_INPUT", "FORBIDDEN"), (field, error)
        if error["extensions"]["code"] == "BAD_USER_INPUT":
            assert error["extensions"]["argument"] == "first"
            assert error["extensions"]["maximum"] <= 100
