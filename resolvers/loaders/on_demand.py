"""``OnDemand``: a request's loaders of one kind, each built the first time it is asked for.

A request reads a few of the graph's relations, but the loaders of every relation used to be
built with it: 30-odd ``DataLoader`` s per request where an uncached widget answer uses three
or four (docs/PERFORMANCE.md, "Loaders built on demand"). Built on first use, a loader still
lives exactly as long as its request, so its batching and memoisation are unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Generic, TypeVar

from aiodataloader import DataLoader

K = TypeVar("K")
V = TypeVar("V")


class OnDemand(Mapping[str, DataLoader[K, V]], Generic[K, V]):
    """The loaders named ``names``, ``build(name)`` making each when first looked up."""

    __slots__ = ("_build", "_built", "_names")

    def __init__(self, names: Iterable[str], build: Callable[[str], DataLoader[K, V]]) -> None:
        self._names = frozenset(names)
        self._build = build
        self._built: dict[str, DataLoader[K, V]] = {}

    def __getitem__(self, name: str) -> DataLoader[K, V]:
        loader = self._built.get(name)
        if loader is None:
            if name not in self._names:
                raise KeyError(name)
            loader = self._built[name] = self._build(name)
        return loader

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._names))

    def __len__(self) -> int:
        return len(self._names)
