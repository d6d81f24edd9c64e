"""The 市场主体 row of a demo subject: enterprise name, legal representative (法定代表人 /
经营者), USCC, address, phone and 实名核验 (real-name verification) with its mark."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from resolvers.demo import names
from resolvers.demo._calendar import REFERENCE_DATE, compact, stamp
from resolvers.demo._identity import (
    address,
    address_prefix,
    base31,
    birthplace_for,
    county_authority,
    mobile,
    region_weights,
    resident_id,
    subject_uscc,
)
from resolvers.demo._population import SHOWCASE, Population, Profile
from resolvers.demo._random import Draws, Weights, key
from resolvers.demo._rows import Sink
from resolvers.domain import regions, relations
from resolvers.domain.enums import Department, IdType, SubjectCategory, SubjectKind

SHOWCASE_LAST = max(SHOWCASE)
SURNAMES = Weights(names.SURNAMES)
ORGANISATION_FORMS = Weights(names.ORGANISATION_FORMS)
INDIVIDUAL_FORMS = Weights(names.INDIVIDUAL_FORMS)
LOGISTICS_TRADES = Weights(names.LOGISTICS_TRADES)
SERVICE_TRADES = Weights(names.SERVICE_TRADES)
ID_TYPES = Weights([(IdType.RESIDENT_ID, 98.5), (IdType.HK_MACAO_PERMIT, 0.8),
                    (IdType.TAIWAN_PERMIT, 0.5), (IdType.PASSPORT, 0.2)])
VERIFIED_SHARE = {SubjectKind.PLATFORM: 1.0, SubjectKind.LOGISTICS_FIRM: 0.95,
                  SubjectKind.MERCHANT: 0.92, SubjectKind.SERVICE_PROVIDER: 0.90,
                  SubjectKind.INDIVIDUAL_SELLER: 0.85}
# 网络交易管理办法 (2014-03-15) made platforms verify their sellers' identities.
VERIFICATION_START = date(2014, 3, 15)
_MARKS = 31**6  # 核验标识 serials: six characters of the USCC alphabet
SHARED_REPRESENTATIVE = 0.03  # share of subjects whose legal rep also runs an earlier subject
# 集群注册: one in twelve subjects registers at the shared address of its block of 30 ordinals
# (a registered-agent address), written in one of three styles the look-up normalises
SHARED_ADDRESS_PERCENT = 8
ADDRESS_BLOCK = 30
ADDRESS_STREAM = 7
# 代办: one in twenty subjects gives the agent's contact phone of its block instead of its own
SHARED_PHONE_PERCENT = 5
PHONE_STREAM = 8
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True, slots=True)
class Person:
    """A natural person: legal representative or operator of a 个体工商户."""

    name: str
    id_type: IdType
    id_number: str
    phone: str


def person(draw: Draws, owner: Profile) -> Person:
    """The person drawn right after ``owner``'s profile in its stream: at least 18 when
    ``owner`` was registered, born in its county seven times in ten."""
    male = draw.chance(0.65)
    given_pool = names.GIVEN_MALE if male else names.GIVEN_FEMALE
    given = draw.pick(given_pool) + (draw.pick(given_pool) if draw.chance(0.7) else "")
    full_name = draw.weighted(SURNAMES) + given
    id_type = draw.weighted(ID_TYPES)
    if id_type is IdType.RESIDENT_ID:
        birthplace = owner.region if draw.chance(0.7) else draw.weighted(region_weights()).code
        youngest = min(REFERENCE_DATE - timedelta(days=22 * 366),
                       owner.registered_on - timedelta(days=18 * 366))
        born = youngest - timedelta(days=draw.between(0, 30 * 365))
        number = resident_id(draw, birthplace_for(draw, birthplace, born), born, male)
    elif id_type is IdType.HK_MACAO_PERMIT:
        number = draw.pick("HM") + draw.digits(8)
    elif id_type is IdType.TAIWAN_PERMIT:
        number = draw.digits(8)
    else:
        number = "E" + draw.digits(8)
    return Person(full_name, id_type, number, mobile(draw))


def legal_rep(population: Population, profile: Profile, draw: Draws) -> Person:
    """法定代表人 / 经营者 of a subject. A few subjects share the representative of an earlier
    subject (the "shared people" edge auditors explore): that person is re-derived from the
    earlier subject's own stream, following its own sharing in turn, so both rows agree."""
    own = person(draw, profile)
    if profile.ordinal <= SHOWCASE_LAST or not draw.chance(SHARED_REPRESENTATIVE):
        return own
    other = max(1, profile.ordinal - draw.between(1, 200))
    scratch = population.stream(other)
    return legal_rep(population, population.profile(other, scratch), scratch)


def shared_address(population: Population, profile: Profile) -> str | None:
    """The registered-agent address a planted subject shares with others of its block, or
    ``None``; drawn from a hash of the ordinal, not from the subject's stream, so every other
    column of the dataset is the same with or without it."""
    ordinal = profile.ordinal
    roll = key(population.seed, ordinal, ADDRESS_STREAM)
    if ordinal <= SHOWCASE_LAST or roll % 100 >= SHARED_ADDRESS_PERCENT:
        return None
    block = ordinal // ADDRESS_BLOCK
    street = (f"{names.ROADS[block % len(names.ROADS)]}{block % 997 + 1}号"
              f"{names.BUILDINGS[block % len(names.BUILDINGS)]}{block % 7 + 1}号楼"
              f"{block % 20 + 1:02d}{(block // 20) % 90 + 10}室")
    style = (roll >> 8) % 3
    if style == 0:
        return address_prefix(profile.region) + street
    if style == 1:  # full-width digits, a space after the division
        return f"{address_prefix(profile.region)} {street.translate(_FULL_WIDTH)}"
    return street  # the division left out


def shared_phone(population: Population, profile: Profile) -> str | None:
    """The agent's mobile number a planted subject gives as its contact phone (shared with
    others of its block), or ``None``; a hash of the ordinal, like ``shared_address``."""
    ordinal = profile.ordinal
    roll = key(population.seed, ordinal, PHONE_STREAM)
    if ordinal <= SHOWCASE_LAST or roll % 100 >= SHARED_PHONE_PERCENT:
        return None
    block = ordinal // ADDRESS_BLOCK
    number = key(population.seed, block, PHONE_STREAM) % 10**8
    return f"{names.MOBILE_PREFIXES[block % len(names.MOBILE_PREFIXES)]}{number:08d}"


def _brand(draw: Draws) -> str:
    first = draw.pick(names.BRAND_SYLLABLES)
    second = draw.pick(names.BRAND_SYLLABLES)
    while second == first:
        second = draw.pick(names.BRAND_SYLLABLES)
    return first + second


def _place(draw: Draws, region: str) -> str:
    """The 行政区划 part of a name: county, prefecture or province, shortened."""
    found = regions.lookup(region)
    assert found is not None
    roll = draw.random()
    if roll < 0.55:
        return names.short_division(found.name)
    if roll < 0.75:
        prefecture = regions.lookup(region[:4] + "00")
        if prefecture is not None and prefecture.name.endswith("市"):
            return names.short_division(prefecture.name)
    return names.short_division(found.province)


def enterprise_name(draw: Draws, profile: Profile, legal_rep: Person) -> str:
    """行政区划 + 字号 + 行业 + 组织形式, or for a 个体工商户 county + 字号 + 行业 + 店/商行."""
    kind = profile.kind
    if kind is SubjectKind.INDIVIDUAL_SELLER:
        found = regions.lookup(profile.region)
        assert found is not None
        trade = names.INDIVIDUAL_TRADES[profile.trade][0]
        brand = legal_rep.name[0] + "记" if draw.chance(0.25) else _brand(draw)
        return found.name + brand + trade + draw.weighted(INDIVIDUAL_FORMS)
    if kind is SubjectKind.PLATFORM:
        trade = draw.pick(names.PLATFORM_TRADES)
    elif kind is SubjectKind.LOGISTICS_FIRM:
        trade = draw.weighted(LOGISTICS_TRADES)
    elif kind is SubjectKind.SERVICE_PROVIDER:
        trade = draw.weighted(SERVICE_TRADES)
    else:
        trade = names.MERCHANT_TRADES[profile.trade][0]
    return _place(draw, profile.region) + _brand(draw) + trade + draw.weighted(ORGANISATION_FORMS)


def add_subject(sink: Sink, population: Population, profile: Profile, draw: Draws) -> None:
    """Append the subject row of ``profile`` (its id is its ordinal)."""
    ordinal = profile.ordinal
    rep = legal_rep(population, profile, draw)  # first: other subjects re-derive it
    individual = profile.kind is SubjectKind.INDIVIDUAL_SELLER
    name = enterprise_name(draw, profile, rep)
    if individual:
        phone = rep.phone
    elif profile.kind in (SubjectKind.PLATFORM, SubjectKind.LOGISTICS_FIRM) and draw.chance(0.6):
        phone = f"400-{draw.digits(3)}-{draw.digits(4)}"
    else:
        phone = mobile(draw)
    verified_on: date | None = None
    mark: str | None = None
    if draw.chance(VERIFIED_SHARE[profile.kind]):
        verified_on = min(max(profile.registered_on, VERIFICATION_START)
                          + timedelta(days=draw.between(0, 120)), REFERENCE_DATE)
        mark = f"SMHY{compact(verified_on)}{base31(draw.below(_MARKS), 6)}"
    registrar = county_authority(profile.region, Department.MARKET_REGULATION)
    street = address(draw, profile.region)  # drawn even when a shared address replaces it
    street = shared_address(population, profile) or street
    phone = shared_phone(population, profile) or phone
    row_id = sink.add(
        "subject",
        Department.MARKET_REGULATION.value, registrar.code,
        stamp(profile.registered_on), stamp(verified_on or profile.registered_on),
        subject_uscc(population.seed, ordinal, profile.region, individual,
                     profile.registered_on),
        False, name, profile.kind.value,
        (SubjectCategory.INDIVIDUAL_BUSINESS if individual
         else SubjectCategory.LEGAL_PERSON).value,
        profile.region, profile.registered_on, profile.status.value,
        rep.name, rep.id_type.value, rep.id_number,
        street, phone,
        verified_on is not None, verified_on, mark, relations.phone_key(phone),
        relations.address_key(street),
    )
    if row_id != ordinal:  # children refer to subjects by ordinal
        raise RuntimeError(f"subject {ordinal} was numbered {row_id}")
