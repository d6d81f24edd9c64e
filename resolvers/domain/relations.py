"""关联关系 — the ties an auditor follows between subjects, the normal forms the look-ups match
on, and the limits of an exploration.

A tie is a fact both subjects' records state: the same legal representative (same 证件号码),
the same phone (联系电话), the same address (住所), a carrier that shipped for a merchant
(寄递物流关系), or a rating one gave the other (信用评价, either direction). Who may explore them
(AUDITOR and REGULATOR) is ``may_explore``; the one copy of every bound is here.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import cache

from resolvers.domain import regions
from resolvers.domain.enums import Role


class RelationKind(StrEnum):
    """关联类型 — what ties two subjects."""

    REPRESENTATIVE = "REPRESENTATIVE"
    PHONE = "PHONE"
    ADDRESS = "ADDRESS"
    CARRIER = "CARRIER"
    RATING = "RATING"


RELATION_TERMS: dict[RelationKind, str] = {
    RelationKind.REPRESENTATIVE: "同一法定代表人 / 经营者 — the same person (证件类型 and 证件号码)",
    RelationKind.PHONE: "同一联系电话 — the same phone number",
    RelationKind.ADDRESS: "同一住所 / 经营场所 — the same address after normalisation",
    RelationKind.CARRIER: "寄递物流关系 — a carrier shipped parcels for a merchant",
    RelationKind.RATING: "信用评价往来 — one rated the other (either direction)",
}

EXPLORERS = frozenset({Role.AUDITOR, Role.REGULATOR})
MAX_DEPTH = 2  # ``related``: subjects two ties away at most
MAX_HOPS = 4  # ``path``: the longest evidence path searched
DEFAULT_HOPS = 3
FAN_OUT = 50  # ties followed per subject and kind; more are cut and the answer says so
FRONTIER = 2_000  # subjects expanded per level of a path search
RELATED_DEFAULT = 20
RELATED_MAX = 100
PATHS_MAX = 5  # shortest paths listed when several are equally short
LOOKUP_DEFAULT = 20
LOOKUP_MAX = 100


def may_explore(role: Role) -> bool:
    """Relationship look-ups and exploration are for AUDITOR and REGULATOR keys only."""
    return role in EXPLORERS


def phone_key(phone: str) -> str:
    """A phone as the look-up matches it: full-width digits made ASCII (NFKC), every
    non-digit dropped (spaces, dashes, brackets), a leading 86 / 0086 country code dropped
    from a 13-digit mobile number: ``+86 138-1234-5678`` → ``13812345678``."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", phone))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def id_number_key(number: str) -> str:
    """An identity document number as stored: NFKC, no whitespace, upper case (``x`` → ``X``)."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", number)).upper()


def person_name_key(name: str) -> str:
    """A person's name as stored: NFKC, no whitespace (``张 三`` → ``张三``)."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", name))


_SEPARATORS = re.compile(r"[\s,，、.。·\-－—()（）\[\]【】#＃:：;；]")


@cache
def _division_names() -> tuple[frozenset[str], int]:
    """Every province, prefecture and county name of GB/T 2260, and the longest length."""
    found: set[str] = set()
    for region in regions.current_counties():
        found.update(name for name in (region.province, region.name) if name)
        prefecture = regions.lookup(region.code[:4] + "00")
        if prefecture is not None and prefecture.name:
            found.add(prefecture.name)
    found.discard("市辖区")
    return frozenset(found), max(map(len, found))


def _strip_division(text: str) -> str:
    """``text`` without its longest leading division name (itself when it has none)."""
    names, longest = _division_names()
    for length in range(min(longest, len(text) - 1), 1, -1):
        if text[:length] in names:
            return text[length:]
    return text


def address_key(address: str) -> str:
    """An address as the look-up and the ADDRESS tie match it: NFKC (full-width letters and
    digits made half-width), separators and whitespace dropped, lower case, and the leading
    province / prefecture / county names (GB/T 2260) dropped however many of them are written:
    ``广东省 深圳市南山区科技园路８８号`` and ``南山区科技园路88号`` both give ``科技园路88号``."""
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", address)).lower()
    while (shorter := _strip_division(text)) != text:
        text = shorter
    return text
