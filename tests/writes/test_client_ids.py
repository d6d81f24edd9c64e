"""Types a client cache stores have an ``id`` (docs/CLIENTS.md): an audit event, its actor (a
``Writer`` or an ``ImportRun``) and an access-log entry carry a global ID, distinct across types
and stable across reads, so Apollo Client and urql normalise them instead of losing them when
two queries select them differently. ``node(id:)`` does not fetch them: the audit trail and the
access log are read through ``history`` and ``accessLog``, where their access rules apply."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from resolvers.domain.enums import Role
from tests.cli.test_import import penalties, run, summary, write_csv
from tests.conftest import Backend, GraphQLClient, app_client, writer_client
from tests.roles import new_key
from tests.writes.conftest import Cast, Connect, penalty_input

HISTORY = """query($u: USCC!) { subject(uscc: $u) { history(first: 1) { edges { node {
  id action actor { __typename ... on Writer { id name } ... on ImportRun { id fileName } }
} } } } }"""
ACCESS_LOG = """query($auditor: String) { accessLog(auditor: $auditor, first: 5) { edges {
  node { id reader { id name } } } } }"""


def decoded(global_id: str) -> tuple[str, int]:
    type_name, _, key = base64.b64decode(global_id).decode().partition(":")
    return type_name, int(key)


async def last_event(client: GraphQLClient, uscc: str) -> dict[str, Any]:
    data = await client.data(HISTORY, {"u": uscc})
    event: dict[str, Any] = data["subject"]["history"]["edges"][0]["node"]
    return event


async def test_audit_events_writers_import_runs_and_access_log_entries_have_global_ids(
    writable: Backend, as_writer: Connect, cast: Cast, tmp_path: Path,
) -> None:
    subject = cast.merchants[3]
    publish = "mutation($i: PublishPenaltyInput!) { publishPenalty(input: $i) { id } }"
    async with as_writer("market") as market:
        await market.data(publish, {"i": penalty_input(subject)})
        by_key = await last_event(market, subject)
        assert await last_event(market, subject) == by_key  # stable across reads
    rows = penalties(1, "client-ids")
    assert summary(await run(writable, "penalties", write_csv(tmp_path / "cf.csv", rows),
                             "--department", "COMMERCE"))["inserted"] == 1
    auditor = await new_key(writable, Role.AUDITOR)
    async with writer_client(writable, auditor) as client:  # a logged personal read
        await client.data("{ subjects(first: 1) { edges { node { phone } } } }")
    async with writer_client(writable, await new_key(writable, Role.REGULATOR)) as regulator:
        by_run = await last_event(regulator, rows[0]["CF_XDR_SHXYM"])
        log = await regulator.data(ACCESS_LOG, {"auditor": auditor.split("_")[1]})
    entry = log["accessLog"]["edges"][0]["node"]

    ids = {"event by key": by_key["id"], "writer": by_key["actor"]["id"],
           "event by run": by_run["id"], "run": by_run["actor"]["id"],
           "access log entry": entry["id"], "reader": entry["reader"]["id"]}
    print({name: decoded(value) for name, value in ids.items()})
    assert [decoded(ids[name])[0] for name in ids] == [
        "AuditEvent", "Writer", "AuditEvent", "ImportRun", "AccessLogEntry", "Writer"]
    assert len(set(ids.values())) == len(ids)  # one id per object, across types too
    assert by_key["actor"]["__typename"] == "Writer"
    assert by_run["actor"]["fileName"] == "cf.csv"

    # not fetchable by node(id:): the public cannot read the access log or the trail that way
    async with app_client(writable) as public:
        for value in ids.values():
            assert await public.error_codes("query($id: ID!) { node(id: $id) { id } }",
                                            {"id": value}) == ["INVALID_ID"]
