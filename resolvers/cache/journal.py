"""``TagJournal``: tag bumps shared by the processes of one machine without Redis.

The in-process cache lives in one process, yet writes happen in others too: a second
``serve`` worker, or ``credit-gateway import``. Each bump is appended to a journal file (one
tag per line, one ``write`` per bump, ``O_APPEND``); every process reads what was appended
since it last looked before it answers a tag-version question. A process starts reading at the
journal's end: it holds no entries older than itself.

Every journal file begins with a line naming its generation (``#journal <random id>``), so a
reader knows a file it read before from a new one even when the file system gives the new one
the old one's inode number.

The journal stays bounded: once it passes ``max_bytes`` the appending process renames it to
``<journal>.1`` (replacing the previous one) and the next append starts a new generation.
Appends hold a shared lock on ``<journal>.lock``; starting a file and the rotation hold an
exclusive one, so no append lands in a file after it was rotated away. A reader that still
holds an offset into the rotated file reads its rest first; one that cannot account for what it
missed (it slept through two rotations, or the file was replaced or cut by hand) is told so
(``Lost``), whereupon its cache treats every tag as bumped.
"""

from __future__ import annotations

import fcntl
import logging
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("credit_gateway.cache")

DEFAULT_MAX_BYTES = 1 << 20
HEADER = b"#journal "


@dataclass(frozen=True)
class Lost:
    """Bumps were appended that this process can no longer read."""


class TagJournal:
    def __init__(self, path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = path
        self.rotated = path.with_name(path.name + ".1")
        self._lock = path.with_name(path.name + ".lock")
        self._max_bytes = max_bytes
        self._failing = False
        # the generation read and how far; what the rotated file was when we last looked
        self._generation = self._generation_of(path)
        self._stamp = self._stat(path)
        self._offset = self._stamp[1]
        self._rotated_generation = self._generation_of(self.rotated)

    @staticmethod
    def _stat(path: Path) -> tuple[int, int]:
        try:
            found = path.stat()
        except OSError:
            return 0, 0
        return found.st_ino, found.st_size

    @staticmethod
    def _generation_of(path: Path) -> bytes | None:
        try:
            with path.open("rb") as journal:
                first = journal.readline()
        except OSError:
            return None
        return first if first.startswith(HEADER) and first.endswith(b"\n") else None

    def append(self, tags: Sequence[str]) -> bool:
        """Append ``tags``; False when the file cannot be written (the bump stays local)."""
        data = "".join(f"{tag}\n" for tag in tags).encode()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            size = self._append(data)
            if size > self._max_bytes:
                self._rotate()
        except OSError as error:
            self._failed(error)
            return False
        return True

    def _append(self, data: bytes) -> int:
        """Append to the current generation (starting one when there is none, or when the
        file was rotated away meanwhile); the file's size after."""
        for attempt in range(2):
            if self._generation_of(self.path) is None:
                self._start()
            with self._locked(fcntl.LOCK_SH):
                try:
                    fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
                except FileNotFoundError:
                    if attempt:
                        raise
                    continue
                try:
                    os.write(fd, data)
                    return os.fstat(fd).st_size
                finally:
                    os.close(fd)
        raise AssertionError("unreachable")  # pragma: no cover

    def _start(self) -> None:
        """A new generation, unless another process started one meanwhile."""
        with self._locked(fcntl.LOCK_EX):
            if self._generation_of(self.path) is not None:
                return
            header = HEADER + secrets.token_hex(8).encode() + b"\n"
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                os.write(fd, header)
            finally:
                os.close(fd)

    def _rotate(self) -> None:
        with self._locked(fcntl.LOCK_EX):
            if self.path.stat().st_size > self._max_bytes:  # not rotated by another meanwhile
                os.replace(self.path, self.rotated)

    def _locked(self, mode: int) -> _FileLock:
        return _FileLock(self._lock, mode)

    def has_new(self) -> bool:
        """Whether anything was appended, rotated or replaced since the last read (a ``stat``)."""
        return self._stat(self.path) != self._stamp

    def read_new(self) -> list[str] | Lost:
        """Tags appended (by any process) since the last call; complete lines only."""
        stamp = self._stat(self.path)
        generation = self._generation_of(self.path)
        tags: list[str] = []
        lost = False
        if generation != self._generation:  # rotated, started, replaced or removed
            rotated = self._generation_of(self.rotated)
            if self._generation is not None and rotated == self._generation:  # rotated once
                tags += self._read(self.rotated, self._offset)[0]
            elif self._generation is not None or rotated != self._rotated_generation:
                lost = True  # a generation we read, or one we never saw, is gone
            self._generation, self._offset, self._rotated_generation = generation, 0, rotated
        elif stamp[1] < self._offset:  # the same generation, cut short by hand
            lost, self._offset = True, stamp[1]
        if generation is not None:
            found, self._offset = self._read(self.path, max(self._offset, len(generation)))
            tags += found
        self._stamp = stamp
        return Lost() if lost else tags

    def _read(self, path: Path, offset: int) -> tuple[list[str], int]:
        """The complete lines of ``path`` after ``offset``, and the offset after them."""
        try:
            with path.open("rb") as journal:
                journal.seek(offset)
                data = journal.read()
        except OSError as error:
            self._failed(error)
            return [], offset
        complete = data.rfind(b"\n") + 1
        return data[:complete].decode().splitlines(), offset + complete

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
