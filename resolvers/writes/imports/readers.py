"""Streaming readers of import files: CSV and JSON Lines, UTF-8 with or without a BOM.

A file is read line by line, never loaded: each row comes with the line it starts on (so a
rejects file can point at it) and the reader tells how many bytes it has consumed (for the
progress bar). A row the reader itself cannot make sense of — a CSV line with the wrong number
of cells, a JSON line that is not an object — comes as a row with a ``problem``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

CSV, JSONL = "csv", "jsonl"
SUFFIXES = {".csv": CSV, ".jsonl": JSONL, ".ndjson": JSONL, ".json": JSONL}


class FileProblem(ValueError):
    """The file as a whole cannot be imported (encoding, header); nothing more is read."""


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: dict[str, str | None]
    problem: str | None = None


def format_of(path: Path, given: str | None) -> str:
    if given:
        return given
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise FileProblem(f"cannot tell the format of {path.name}: name it .csv or .jsonl, "
                          "or pass --format")
    return found


class Reader:
    """Rows of one file; ``position`` is the number of bytes read so far."""

    def __init__(self, path: Path, file_format: str) -> None:
        self.path = path
        self.format = file_format
        self._raw: BinaryIO = path.open("rb")
        self._text = io.TextIOWrapper(self._raw, encoding="utf-8-sig", newline="")
        self.header: list[str] = []
        self._csv_reader = csv.reader(self._text) if file_format == CSV else None
        if self._csv_reader is not None:
            # read now: the header decides whether the file can be imported at all
            try:
                self.header = [name.strip() for name in next(self._csv_reader, [])]
            except UnicodeDecodeError as error:
                self.close()
                raise _not_utf8(path, 0) from error
            if len(set(self.header)) != len(self.header):
                self.close()
                raise FileProblem(f"{path.name}: a column appears twice in the header")

    @property
    def position(self) -> int:
        return self._raw.tell()

    @property
    def size(self) -> int:
        return os.fstat(self._raw.fileno()).st_size

    def close(self) -> None:
        self._text.close()

    def __iter__(self) -> Iterator[RawRow]:
        try:
            yield from (self._csv() if self.format == CSV else self._jsonl())
        except UnicodeDecodeError as error:
            raise _not_utf8(self.path, self.position) from error

    def _csv(self) -> Iterator[RawRow]:
        reader = self._csv_reader
        assert reader is not None
        last = reader.line_num
        for cells in reader:
            line, last = last + 1, reader.line_num  # a quoted cell may span lines
            if not cells or cells == [""]:
                continue
            if len(cells) != len(self.header):
                yield RawRow(line, {}, f"has {len(cells)} cells, the header has "
                                       f"{len(self.header)}")
                continue
            yield RawRow(line, dict(zip(self.header, cells, strict=True)))

    def _jsonl(self) -> Iterator[RawRow]:
        for line, text in enumerate(self._text, start=1):
            if not text.strip():
                continue
            try:
                found = json.loads(text, parse_float=Decimal)  # 1.10 stays 1.10, not a float
            except json.JSONDecodeError as error:
                yield RawRow(line, {}, f"is not JSON: {error.msg}")
                continue
            if not isinstance(found, dict):
                yield RawRow(line, {}, "is not a JSON object")
                continue
            nested = [k for k, v in found.items() if isinstance(v, (dict, list))]
            if nested:
                yield RawRow(line, {}, f"{', '.join(nested)}: a value must be text or a number")
                continue
            yield RawRow(line, {str(k): _cell(v) for k, v in found.items()})


def _not_utf8(path: Path, position: int) -> FileProblem:
    return FileProblem(f"{path.name} is not UTF-8 (near byte {position}): convert it first, "
                       "e.g. `iconv -f GBK -t UTF-8`")


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
