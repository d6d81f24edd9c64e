"""``/metrics`` after a few requests: cache hits, misses and purges, request latency and SQL
statements per request, in Prometheus text format."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import Backend, app_client

NODE = "query($id: ID!) { node(id: $id) { id ... on License { status } } }"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


async def test_metrics_count_cache_use_latency_and_statements(seeded: Backend) -> None:
    license_id = base64.b64encode(b"License:1").decode()
    # the response cache off, so every request reaches the entity cache under the loaders
    async with app_client(seeded, response_cache_ttl="0") as client:
        for _ in range(3):
            await client.data(NODE, {"id": license_id})
        response = await client.http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    entity = (("layer", "entity"),)
    assert found[("credit_gateway_cache_misses_total", entity)] == 1
    assert found[("credit_gateway_cache_hits_total", entity)] == 2
    assert found[("credit_gateway_cache_purges_total", entity)] == 0
    graphql = (("path", "/graphql"),)
    assert found[("credit_gateway_request_seconds_count", graphql)] == 3
    assert found[("credit_gateway_sql_statements_count", graphql)] == 3
    assert found[("credit_gateway_sql_statements_sum", graphql)] == 1  # the one cold read
    assert found[("credit_gateway_sql_statements_bucket", (("le", "0.0"), *graphql))] == 2


async def test_metrics_count_the_response_layer(seeded: Backend) -> None:
    license_id = base64.b64encode(b"License:2").decode()
    async with app_client(seeded) as client:
        for _ in range(3):
            await client.data(NODE, {"id": license_id})
        found = samples((await client.http.get("/metrics")).text)
    response = (("layer", "response"),)
    assert found[("credit_gateway_cache_misses_total", response)] == 1
    assert found[("credit_gateway_cache_hits_total", response)] == 2
    assert found[("credit_gateway_cache_purges_total", response)] == 0


WIDGET = (Path(__file__).resolve().parents[2] / "gateway" / "trusted" / "widget.graphql"
          ).read_text(encoding="utf-8")
SUBJECTS = "{ subjects(first: 4) { edges { node { uscc } } } }"


async def test_a_request_holds_one_connection_at_a_time(seeded: Backend) -> None:
    """Waves of 4 concurrent uncached widget requests open at most 4 connections, whatever
    the number of waves: a request's reads share one pooled connection, so the pool (larger
    than 4 on both backends) is never exceeded and nothing is opened and closed again."""
    async with app_client(seeded, response_cache_ttl="0", cache_ttl="0") as client:
        page = await client.data(SUBJECTS)
        usccs = [edge["node"]["uscc"] for edge in page["subjects"]["edges"]]
        for _ in range(5):
            await asyncio.gather(*(client.data(WIDGET, {"uscc": uscc}) for uscc in usccs))
        found = samples((await client.http.get("/metrics")).text)
    opened = found[("credit_gateway_db_connections_opened_total", ())]
    print(f"connections opened by 1 + 5 × {len(usccs)} requests: {opened:.0f}")
    assert len(usccs) == 4
    assert opened <= 4
