"""双公示 records of a demo subject: 行政许可 (licences) and 行政处罚 (penalties).

Publication (公示) follows the decision by a number of PRC working days: within the 7-day
limit for most records, later for about one in twelve so that the disclosure-lag flag has
something to find, and not yet for decisions too recent to be published by the reference day.
A penalty's publicity end (公示截止期) follows its severity: minor 3 months, general 1 year,
serious 3 years (the maximum periods); some general and serious ones were repaired
(信用修复) after the minimum period.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from resolvers.demo import _catalogue as catalogue
from resolvers.demo import names
from resolvers.demo._calendar import REFERENCE_DATE, stamp
from resolvers.demo._identity import Authority, city_authority, county_authority
from resolvers.demo._population import Profile
from resolvers.demo._random import Draws, Weights
from resolvers.demo._rows import Sink
from resolvers.domain.enums import (
    TERMS,
    Department,
    LicenseStatus,
    PenaltyCategory,
    Severity,
    SubjectKind,
    SubjectStatus,
)
from resolvers.domain.publicity import add_months, default_publicity_end, earliest_repair
from resolvers.domain.workdays import add_workdays, disclosure_lag

LATE_SHARE = 0.08  # decisions published after the 7-working-day deadline
ORDINARY_VIOLATIONS = Weights(catalogue.ORDINARY_VIOLATIONS)
SEVERITIES = {key: Weights(v.severities) for key, v in catalogue.VIOLATIONS.items()}
CATEGORIES = {s: Weights(c) for s, c in catalogue.CATEGORIES_BY_SEVERITY.items()}
REPAIR_SHARE = {Severity.GENERAL: 0.25, Severity.SERIOUS: 0.10}
_SUFFIXES = {Department.MARKET_REGULATION: ("市场监督管理局", "市监"),
             Department.COMMERCE: ("商务局", "商务")}
_WAN = Decimal(10_000)
_FEN_PER_WAN = Decimal(1_000_000)


def published(draw: Draws, decided: date) -> date | None:
    """公示日期: decision + working days; ``None`` when that falls after the reference day."""
    lag = draw.between(8, 30) if draw.chance(LATE_SHARE) else draw.between(1, 7)
    day = add_workdays(decided, lag)
    return day if day <= REFERENCE_DATE else None


def decision_number(sink: Sink, authority: Authority, series: str, year: int) -> str:
    """文号 such as 黔南明市监罚〔2023〕17号 — unique per authority (one counter per series)."""
    suffix, word = _SUFFIXES[authority.department]
    place = authority.name.removesuffix(suffix)
    if "市" in place[:-1]:
        place = place[place.index("市") + 1:] or place
    abbreviation = names.PROVINCE_ABBREVIATIONS.get(authority.code[2:4], "")
    number = sink.serial(authority.code, series)
    return f"{abbreviation}{names.short_division(place)}{word}{series}〔{year}〕{number}号"


def _check_digit(digits: str) -> str:
    # illustrative weighted mod-10 check; the real JY/SC check rule is not public
    return str(sum((i % 3 + 1) * int(c) for i, c in enumerate(digits) if c.isdigit()) % 10)


def _licence_number(sink: Sink, kind: catalogue.LicenceKind, authority: Authority,
                    region: str, year: int) -> str:
    serial = sink.serial(authority.code, kind.key)
    number = kind.number_format.format(
        prov=names.PROVINCE_ABBREVIATIONS.get(region[:2], ""), region=region, year=year,
        serial4=f"{serial:04d}", serial5=f"{serial:05d}", serial6=f"{serial:06d}",
        serial7=f"{serial:07d}", check="")
    return number + _check_digit(number) if kind.number_format.endswith("{check}") else number


def _licence_keys(draw: Draws, profile: Profile) -> list[str]:
    if profile.kind is SubjectKind.MERCHANT:
        typical = names.MERCHANT_TRADES[profile.trade][2]
    elif profile.kind is SubjectKind.INDIVIDUAL_SELLER:
        typical = names.INDIVIDUAL_TRADES[profile.trade][2]
    elif profile.kind is SubjectKind.PLATFORM:
        typical = ("food_business", "foreign_trade")
    else:
        typical = ()
    # most holders of a licensed trade hold the licence; the rest are the unlicensed cases
    keys = [k for k in typical if draw.chance(0.8)]
    if profile.seller and not keys and draw.chance(0.05):
        keys.append(draw.pick(catalogue.GENERAL_LICENCES))
    return keys


def add_licences(sink: Sink, profile: Profile, draw: Draws) -> None:
    for key in _licence_keys(draw, profile):
        kind = catalogue.LICENCES[key]
        decided = profile.registered_on + timedelta(days=draw.between(5, 90))
        terms = 1
        # a licence whose five-year term ran out was usually renewed (延续): two records
        if kind.years is not None and add_months(decided, 12 * kind.years) < REFERENCE_DATE:
            terms = 2 if draw.chance(0.7) else 1
        for _ in range(terms):
            if decided >= REFERENCE_DATE:
                break
            _add_licence(sink, profile, draw, kind, decided)
            if kind.years is None:
                break
            decided = add_months(decided, 12 * kind.years) - timedelta(days=draw.between(10, 40))


def _add_licence(sink: Sink, profile: Profile, draw: Draws, kind: catalogue.LicenceKind,
                 decided: date) -> None:
    local = kind.key in ("food_business", "food_production", "liquor", "prepaid_card")
    authority = (county_authority if local else city_authority)(profile.region, kind.department)
    valid_to = (add_months(decided, 12 * kind.years) - timedelta(days=1)
                if kind.years is not None else None)
    if profile.status in (SubjectStatus.CANCELLED, SubjectStatus.REVOKED):
        status = (LicenseStatus.CANCELLED if profile.status is SubjectStatus.CANCELLED
                  else LicenseStatus.REVOKED)
    elif valid_to is not None and valid_to < REFERENCE_DATE:
        status = LicenseStatus.EXPIRED
    else:
        status = LicenseStatus.VALID
    publication = published(draw, decided)
    sink.add(
        "license", kind.department.value, authority.code,
        stamp(publication or decided), stamp(publication or decided),
        profile.ordinal, decision_number(sink, authority, "许", decided.year), kind.content,
        decided, publication, authority.name, authority.code, None,
        kind.title, kind.category.value, kind.certificate,
        _licence_number(sink, kind, authority, profile.region, decided.year),
        decided, valid_to, status.value,
        "https://www.gsxt.gov.cn/" if draw.chance(0.3) else None,
        disclosure_lag(decided, publication),
    )


def _penalty_plan(draw: Draws, profile: Profile) -> list[str]:
    """Which violations the subject was penalised for."""
    if profile.red:
        return []
    plan: list[str] = []
    if profile.brushing and (profile.ordinal == 4 or draw.chance(0.5)):
        plan.append("brushing")
    if profile.counterfeit:
        plan.append("counterfeit")
    if draw.chance(0.14 if profile.seller else 0.08):
        roll = draw.random()
        count = 1 if roll < 0.80 else 2 if roll < 0.95 else 3
        plan.extend(draw.weighted(ORDINARY_VIOLATIONS) for _ in range(count))
    return plan


def _amount(draw: Draws, severity: Severity, cap_wan: int) -> Decimal:
    """A fine in 万元: round hundreds of 元 for minor cases, thousands above."""
    if severity is Severity.MINOR:
        yuan = draw.between(5, max(6, min(100, cap_wan * 100))) * 100
    elif severity is Severity.GENERAL:
        yuan = draw.between(10, max(11, cap_wan * 5)) * 1_000
    else:
        yuan = draw.between(max(10, cap_wan * 3), max(11, cap_wan * 10)) * 1_000
    return Decimal(yuan) / _WAN


def add_penalties(sink: Sink, profile: Profile, draw: Draws) -> None:
    earliest = max(profile.registered_on + timedelta(days=30), date(2020, 7, 1))
    span = (REFERENCE_DATE - earliest).days
    if span <= 1:
        return
    for key in _penalty_plan(draw, profile):
        violation = catalogue.VIOLATIONS[key]
        severity = draw.weighted(SEVERITIES[key])
        if profile.ordinal == 5 and key == "counterfeit":
            severity = Severity.SERIOUS  # the showcase counterfeiter
        category = draw.weighted(CATEGORIES[severity])
        decided = REFERENCE_DATE - timedelta(days=1 + int(draw.triangular_low() * (span - 1)))
        fine = None if category is PenaltyCategory.WARNING else _amount(
            draw, severity, violation.max_fine_wan)
        confiscated = None
        if category is PenaltyCategory.CONFISCATION or (
                severity is Severity.SERIOUS and draw.chance(0.3)):
            confiscated = Decimal(draw.between(100_000, 50_000_000)) / _FEN_PER_WAN  # 分 exact
        suspended = None
        parts = []  # NR 处罚内容, e.g. 没收违法所得0.123456万元，罚款2万元
        if category is PenaltyCategory.WARNING:
            parts.append(TERMS[category])
        elif category is PenaltyCategory.LICENSE_SUSPENSION:
            suspended = "食品经营许可证" if key == "unlicensed_food" else "营业执照"
            parts.append(f"吊销{suspended}")
        elif category is PenaltyCategory.BUSINESS_SUSPENSION:
            parts.append("责令停业整顿")
        if confiscated is not None:
            parts.append(f"没收违法所得{confiscated}万元")
        if fine is not None:
            parts.append(f"罚款{fine}万元")
        content = "，".join(parts)
        wide = severity is Severity.SERIOUS and draw.chance(0.3)
        authority = (city_authority if wide else county_authority)(
            profile.region, violation.department)
        publicity_end = default_publicity_end(decided, severity)
        repaired = _repair_date(draw, severity, decided, publicity_end)
        publication = published(draw, decided)
        sink.add(
            "penalty", violation.department.value, authority.code,
            stamp(publication or decided), stamp(repaired or publication or decided),
            profile.ordinal, decision_number(sink, authority, "罚", decided.year), content,
            decided, publication, authority.name, authority.code, None,
            violation.type, violation.facts, violation.basis, category.value, fine,
            confiscated, suspended, publicity_end, severity.value, publicity_end, repaired,
            disclosure_lag(decided, publication), False,  # the generator states every severity
            # the subject's division, as the database's triggers keep it (migration 0013), so
            # the rows written are the rows stored
            profile.region,
        )


def _repair_date(draw: Draws, severity: Severity, decided: date, ends: date) -> date | None:
    """信用修复 ends publicity early, never before the minimum period has passed."""
    if severity not in REPAIR_SHARE or not draw.chance(REPAIR_SHARE[severity]):
        return None
    earliest = earliest_repair(decided, severity)
    latest = min(ends - timedelta(days=1), REFERENCE_DATE)
    if earliest > latest:
        return None
    return earliest + timedelta(days=draw.between(0, (latest - earliest).days))
