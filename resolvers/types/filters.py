"""Filter and order inputs shared by root lists and aggregates: the subject filter (``subjects``
and ``stats``), sort directions and date ranges, each checked once into its data-layer form."""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry

from resolvers.data import keyset
from resolvers.data.queries import subjects as subject_queries
from resolvers.domain import regions
from resolvers.domain.dashboard import Direction
from resolvers.domain.enums import ListStatus, SubjectCategory, SubjectKind, SubjectStatus
from resolvers.domain.grading import Letter
from resolvers.errors import BadUserInputError
from resolvers.types import grade as _grade  # noqa: F401  (CreditGradeLetter is declared there)
from resolvers.types.text import NAME_CONTAINS_MAX, REGION_MAX, text_input


def region_prefix(code: str | None, argument: str) -> str | None:
    """The division prefix of a ``region`` input (``regions.division_prefix``), BAD_USER_INPUT
    naming ``argument`` when it is not a GB/T 2260 code."""
    try:
        return None if code is None else regions.division_prefix(code)
    except ValueError as error:
        raise BadUserInputError(str(error), argument=argument) from error


def checked_range(start: date | None, end: date | None, argument: str) -> None:
    """A date range whose start is after its end is BAD_USER_INPUT naming ``argument``."""
    if start is not None and end is not None and start > end:
        raise BadUserInputError(f"{argument}: the range starts ({start}) after it ends ({end})",
                                argument=argument)


def describe(enum: type[Enum], descriptions: dict[str, str]) -> None:
    """Give each value of a GraphQL enum (already ``strawberry.enum``) its description."""
    for value in enum.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = descriptions[value.name]


def order_of(column: str, direction: Direction) -> keyset.Order:
    return keyset.Order(column=column, descending=direction is Direction.DESC)


@strawberry.input(description="Conditions on subjects (`subjects`, and the subjects whose "
                              "records `stats` counts); every condition given must hold.")
class SubjectFilter:
    kind: SubjectKind | None = strawberry.field(default=None, description="市场主体类型.")
    region: str | None = text_input(
        "GB/T 2260 division: 2 digits = province, 4 = city, 6 = county; a province or city may "
        "also be written as its six-digit code (440000, 440300).", REGION_MAX)
    verified: bool | None = strawberry.field(default=None, description="实名认证 status.")
    list_status: ListStatus | None = strawberry.field(
        default=None, description="红黑名单 standing today.")
    name_contains: str | None = text_input("Substring of the subject's name.",
                                           NAME_CONTAINS_MAX)
    late_disclosure: bool | None = strawberry.field(
        default=None, description="true: subjects with a licence or penalty disclosed late "
                                  "(more than 7 working days after the decision, or unpublished "
                                  "past that deadline); false: subjects with none.")
    status: SubjectStatus | None = strawberry.field(default=None, description="登记状态.")
    category: SubjectCategory | None = strawberry.field(
        default=None, description="行政相对人类别.")
    registered_from: date | None = strawberry.field(
        default=None, description="成立日期 on or after this day.")
    registered_to: date | None = strawberry.field(
        default=None, description="成立日期 on or before this day.")
    grade: list[Letter] | None = strawberry.field(
        default=None, description="公示信用等级: the stored public grade (what PUBLIC and PLATFORM "
                                  "are shown, as of `stats.gradesAsOf`) is one of these.")

    def to_query(self, *, public_view: bool = False) -> subject_queries.SubjectFilter:
        checked_range(self.registered_from, self.registered_to, "filter.registeredFrom")
        return subject_queries.SubjectFilter(
            kind=self.kind, region_prefix=region_prefix(self.region, "filter.region"),
            verified=self.verified, list_status=self.list_status,
            name_contains=self.name_contains or None, late_disclosure=self.late_disclosure,
            status=self.status, category=self.category, registered_from=self.registered_from,
            registered_to=self.registered_to, public_view=public_view,
            grades=None if self.grade is None else tuple(sorted(set(self.grade))))
