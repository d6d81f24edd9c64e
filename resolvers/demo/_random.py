"""Deterministic draws for the demo dataset (演示数据).

Every value is a function of ``(seed, ordinal, stream)``: what a subject gets never depends on
the chunk it was generated in, on the batch size, on the backend or on the clock. Only
``random.Random.random()`` is called — for a given integer seed its sequence is the one thing
CPython promises to keep across versions (``randint``, ``choice`` and ``choices`` have changed
algorithms before) — and no transcendental function (``exp``, ``log``) decides a stored value,
as their last bit may differ between C libraries.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def mix64(value: int) -> int:
    """The splitmix64 finaliser: a cheap, well-spread 64-bit hash of an integer."""
    z = (value + _GOLDEN) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def key(seed: int, ordinal: int, stream: int) -> int:
    """The seed of one subject's stream (profile, details or records)."""
    return mix64(mix64(mix64(seed & _MASK) ^ ordinal) ^ stream)


class Weights(Generic[T]):
    """Items with relative weights, drawn by bisecting the cumulative sums."""

    __slots__ = ("cumulative", "items", "size", "total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        if not pairs:
            raise ValueError("Weights needs at least one item")
        self.items: tuple[T, ...] = tuple(item for item, _ in pairs)
        self.cumulative: list[float] = list(accumulate(float(w) for _, w in pairs))
        self.total = self.cumulative[-1]
        self.size = len(self.items)


class Draws:
    """Helpers over one ``random()`` source, which subclasses bind as an instance attribute
    (a bound C method: the hot path of the generator makes millions of draws)."""

    __slots__ = ("random",)
    random: Callable[[], float]

    def below(self, n: int) -> int:
        """0 ≤ k < n."""
        return int(self.random() * n)

    def between(self, low: int, high: int) -> int:
        """low ≤ k ≤ high."""
        return low + int(self.random() * (high - low + 1))

    def chance(self, probability: float) -> bool:
        return self.random() < probability

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def weighted(self, weights: Weights[T]) -> T:
        index = bisect_right(weights.cumulative, self.random() * weights.total)
        # x·total may round up to total itself; that draw belongs to the last item
        return weights.items[index] if index < weights.size else weights.items[-1]

    def triangular_low(self) -> float:
        """A number in [0, 1) with density 2(1 − x): small values (recent dates) are likelier."""
        first, second = self.random(), self.random()
        return first if first < second else second

    def digits(self, count: int) -> str:
        """``count`` random decimal digits (count ≤ 15, within one double's precision)."""
        return f"{int(self.random() * 10**count):0{count}d}"


class SplitMix(Draws):
    """A short stream from one 64-bit key (splitmix64): cheap to start, slow per draw, for
    the one or two draws that decide a subject's kind or a ring's carrier."""

    __slots__ = ("_state",)

    def __init__(self, seed_key: int) -> None:
        self._state = seed_key & _MASK
        self.random = self._next

    def _next(self) -> float:
        self._state = (self._state + _GOLDEN) & _MASK
        return (mix64(self._state) >> 11) * (1.0 / (1 << 53))


class Stream(Draws):
    """A Mersenne-Twister stream re-seeded per subject: ~4 µs to seed, fast per draw."""

    __slots__ = ("_random",)

    def __init__(self) -> None:
        self._random = random.Random(0)
        self.random = self._random.random

    def reseed(self, seed_key: int) -> Stream:
        self._random.seed(seed_key)
        return self
