"""Rate limit: a sliding window per API key or per client address, 429 with ``Retry-After``
and ``RATE_LIMITED``; shared by processes through Redis, in-process without it, and still
answering (in-process) when Redis is down."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from contextlib import AsyncExitStack
from dataclasses import replace
from pathlib import Path

import httpx

from gateway.topology.processes import free_port
from tests.conftest import Backend, Writers, app_client, own_redis, script_calls, serving

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


async def test_concurrent_requests_count_exactly_in_shared_round_trips(
    migrated: Backend, tmp_path: Path
) -> None:
    """40 requests at once against a limit of 25: exactly 25 answered and 15 refused, whether
    the hits went to Redis in one script call each or (as they do) in a few shared ones."""
    async with AsyncExitStack() as stack:
        if migrated.redis_url:
            migrated = await stack.enter_async_context(own_redis(migrated, tmp_path))
        before = await script_calls(migrated) if migrated.redis_url else 0
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
            assert 1 <= await script_calls(migrated) - before <= 10


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


def post(url: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(f"{url}/graphql", data=json.dumps(QUERY).encode(),
                                     headers={"content-type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_a_served_gateway_trusts_forwarded_for_only_from_the_configured_proxies(
    migrated: Backend
) -> None:
    """``serve`` (uvicorn) and the app read the one ``CREDIT_GATEWAY_TRUSTED_PROXIES``: with
    none configured, a loopback client's ``X-Forwarded-For`` names nobody."""
    env = {"CREDIT_GATEWAY_RATE_LIMIT_ANONYMOUS": "2",
           "CREDIT_GATEWAY_CACHE_PREFIX": f"{migrated.cache_prefix}-xff{free_port()}"}
    with serving(migrated, 1, env) as (url,):
        forged = [post(url, {"X-Forwarded-For": f"203.0.113.{n}"}) for n in range(3)]
    assert forged == [200, 200, 429]  # one client address, whatever it wrote
    env = {**env, "CREDIT_GATEWAY_TRUSTED_PROXIES": "127.0.0.1",
           "CREDIT_GATEWAY_CACHE_PREFIX": f"{migrated.cache_prefix}-xff{free_port()}"}
    with serving(migrated, 1, env) as (url,):  # loopback is the proxy: the entry is the client
        proxied = [post(url, {"X-Forwarded-For": address}) for address in
                   ("203.0.113.1", "203.0.113.1", "203.0.113.1", "203.0.113.2")]
    assert proxied == [200, 200, 429, 200]


async def test_a_key_is_counted_however_its_header_is_spelled(
    writable: Backend, writers: Writers
) -> None:
    key = writers.keys["commerce"]
    async with app_client(writable, rate_limit_key="2", rate_limit_window="30") as client:
        statuses = [(await client.http.post("/graphql", json=QUERY,
                                            headers={"Authorization": spelled})).status_code
                    for spelled in (f"bearer {key}", f"BEARER {key}", f"Bearer  {key}")]
    assert statuses == [200, 200, 429]


async def test_made_up_keys_are_counted_against_the_client_address(writable: Backend) -> None:
    """A key that does not authenticate counts against the address it comes from, and its
    result is remembered: the same made-up key again costs no database look-up."""
    async with app_client(writable, rate_limit_anonymous="2", rate_limit_key="100",
                          rate_limit_window="30") as client:
        first, again = [await client.http.post(
            "/graphql", json=QUERY, headers={"Authorization": "Bearer cgk_00000000_made-up"})
            for _ in range(2)]
        assert [first.status_code, again.status_code] == [401, 401]
        assert int(first.headers["x-sql-statements"]) == 1
        assert int(again.headers["x-sql-statements"]) == 0
        fresh = await client.http.post(
            "/graphql", json=QUERY, headers={"Authorization": "Bearer cgk_00000001_made-up"})
        assert_limited(fresh, 2, 30)
        assert int(fresh.headers["x-sql-statements"]) == 0  # refused before any look-up


def test_the_in_process_window_is_bounded() -> None:
    """Past its bound the in-process window forgets the least recently seen callers, at a
    cost per request that does not grow with how many it has seen."""
    import time

    from gateway.limits.windows import MemoryWindow

    window = MemoryWindow()
    bound = MemoryWindow.MAX_IDENTITIES

    async def hits(start: int, count: int) -> float:
        began = time.perf_counter()
        for n in range(start, start + count):
            assert await window.hit(f"addr:{n}", 5, 60) is None
        return time.perf_counter() - began

    below = asyncio.run(hits(0, 2000))
    asyncio.run(hits(2000, bound - 2000))
    above = asyncio.run(hits(bound, 2000))
    assert len(window) <= bound
    assert above < 5 * below + 0.05, (below, above)
