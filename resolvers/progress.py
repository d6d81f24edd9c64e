"""``Progress``: a tqdm bar on stderr for long commands (seed, import), or nothing at all.

The services take ``progress: bool`` rather than a bar, so they stay quiet in tests and in
``--quiet`` runs without a branch at every step.
"""

from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm


class Progress:
    """Counts up to ``total`` in ``unit`` s; ``done`` is how far it got."""

    def __init__(self, total: int, *, desc: str, unit: str, enabled: bool) -> None:
        self.done = 0
        self._bar: tqdm[Any] | None = None
        if enabled:
            self._bar = tqdm(total=total, desc=desc, unit=unit, unit_scale=True,
                             file=sys.stderr, dynamic_ncols=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._bar is not None:
            self._bar.close()

    def advance(self, step: int) -> None:
        self.done += step
        if self._bar is not None:
            self._bar.update(step)

    def reach(self, position: int) -> None:
        """Advance to ``position`` (e.g. the bytes of a file read so far)."""
        self.advance(position - self.done)
