"""``SingleFlight``: concurrent misses for one key cost one database fetch per process.

Loaders are per request, so two requests missing the same entity at once would each read it;
the first registers a future per key it fetches, and every later request waiting on one of
those keys awaits that future instead of asking the database again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

V = TypeVar("V")


def _retrieve(future: asyncio.Future[Any]) -> None:
    # a failed fetch nobody else waited for must not be reported as "never retrieved"
    if not future.cancelled():
        future.exception()


class SingleFlight(Generic[V]):
    def __init__(self) -> None:
        self._flying: dict[str, asyncio.Future[V | None]] = {}

    async def fetch(self, keys: Sequence[str],
                    fetch: Callable[[list[str]], Awaitable[dict[str, V]]]) -> dict[str, V | None]:
        """Values of ``keys`` (``None`` when absent): the keys nobody is fetching in one call
        of ``fetch``, the others from the fetch already under way."""
        waiting = {key: self._flying[key] for key in keys if key in self._flying}
        mine = [key for key in dict.fromkeys(keys) if key not in waiting]
        loop = asyncio.get_running_loop()
        futures: dict[str, asyncio.Future[V | None]] = {key: loop.create_future() for key in mine}
        self._flying.update(futures)
        found: dict[str, V | None] = {}
        try:
            if mine:
                fetched = await fetch(mine)
                found = {key: fetched.get(key) for key in mine}
            for key, future in futures.items():
                future.set_result(found[key])
        except BaseException as error:
            for future in futures.values():
                if not future.done():
                    future.add_done_callback(_retrieve)
                    future.set_exception(error)
            raise
        finally:
            for key in mine:
                self._flying.pop(key, None)
        for key, future in waiting.items():
            found[key] = await asyncio.shield(future)
        return found
