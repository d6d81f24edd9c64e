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
import re
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
    encoding: bool = False  # the problem is bytes that are not UTF-8


def format_of(path: Path, given: str | None) -> str:
    if given:
        return given
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise FileProblem(f"cannot tell the format of {path.name}: name it .csv or .jsonl, "
                          "or pass --format")
    return found


MAX_LINE = 1 << 22
"""Characters a JSON line may have (4 Mi); a longer one is rejected unread."""
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # bytes the decoder could not read (surrogateescape)
_SURROGATE = re.compile("[\ud800-\udfff]")


class Reader:
    """Rows of one file; ``position`` is the number of bytes read so far.

    Bytes that are not UTF-8 do not stop the reader: they are kept as lone surrogates
    (``surrogateescape``) and the row that holds them comes with a problem, flagged
    ``encoding`` (the runner refuses a file whose first batch has such a row: it is in another
    encoding). So do NULs, lone surrogates (``"\\ud800"`` in JSON) and cells longer than
    ``max_cell`` (the ``csv`` module's field limit, 131,072 characters)."""

    def __init__(self, path: Path, file_format: str) -> None:
        self.path = path
        self.format = file_format
        self.max_cell = csv.field_size_limit()
        self._raw: BinaryIO = path.open("rb")
        self._text = io.TextIOWrapper(self._raw, encoding="utf-8-sig", newline="",
                                      errors="surrogateescape")
        self.header: list[str] = []
        self._csv_reader = csv.reader(self._text) if file_format == CSV else None
        if self._csv_reader is not None:
            # read now: the header decides whether the file can be imported at all
            try:
                self.header = [name.strip() for name in next(self._csv_reader, [])]
            except csv.Error as error:
                self.close()
                raise FileProblem(f"{path.name}: the header cannot be read ({error})") from error
            if any(_SURROGATE.search(name) or "\0" in name for name in self.header):
                self.close()
                raise not_utf8(path, 1)
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
        return self._csv() if self.format == CSV else self._jsonl()

    def _csv(self) -> Iterator[RawRow]:
        reader = self._csv_reader
        assert reader is not None
        last = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:  # a cell past the field limit: the rest of it is skipped
                line, last = last + 1, reader.line_num
                yield RawRow(line, {}, f"line cannot be read: {_limit(error, self.max_cell)}")
                continue
            line, last = last + 1, reader.line_num  # a quoted cell may span lines
            if not cells or cells == [""]:
                continue
            if len(cells) != len(self.header):
                yield _vetted(line, {}, f"line has {len(cells)} cells, the header has "
                                        f"{len(self.header)}", "".join(cells), self.max_cell)
                continue
            row: dict[str, str | None] = dict(zip(self.header, cells, strict=True))
            yield _vetted(line, row, None, "".join(cells), self.max_cell)

    def _jsonl(self) -> Iterator[RawRow]:
        line = 0
        while text := self._text.readline(MAX_LINE):
            line += 1
            if len(text) == MAX_LINE and not text.endswith("\n"):
                while (rest := self._text.readline(MAX_LINE)) and not rest.endswith("\n"):
                    pass
                yield RawRow(line, {}, f"line is longer than {MAX_LINE:,} characters")
                continue
            if not text.strip():
                continue
            if _NOT_UTF8.search(text):
                yield _vetted(line, {}, None, text, self.max_cell)
                continue
            try:
                found = json.loads(text, parse_float=Decimal)  # 1.10 stays 1.10, not a float
            except json.JSONDecodeError as error:
                yield RawRow(line, {}, f"line is not JSON: {error.msg}")
                continue
            if not isinstance(found, dict):
                yield RawRow(line, {}, "line is not a JSON object")
                continue
            nested = [k for k, v in found.items() if isinstance(v, (dict, list))]
            if nested:
                yield RawRow(line, {}, f"{', '.join(nested)}: a value must be text or a number")
                continue
            yield _vetted(line, {str(k): _cell(v) for k, v in found.items()}, None, "",
                          self.max_cell)


def _vetted(line: int, cells: dict[str, str | None], problem: str | None, text: str,
            max_cell: int) -> RawRow:
    """The row, or its problems: bytes that are not UTF-8 anywhere in its ``text``, then NULs,
    lone surrogates and oversized cells (PostgreSQL stores no NUL and no surrogate)."""
    if _NOT_UTF8.search(text):
        return RawRow(line, cells, "line holds bytes that are not UTF-8 (convert the file, "
                                   "e.g. `iconv -f GBK -t UTF-8`)", encoding=True)
    found = [problem] if problem else []
    for name, value in cells.items():
        for where, what in ((name, "column name"), (value or "", "value")):
            if "\0" in where:
                found.append(f"{_shown(name)}: the {what} holds a NUL character")
            elif _SURROGATE.search(where):
                found.append(f"{_shown(name)}: the {what} holds a lone surrogate "
                             "(a half of a UTF-16 pair)")
        if value is not None and len(value) > max_cell:
            found.append(f"{_shown(name)}: longer than {max_cell:,} characters")
    return RawRow(line, cells, "; ".join(found) or None)


def _limit(error: csv.Error, max_cell: int) -> str:
    message = str(error)
    return (f"a cell is longer than {max_cell:,} characters" if "field limit" in message
            else message)


def _shown(text: str) -> str:
    """Text safe to print and to write as UTF-8: NULs and surrogates replaced."""
    return text.replace("\0", "\ufffd").encode("utf-8", "surrogatepass").decode(
        "utf-8", "replace")


def printable(cells: dict[str, str | None]) -> dict[str, str | None]:
    """A row as the rejects file shows it: NULs and undecodable bytes as U+FFFD."""
    return {_shown(k): None if v is None else _shown(v) for k, v in cells.items()}


def not_utf8(path: Path, line: int) -> FileProblem:
    return FileProblem(f"{path.name} is not UTF-8 (line {line}): convert it first, "
                       "e.g. `iconv -f GBK -t UTF-8`")


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
