"""Once a write has answered, every read shows it: a fetch that began before the write commits
can neither put the old row back into the entity cache, nor hand it to a reader (or to the
mutation's own read-back) that arrives after the commit.

The interleaving is made deterministic by holding one reader inside its fetch: the statement
has run against the database (it holds the old row) and the reader waits there until the test
lets it go, while the write commits and purges.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.queries import relations
from tests.conftest import GraphQLClient
from tests.writes.conftest import Cast, Connect, license_input

STATUS = "query($id: ID!) { node(id: $id) { ... on License { status } } }"
GRANT = "mutation($i: GrantLicenseInput!) { grantLicense(input: $i) { id } }"
REVOKE = "mutation($id: ID!) { setLicenseStatus(id: $id, status: REVOKED) { status } }"
# long enough for any answer that does not wait on the held reader
PATIENCE = 10.0


class HeldFetch:
    """The next fetch of records by id, held after its statement ran until ``release``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fetched = asyncio.Event()
        self.released = asyncio.Event()
        self._armed = False
        real = relations.by_ids

        async def held(session: AsyncSession, model: type[SQLModel], ids: Any) -> list[Any]:
            rows = await real(session, model, ids)
            if self._armed:
                self._armed = False
                self.fetched.set()
                await self.released.wait()
            return rows

        monkeypatch.setattr(relations, "by_ids", held)

    def arm(self) -> None:
        self._armed = True


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldFetch]:
    hold = HeldFetch(monkeypatch)
    yield hold
    hold.released.set()


async def status(client: GraphQLClient, global_id: str) -> tuple[str, str]:
    body = await client.data(STATUS, {"id": global_id})
    assert client.last is not None
    return body["node"]["status"], client.last.headers.get("x-cache", "")


async def test_a_fetch_from_before_a_write_is_never_served_after_it(
        as_writer: Connect, cast: Cast, held: HeldFetch) -> None:
    async with as_writer("commerce") as granting:
        license_id = (await granting.data(GRANT, {"i": license_input(cast.merchants[3])})
                      )["grantLicense"]["id"]
    async with as_writer("commerce") as client:  # a new process: nothing of it cached yet
        held.arm()
        before = asyncio.create_task(status(client, license_id))
        await asyncio.wait_for(held.fetched.wait(), PATIENCE)  # it read VALID and waits

        # the write commits and purges while that reader is inside its fetch; the mutation's
        # own answer is read past the caches and past the fetch under way
        revoking = asyncio.create_task(client.data(REVOKE, {"id": license_id}))
        answered, _ = await asyncio.wait({revoking}, timeout=PATIENCE)
        # a reader arriving after the write's answer, while the old fetch is still held
        after = asyncio.create_task(status(client, license_id))
        served, _ = await asyncio.wait({after}, timeout=PATIENCE)
        held.released.set()
        assert revoking in answered, "the mutation waited for a fetch that began before it"
        assert (await revoking)["setLicenseStatus"] == {"status": "REVOKED"}
        assert after in served, "a read after the write waited for a fetch from before it"
        assert (await after)[0] == "REVOKED"
        assert (await before)[0] == "VALID"  # it began before the write: the old state is fair

        # the held reader has finished (and offered its old row to the caches): every later
        # read, from the database or from the caches, shows the write
        assert await status(client, license_id) == ("REVOKED", "MISS")
        assert await status(client, license_id) == ("REVOKED", "HIT")
