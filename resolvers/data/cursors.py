"""Opaque, versioned cursors for keyset pagination.

A cursor is ``base64("v1|<kind>|<value>|<value>…")``: clients must treat it as opaque; the
kind stops a cursor of one list being replayed on another. A list is its field and everything
that narrows it — a filter, the subject whose relation it is, ``late`` — so the kind is
``list_kind(name, *narrowing)``: the name and a digest of the arguments. A cursor of the
merchants is refused on the platforms, one of a subject's penalties on another subject's
(``INVALID_CURSOR``), instead of silently paging from a position in another list.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import date, datetime

from resolvers.data.row_ids import parse_row_id

VERSION = "v1"


class InvalidCursor(ValueError):
    """A cursor that this server did not issue for this list."""


def list_kind(name: str, *narrowing: object) -> str:
    """The kind of the list ``name`` narrowed by ``narrowing`` (filter conditions, a parent
    row id, flags): values with a stable ``repr`` (strings, numbers, enums, frozen
    dataclasses of them). The digest keeps ``|`` and any text out of the cursor."""
    if not narrowing:
        return name
    digest = hashlib.sha256(repr(narrowing).encode("utf-8", "backslashreplace")).hexdigest()
    return f"{name}.{digest[:16]}"


def encode(kind: str, *values: str | int | date) -> str:
    parts = [VERSION, kind, *(v.isoformat() if isinstance(v, date) else str(v) for v in values)]
    return base64.urlsafe_b64encode("|".join(parts).encode()).decode().rstrip("=")


def decode(kind: str, cursor: str, arity: int) -> list[str]:
    padded = cursor + "=" * (-len(cursor) % 4)
    try:
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise InvalidCursor(f"cursor {cursor!r} is not one this server issued") from error
    parts = text.split("|")
    if len(parts) != arity + 2 or parts[0] != VERSION or parts[1] != kind:
        raise InvalidCursor(f"cursor {cursor!r} does not belong to this list")
    return parts[2:]


def decode_id(kind: str, cursor: str) -> int:
    (value,) = decode(kind, cursor, 1)
    return _int(cursor, value)


def decode_date_id(kind: str, cursor: str) -> tuple[date, int]:
    """A ``(day, id)`` keyset; the day may be a moment (``datetime``, a subclass of date)."""
    day, ident = decode(kind, cursor, 2)
    try:
        moment = date.fromisoformat(day) if len(day) == 10 else datetime.fromisoformat(day)
        return moment, _int(cursor, ident)
    except ValueError as error:
        raise InvalidCursor(f"cursor {cursor!r} is not one this server issued") from error


def _int(cursor: str, value: str) -> int:
    ident = parse_row_id(value)
    if ident is None:
        raise InvalidCursor(f"cursor {cursor!r} is not one this server issued")
    return ident
