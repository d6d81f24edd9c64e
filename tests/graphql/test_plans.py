"""Compiled plans (resolvers/plans, gateway/planned.py): every trusted document answered with
plans on and off, for a spread of subjects and every reading role, gives the same JSON; on
PostgreSQL the plan is used (counted in ``/metrics``) and reads with one statement."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from gateway.persisted.manifest import MANIFEST
from resolvers.domain.enums import Role
from tests.conftest import Backend, GraphQLClient, app_client, sql_rows
from tests.roles import ReadKeys, read_keys_fixture  # noqa: F401

TRUSTED = [operation["body"] for operation in
           json.loads(MANIFEST.read_text(encoding="utf-8"))["operations"]]
# every kind of field the compiler knows, beyond the widget: plain columns, aliases,
# ``__typename``, masked phone and free text, every relation, ``late``, default page size
EVERY_KIND = """
query Extra($uscc: USCC!) {
  kind: __typename
  subject(uscc: $uscc) {
    __typename id uscc usccLegacy name phone kind category registeredOn status address
    verification { verified verifiedOn mark __typename }
    region { code province name }
    listStatus
    grade: creditGrade { __typename grade score computedAt ruleVersion
                         why: reasons { __typename rule clause effect } }
    r: ratings(first: 3) { totalCount edges { node { score orderReference ratedOn followUpOn comment } } }
    complaints(first: 2) {
      edges { __typename node { __typename channel reference summary filedOn status resolvedOn } }
      __typename
    }
    listEntries(first: 5) { totalCount edges { node { reason authority validFrom validTo liftedOn } } }
    commitments(first: 2) { totalCount edges { node { text committedOn status } } }
    logisticsLinks(first: 2) { totalCount edges { node { periodStart periodEnd parcels emptyParcels } } }
    penalties(first: 3, late: false) { totalCount edges { node { facts decisionDate } } }
    licenses(late: true) { totalCount }
  }
}
"""
DOCUMENTS = [*TRUSTED, EVERY_KIND]
# what the compiler knows starts at ``subject(uscc:)`` (the credit grade too, from the same
# loader; a reason's ``record`` is not compiled and no document here selects it); the other
# trusted documents (the widget's suggestions) are strawberry's either way, and must answer
# the same too
PLANNABLE = [document for document in DOCUMENTS
             if "subject(uscc: $uscc)" in document and "record" not in document]
UNKNOWN = "91440300MA5FXXXX0X"  # well-formed, check character wrong: INVALID_USCC
NOBODY = "91110000000000000E"  # well-formed, valid check character, no such subject
PICKS = [
    # the most penalties (in and out of publicity), natural persons and individual businesses
    # (masked names, masked free text), black and red list entries, the first subjects
    "SELECT s.uscc FROM subject s JOIN penalty p ON p.subject_id = s.id "
    "GROUP BY s.uscc ORDER BY count(*) DESC, s.uscc LIMIT 2",
    "SELECT uscc FROM subject WHERE category <> 'LEGAL_PERSON' "
    "AND name LIKE '%' || legal_rep_name || '%' ORDER BY id LIMIT 2",
    "SELECT s.uscc FROM subject s JOIN penalty p ON p.subject_id = s.id "
    "WHERE p.content LIKE '%' || s.legal_rep_name || '%' OR p.content LIKE '%' || s.phone || '%' "
    "ORDER BY s.id LIMIT 2",
    "SELECT s.uscc FROM subject s JOIN list_entry l ON l.subject_id = s.id "
    "WHERE l.list_kind = 'BLACK' AND l.lifted_on IS NULL ORDER BY s.id LIMIT 2",
    "SELECT s.uscc FROM subject s JOIN list_entry l ON l.subject_id = s.id "
    "WHERE l.list_kind = 'RED' AND l.lifted_on IS NULL ORDER BY s.id LIMIT 2",
    "SELECT uscc FROM subject ORDER BY id LIMIT 1",
]
PLANNED = re.compile(r"^credit_gateway_planned_answers_total ([0-9.e+]+)$", re.M)


async def spread(backend: Backend) -> list[str]:
    codes: list[str] = []
    for pick in PICKS:
        codes += [row[0] for row in await sql_rows(backend.database_url, pick)]
    return [*dict.fromkeys(codes), UNKNOWN, NOBODY]


@asynccontextmanager
async def reader(keys: ReadKeys, role: Role, plans: str) -> AsyncIterator[GraphQLClient]:
    # no response cache: every answer is computed, by the plan or by strawberry
    async with app_client(keys.backend, plans=plans, response_cache_ttl="0") as client:
        if role is not Role.PUBLIC:
            client.http.headers["Authorization"] = f"Bearer {keys.keys[role]}"
        yield client


async def planned(client: GraphQLClient) -> int:
    found = PLANNED.search((await client.http.get("/metrics")).text)
    assert found is not None
    return int(float(found.group(1)))


async def last_access_log_id(backend: Backend) -> int:
    return int((await sql_rows(backend.database_url,
                               "SELECT coalesce(max(id), 0) FROM access_log"))[0][0])


async def access_log_since(backend: Backend, last: int) -> list[Any]:
    """The access log's rows after row ``last``: whose personal data, which, which operation."""
    return await sql_rows(
        backend.database_url, "SELECT subject_id, fields, operation_name FROM access_log "
        f"WHERE id > {last} ORDER BY subject_id, fields, coalesce(operation_name, '')")


def timeless(value: Any, times: set[str]) -> Any:
    """An answer with each ``computedAt`` taken out into ``times``. It is when the grade was
    computed: each app here has its own cache namespace, so plans off and on compute their own;
    everything else of the grade must be equal."""
    if isinstance(value, dict):
        times.update(v for k, v in value.items() if k == "computedAt")
        return {k: "computedAt" if k == "computedAt" else timeless(v, times)
                for k, v in value.items()}
    if isinstance(value, list):
        return [timeless(v, times) for v in value]
    return value


async def test_every_trusted_document_answers_the_same_with_plans_on_and_off(
    read_keys: ReadKeys,
) -> None:
    backend = read_keys.backend
    codes = await spread(backend)
    postgres = backend.name == "postgres"
    answers: dict[tuple[Role, str, str], Any] = {}
    started = datetime.now(UTC)
    # SQLite answers without plans (strawberry either way): one role shows it, for time
    for role in Role if postgres else [Role.PUBLIC]:
        for plans in ("off", "on"):
            first_row = await last_access_log_id(backend)
            async with reader(read_keys, role, plans) as client:
                for code in codes:
                    times: set[str] = set()
                    for document in DOCUMENTS:
                        body = timeless(await client.post(document, {"uscc": code,
                                                                     "text": code[:4]}), times)
                        if plans == "off":
                            answers[(role, document, code)] = body
                        else:
                            assert body == answers[(role, document, code)], (role, code)
                    # the grade one app computed is the one its every answer shows (entity
                    # cache), whoever answers: a UTC time during this test
                    assert len(times) <= 1, (role, code, times)
                    assert all(started <= datetime.fromisoformat(t) <= datetime.now(UTC)
                               for t in times), times
                used = await planned(client)
            written = await access_log_since(backend, first_row)
            if plans == "off":
                written_off = written
            else:
                # an AUDITOR's unmasked reads are logged on both paths, the same rows
                assert written == written_off, role
                assert bool(written) is (role is Role.AUDITOR)
                # the first request of a document arms its plan; malformed codes go to strawberry
                expected = len(PLANNABLE) * (len(codes) - 2) if postgres else 0
                assert used == expected, (role, used)
    if not postgres:
        return
    # the spread covers what the rules decide: masking, both lists, publicity
    def subjects(role: Role, document: str) -> list[dict[str, Any]]:
        return [answers[(role, document, code)]["data"]["subject"] for code in codes[:-2]]

    public, full = subjects(Role.PUBLIC, TRUSTED[0]), subjects(Role.REGULATOR, TRUSTED[0])
    assert {"BLACK", "RED", "NONE"} <= {subject["listStatus"] for subject in public}
    assert any(p["penalties"]["totalCount"] < f["penalties"]["totalCount"]
               for p, f in zip(public, full, strict=True))
    assert all("*" in s["phone"] for s in subjects(Role.PLATFORM, EVERY_KIND))
    assert not any("*" in s["phone"] for s in subjects(Role.AUDITOR, EVERY_KIND))
    assert answers[(Role.PUBLIC, TRUSTED[0], NOBODY)] == {"data": {"subject": None}}
    assert answers[(Role.PUBLIC, TRUSTED[0], UNKNOWN)]["errors"][0]["extensions"]["code"] == \
        "INVALID_USCC"


async def test_a_planned_answer_reads_with_one_statement_and_is_cached_like_any(
    seeded: Backend,
) -> None:
    codes = (await spread(seeded))[:3]
    async with app_client(seeded) as client:
        for code in codes:  # strawberry's first answer arms the plan; subjects enter the cache
            await client.post(TRUSTED[0], {"uscc": code})
            strawberry_statements = client.statements
        before = await planned(client)
        for code in codes:
            await client.post(TRUSTED[1], {"uscc": code})  # another document: a miss
            assert client.last is not None
            assert client.last.headers["x-cache"] == "MISS"
        planned_statements = client.statements  # the last: its subject came from the cache
        answer = await client.post(TRUSTED[1], {"uscc": codes[-1]})
        assert client.last is not None
        assert client.last.headers["x-cache"] == "HIT"
        assert answer["data"]["subject"]["uscc"] == codes[-1]
        if seeded.name == "postgres":
            assert await planned(client) - before == len(codes) - 1  # the first arms TRUSTED[1]
            # the plan's one statement, and the calendar boundary the response cache stores the
            # answer with (strawberry's path looks it up too)
            assert planned_statements == 2 < strawberry_statements
        else:
            assert await planned(client) == before == 0


# the dashboard (bench/statements.py), and a page with every kind of field the compiler knows
# of ``subjects``: aliases, ``__typename``, cursors, ``pageInfo``, ``totalCount``, the default
# page size, the fields of subjects a record names, decimals, an entry's ``inForce``
PAGE = """
query Page($after: String) {
  kind: __typename
  page: subjects(first: 7, after: $after) {
    __typename total: totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename }
    edges { __typename at: cursor node {
      __typename id uscc name phone listStatus
      verification { verified mark } region { code name }
      creditGrade { grade score ruleVersion reasons { rule effect } }
      summary: ratingSummary { count average positive neutral negative creditPoints }
      penalties(first: 3) { totalCount edges { node { fine severity facts decisionDate } } }
      ratings(first: 4) { edges { node { score comment
        rater { __typename uscc name phone kind region { name } }
        platform { id name verification { verified } } } } }
      logisticsLinks(first: 2) { edges { node { parcels carrier { uscc name } } } }
      listEntries(first: 5) { totalCount edges { node { kind inForce validTo } } }
    } }
  }
}
"""
DEFAULT_SIZE = "query { subjects { totalCount edges { cursor node { uscc name } } } }"


async def test_a_page_of_subjects_answers_the_same_with_plans_on_and_off(
    read_keys: ReadKeys,
) -> None:
    from bench.statements import EVERYTHING

    backend = read_keys.backend
    postgres = backend.name == "postgres"
    async with reader(read_keys, Role.PUBLIC, "off") as client:
        data = await client.data("query { subjects(first: 30) { edges { cursor } } }")
    cursors = [edge["cursor"] for edge in data["subjects"]["edges"]]
    requests: list[tuple[str, dict[str, Any]]] = [
        (EVERYTHING, {"first": 20}), (EVERYTHING, {"first": 3}),
        (EVERYTHING, {"first": 3, "after": cursors[2]}), (DEFAULT_SIZE, {}),
        (PAGE, {}), (PAGE, {"after": None}), (PAGE, {"after": cursors[6]}),
        (PAGE, {"after": cursors[13]}), (PAGE, {"after": cursors[-1]}),
        # strawberry's coded errors, on both paths: a bad cursor, a page too large
        (PAGE, {"after": "bm90IGEgY3Vyc29y"}), (EVERYTHING, {"first": 5000}),
        (EVERYTHING, {"first": "3"})]
    answers: dict[tuple[Role, int], Any] = {}
    logged: dict[tuple[Role, str], list[Any]] = {}
    for role in Role if postgres else [Role.PUBLIC]:
        for plans in ("off", "on"):
            first_row = await last_access_log_id(backend)
            async with reader(read_keys, role, plans) as client:
                for number, (document, variables) in enumerate(requests):
                    body = timeless(await client.post(document, variables), set())
                    if plans == "off":
                        answers[(role, number)] = body
                    else:
                        assert body == answers[(role, number)], (role, number, variables)
                used = await planned(client)
            logged[(role, plans)] = await access_log_since(backend, first_row)
            # an AUDITOR's unmasked reads (named subjects' names among them) logged alike
            assert logged[(role, plans)] == logged.get((role, "off")), role
            assert bool(logged[(role, plans)]) is (role is Role.AUDITOR), role
            # every request after the first of each document is planned, but the refused
            answered = sum("errors" not in answers[(role, n)] for n in range(len(requests)))
            assert used == (answered - 3 if postgres and plans == "on" else 0), (role, plans)
    if not postgres:
        return
    refused = [answers[(Role.REGULATOR, n)]["errors"][0]["extensions"]["code"]
               for n in range(len(requests) - 3, len(requests))]
    assert refused[0] == "INVALID_CURSOR", refused
    assert refused[1] != refused[2], refused
    # what the rules decide shows: the page is masked for PUBLIC, not for AUDITOR
    public, auditor = answers[(Role.PUBLIC, 4)], answers[(Role.AUDITOR, 4)]
    assert "errors" not in public, public
    assert "errors" not in auditor, auditor
    phones = [edge["node"]["phone"] for edge in public["data"]["page"]["edges"]]
    assert phones
    assert all(phone is None or "*" in phone for phone in phones)
    raters = [rating["node"]["rater"]
              for edge in auditor["data"]["page"]["edges"]
              for rating in edge["node"]["ratings"]["edges"]]
    assert raters
    assert any(r["phone"] and "*" not in r["phone"] for r in raters)
    fines = [p["node"]["fine"] for edge in auditor["data"]["page"]["edges"]
             for p in edge["node"]["penalties"]["edges"]]
    assert any(isinstance(fine, str) and "." in fine for fine in fines), fines


async def test_a_planned_document_is_refused_when_its_variables_make_it_too_costly(
    read_keys: ReadKeys,
) -> None:
    """The cost reads the variables (``first``): a plan armed by a cheap request must not
    answer a costly one of the same document — the limit is asked per request."""
    from bench.statements import EVERYTHING

    async with app_client(read_keys.backend, response_cache_ttl="0", max_cost="1000") as client:
        client.http.headers["Authorization"] = f"Bearer {read_keys.keys[Role.REGULATOR]}"
        for _ in range(2):  # strawberry answers and arms the plan; the plan answers
            assert len((await client.data(EVERYTHING, {"first": 3}))["subjects"]["edges"]) == 3
        before = await planned(client)
        body = await client.post(EVERYTHING, {"first": 20})
        assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY", body
        assert body["errors"][0]["extensions"]["cost"] > 1000
        assert await planned(client) == before
        # the verdicts are remembered per variable set, never across them
        for _ in range(2):
            assert len((await client.data(EVERYTHING, {"first": 3}))["subjects"]["edges"]) == 3
            body = await client.post(EVERYTHING, {"first": 20})
            assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY", body
        postgres = read_keys.backend.name == "postgres"
        assert await planned(client) == before + (2 if postgres else 0)
        # a long text variable is refused the same way (the declared maximum length)
        body = await client.post(EVERYTHING, {"first": 3, "after": "x" * 5000})
        assert body["errors"][0]["extensions"]["code"] != "INTERNAL_SERVER_ERROR", body
        assert await planned(client) == before + (2 if postgres else 0)
    assert before == (1 if postgres else 0)
