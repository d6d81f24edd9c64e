"""Row ids as clients send them back (in global IDs and cursors): one rule for reading them.

Every table's primary key is an ``INTEGER`` from 1 up, and this server writes ids as plain
ASCII digits. So only that form names a row: ``str.isdigit`` also accepts ``²``, ``٣`` or
full-width ``１２`` (which ``int`` reads, or fails on), and a number past the column's range
reached the database and failed there (an ``INTERNAL_SERVER_ERROR`` where the client sent a
bad ID or cursor).
"""

from __future__ import annotations

MAX_ROW_ID = 2**31 - 1  # PostgreSQL INTEGER (SQLite's INTEGER is wider: the narrower bounds)


def parse_row_id(text: str) -> int | None:
    """The row id ``text`` writes, or ``None`` when it is not one this server could have
    written: ASCII digits without sign, spaces or leading zeros, 1 to ``MAX_ROW_ID``."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ROW_ID)):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ROW_ID and str(value) == text else None
