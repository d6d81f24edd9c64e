"""The entity cache under the loaders: every record type is read from the cache once warm, and
concurrent misses share one fetch (eviction by writes: ``tests/writes/test_eviction.py``)."""

from __future__ import annotations

import asyncio
import base64

from resolvers.cache import SingleFlight
from tests.conftest import Backend, GraphQLClient, app_client

NODE = """query($id: ID!) { node(id: $id) { id
  ... on License { status } ... on Penalty { fine } ... on Rating { score }
  ... on Commitment { commitmentStatus: status } ... on Complaint { complaintStatus: status }
  ... on ListEntry { kind } ... on LogisticsLink { parcels } } }"""
FIRST_IDS = """{ subjects(first: 100) { edges { node {
  licenses(first: 1) { edges { node { id } } } penalties(first: 1) { edges { node { id } } }
  ratings(first: 1) { edges { node { id } } } commitments(first: 1) { edges { node { id } } }
  complaints(first: 1) { edges { node { id } } } listEntries(first: 1) { edges { node { id } } }
  logisticsLinks(first: 1) { edges { node { id } } } } } } }"""


async def one_id_per_type(client: GraphQLClient) -> dict[str, str]:
    found: dict[str, str] = {}
    for edge in (await client.data(FIRST_IDS))["subjects"]["edges"]:
        for relation, connection in edge["node"].items():
            if connection["edges"]:
                found.setdefault(relation, connection["edges"][0]["node"]["id"])
    return found


async def test_every_record_type_is_served_from_the_cache_once_warm(seeded: Backend) -> None:
    async with app_client(seeded) as client:
        ids = await one_id_per_type(client)
        assert len(ids) == 7
        for global_id in ids.values():
            cold = await client.data(NODE, {"id": global_id})
            assert client.statements == 1
            assert await client.data(NODE, {"id": global_id}) == cold
            assert client.statements == 0, global_id


async def test_concurrent_misses_share_one_fetch(seeded: Backend) -> None:
    license_id = base64.b64encode(b"License:1").decode()
    async with app_client(seeded) as client:
        responses = await asyncio.gather(*(
            client.http.post("/graphql", json={"query": NODE, "variables": {"id": license_id}})
            for _ in range(8)))
    bodies = {r.text for r in responses}
    assert len(bodies) == 1
    assert '"node":{' in bodies.pop()
    assert sum(int(r.headers["x-sql-statements"]) for r in responses) == 1


async def test_single_flight_fetches_each_key_once() -> None:
    flight: SingleFlight[str] = SingleFlight()
    calls: list[list[str]] = []

    async def fetch(keys: list[str]) -> dict[str, str]:
        calls.append(keys)
        await asyncio.sleep(0.01)
        return {key: key.upper() for key in keys if key != "gone"}

    first, second = await asyncio.gather(flight.fetch(["a", "b"], fetch),
                                         flight.fetch(["b", "c", "gone"], fetch))
    assert first == {"a": "A", "b": "B"}
    assert second == {"b": "B", "c": "C", "gone": None}
    assert calls == [["a", "b"], ["c", "gone"]]
