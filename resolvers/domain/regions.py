"""GB/T 2260 administrative division codes (行政区划代码).

The division table ships with python-stdnum (``stdnum/cn/loc.dat``, used there for resident
ID numbers); divisions it marks as abolished (``[-2010]…``) are kept for look-ups of old
records but never generated for new subjects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from stdnum import numdb


@dataclass(frozen=True, slots=True)
class Region:
    """A county-level division with the names of its province and county."""

    code: str
    province: str
    county: str

    @property
    def current(self) -> bool:
        return _current_name(self.county) is not None

    @property
    def name(self) -> str:
        """The division's name in force, else its last known name."""
        latest = self.county.rsplit(",", 1)[-1]
        return _current_name(self.county) or _PERIOD.sub("", latest)


# Names in loc.dat carry their validity: "[1983-1989]南头区办事处,[1990-]南山区".
_PERIOD = re.compile(r"^\[(\d*)-(\d*)\]")


def _current_name(history: str) -> str | None:
    latest = history.rsplit(",", 1)[-1]
    period = _PERIOD.match(latest)
    if period is None:
        return latest
    return latest[period.end():] if period.group(2) == "" else None


@cache
def _table() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    db = numdb.get("cn/loc")
    # numdb keeps a two-level tree: province (2 digits) → county (4 more digits);
    # entries are (length, low, high, properties, children) and low == high here.
    for _, province_prefix, _, province_props, counties in db.prefixes:
        province = province_props.get("province", "")
        for _, county_suffix, _, county_props, _ in counties:
            code = province_prefix + county_suffix
            regions[code] = Region(code, province, county_props.get("county", ""))
    return regions


_DIVISION = re.compile(r"[0-9]{2}(?:[0-9]{2}){0,2}")


def division_prefix(code: str) -> str:
    """The prefix of the county codes a GB/T 2260 division holds: 2 digits = a province,
    4 = a city, 6 = a county; a province or city written as its own six-digit code (440000,
    440300 — the ``00`` levels of the table) is that province or city. ``ValueError`` for
    anything else (ASCII digits only)."""
    if not _DIVISION.fullmatch(code):
        raise ValueError(f"region must be 2, 4 or 6 digits of a GB/T 2260 code, got {code!r}")
    if len(code) == 6:
        code = code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
    return code


def lookup(code: str) -> Region | None:
    """The division named by a six-digit code, or ``None`` when the table lacks it."""
    return _table().get(code)


@cache
def current_counties() -> tuple[Region, ...]:
    """Divisions in force at district / county level (code not ending in ``00``)."""
    return tuple(
        r for r in _table().values() if r.current and not r.code.endswith("00")
    )


def division_name(prefix: str) -> str | None:
    """The name of the division a 2-, 4- or 6-digit prefix names (``44`` 广东省, ``4403``
    深圳市); ``None`` when the table lacks it."""
    found = lookup(prefix.ljust(6, "0"))
    return found.name if found is not None else None


LEVELS = (2, 4, 6)  # digits of a province, a city (地级), a county (县级) prefix


def children(parent: str | None) -> list[Region]:
    """The divisions in force one level below ``parent`` (a ``division_prefix``; ``None`` =
    the provinces), by code. A city's own entry (``440300``) is listed among its province's
    cities, not among its counties."""
    depth = 2 if parent is None else len(parent) + 2
    found = []
    for region in _table().values():
        if not region.current or (parent and not region.code.startswith(parent)):
            continue
        if region.code[depth:].strip("0") or not region.code[depth - 2:depth].strip("0"):
            continue  # deeper than the level, or the parent's own entry
        found.append(region)
    return sorted(found, key=lambda r: r.code)
