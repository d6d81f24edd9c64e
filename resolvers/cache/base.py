"""The ``Cache`` interface and key naming shared by every backend."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

# Bumped whenever the shape of a cached value changes, so a deploy never reads old entries.
SHAPE_VERSION = 1


def namespaced(prefix: str, key: str) -> str:
    """``<deployment prefix>:v<shape version>:<key>``."""
    return f"{prefix}:v{SHAPE_VERSION}:{key}"


def entity_key(entity: str, field: str, value: object) -> str:
    """``<entity>:<field>:<value>``: a cached row under one of its identifying columns
    (``subject:uscc:9144…``, ``Penalty:id:17``)."""
    return f"{entity}:{field}:{value}"


# Every tagged entry also carries this tag: bumping it invalidates everything (a RedisCache
# that could not deliver a bump bumps this once Redis answers again).
ALL_TAG = "*"


def tag_key(tag: str) -> str:
    """``tag:<tag>``: the version counter of one tag (``tag:subject:17``, ``tag:Penalty:*``)."""
    return f"tag:{tag}"


def tagged(versions: Mapping[str, int], payload: bytes) -> bytes:
    """A tagged entry: ``<tag versions as JSON>\\n<payload>`` (``Cache.get_current`` reads it)."""
    header = json.dumps(versions, separators=(",", ":"), ensure_ascii=False).encode()
    return header + b"\n" + payload


def untagged(entry: bytes) -> tuple[dict[str, int], bytes] | None:
    """The tag versions and payload of a tagged entry (``None`` if it is not one)."""
    header, newline, payload = entry.partition(b"\n")
    try:
        versions = json.loads(header)
    except ValueError:
        return None
    return (versions, payload) if newline and isinstance(versions, dict) else None


@dataclass(frozen=True)
class TagReading:
    """Tag versions as read in one round trip, with the cache's clock at that moment.

    A version is the time of the tag's last bump in milliseconds on the cache's clock (never
    less than the previous version plus one), so ``now_ms - version`` is how long ago the tag
    last changed: a reader routes to the primary while that is within the replica lag."""

    versions: list[int]
    now_ms: int

    def changed_within(self, milliseconds: int) -> bool:
        """Whether any of the tags was bumped less than ``milliseconds`` ago."""
        return any(self.now_ms - version < milliseconds for version in self.versions)


class Cache(Protocol):
    """Byte values under string keys, read and written in batches."""

    kind: str

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """Values in key order; ``None`` for a miss (or when the cache is unreachable)."""
        ...

    async def set_many(self, items: Mapping[str, bytes], ttl: int | None = None) -> None:
        """Store all items with ``ttl`` seconds to live (default: the cache's TTL); failures
        are logged, never raised."""
        ...

    async def delete_many(self, keys: Sequence[str]) -> None: ...

    async def tag_versions(self, tags: Sequence[str]) -> TagReading | None:
        """The current version of each tag (0 for a tag never bumped) and the cache's clock, in
        one round trip; ``None`` when the cache cannot answer (nothing may then be cached
        against them)."""
        ...

    async def get_current(self, key: str) -> bytes | None:
        """The payload of the tagged entry under ``key`` if every tag version it was stored
        with is still current; ``None`` for a miss, a stale entry or a cache that does not
        answer. One round trip."""
        ...

    async def get_current_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """``get_current`` of several keys in one round trip, in key order."""
        ...

    async def bump_tags(self, tags: Sequence[str]) -> bool:
        """Move each tag's version forward in one round trip, so every entry stored against an
        older version reads as stale; called after the write that touched them committed.
        False when the bump did not reach the shared store: the cache then bumps ``ALL_TAG``
        before it answers again (and ``settle`` retries that now)."""
        ...

    async def settle(self, seconds: float) -> bool:
        """Deliver a bump that was lost (as ``ALL_TAG``), retrying for up to ``seconds``
        seconds; True when nothing is owed any more. A process about to exit calls it, so the
        repair never waits for a long-lived process."""
        ...

    async def lock(self, key: str, milliseconds: int) -> str | None:
        """Take the deployment-wide lock ``key`` for at most ``milliseconds``: a token for
        ``unlock``, or ``None`` while another process holds it. A cache of one process, or one
        that does not answer, grants it (nothing to share the work with)."""
        ...

    async def unlock(self, key: str, token: str) -> None:
        """Release ``key`` if ``token`` still holds it (it may have expired and been taken)."""
        ...

    async def ping(self) -> bool: ...

    async def aclose(self) -> None: ...
