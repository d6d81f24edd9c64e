"""``TagJournal``: tag bumps shared by the processes of one machine without Redis.

The in-process cache lives in one process, yet writes happen in others too: a second
``serve`` worker, or ``credit-gateway import``. Each bump is appended to a journal file (one
tag per line, one ``write`` per bump, ``O_APPEND``); every process reads what was appended
since it last looked before it answers a tag-version question. A process starts reading at the
journal's end: it holds no entries older than itself.

The journal stays bounded: once it passes ``max_bytes`` the appending process renames it to
``<journal>.1`` (replacing the previous one) and the next append starts a new file. Appends
hold a shared lock on ``<journal>.lock`` and the rotation an exclusive one, so no append lands
in a file after it was rotated away. A reader that still holds an offset into the rotated file
reads its rest first; one that slept through two rotations cannot know what it missed and is
told so (``Lost``), whereupon its cache treats every tag as bumped.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("credit_gateway.cache")

DEFAULT_MAX_BYTES = 1 << 20


@dataclass(frozen=True)
class Lost:
    """The journal was rotated twice since this process last read it."""


class TagJournal:
    def __init__(self, path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = path
        self.rotated = path.with_name(path.name + ".1")
        self._lock = path.with_name(path.name + ".lock")
        self._max_bytes = max_bytes
        self._inode, self._offset = self._stat(path)
        self._rotated_inode, _ = self._stat(self.rotated)
        self._failing = False

    @staticmethod
    def _stat(path: Path) -> tuple[int, int]:
        try:
            found = path.stat()
        except OSError:
            return 0, 0
        return found.st_ino, found.st_size

    def append(self, tags: Sequence[str]) -> bool:
        """Append ``tags``; False when the file cannot be written (the bump stays local)."""
        data = "".join(f"{tag}\n" for tag in tags).encode()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._locked(fcntl.LOCK_SH):
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                try:
                    os.write(fd, data)
                    size = os.fstat(fd).st_size
                finally:
                    os.close(fd)
            if size > self._max_bytes:
                self._rotate()
        except OSError as error:
            self._failed(error)
            return False
        return True

    def _rotate(self) -> None:
        with self._locked(fcntl.LOCK_EX):
            if self.path.stat().st_size > self._max_bytes:  # not rotated by another meanwhile
                os.replace(self.path, self.rotated)

    def _locked(self, mode: int) -> _FileLock:
        return _FileLock(self._lock, mode)

    def has_new(self) -> bool:
        """Whether anything was appended or rotated since the last read (one ``stat``)."""
        return self._stat(self.path) != (self._inode, self._offset)

    def read_new(self) -> list[str] | Lost:
        """Tags appended (by any process) since the last call; complete lines only."""
        inode, size = self._stat(self.path)
        tags: list[str] = []
        lost = False
        if inode != self._inode:  # rotated, created or removed since we last looked
            rotated_inode, _ = self._stat(self.rotated)
            if self._inode and rotated_inode == self._inode:  # rotated once: finish it
                tags += self._read(self.rotated, self._offset)
            elif rotated_inode != self._rotated_inode:  # rotated past what we read
                lost = True
            self._inode, self._offset, self._rotated_inode = inode, 0, rotated_inode
        if size < self._offset:  # truncated by hand: start over
            self._offset = size
        if size > self._offset:
            tags += self._read(self.path, self._offset, advance=True)
        return Lost() if lost else tags

    def _read(self, path: Path, offset: int, *, advance: bool = False) -> list[str]:
        try:
            with path.open("rb") as journal:
                journal.seek(offset)
                data = journal.read()
        except OSError as error:
            self._failed(error)
            return []
        complete = data.rfind(b"\n") + 1
        if advance:
            self._offset += complete
        return data[:complete].decode().splitlines()

    def _failed(self, error: OSError) -> None:
        if not self._failing:
            log.warning("cache tag journal %s unusable: %r", self.path, error)
        self._failing = True


class _FileLock:
    """``flock`` on a lock file for the duration of a ``with`` block."""

    def __init__(self, path: Path, mode: int) -> None:
        self._path = path
        self._mode = mode
        self._fd = -1

    def __enter__(self) -> None:
        self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._fd, self._mode)

    def __exit__(self, *_: object) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
