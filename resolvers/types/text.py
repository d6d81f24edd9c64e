"""Text arguments (文本参数长度): the longest value of every text argument, declared once.

Every ``String`` / ``ID`` argument and every text field of a read input declares its maximum
here or where it is defined (``text_argument`` / ``text_input``): the description says it
("At most N characters.") and the metadata carries it, so the gateway refuses a longer value
before any resolver or SQL runs (``gateway/limits/text.py``: ``BAD_USER_INPUT`` with
``argument`` and ``maximum``). A value that is stored in a column declares the column's length
(``column_length``). Fields of write inputs (``input: …Input``) are checked against their
columns by ``resolvers/writes/checks.py``, shared with the bulk importer.
"""

from __future__ import annotations

from typing import Any

import strawberry
from sqlmodel import SQLModel
from strawberry.types.arguments import StrawberryArgumentAnnotation

MAXIMUM = "maximum_length"  # the metadata key the gateway reads
SEARCH_TEXT_MAX = 100
NAME_CONTAINS_MAX = 100  # a part of a name; names are at most 200 characters
CURSOR_MAX = 100  # the cursors we issue have fewer than 40 characters
ID_MAX = 100  # the global IDs we issue have fewer than 40 characters
REGION_MAX = 6  # a GB/T 2260 county code


def limited(description: str, maximum: int) -> str:
    return f"{description} At most {maximum} characters."


def text_argument(description: str, maximum: int) -> StrawberryArgumentAnnotation:
    """``strawberry.argument`` for a text argument of at most ``maximum`` characters."""
    return strawberry.argument(description=limited(description, maximum),
                               metadata={MAXIMUM: maximum})


def text_input(description: str, maximum: int, default: Any = None) -> Any:
    """``strawberry.field`` of an input type for text of at most ``maximum`` characters."""
    return strawberry.field(default=default, description=limited(description, maximum),
                            metadata={MAXIMUM: maximum})


def column_length(model: type[SQLModel], column: str) -> int:
    """The declared length of ``model``'s text ``column``."""
    length = getattr(model.__table__.c[column].type, "length", None)  # type: ignore[attr-defined]
    if not isinstance(length, int):
        raise TypeError(f"{model.__name__}.{column} declares no length")
    return length
