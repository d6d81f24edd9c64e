"""End to end through a real router: the four subgraph services (uvicorn processes) and Hive
Gateway on loopback answer exactly what the embedded gateway answers, on both backends."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gateway.topology.federation import LocalFederation
from resolvers.domain.enums import Role
from tests.conftest import Backend, app_client, writer_client
from tests.roles import ReadKeys, read_keys_fixture  # noqa: F401

pytestmark = pytest.mark.usefixtures("npm_packages")

# one query touching every subgraph: registry (identity, licences), enforcement (penalties,
# lists), trade (ratings, commitments, complaints), logistics (carriers and their class) —
# and back again (a rater's list standing, a carrier's penalties)
ACROSS_ALL = """query($first: Int!) { subjects(first: $first) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node {
    id uscc name kind region { province name } verification { verified mark }
    licenses(first: 2) { totalCount edges { node { id decisionNumber status subject { uscc } } } }
    listStatus
    penalties(first: 2) { totalCount edges { node { id decisionNumber fine severity subject { name } } } }
    listEntries(first: 2) { edges { node { id kind inForce reason } } }
    ratingSummary { count average creditPoints }
    ratings(first: 2) { edges { node { id score rater { name listStatus } platform { name } } } }
    commitments(first: 2) { edges { node { id kind status } } }
    complaints(first: 2) { totalCount edges { node { id channel status } } }
    logisticsLinks(first: 2) { edges { node { id parcels emptyParcelRate
      carrier { name carrierCreditClass { grade parcels } penalties(first: 1) { totalCount } } } } }
    carrierCreditClass { grade emptyParcelRate }
  } }
} }"""
RELATIONS = ("licenses", "penalties", "listEntries", "ratings", "commitments", "complaints",
             "logisticsLinks")
NODES = "{ %s }"
NODE = """n%d: node(id: "%s") { id __typename
  ... on Subject { name penalties(first: 1) { totalCount } }
  ... on License { decisionNumber subject { name } }
  ... on Penalty { decisionNumber fine subject { uscc listStatus } }
  ... on Rating { score ratee { name } }
  ... on Commitment { commitmentKind: kind }
  ... on Complaint { channel }
  ... on ListEntry { listKind: kind inForce }
  ... on LogisticsLink { parcels carrier { carrierCreditClass { grade } } }
}"""


@pytest.fixture(scope="module")
def router(seeded: Backend, npm_packages: None, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[LocalFederation]:
    log_dir = tmp_path_factory.mktemp(f"federation-{seeded.name}")
    with LocalFederation(env=seeded.env, log_dir=log_dir) as federation:
        yield federation


def post(url: str, query: str, variables: dict[str, Any] | None = None,
         key: str | None = None) -> dict[str, Any]:
    """GraphQL over HTTP to a running server (with a writer's API key when given)."""
    headers = {"content-type": "application/json"}
    if key is not None:
        headers["authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url, headers=headers, data=json.dumps(
        {"query": query, "variables": variables or {}}).encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        body: dict[str, Any] = json.load(response)
        return body


async def embedded(backend: Backend, query: str, variables: dict[str, Any] | None = None
                   ) -> dict[str, Any]:
    async with app_client(backend) as client:
        return await client.post(query, variables)


async def test_a_query_across_all_four_subgraphs_answers_as_the_embedded_gateway(
    seeded: Backend, router: LocalFederation,
) -> None:
    variables = {"first": 40}
    expected = await embedded(seeded, ACROSS_ALL, variables)
    assert "errors" not in expected
    nodes = [e["node"] for e in expected["data"]["subjects"]["edges"]]
    # the page really reaches every subgraph's records
    for relation in RELATIONS:
        assert any(n[relation]["edges"] for n in nodes), relation
    assert post(router.url, ACROSS_ALL, variables) == expected


async def test_global_ids_of_every_type_resolve_through_the_router(
    seeded: Backend, router: LocalFederation,
) -> None:
    page = (await embedded(seeded, ACROSS_ALL, {"first": 40}))["data"]["subjects"]["edges"]
    ids: dict[str, str] = {}
    for edge in page:
        subject = edge["node"]
        ids.setdefault("Subject", subject["id"])
        for relation in RELATIONS:
            for item in subject[relation]["edges"]:
                ids.setdefault(relation, item["node"]["id"])
    ids["unknown"] = "UGVuYWx0eTo5OTk5OTk5"  # Penalty:9999999
    query = NODES % "\n".join(NODE % (i, ident) for i, ident in enumerate(ids.values()))
    expected = await embedded(seeded, query)
    assert "errors" not in expected
    assert len(ids) == 1 + len(RELATIONS) + 1
    assert expected["data"][f"n{len(ids) - 1}"] is None
    assert post(router.url, query) == expected


async def test_typed_errors_pass_through_the_router(seeded: Backend, router: LocalFederation
                                                    ) -> None:
    query = '{ subject(uscc: "914403001922038217") { name } }'
    expected = await embedded(seeded, query)
    routed = post(router.url, query)
    assert routed["data"] == expected["data"] == {"subject": None}

    def essentials(body: dict[str, Any]) -> list[tuple[str, Any, str]]:
        return [(e["message"], e.get("path"), e["extensions"]["code"]) for e in body["errors"]]

    assert essentials(routed) == essentials(expected)
    assert routed["errors"][0]["extensions"]["serviceName"] == "registry"


# 信用等级 is the registry's (market regulation's); a reason's record is handed to its owner's
# subgraph. computedAt is left out: each process computes (and caches) its own grades.
GRADES = """query { subjects(first: 40) { edges { node { uscc
  %s { grade score ruleVersion reasons { rule clause effect record { id __typename
    ... on Penalty { decisionNumber severity } ... on ListEntry { kind inForce }
    ... on Commitment { commitmentStatus: status } ... on Complaint { complaintStatus: status }
    ... on License { licenseNumber } } } }
} } } }"""


@pytest.mark.parametrize("field", ["creditGrade", "supervisoryClass"])
async def test_grades_answer_through_the_router_as_embedded(
    seeded: Backend, router: LocalFederation, read_keys: ReadKeys, field: str,
) -> None:
    key = read_keys.keys[Role.REGULATOR]
    async with writer_client(seeded, key) as client:
        expected = await client.post(GRADES % field)
    assert "errors" not in expected
    reasons = [r for e in expected["data"]["subjects"]["edges"]
               for r in e["node"][field]["reasons"]]
    assert {r["record"]["__typename"] for r in reasons if r["record"]} >= {"Penalty", "ListEntry"}
    assert post(router.url, GRADES % field, key=key) == expected


def test_the_router_serves_the_composed_supergraph(router: LocalFederation) -> None:
    text = Path(router.supergraph).read_text(encoding="utf-8")
    for name, url in router.subgraph_urls.items():
        assert f'url: "{url}"' in text, name
