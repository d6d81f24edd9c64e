"""Text arguments (文本参数长度): the longest value of every text argument, declared once.

Every ``String`` / ``ID`` argument and every text field of a read input declares its maximum
here or where it is defined (``text_argument`` / ``text_input``): the description says it
("At most N characters.") and the metadata carries it, so the gateway refuses a longer value
before any resolver or SQL runs (``gateway/limits/text.py``: ``BAD_USER_INPUT`` with
``argument`` and ``maximum``). A value that is stored in a column declares the column's length
(``column_length``). Fields of write inputs (``input: …Input``) document their column's
maximum (``record_text``) and are checked against it by ``resolvers/writes/checks.py``, shared
with the bulk importer, which reports them per field (``field``, ``reason: length``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import strawberry
from sqlmodel import SQLModel
from strawberry.types.arguments import StrawberryArgumentAnnotation

from resolvers.data.models.base import column_maximum
from resolvers.domain.uscc import LENGTH as USCC_LENGTH

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
    """The most characters ``model``'s text ``column`` takes (``column_maximum``)."""
    maximum = column_maximum(model, column)
    if maximum is None:
        raise TypeError(f"{model.__name__}.{column} declares no maximum")
    return maximum


def record_text(model: type[SQLModel], column: str, description: str,
                default: Any = dataclasses.MISSING) -> Any:
    """``strawberry.field`` of a write input stored in ``model``'s ``column``: its description
    gives the column's maximum, which the write checks (``resolvers/writes/checks.py``, with
    ``field`` and ``reason: length``, shared with the bulk importer)."""
    return strawberry.field(default=default,
                            description=limited(description, column_length(model, column)))


def uscc_text(description: str, default: Any = dataclasses.MISSING) -> Any:
    """``strawberry.field`` of a write input naming a subject by its 统一社会信用代码 (checked by
    ``resolvers/writes/checks.py``: ``INVALID_USCC``)."""
    return strawberry.field(default=default, description=limited(description, USCC_LENGTH))
