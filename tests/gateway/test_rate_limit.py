"""Rate limit: a sliding window per API key or per client address, 429 with ``Retry-After``
and ``RATE_LIMITED``; shared by processes through Redis, in-process without it, and still
answering (in-process) when Redis is down."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from dataclasses import replace

import httpx

from gateway.topology.processes import free_port
from tests.conftest import Backend, Writers, app_client, redis_script_calls, serving

QUERY = {"query": "{ __typename }"}


def assert_limited(response: httpx.Response, limit: int, window: int) -> None:
    assert response.status_code == 429, response.text
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= window
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": retry_after,
                                   "limit": limit, "window": window}


async def test_anonymous_callers_get_429_after_the_limit(migrated: Backend) -> None:
    async with app_client(migrated, rate_limit_anonymous="3", rate_limit_window="30") as client:
        for _ in range(3):
            assert (await client.http.post("/graphql", json=QUERY)).status_code == 200
        assert_limited(await client.http.post("/graphql", json=QUERY), 3, 30)
        assert_limited(await client.http.get("/graphql", params=QUERY), 3, 30)
        # health checks and metrics are never limited
        assert (await client.http.get("/healthz")).status_code in (200, 503)


async def test_concurrent_requests_count_exactly_in_shared_round_trips(migrated: Backend) -> None:
    """40 requests at once against a limit of 25: exactly 25 answered and 15 refused, whether
    the hits went to Redis in one script call each or (as they do) in a few shared ones."""
    before = await redis_script_calls(migrated.redis_url) if migrated.redis_url else 0
    async with app_client(migrated, rate_limit_anonymous="25", rate_limit_window="60",
                          response_cache_ttl="0") as client:
        answers = await asyncio.gather(*(client.http.post("/graphql", json=QUERY)
                                         for _ in range(40)))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200] * 25 + [429] * 15
    for answer in answers:
        if answer.status_code == 429:
            assert_limited(answer, 25, 60)
    if migrated.redis_url:  # the window is in Redis: its hits shared script calls
        assert 1 <= await redis_script_calls(migrated.redis_url) - before <= 10


async def test_each_key_has_its_own_window(writable: Backend, writers: Writers) -> None:
    async with app_client(writable, rate_limit_anonymous="1", rate_limit_key="2") as client:
        assert (await client.http.post("/graphql", json=QUERY)).status_code == 200
        assert (await client.http.post("/graphql", json=QUERY)).status_code == 429
        for role in ("market", "commerce"):
            for _ in range(2):
                response = await client.http.post("/graphql", json=QUERY,
                                                  headers=writers.header(role))
                assert response.status_code == 200
            assert_limited(await client.http.post("/graphql", json=QUERY,
                                                  headers=writers.header(role)), 2, 60)


async def test_a_second_authorization_header_does_not_open_a_new_window(
    writable: Backend, writers: Writers
) -> None:
    # the key authenticated (the first header) is the key counted, whatever follows it
    async with app_client(writable, rate_limit_key="2", rate_limit_window="30") as client:
        statuses = []
        for n in range(3):
            response = await client.http.post("/graphql", json=QUERY, headers=[
                ("authorization", f"Bearer {writers.keys['market']}"),
                ("authorization", f"Bearer other-{n}")])
            statuses.append(response.status_code)
        assert statuses[:2] == [200, 200]
        assert_limited(response, 2, 30)


async def test_the_window_slides(migrated: Backend) -> None:
    async with app_client(migrated, rate_limit_anonymous="2", rate_limit_window="1") as client:
        assert (await client.http.post("/graphql", json=QUERY)).status_code == 200
        assert (await client.http.post("/graphql", json=QUERY)).status_code == 200
        assert (await client.http.post("/graphql", json=QUERY)).status_code == 429
        await asyncio.sleep(1.1)
        assert (await client.http.post("/graphql", json=QUERY)).status_code == 200


async def test_forwarded_for_counts_only_through_trusted_proxies(migrated: Backend) -> None:
    def forwarded(address: str) -> dict[str, str]:
        return {"X-Forwarded-For": f"{address}, 10.0.0.7"}

    # the test transport's peer is 127.0.0.1
    async with app_client(migrated, rate_limit_anonymous="1",
                          trusted_proxies="127.0.0.1, 10.0.0.0/8") as client:
        for address in ("203.0.113.1", "203.0.113.2"):
            assert (await client.http.post("/graphql", json=QUERY,
                                           headers=forwarded(address))).status_code == 200
        assert (await client.http.post("/graphql", json=QUERY,
                                       headers=forwarded("203.0.113.1"))).status_code == 429
    async with app_client(migrated, rate_limit_anonymous="1") as client:  # no proxy trusted
        assert (await client.http.post("/graphql", json=QUERY,
                                       headers=forwarded("203.0.113.1"))).status_code == 200
        assert (await client.http.post("/graphql", json=QUERY,
                                       headers=forwarded("203.0.113.2"))).status_code == 429


async def test_redis_down_falls_back_to_the_in_process_window(migrated: Backend) -> None:
    down = f"redis://127.0.0.1:{free_port()}/0"
    async with app_client(replace(migrated, redis_url=down), rate_limit_anonymous="2") as client:
        for _ in range(2):
            response = await client.http.post("/graphql", json=QUERY)
            assert response.status_code == 200, response.text
        assert_limited(await client.http.post("/graphql", json=QUERY), 2, 60)


def status(url: str) -> int:
    request = urllib.request.Request(f"{url}/graphql",
                                     data=json.dumps(QUERY).encode(),
                                     headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_two_processes_share_one_window_through_redis(migrated: Backend) -> None:
    env = {"CREDIT_GATEWAY_RATE_LIMIT_ANONYMOUS": "4",
           "CREDIT_GATEWAY_CACHE_PREFIX": f"{migrated.cache_prefix}-rl{free_port()}"}
    with serving(migrated, 2, env) as (first, second):
        answers = [status(url) for url in (first, second, first, second, first, second)]
    if migrated.redis_url:  # one window: four answered in all, then both refuse
        assert answers == [200, 200, 200, 200, 429, 429]
    else:  # in-process: each process its own window of four
        assert answers == [200] * 6
