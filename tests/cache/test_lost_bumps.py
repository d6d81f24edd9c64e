"""A tag bump the cache did not take is repaired by the process that lost it — the ``import``
command too, which exits soon after: it keeps trying before it ends, and fails when it cannot.

The serving process caches an answer; the importer's way to the cache then breaks for a while:
on Redis a connection that is refused (a TCP relay the test closes and opens again), on the
in-process cache a tag journal that cannot be written (a directory where the file should be).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from gateway.settings import Settings
from tests.cli.test_import import penalties, run, write_csv
from tests.conftest import Backend, GraphQLClient, app_client
from tests.roles import regulator_key

COUNT = "query($u: USCC!) { subject(uscc: $u) { penalties(first: 1) { totalCount } } }"


class Relay:
    """A TCP relay to Redis that can refuse connections for a while (a broken network)."""

    def __init__(self, target_port: int) -> None:
        self._target = target_port
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()
        self.port = 0

    async def open(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for pipe in list(self._pipes):
            pipe.cancel()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1",
                                                                         self._target)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        tasks = [asyncio.create_task(pipe(reader, upstream_writer)),
                 asyncio.create_task(pipe(upstream_reader, writer))]
        self._pipes.update(tasks)
        await asyncio.gather(*tasks, return_exceptions=True)
        self._pipes.difference_update(tasks)


@dataclasses.dataclass
class Breakable:
    """The importer's environment, and a way to break its path to the cache for a while."""

    env: dict[str, str]
    broken: Any  # async context manager: broken inside, mended on leaving


@pytest.fixture
async def importer(writable: Backend) -> AsyncIterator[Breakable]:
    if writable.name == "sqlite":
        journal = Settings(database_url=writable.database_url).tag_journal_path

        @contextlib.asynccontextmanager
        async def unwritable() -> AsyncIterator[None]:
            journal.unlink(missing_ok=True)
            journal.mkdir()  # appending to it fails (IsADirectoryError)
            try:
                yield
            finally:
                shutil.rmtree(journal)

        yield Breakable(writable.env, unwritable)
        return
    port = int(writable.redis_url.rsplit(":", 1)[1].split("/")[0])
    relay = Relay(port)
    await relay.open()

    @contextlib.asynccontextmanager
    async def refused() -> AsyncIterator[None]:
        await relay.close()
        try:
            yield
        finally:
            await relay.open()

    env = {**writable.env, "REDIS_URL": f"redis://127.0.0.1:{relay.port}/0"}
    try:
        yield Breakable(env, refused)
    finally:
        await relay.close()


async def total(client: GraphQLClient, uscc: str) -> tuple[int, str]:
    data = await client.data(COUNT, {"u": uscc})
    assert client.last is not None
    return data["subject"]["penalties"]["totalCount"], client.last.headers["x-cache"]


async def test_an_import_repairs_the_purge_it_lost_before_it_ends(
        writable: Backend, importer: Breakable, tmp_path: Path) -> None:
    rows = penalties(2, f"lost{uuid.uuid4().hex[:6]}")
    uscc = rows[0]["CF_XDR_SHXYM"]
    rows = [row for row in rows if row["CF_XDR_SHXYM"] == uscc]
    # the serving process shares the importer's cache namespace, and reads every penalty
    async with app_client(writable, cache_prefix=writable.cache_prefix) as client:
        client.http.headers["Authorization"] = f"Bearer {await regulator_key(writable)}"
        before, _ = await total(client, uscc)
        assert await total(client, uscc) == (before, "HIT")
        backend = dataclasses.replace(writable, redis_url=importer.env["REDIS_URL"])
        async with importer.broken():
            importing = asyncio.create_task(run(backend, "penalties",
                                                write_csv(tmp_path / "p.csv", rows)))
            await asyncio.sleep(3)  # the batch committed, its purge did not reach the cache
            ended_while_broken = importing.done()
        result = await asyncio.wait_for(importing, 60)
        assert result.exit_code == 0, result.output
        assert await total(client, uscc) == (before + len(rows), "MISS")
        assert not ended_while_broken  # it waited until it could deliver the purge


async def test_an_import_that_cannot_deliver_its_purge_fails(
        writable: Backend, importer: Breakable, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from resolvers.writes.imports import runner

    monkeypatch.setattr(runner, "SETTLE_SECONDS", 1.0)
    rows = penalties(1, f"never{uuid.uuid4().hex[:6]}")
    backend = dataclasses.replace(writable, redis_url=importer.env["REDIS_URL"])
    async with importer.broken():
        result = await run(backend, "penalties", write_csv(tmp_path / "p.csv", rows))
    assert result.exit_code == 1
    assert "the import is stored, but the cache did not take its purge" in result.output
    assert "inserted               1" in result.output
