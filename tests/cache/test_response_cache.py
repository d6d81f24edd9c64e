"""The response cache: whole answers, purged exactly by the writes that touch what they show.

Hits and misses are read from the ``X-Cache`` header (and ``X-SQL-Statements``: a hit runs no
SQL) and from ``/metrics``. Writes go through mutations, ``credit-gateway import`` and two real
``serve`` processes sharing one database and one cache (Redis, or the tag journal beside the
SQLite file).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner

from gateway.app import create_app
from gateway.cli.main import cli
from gateway.responses.documents import LIST_DEPENDENCIES, SUBJECT_FILTER_RECORDS
from gateway.settings import Settings
from resolvers.data.database import Database
from resolvers.domain.enums import Department, Role
from resolvers.writes import keys
from tests.cli.test_import import penalties, write_csv
from tests.conftest import UNLIMITED, Backend, GraphQLClient, Writers, app_client, serving, writer_client
from tests.writes.conftest import AUTHORITY, license_input, penalty_input

COUNTS = """query($u: USCC!) { subject(uscc: $u) { uscc listStatus
    penalties(first: 3) { totalCount } licenses(first: 3) { totalCount edges { node { status } } } } }"""
PUBLISH = "mutation($i: PublishPenaltyInput!) { publishPenalty(input: $i) { id } }"
GRANT = "mutation($i: GrantLicenseInput!) { grantLicense(input: $i) { id } }"
REVOKE = "mutation($id: ID!) { setLicenseStatus(id: $id, status: REVOKED) { status } }"
ADD_ENTRY = "mutation($i: AddListEntryInput!) { addListEntry(input: $i) { id } }"
BLACK = "{ subjects(filter: { listStatus: BLACK }, first: 100) { totalCount } }"


async def ask(client: GraphQLClient, query: str, variables: dict[str, Any] | None = None
              ) -> tuple[str, dict[str, Any]]:
    """(``X-Cache``, data) of a query that must succeed."""
    response = await client.http.post("/graphql", json={"query": query,
                                                        "variables": variables or {}})
    client.last = response  # ``client.statements`` reads it
    body = response.json()
    assert response.status_code == 200, body
    assert "errors" not in body, body
    return response.headers["x-cache"], body["data"]


async def subjects(client: GraphQLClient, count: int) -> list[str]:
    data = await client.data(f"{{ subjects(filter: {{ kind: MERCHANT }}, first: {count}) "
                             "{ edges { node { uscc } } } }")
    return [edge["node"]["uscc"] for edge in data["subjects"]["edges"]]


async def counts(client: GraphQLClient, code: str) -> tuple[str, dict[str, Any]]:
    state, data = await ask(client, COUNTS, {"u": code})
    return state, data["subject"]


def metric(text: str, name: str) -> float:
    line = next(line for line in text.splitlines()
                if line.startswith(f'credit_gateway_cache_{name}_total{{layer="response"}}'))
    return float(line.split()[-1])


async def write(client: GraphQLClient, mutation: str, variables: dict[str, Any]) -> Any:
    response = await client.http.post("/graphql", json={"query": mutation, "variables": variables})
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def test_a_repeated_query_is_served_from_the_cache_without_sql(writable: Backend) -> None:
    async with app_client(writable) as client:
        (code,) = await subjects(client, 1)
        first, answer = await counts(client, code)
        assert client.statements > 0
        second, again = await counts(client, code)
        assert (first, second) == ("MISS", "HIT")
        assert again == answer
        assert client.statements == 0
        text = (await client.http.get("/metrics")).text
        assert metric(text, "hits") == 1
        assert metric(text, "misses") >= 1


async def test_a_mutation_purges_its_subject_and_never_another(writable: Backend,
                                                              writers: Writers) -> None:
    async with writer_client(writable, writers.keys["market"]) as client:
        a, b = await subjects(client, 2)
        before = {code: (await counts(client, code))[1] for code in (a, b)}
        assert [(await counts(client, code))[0] for code in (a, b)] == ["HIT", "HIT"]
        purges = metric((await client.http.get("/metrics")).text, "purges")

        await write(client, PUBLISH, {"i": penalty_input(a)})
        state, after = await counts(client, a)
        assert state == "MISS"
        assert after["penalties"]["totalCount"] == before[a]["penalties"]["totalCount"] + 1
        assert await counts(client, b) == ("HIT", before[b])
        assert metric((await client.http.get("/metrics")).text, "purges") > purges


async def test_a_lifecycle_change_purges_the_record_and_its_subject(writable: Backend,
                                                                     writers: Writers) -> None:
    async with writer_client(writable, writers.keys["market"]) as client:
        a, b = (await subjects(client, 4))[2:]
        granted = await write(client, GRANT, {"i": license_input(a)})
        await counts(client, a)
        await counts(client, b)
        node = "query($id: ID!) { node(id: $id) { ... on License { status } } }"
        assert (await ask(client, node, {"id": granted["grantLicense"]["id"]}))[1] == \
            {"node": {"status": "VALID"}}
        assert (await ask(client, node, {"id": granted["grantLicense"]["id"]}))[0] == "HIT"

        await write(client, REVOKE, {"id": granted["grantLicense"]["id"]})
        assert await ask(client, node, {"id": granted["grantLicense"]["id"]}) == \
            ("MISS", {"node": {"status": "REVOKED"}})
        state, shown = await counts(client, a)
        assert state == "MISS"
        assert {"node": {"status": "REVOKED"}} in shown["licenses"]["edges"]
        assert (await counts(client, b))[0] == "HIT"


@asynccontextmanager
async def deployment_client(backend: Backend, key: str | None = None
                            ) -> AsyncIterator[GraphQLClient]:
    """An app with the backend's own cache prefix, as ``credit-gateway import`` uses it (the
    ``app_client`` fixture gives each app a private prefix)."""
    app = create_app(Settings(database_url=backend.database_url, redis_url=backend.redis_url,
                              cache_prefix=backend.cache_prefix))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway.test",
                                     headers={"Authorization": f"Bearer {key}"} if key else None
                                     ) as http:
            yield GraphQLClient(http)
    finally:
        await app.state.services.aclose()


async def test_an_import_purges_the_subjects_it_wrote_to_batch_by_batch(
    writable: Backend, writers: Writers, tmp_path: Path,
) -> None:
    row = penalties(1, uuid.uuid4().hex[:8])[0]
    a = row["CF_XDR_SHXYM"]
    async with deployment_client(writable, writers.keys["market"]) as client:
        b = next(code for code in await subjects(client, 5) if code != a)
        before = (await counts(client, a))[1]
        await counts(client, b)
        assert (await counts(client, a))[0] == "HIT"

        result = await asyncio.to_thread(
            CliRunner().invoke, cli, ["import", "penalties", str(write_csv(tmp_path / "p.csv", [row])),
                                      "--quiet"], env=writable.env)
        assert result.exit_code == 0, result.output
        state, after = await counts(client, a)
        assert state == "MISS"
        assert after["penalties"]["totalCount"] == before["penalties"]["totalCount"] + 1
        assert (await counts(client, b))[0] == "HIT"


async def test_a_new_list_entry_purges_filtered_lists(writable: Backend, writers: Writers) -> None:
    async with deployment_client(writable) as public, \
            deployment_client(writable, writers.keys["credit"]) as credit:
        listed = (await ask(public, BLACK))[1]["subjects"]["totalCount"]
        assert (await ask(public, BLACK))[0] == "HIT"
        black = await public.data('{ subjects(filter: { listStatus: BLACK }, first: 100) '
                                  '{ edges { node { uscc } } } }')
        shown = {e["node"]["uscc"] for e in black["subjects"]["edges"]}
        code = next(c for c in await subjects(public, 30) if c not in shown)
        await write(credit, ADD_ENTRY, {"i": {
            "subject": code, "kind": "BLACK", "reason": "刷单炒信", "authority": "测试市发展改革委",
            "authorityCode": AUTHORITY, "validFrom": "2026-01-05",
            "measures": "限制参与评优评先"}})
        assert await ask(public, BLACK) == ("MISS", {"subjects": {"totalCount": listed + 1}})


async def test_every_subject_filter_declares_the_records_it_reads(seeded: Backend) -> None:
    # a filter field whose record types are not declared would leave filtered lists stale
    # after writes of those records: the declaration must cover the schema's input exactly
    async with app_client(seeded) as client:
        data = await client.data('{ __type(name: "SubjectFilter") { inputFields { name } } }')
    assert {field["name"] for field in data["__type"]["inputFields"]} == \
        set(SUBJECT_FILTER_RECORDS)
    assert set(LIST_DEPENDENCIES["subjects"]) == {
        "Commitment", "Complaint", "License", "ListEntry", "LogisticsLink", "Penalty", "Rating",
        "SubjectGrade"}


async def test_auditors_are_never_cached_and_regulators_never_share_public_answers(
    writable: Backend, writers: Writers,
) -> None:
    database = Database(writable.database_url)
    try:
        async with database.session() as session:
            auditor = (await keys.create(session, name=f"审计{uuid.uuid4().hex[:6]}",
                                         department=Department.DEVELOPMENT_REFORM,
                                         role=Role.AUDITOR)).key
    finally:
        await database.dispose()
    async with app_client(writable) as public:
        (code,) = await subjects(public, 1)
        assert [(await counts(public, code))[0] for _ in range(2)] == ["MISS", "HIT"]
        # the same app, so the same cache: other scopes never read the public entry
        public.http.headers["Authorization"] = f"Bearer {writers.keys['market']}"
        assert [(await counts(public, code))[0] for _ in range(2)] == ["MISS", "HIT"]
        public.http.headers["Authorization"] = f"Bearer {auditor}"
        before = (await public.http.get("/metrics")).text
        assert [(await counts(public, code))[0] for _ in range(3)] == ["BYPASS"] * 3
        after = (await public.http.get("/metrics")).text
        assert metric(after, "hits") == metric(before, "hits")
        assert metric(after, "misses") == metric(before, "misses")
        del public.http.headers["Authorization"]
        assert (await counts(public, code))[0] == "HIT"


async def test_mutations_are_never_cached(writable: Backend, writers: Writers) -> None:
    async with writer_client(writable, writers.keys["market"]) as client:
        (code,) = await subjects(client, 1)
        variables = {"i": penalty_input(code)}
        for _ in range(2):  # the same write twice: the second is an unchanged repeat, not a hit
            response = await client.http.post("/graphql", json={"query": PUBLISH,
                                                                "variables": variables})
            assert response.headers["x-cache"] == "BYPASS"
            assert response.headers["cache-control"] == "no-store"


async def test_two_serve_processes_never_serve_a_stale_answer(writable: Backend,
                                                              writers: Writers) -> None:
    market = {"Authorization": f"Bearer {writers.keys['market']}"}
    async with app_client(writable) as local:
        a, b = (await subjects(local, 8))[5:7]
    with serving(writable, 2, UNLIMITED) as (first, second):
        async with httpx.AsyncClient(base_url=first, headers=market) as one, \
                httpx.AsyncClient(base_url=second) as two:
            async def read(client: httpx.AsyncClient, code: str) -> tuple[str, int]:
                response = await client.post("/graphql", json={"query": COUNTS,
                                                               "variables": {"u": code}})
                data = response.json()["data"]["subject"]
                return response.headers["x-cache"], data["licenses"]["totalCount"]

            await read(two, b)
            _, count = await read(two, a)
            assert (await read(two, a)) == ("HIT", count)
            for n in range(1, 6):  # write through process 1, read through process 2 at once
                answer = await one.post("/graphql", json={
                    "query": GRANT, "variables": {"i": license_input(a)}})
                assert "errors" not in answer.json(), answer.json()
                assert await read(two, a) == ("MISS", count + n)
                assert (await read(two, a)) == ("HIT", count + n)
            assert (await read(two, b))[0] == "HIT"  # the other subject was never purged


async def test_the_access_log_is_never_cached(writable: Backend, writers: Writers) -> None:
    async with writer_client(writable, writers.keys["credit"]) as regulator:
        query = "{ accessLog(first: 1) { totalCount } }"
        states = []
        for _ in range(2):
            response = await regulator.http.post("/graphql", json={"query": query})
            assert "errors" not in response.json(), response.json()
            states.append(response.headers["x-cache"])
        assert states == ["BYPASS", "BYPASS"]
