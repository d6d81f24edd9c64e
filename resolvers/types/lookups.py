"""The auditor's look-ups (查人 / 查电话 / 查地址) and reverse edges: subjects by legal
representative, phone or address (normalised: ``resolvers.domain.relations``), a carrier's
merchants, a platform's merchants, the ratings a subject gave.

AUDITOR and REGULATOR keys only (others: FORBIDDEN); every subject a look-up returns goes to the
access log with the look-up's name (``lookup.phone`` …), so the trail shows what was asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import strawberry

from resolvers.context import Info
from resolvers.data import models
from resolvers.data.queries import ties
from resolvers.domain import relations
from resolvers.domain.enums import SubjectKind
from resolvers.errors import BadUserInputError
from resolvers.types import pagination
from resolvers.types.common import row_id
from resolvers.types.conduct import Rating
from resolvers.types.relations import explored, require_explorer
from resolvers.types.scalars import USCC, require_uscc
from resolvers.types.subject import Subject
from resolvers.types.text import text_argument

FIRST = (f"Most results (default {relations.LOOKUP_DEFAULT}, at most "
         f"{relations.LOOKUP_MAX}), in registration order.")
AFTER = "Only subjects registered after this one (its USCC): the next page."
PHONE_MAX = 40
ADDRESS_MAX = 300
PERSON_MAX = 100
ID_NUMBER_MAX = 32

First = Annotated[int | None, strawberry.argument(description=FIRST)]
After = Annotated[USCC | None, strawberry.argument(description=AFTER)]


def _size(first: int | None) -> int:
    return pagination.page_size(first, default=relations.LOOKUP_DEFAULT,
                                maximum=relations.LOOKUP_MAX)


async def _subject_row(info: Info, code: str, argument: str) -> Any:
    row = await info.context.loaders.subject_by_uscc.load(require_uscc(code))
    if row is None:
        raise BadUserInputError(f"no subject has the USCC {code}", argument=argument)
    return row


async def _subjects(info: Info, what: str, condition: Any, first: int | None,
                    after: str | None) -> list[Subject]:
    after_id = None if after is None else row_id(await _subject_row(info, after, "after"))
    size = _size(first)
    rows: list[Any] = await info.context.loaders.read(lambda session: ties.subjects_where(
        session, condition, first=size, after=after_id))
    info.context.loaders.prime_subjects(rows)
    for row in rows:
        explored(info, row_id(row), what)
    return rows


def _required(value: str, argument: str) -> str:
    if not value:
        raise BadUserInputError(f"{argument} has nothing to match once normalised",
                                argument=argument)
    return value


async def _by_normal_form(info: Info, field: str, argument: str, key: str,
                          condition: Callable[[str], Any], first: int | None,
                          after: str | None) -> list[Subject]:
    """Subjects whose stored normal form of ``argument`` is ``key`` (logged as
    ``lookup.<argument>``)."""
    require_explorer(info, field)
    return await _subjects(info, f"lookup.{argument}", condition(_required(key, argument)),
                           first, after)


def lookup_field(resolver: Callable[..., Any], description: str) -> Any:
    """A ``Query`` field of a look-up: a list sliced by ``first``, for explorers only."""
    return strawberry.field(
        resolver=resolver, description=f"{description} AUDITOR and REGULATOR keys only; logged.",
        directives=[pagination.sliced(relations.LOOKUP_DEFAULT)])


async def subjects_by_representative(
    info: Info,
    name: Annotated[str | None, text_argument(
        "姓名 of the legal representative / operator (whitespace ignored).", PERSON_MAX)] = None,
    id_number: Annotated[str | None, text_argument(
        "证件号码 (whitespace and case ignored).", ID_NUMBER_MAX)] = None,
    first: First = None, after: After = None,
) -> list[Subject]:
    require_explorer(info, "subjectsByRepresentative")
    if name is None and id_number is None:
        raise BadUserInputError("give name, idNumber or both", argument="name")
    condition = ties.by_representative(
        None if name is None else _required(relations.person_name_key(name), "name"),
        None if id_number is None else _required(relations.id_number_key(id_number),
                                                 "idNumber"))
    return await _subjects(info, "lookup.representative", condition, first, after)


async def subjects_by_phone(
    info: Info,
    phone: Annotated[str, text_argument(
        "联系电话 in any notation (spaces, dashes, +86, full-width digits).", PHONE_MAX)],
    first: First = None, after: After = None,
) -> list[Subject]:
    return await _by_normal_form(info, "subjectsByPhone", "phone", relations.phone_key(phone),
                                 ties.by_phone, first, after)


async def subjects_by_address(
    info: Info,
    address: Annotated[str, text_argument(
        "住所 / 经营场所, with or without its province, city and county (docs/AUDIT.md).",
        ADDRESS_MAX)],
    first: First = None, after: After = None,
) -> list[Subject]:
    return await _by_normal_form(info, "subjectsByAddress", "address",
                                 relations.address_key(address), ties.by_address, first, after)


async def _merchants_of(info: Info, field: str, argument: str, code: str,
                       condition: Callable[[int], Any], first: int | None, after: str | None,
                       *, kind: SubjectKind | None = None) -> list[Subject]:
    """The subjects ``condition`` finds for the subject ``code`` (of ``kind``, when given);
    the subject asked about and each found are logged as ``lookup.<field>``."""
    require_explorer(info, field)
    row = await _subject_row(info, code, argument)
    if kind is not None and row.kind is not kind:
        raise BadUserInputError(f"{code} is not a {kind.value}", argument=argument)
    explored(info, row_id(row), f"lookup.{field}")
    return await _subjects(info, f"lookup.{field}", condition(row_id(row)), first, after)


async def carrier_merchants(
    info: Info, carrier: Annotated[USCC, strawberry.argument(description="The carrier.")],
    first: First = None, after: After = None,
) -> list[Subject]:
    return await _merchants_of(info, "carrierMerchants", "carrier", carrier,
                               ties.merchants_of_carrier, first, after)


async def platform_merchants(
    info: Info, platform: Annotated[USCC, strawberry.argument(description="The platform.")],
    first: First = None, after: After = None,
) -> list[Subject]:
    return await _merchants_of(info, "platformMerchants", "platform", platform,
                               ties.merchants_of_platform, first, after,
                               kind=SubjectKind.PLATFORM)


async def ratings_given(
    info: Info, rater: Annotated[USCC, strawberry.argument(description="Who rated.")],
    first: Annotated[int | None, strawberry.argument(
        description=f"Most ratings (default {relations.LOOKUP_DEFAULT}, at most "
                    f"{relations.LOOKUP_MAX}), newest first.")] = None,
) -> list[Rating]:
    require_explorer(info, "ratingsGiven")
    row = await _subject_row(info, rater, "rater")
    size = _size(first)
    rows: list[models.Rating] = await info.context.loaders.read(
        lambda session: ties.ratings_given(session, row_id(row), first=size, after=None))
    explored(info, row_id(row), "lookup.ratingsGiven")
    for rating in rows:
        explored(info, rating.ratee_id, "lookup.ratingsGiven")
    return rows  # type: ignore[return-value]
