"""One edge pipeline (``gateway/pipeline.py``): an answer from the response cache and one that
strawberry computed pass the same stages, so they get the same CORS, caching and media-type
headers, count alike against the anonymous rate limit and in ``/metrics``; every refusal of a
stage follows the GraphQL-over-HTTP media type the client asked for. Both backends."""

from __future__ import annotations

import json

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.cache.test_response_cache import subjects
from tests.conftest import Backend, app_client
from tests.gateway.test_cached_answers import SHOP, widget

GRAPHQL_RESPONSE = "application/graphql-response+json"
# the headers every answer of the widget's request gets, from the stages and the view alike
SAME = ("access-control-allow-origin", "access-control-expose-headers", "vary",
        "cache-control", "etag")


def requests_counted(text: str, path: str) -> float:
    """How many requests to ``path`` ``/metrics`` has observed."""
    return next(sample.value for family in text_string_to_metric_families(text)
                for sample in family.samples
                if sample.name == "credit_gateway_request_seconds_count"
                and sample.labels == {"path": path})


async def test_cached_and_computed_answers_pass_the_same_stages(seeded: Backend) -> None:
    async with app_client(seeded, rate_limit_anonymous="5") as client:
        (code,) = await subjects(client, 1)  # the first of five requests in the window
        computed = await widget(client, code, origin=SHOP)
        cached = await widget(client, code, origin=SHOP)
        negotiated = await widget(client, code, origin=SHOP, accept=GRAPHQL_RESPONSE)
        again = await widget(client, code, origin=SHOP)
        refused = await widget(client, code, origin=SHOP, accept=GRAPHQL_RESPONSE)
        text = (await client.http.get("/metrics")).text

    assert [r.headers["x-cache"] for r in (computed, cached, negotiated, again)] == \
        ["MISS", "HIT", "HIT", "HIT"]
    for answer in (cached, negotiated, again):
        assert {name: answer.headers.get(name) for name in SAME} == \
            {name: computed.headers.get(name) for name in SAME}
        assert answer.content == computed.content
        assert answer.headers["x-sql-statements"] == "0"  # the statement count's stage
    assert computed.headers["access-control-allow-origin"] == SHOP
    assert int(computed.headers["x-sql-statements"]) > 0
    assert computed.headers["content-type"] == "application/json"
    assert negotiated.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    # a cached answer counts against the anonymous rate limit: the sixth request is refused,
    # readable by the page and in the media type its client asked for
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert refused.headers["access-control-allow-origin"] == SHOP
    assert "Origin" in refused.headers["vary"]
    assert refused.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    # and every one of the six is observed in /metrics, the cached answers as the others
    assert requests_counted(text, "/graphql") == 6


async def test_every_refusal_follows_the_media_type_the_client_asked_for(
    seeded: Backend,
) -> None:
    long_query = "{ __typename }" + " " * 3_000
    async with app_client(seeded, max_query_string_bytes="2000", max_body_bytes="5000",
                          cors_public_origins=SHOP) as client:

        async def refusals(accept: str) -> list[httpx.Response]:
            headers = {"accept": accept}
            return [
                await client.http.get("/graphql", params={"query": long_query}, headers=headers),
                await client.http.post("/graphql", content=json.dumps({"query": long_query * 2}),
                                       headers={**headers, "content-type": "application/json"}),
                await client.http.post("/graphql", json={"query": "{ __typename }"},
                                       headers={**headers, "authorization": "Bearer not-a-key"}),
                await client.http.options("/graphql", headers={
                    **headers, "origin": "https://elsewhere.example",
                    "access-control-request-method": "POST"}),
                await client.http.put("/graphql", json={"query": "{ __typename }"},
                                      headers=headers),
            ]

        plain = await refusals("application/json")
        graphql = await refusals(f"{GRAPHQL_RESPONSE}, application/json;q=0.9")

    codes = ["REQUEST_TOO_LARGE", "REQUEST_TOO_LARGE", "UNAUTHENTICATED", "ORIGIN_NOT_ALLOWED",
             "METHOD_NOT_ALLOWED"]
    for answers, media_type in ((plain, "application/json"),
                                (graphql, f"{GRAPHQL_RESPONSE}; charset=utf-8")):
        assert [r.status_code for r in answers] == [414, 413, 401, 403, 405]
        assert [r.json()["errors"][0]["extensions"]["code"] for r in answers] == codes
        assert [r.headers["content-type"] for r in answers] == [media_type] * len(answers)
