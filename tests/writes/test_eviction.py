"""A write evicts from the entity cache exactly the records it changed, after its commit."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.writes.conftest import Cast, Connect, license_input

STATUS = "query($id: ID!) { node(id: $id) { ... on License { status } } }"


async def node(client: GraphQLClient, global_id: str) -> tuple[str, int]:
    status = (await client.data(STATUS, {"id": global_id}))["node"]["status"]
    return status, client.statements


async def test_a_change_evicts_its_record_only(as_writer: Connect, cast: Cast) -> None:
    revoke = "mutation($id: ID!) { setLicenseStatus(id: $id, status: REVOKED) { status } }"
    async with as_writer("commerce") as client:
        changed, other = [
            (await client.data("mutation($i: GrantLicenseInput!) { grantLicense(input: $i) "
                               "{ id } }", {"i": license_input(subject)}))["grantLicense"]["id"]
            for subject in cast.merchants[:2]]
        for global_id in (changed, other):
            await node(client, global_id)
        # the writer's key was looked up once and is remembered briefly: no statement for a
        # warm record
        assert await node(client, other) == ("VALID", 0)
        assert (await client.data(revoke, {"id": changed}))["setLicenseStatus"] == {
            "status": "REVOKED"}
        # the stale entry is gone; the mutation's read-back went past the caches to the
        # primary, so the next read fetches the new state once and then serves it warm
        assert await node(client, changed) == ("REVOKED", 1)
        assert await node(client, changed) == ("REVOKED", 0)
        assert await node(client, other) == ("VALID", 0)  # another subject's stays
        metrics = (await client.http.get("/metrics")).text
    assert 'credit_gateway_cache_purges_total{layer="entity"} 1.0' in metrics
