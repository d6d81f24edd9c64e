"""The in-process cache stays bounded: its entries by bytes (``CREDIT_GATEWAY_MEMORY_CACHE_MB``)
with expired entries reclaimed, its tag versions by number, and the tag journal shared by the
processes of one machine by size — and none of these bounds ever turns a stale entry current.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from pathlib import Path

from resolvers.cache import MemoryCache, tagged
from resolvers.cache.journal import Lost, TagJournal
from tests.conftest import Backend, GraphQLClient, app_client

PAGE = """query($first: Int!) { subjects(first: $first) { edges { node { uscc name
  licenses(first: 20) { edges { node { licenseNumber content decisionTitle } } }
  penalties(first: 20) { edges { node { decisionNumber facts content legalBasis } } } } } } }"""


async def gauge(client: GraphQLClient, name: str) -> float:
    metrics = (await client.http.get("/metrics")).text
    found = re.search(rf"^{name} (\S+)$", metrics, re.MULTILINE)
    assert found is not None, name
    return float(found.group(1))


def in_process(backend: Backend) -> Backend:
    """The backend's database with the in-process cache (no Redis)."""
    return dataclasses.replace(backend, redis_url="")


async def test_answers_held_in_process_stay_within_their_bytes(seeded: Backend,
                                                               tmp_path: Path) -> None:
    async with app_client(in_process(seeded), memory_cache_mb="0.25",
                          data_dir=str(tmp_path)) as client:
        answered = 0
        for round_ in range(20):  # twenty distinct answers of 100 subjects each
            await client.data(f"# round {round_}\n{PAGE}", {"first": 100})
            assert client.last is not None
            answered += len(client.last.content)
        assert answered > 3 << 17  # half as much again as the bound was offered
        held = await gauge(client, "credit_gateway_memory_cache_bytes")
        assert 0 < held <= 1 << 18
        # the newest answer is still there; the oldest made room
        await client.data(f"# round 19\n{PAGE}", {"first": 100})
        assert client.last is not None
        assert client.last.headers["x-cache"] == "HIT"
        await client.data(f"# round 0\n{PAGE}", {"first": 100})
        assert client.last.headers["x-cache"] == "MISS"


async def test_expired_answers_are_reclaimed_when_others_are_stored(seeded: Backend,
                                                                    tmp_path: Path) -> None:
    async with app_client(in_process(seeded), response_cache_ttl="1", cache_ttl="0",
                          data_dir=str(tmp_path)) as client:
        for first in range(1, 6):
            await client.data(PAGE, {"first": first})
        assert await gauge(client, "credit_gateway_memory_cache_entries") >= 3
        await asyncio.sleep(1.2)
        await client.data(PAGE, {"first": 6})  # storing one reclaims the expired ones
        assert await gauge(client, "credit_gateway_memory_cache_entries") == 1


async def test_tag_versions_are_bounded_and_a_dropped_tag_never_reads_current() -> None:
    cache = MemoryCache(prefix="t", ttl=60, max_tags=100)
    reading = await cache.tag_versions(["subject:1"])
    assert reading is not None
    await cache.set_many({"entry": tagged({"subject:1": reading.versions[0]}, b"old")})
    await cache.bump_tags(["subject:1"])
    reading = await cache.tag_versions(["subject:1"])
    assert reading is not None
    await cache.set_many({"entry": tagged({"subject:1": reading.versions[0]}, b"new"),
                          "before": tagged({"subject:1": reading.versions[0] - 1}, b"old")})
    await cache.bump_tags([f"subject:{i}" for i in range(2, 1_002)])  # subject:1 is dropped
    assert cache.tags <= 100
    # an entry stored against subject:1 before its last bump never comes back …
    assert await cache.get_current_many(["before"]) == [None]
    # … and after the drop, what was stored against its last version is a miss, not stale data
    assert await cache.get_current_many(["entry"]) == [None]
    await cache.bump_tags(["subject:1"])
    assert cache.tags <= 100


def test_the_tag_journal_rotates_and_every_reader_keeps_up(tmp_path: Path) -> None:
    path = tmp_path / "cache-tags"
    writer = TagJournal(path, max_bytes=1_000)
    reader = TagJournal(path, max_bytes=1_000)
    sleeper = TagJournal(path, max_bytes=1_000)
    written: list[str] = []
    heard: list[str] = []
    for batch in range(60):  # ~3 kB of tags in all: rotated about three times
        tags = [f"Penalty:{batch}-{i}" for i in range(4)]
        assert writer.append(tags)
        written += tags
        found = reader.read_new()
        assert not isinstance(found, Lost)
        heard += found
        assert not path.exists() or path.stat().st_size <= 1_000 + 100
    assert heard == written  # across rotations, nothing missed and nothing twice
    assert isinstance(sleeper.read_new(), Lost)  # slept through two rotations: it knows
    assert sleeper.read_new() == []


async def test_a_process_that_lost_track_of_the_journal_treats_every_tag_as_bumped(
        tmp_path: Path) -> None:
    path = tmp_path / "cache-tags"
    writer = MemoryCache(prefix="w", ttl=60, journal=TagJournal(path, max_bytes=200))
    reader = MemoryCache(prefix="r", ttl=60, journal=TagJournal(path, max_bytes=200))
    reading = await reader.tag_versions(["subject:9"])
    assert reading is not None
    await reader.set_many({"answer": tagged({"subject:9": reading.versions[0]}, b"shown")})
    assert await reader.get_current_many(["answer"]) == [b"shown"]
    for i in range(40):  # other tags only, rotated past the reader's offset twice
        await writer.bump_tags([f"subject:{1000 + i}"])
    assert await reader.get_current_many(["answer"]) == [None]


def test_a_replaced_journal_is_never_mistaken_for_the_one_read_before(tmp_path: Path) -> None:
    """The file system may give a new journal the old one's inode number: its generation line
    tells them apart, so a reader never skips the new file's first bumps."""
    path = tmp_path / "cache-tags"
    writer, reader = TagJournal(path), TagJournal(path)
    assert writer.append(["subject:1", "subject:2"])
    assert reader.read_new() == ["subject:1", "subject:2"]
    path.unlink()
    assert writer.append(["subject:3"])  # a new generation, whatever its inode
    assert isinstance(reader.read_new(), Lost)
    assert writer.append(["subject:4"])
    assert reader.read_new() == ["subject:4"]
    path.write_bytes(path.read_bytes()[:20])  # cut short by hand
    assert isinstance(reader.read_new(), Lost)
