"""The ``Cache`` interface and key naming shared by every backend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


class Cache(Protocol):
    """Byte values under string keys, read and written in batches."""

    kind: str

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """Values in key order; ``None`` for a miss (or when the cache is unreachable)."""
        ...

    async def set_many(self, items: Mapping[str, bytes]) -> None:
        """Store all items with the cache's TTL; failures are logged, never raised."""
        ...

    async def delete_many(self, keys: Sequence[str]) -> None: ...

    async def ping(self) -> bool: ...

    async def aclose(self) -> None: ...
