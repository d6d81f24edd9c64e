"""个人信息查询记录: an AUDITOR's reads of unmasked personal data are written to the access log
(who, which subject and fields, when, which query) in one insert per request, and only
REGULATOR keys may read the log."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from resolvers.domain.enums import Role
from tests.conftest import GraphQLClient, writer_client
from tests.roles import ReadKeys, new_key, read_keys_fixture  # noqa: F401

PERSONAL = """query AuditPage { subjects(first: 30) { edges { node { uscc phone
  legalRepresentative { name idNumber idType } } } } }"""
IMPERSONAL = "query Codes { subjects(first: 30) { edges { node { uscc kind } } } }"
LOG = """query($auditor: String, $subject: USCC, $first: Int, $after: String) {
  accessLog(auditor: $auditor, subject: $subject, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { at readerKey role fields operationName documentHash
                   reader { name department } subject { uscc } } } } }"""


def prefix(key: str) -> str:
    return key.split("_")[1]


async def log_of(client: GraphQLClient, **arguments: Any) -> dict[str, Any]:
    return dict((await client.data(LOG, arguments))["accessLog"])


async def test_an_auditors_personal_reads_are_logged_in_one_insert(read_keys: ReadKeys) -> None:
    auditor = await new_key(read_keys.backend, Role.AUDITOR)
    async with read_keys.client(Role.REGULATOR) as regulator:
        unlogged = (await regulator.data(PERSONAL))["subjects"]["edges"]
        regulator_statements = regulator.statements
        assert (await log_of(regulator, auditor=prefix(auditor)))["totalCount"] == 0
    async with writer_client(read_keys.backend, auditor) as client:
        data = await client.data(PERSONAL)
        # the same statements as a regulator's read, plus one INSERT for all 30 subjects
        assert client.statements == regulator_statements + 1
        assert data["subjects"]["edges"] == unlogged  # auditors see the stored values
        await client.data(IMPERSONAL)  # no personal field: nothing to log
    async with read_keys.client(Role.REGULATOR) as regulator:
        log = await log_of(regulator, auditor=prefix(auditor), first=100)
    assert log["totalCount"] == 30
    entries = [edge["node"] for edge in log["edges"]]
    assert {e["subject"]["uscc"] for e in entries} == {
        edge["node"]["uscc"] for edge in data["subjects"]["edges"]}
    digest = hashlib.sha256(PERSONAL.encode()).hexdigest()
    for entry in entries:
        assert entry["fields"] == ["legalRepresentative.idNumber", "legalRepresentative.name",
                                   "phone"]
        assert entry["operationName"] == "AuditPage"
        assert entry["documentHash"] == digest
        assert entry["readerKey"] == prefix(auditor)
        assert entry["role"] == "AUDITOR"
        assert entry["reader"] == {"name": "测试AUDITOR", "department": "DEVELOPMENT_REFORM"}
        assert entry["at"].endswith("+00:00")


async def test_the_log_is_filtered_by_subject_and_paged_newest_first(read_keys: ReadKeys) -> None:
    auditor = await new_key(read_keys.backend, Role.AUDITOR)
    query = "query($u: USCC!) { subject(uscc: $u) { phone } }"
    async with read_keys.client(Role.REGULATOR) as regulator:
        codes = [e["node"]["uscc"] for e in (await regulator.data(
            "{ subjects(first: 3) { edges { node { uscc } } } }"))["subjects"]["edges"]]
    async with writer_client(read_keys.backend, auditor) as client:
        for uscc in (*codes, codes[0]):
            await client.data(query, {"u": uscc})
    async with read_keys.client(Role.REGULATOR) as regulator:
        first = await log_of(regulator, auditor=prefix(auditor), first=2)
        rest = await log_of(regulator, auditor=prefix(auditor), first=2,
                            after=first["pageInfo"]["endCursor"])
        one = await log_of(regulator, auditor=prefix(auditor), subject=codes[0])
        unknown = await log_of(regulator, auditor="nope1234")
    order = [e["node"]["subject"]["uscc"] for e in first["edges"] + rest["edges"]]
    assert order == [codes[0], codes[2], codes[1], codes[0]]  # newest first
    assert first["pageInfo"]["hasNextPage"]
    assert not rest["pageInfo"]["hasNextPage"]
    assert one["totalCount"] == 2
    assert {e["node"]["fields"][0] for e in one["edges"]} == {"phone"}
    assert unknown["totalCount"] == 0


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.PLATFORM, Role.AUDITOR])
async def test_only_regulators_read_the_log(read_keys: ReadKeys, role: Role) -> None:
    async with read_keys.client(role) as client:
        body = await client.post(LOG, {})
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.PLATFORM, Role.REGULATOR])
async def test_other_roles_leave_no_trace(read_keys: ReadKeys, role: Role) -> None:
    async with read_keys.client(Role.REGULATOR) as regulator:
        before = (await log_of(regulator))["totalCount"]
    async with read_keys.client(role) as client:
        await client.data(PERSONAL)
    async with read_keys.client(Role.REGULATOR) as regulator:
        assert (await log_of(regulator))["totalCount"] == before
