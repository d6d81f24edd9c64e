"""``TagJournal``: tag bumps shared by the processes of one machine without Redis.

The in-process cache lives in one process, yet writes happen in others too: a second
``serve`` worker, or ``credit-gateway import``. Each bump is appended to a journal file (one
tag per line, one ``write`` per bump, ``O_APPEND``); every process reads what was appended
since it last looked before it answers a tag-version question. A process starts reading at the
journal's end: it holds no entries older than itself.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger("credit_gateway.cache")


class TagJournal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._offset = self._size()
        self._failing = False

    def _size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def append(self, tags: Sequence[str]) -> bool:
        """Append ``tags``; False when the file cannot be written (the bump stays local)."""
        data = "".join(f"{tag}\n" for tag in tags).encode()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
        except OSError as error:
            self._failed(error)
            return False
        return True

    def read_new(self) -> list[str]:
        """Tags appended (by any process) since the last call; complete lines only."""
        size = self._size()
        if size <= self._offset:
            if size < self._offset:  # the journal was removed or truncated: start over
                self._offset = size
            return []
        try:
            with self.path.open("rb") as journal:
                journal.seek(self._offset)
                data = journal.read(size - self._offset)
        except OSError as error:
            self._failed(error)
            return []
        complete = data.rfind(b"\n") + 1
        self._offset += complete
        return data[:complete].decode().splitlines()

    def _failed(self, error: OSError) -> None:
        if not self._failing:
            log.warning("cache tag journal %s unusable: %r", self.path, error)
        self._failing = True
