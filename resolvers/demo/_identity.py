"""Identities in the demo data: divisions, authorities, USCCs, resident ID numbers, phones.

- 统一社会信用代码 (GB 32100-2015) of subjects: registration authority 9 (市场监管), type 1
  (企业) or 2 (个体工商户), the subject's county, and a GB 11714 body that is a bijection of the
  subject's ordinal — so codes are unique without a look-up table.
- Authorities (登记机关 / 数据来源单位) get codes with registration authority 1 (机构编制) and
  type 1 (机关), derived from the division and the department, the same under every seed.
- 居民身份证号码 (GB 11643-1999): birthplace, birth date, sequence (odd = male) and the
  ISO 7064 MOD 11-2 check character from python-stdnum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from operator import mul

from stdnum.cn import ric

from resolvers.demo import names
from resolvers.demo._calendar import compact
from resolvers.demo._random import Draws, Weights, mix64
from resolvers.domain import regions, uscc
from resolvers.domain.enums import Department

_BASE = len(uscc.ALPHABET)  # 31
_SPACE6 = _BASE**6
_MUNICIPALITIES = ("11", "12", "31", "50")
# GB 32100 codes issued from this day on carry new-style bodies (MA…); earlier subjects keep
# the organisation code they already had.
USCC_START = date(2015, 10, 1)
MAX_SUBJECTS = 10_000_000  # the body bijections below are defined on ordinals below this


_VALUE = {c: i for i, c in enumerate(uscc.ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def build_uscc(authority: str, org_type: str, region: str, body8: str) -> str:
    """``uscc.build`` without python-stdnum's generic arithmetic: the same two check
    characters (GB 11714 for the body, GB 32100 for the code), several times faster, which
    matters at a million subjects. Tests hold it to ``uscc.is_valid``."""
    c = 11 - sum(map(mul, map(_VALUE.__getitem__, body8), _ORG_WEIGHTS)) % 11
    body17 = authority + org_type + region + body8 + ("X" if c == 10 else "0" if c == 11 else str(c))
    total = sum(map(mul, map(_VALUE.__getitem__, body17), _USCC_WEIGHTS))
    return body17 + uscc.ALPHABET[(31 - total % 31) % 31]


def base31(value: int, width: int) -> str:
    chars = []
    for _ in range(width):
        value, rest = divmod(value, _BASE)
        chars.append(uscc.ALPHABET[rest])
    return "".join(reversed(chars))


@cache
def generated_regions() -> tuple[regions.Region, ...]:
    """Current county-level divisions a subject may be registered in: every current one except
    the placeholder 市辖区 rows and the four traditional-script names in the source table."""
    return tuple(
        r for r in regions.current_counties() if r.name != "市辖区" and "區" not in r.name
    )


@cache
def region_weights() -> Weights[regions.Region]:
    """Provinces weighted by online-retail activity, spread evenly over their counties;
    urban districts (区) count 1.5 times as e-commerce clusters in cities."""
    pool = generated_regions()
    per_province: dict[str, int] = {}
    for region in pool:
        per_province[region.code[:2]] = per_province.get(region.code[:2], 0) + 1
    pairs = []
    for region in pool:
        weight = names.PROVINCE_WEIGHTS.get(region.code[:2], names.OTHER_PROVINCE_WEIGHT)
        urban = 1.5 if region.name.endswith("区") else 1.0
        pairs.append((region, weight * urban / per_province[region.code[:2]]))
    return Weights(pairs)


@cache
def division_name(code: str) -> str:
    """The full name a document uses: 贵阳市南明区, 北京市东城区, 修文县, 清镇市."""
    region = regions.lookup(code)
    if region is None:
        raise KeyError(code)
    if code[:2] in _MUNICIPALITIES:
        return region.province + region.name
    if region.name.endswith("区"):
        prefecture = regions.lookup(code[:4] + "00")
        if prefecture is not None and prefecture.name.endswith(("市", "州", "盟")):
            return prefecture.name + region.name
    return region.name


@cache
def address_prefix(code: str) -> str:
    """Province, prefecture and county as a postal address starts: 贵州省贵阳市南明区."""
    region = regions.lookup(code)
    if region is None:
        raise KeyError(code)
    if code[:2] in _MUNICIPALITIES:
        return region.province + region.name
    prefecture = regions.lookup(code[:4] + "00")
    middle = ""
    if prefecture is not None and prefecture.name.endswith(("市", "州", "盟", "地区")):
        middle = prefecture.name if prefecture.name != region.name else ""
    return region.province + middle + region.name


@dataclass(frozen=True, slots=True)
class Authority:
    """A government body as a record's 决定机关 or 数据来源单位: name, USCC, department."""

    name: str
    code: str
    department: Department


_DEPARTMENT_INDEX = {department: index for index, department in enumerate(Department)}
_AUTHORITY_SUFFIX = {
    Department.MARKET_REGULATION: "市场监督管理局",
    Department.COMMERCE: "商务局",
    Department.POSTAL: "邮政管理局",
}


def _authority_code(division: str, department: Department) -> str:
    body = (int(division) * 8 + _DEPARTMENT_INDEX[department]) * 387_420_489 % _SPACE6
    return build_uscc("1", "1", division, "MB" + base31(body, 6))


@cache
def county_authority(code: str, department: Department) -> Authority:
    """The county-level bureau of ``department`` for the county ``code``."""
    return Authority(division_name(code) + _AUTHORITY_SUFFIX[department],
                     _authority_code(code, department), department)


@cache
def city_authority(code: str, department: Department) -> Authority:
    """The prefecture-level bureau (the province's, in the four municipalities)."""
    if code[:2] in _MUNICIPALITIES:
        division = code[:2] + "0000"
        name = regions.lookup(code)
        assert name is not None
        return Authority(name.province + _AUTHORITY_SUFFIX[department],
                         _authority_code(division, department), department)
    prefecture = regions.lookup(code[:4] + "00")
    if prefecture is None or not prefecture.name.endswith(("市", "州", "盟", "地区")):
        return county_authority(code, department)
    return Authority(prefecture.name + _AUTHORITY_SUFFIX[department],
                     _authority_code(code[:4] + "00", department), department)


@cache
def province_postal(code: str) -> Authority:
    """邮政管理局 of the province: postal administrations are organised by province."""
    region = regions.lookup(code)
    assert region is not None
    division = code[:2] + "0000"
    return Authority(region.province + "邮政管理局",
                     _authority_code(division, Department.POSTAL), Department.POSTAL)


def subject_uscc(seed: int, ordinal: int, region: str, individual: bool, registered: date) -> str:
    """A valid, unique USCC: the body is a bijection of the ordinal, offset by the seed."""
    if registered >= USCC_START:
        offset = mix64(seed) % _SPACE6
        body = "MA" + base31((ordinal * 387_420_489 + offset) % _SPACE6, 6)
    else:
        offset = mix64(seed ^ 0x5A5A) % 10**7
        lead = "567"[mix64(ordinal ^ seed) % 3]
        body = lead + f"{(ordinal * 48_271 + offset) % 10**7:07d}"
    return build_uscc("9", "2" if individual else "1", region, body)


def _assigned(history: str, year: int) -> bool:
    """Whether a division name history (``[1994-]罗定市``) covers ``year``."""
    for name in history.split(","):
        if not name.startswith("["):
            return True
        start, end = name[1:name.index("]")].split("-")
        if (not start or int(start) <= year) and (not end or year <= int(end)):
            return True
    return False


@cache
def _always_assigned(province: str) -> tuple[str, ...]:
    """Counties of a province whose code has existed since the table begins."""
    return tuple(r.code for r in generated_regions()
                 if r.code.startswith(province) and "[" not in r.county)


def birthplace_for(draw: Draws, wanted: str, born: date) -> str:
    """``wanted`` if its code was assigned in the birth year (an ID keeps the code of the
    place of first registration), else a county of the same province that always existed."""
    region = regions.lookup(wanted)
    if region is not None and _assigned(region.county, born.year):
        return wanted
    fallback = _always_assigned(wanted[:2]) or _always_assigned("11")
    return draw.pick(fallback)


def resident_id(draw: Draws, birthplace: str, born: date, male: bool) -> str:
    """An 18-digit 居民身份证号码 with a correct GB 11643 check character; ``birthplace``
    must have been assigned in the birth year (see ``birthplace_for``)."""
    sequence = draw.between(0, 499) * 2 + (1 if male else 0)
    body = f"{birthplace}{compact(born)}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def mobile(draw: Draws) -> str:
    return draw.pick(names.MOBILE_PREFIXES) + draw.digits(8)


def address(draw: Draws, region: str) -> str:
    """A street address in the county: road and number, often a building and room."""
    street = f"{address_prefix(region)}{draw.pick(names.ROADS)}{draw.between(1, 999)}号"
    if draw.chance(0.55):
        building = draw.pick(names.BUILDINGS)
        street += f"{building}{draw.between(1, 30)}号楼{draw.between(1, 28)}{draw.between(1, 30):02d}室"
    return street
