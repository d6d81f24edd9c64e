"""Cell parsers of the bulk importer: text as departments export it, to typed draft values.

Exports vary in how they write a date (2024-03-05, 20240305, 2024/3/5, 2024年3月5日, a
timestamp) and an enumeration (the member name or its Chinese term: 罚款, 普通, 吊销); each
parser accepts those spellings and raises ``ValueError`` with a message for anything else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

from resolvers.domain.enums import TERMS

E = TypeVar("E", bound=Enum)
Parser = Callable[[str], Any]

_DAY = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?(?:[ T].*)?$")


def text(value: str) -> str:
    return value


def day(value: str) -> date:
    match = _DAY.match(value)
    if match is None:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD, YYYYMMDD or YYYY年M月D日)")
    year, month, dom = (int(part) for part in match.groups())
    try:
        return date(year, month, dom)
    except ValueError as error:
        raise ValueError(f"{value!r} is not a date: {error}") from error


def decimal(value: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation as error:
        raise ValueError(f"{value!r} is not a number") from error
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a number")
    return number


def integer(value: str) -> int:
    try:
        return int(value)
    except ValueError as error:
        raise ValueError(f"{value!r} is not a whole number") from error


def aliases(enum: type[E]) -> dict[str, E]:
    """Every spelling of each member: its name, its Chinese term and the term's parts
    ("撤销 / 吊销" → 撤销, 吊销; "轻微（一般不公示…）" → 轻微)."""
    found: dict[str, E] = {}
    for member in enum:
        spellings = {member.name, str(member.value)}
        term = TERMS.get(member)
        if term is not None:
            bare = re.sub(r"（.*?）|\(.*?\)", "", term).strip()
            spellings |= {term, bare, *(p.strip() for p in re.split(r"\s*/\s*|、", bare))}
        for spelling in spellings - {""}:
            if found.get(spelling, member) is not member:
                raise ValueError(f"{spelling!r} names two members of {enum.__name__}")
            found[spelling] = member
    return found


def member(enum: type[E]) -> Parser:
    spellings = aliases(enum)

    def parse(value: str) -> E:
        found = spellings.get(value) or spellings.get(value.upper())
        if found is None:
            raise ValueError(f"{value!r} is not one of {', '.join(m.name for m in enum)}")
        return found

    return parse
