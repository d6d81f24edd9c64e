"""Writes through the router: a writer's API key reaches the subgraph that owns the record
(federation/gateway.config.mjs), and the record then reads the same through both gateways."""

from __future__ import annotations

import pytest

from gateway.topology.federation import LocalFederation
from tests.conftest import Backend, Writers, app_client
from tests.federation.test_router import post
from tests.writes.conftest import penalty_input

pytestmark = pytest.mark.usefixtures("npm_packages")

PUBLISH = """mutation($input: PublishPenaltyInput!) { publishPenalty(input: $input) {
  id decisionNumber fine source subject { uscc name listStatus } } }"""
READ = """query($id: ID!) { node(id: $id) { ... on Penalty {
  decisionNumber fine severity subject { uscc penalties(first: 50) { edges { node { id } } } } } } }"""


async def test_a_writer_publishes_a_penalty_through_the_router(
    writable: Backend, writers: Writers, platform_usccs: list[str],
    writable_router: LocalFederation,
) -> None:
    variables = {"input": penalty_input(platform_usccs[0])}
    anonymous = post(writable_router.url, PUBLISH, variables)
    assert [e["extensions"]["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]
    published = post(writable_router.url, PUBLISH, variables, writers.keys["market"])
    assert "errors" not in published, published
    penalty = published["data"]["publishPenalty"]
    assert penalty["subject"]["uscc"] == platform_usccs[0]
    assert penalty["source"] == "MARKET_REGULATION"
    routed = post(writable_router.url, READ, {"id": penalty["id"]})
    async with app_client(writable) as client:
        assert routed == await client.post(READ, {"id": penalty["id"]})
    edges = routed["data"]["node"]["subject"]["penalties"]["edges"]
    assert penalty["id"] in [edge["node"]["id"] for edge in edges]
