"""``Query.stats`` (统计): counts for dashboards, one GROUP BY statement per aggregate asked.

PUBLIC and PLATFORM callers count only what they may see (penalties within their publicity
period, ``resolvers.data.queries.publicity``); regulators and auditors count everything. Every
aggregate depends on today (publicity, list standing, late disclosure), so a cached answer
lasts until the next midnight at most, and every write of a record type it reads purges it
(``gateway.responses.documents.LIST_DEPENDENCIES``).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.federation.schema_directives import Cost, ListSize

from resolvers.context import Info
from resolvers.data.queries import grade_store
from resolvers.data.queries import stats as queries
from resolvers.domain import regions
from resolvers.domain.dashboard import (
    ComplaintDimension,
    LateDimension,
    PenaltyDimension,
    SubjectDimension,
)
from resolvers.domain.enums import (
    ComplaintChannel,
    ComplaintStatus,
    ListStatus,
    PenaltyCategory,
    Severity,
    SubjectCategory,
    SubjectKind,
    SubjectStatus,
)
from resolvers.domain.grading import Letter
from resolvers.domain.ownership import RecordType
from resolvers.types.enums import TERMS_OF
from resolvers.types.filters import SubjectFilter, checked_range
from resolvers.types.grade import LETTER_TERMS

# Demand control: an aggregate is assumed to return a few dozen groups (34 provinces), each
# weighing 5 (a GROUP BY reads every matching row): 200 per aggregate, a dashboard of 30
# aggregates (the alias limit) 6,000 — well under the default limit of 50,000.
AGGREGATE_COST = 5
ASSUMED_GROUPS = 40


def _directives() -> list[object]:
    return [Cost(weight=AGGREGATE_COST),
            ListSize(assumed_size=ASSUMED_GROUPS, slicing_arguments=[], sized_fields=[],
                     require_one_slicing_argument=False)]


@strawberry.type(description="One group of an aggregate.")
class Count:
    key: str = strawberry.field(description="The group: a code (division, enum value, authority "
                                            "USCC) or a month `YYYY-MM`.")
    label: str | None = strawberry.field(description="Its name in zh-CN, where it has one.")
    count: int = strawberry.field(description="How many.")


@strawberry.type(description="One group of penalties, with the fines it imposed.")
class PenaltyCount(Count):
    fine_total: Decimal = strawberry.field(
        description="Sum of the fines (罚款金额) in 万元, exact; 0 when none was fined.")


# The enum a dimension's keys are members of, by (dimension type, name): members of different
# dimensions are equal strings (``SubjectDimension.CATEGORY == PenaltyDimension.CATEGORY``).
ENUM_KEYS: dict[tuple[type[Enum], str], type[Enum]] = {
    (type(by), by.name): enum for by, enum in (
        (SubjectDimension.KIND, SubjectKind), (SubjectDimension.STATUS, SubjectStatus),
        (SubjectDimension.CATEGORY, SubjectCategory),
        (SubjectDimension.LIST_STANDING, ListStatus),
        (PenaltyDimension.SEVERITY, Severity), (PenaltyDimension.CATEGORY, PenaltyCategory),
        (LateDimension.RECORD_TYPE, RecordType),
        (ComplaintDimension.CHANNEL, ComplaintChannel),
        (ComplaintDimension.STATUS, ComplaintStatus))}
DIVISIONS = frozenset({(SubjectDimension, "PROVINCE"), (SubjectDimension, "CITY"),
                       (PenaltyDimension, "REGION")})


def _label(by: Enum, bucket: queries.Bucket) -> str | None:
    if bucket.label is not None:
        return bucket.label
    if by is SubjectDimension.GRADE:
        return LETTER_TERMS[Letter(bucket.key)]
    if (type(by), by.name) in DIVISIONS:
        return regions.division_name(bucket.key)
    enum = ENUM_KEYS.get((type(by), by.name))
    return TERMS_OF[enum[bucket.key]] if enum is not None else None  # keys are member names


def wan_yuan(micro: int) -> Decimal:
    """Millionths of 万元 as an exact decimal without trailing zeros (``12.5``, ``3``)."""
    amount = Decimal(micro).scaleb(-6)
    return amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount.normalize()


def _counts(by: Enum, buckets: list[queries.Bucket]) -> list[Count]:
    return [Count(key=b.key, label=_label(by, b), count=b.count) for b in buckets]


def _scope(info: Info, root: Stats) -> queries.Scope:
    context = info.context
    return queries.Scope(subjects=root.subjects_filter, today=context.today,
                         sqlite=context.database.is_sqlite,
                         public_view=not context.caller.sees_all_records)


async def _run(info: Info, root: Stats, query: Any, start: date | None = None,
               end: date | None = None) -> list[queries.Bucket]:
    """One aggregate's statement; a ``from``–``to`` range that starts after it ends is refused
    before it runs."""
    checked_range(start, end, "from")
    buckets: list[queries.Bucket] = await info.context.loaders.read(
        lambda session: query(session, _scope(info, root)))
    return buckets


BY = strawberry.argument(description="The dimension to group by.")
Since = Annotated[date | None, strawberry.argument(name="from",
                                                   description="From this day (inclusive).")]
Until = Annotated[date | None, strawberry.argument(name="to",
                                                   description="To this day (inclusive).")]


Subjects = Annotated[SubjectDimension, BY]
Penalties = Annotated[PenaltyDimension, BY]
Late = Annotated[LateDimension, BY]
Complaints = Annotated[ComplaintDimension, BY]


async def subject_counts(root: strawberry.Parent[Stats], info: Info, by: Subjects) -> list[Count]:
    return _counts(by, await _run(info, root, lambda s, scope: queries.subjects(s, scope, by)))


async def penalty_counts(root: strawberry.Parent[Stats], info: Info, by: Penalties,
                         start: Since = None, end: Until = None) -> list[PenaltyCount]:
    buckets = await _run(info, root, lambda s, scope: queries.penalties(
        s, scope, by, start, end), start, end)
    return [PenaltyCount(key=b.key, label=_label(by, b), count=b.count,
                         fine_total=wan_yuan(b.micro_total or 0)) for b in buckets]


async def late_counts(root: strawberry.Parent[Stats], info: Info, by: Late,
                      start: Since = None, end: Until = None) -> list[Count]:
    return _counts(by, await _run(info, root, lambda s, scope: queries.late_disclosures(
        s, scope, by, start, end), start, end))


async def black_list_counts(root: strawberry.Parent[Stats], info: Info, start: Since = None,
                            end: Until = None) -> list[Count]:
    buckets = await _run(info, root, lambda s, scope: queries.black_list_growth(
        s, scope, start, end), start, end)
    return [Count(key=b.key, label=None, count=b.count) for b in buckets]


async def complaint_counts(root: strawberry.Parent[Stats], info: Info, by: Complaints,
                           start: Since = None, end: Until = None) -> list[Count]:
    return _counts(by, await _run(info, root, lambda s, scope: queries.complaints(
        s, scope, by, start, end), start, end))


async def grades_as_of(info: Info) -> date | None:
    day: date | None = await info.context.loaders.read(grade_store.oldest_day)
    return day


@strawberry.type(description="统计 — aggregates over the subjects a filter matches and their "
                             "records, as the caller may see them (one statement each).")
class Stats:
    subjects_filter: strawberry.Private[Any]  # the data-layer ``SubjectFilter``
    subjects: list[Count] = strawberry.field(
        resolver=subject_counts,
        description="市场主体 counted by one dimension (GRADE: by the stored public grade, the "
                    "one PUBLIC and PLATFORM are shown, for every caller; as of `gradesAsOf`).",
        directives=_directives())
    penalties: list[PenaltyCount] = strawberry.field(
        resolver=penalty_counts, directives=_directives(),
        description="行政处罚 decided `from`–`to`, counted and their fines summed by one "
                    "dimension; PUBLIC and PLATFORM callers count penalties in publicity only.")
    late_disclosures: list[Count] = strawberry.field(
        resolver=late_counts, directives=_directives(),
        description="Licences and penalties decided `from`–`to` and disclosed late (more than "
                    "7 working days after the decision, or unpublished past that deadline).")
    black_list_growth: list[Count] = strawberry.field(
        resolver=black_list_counts, directives=_directives(),
        description="黑名单 entries by the month they took effect (`YYYY-MM`): the listings each "
                    "month added, lifted ones included.")
    complaints: list[Count] = strawberry.field(
        resolver=complaint_counts, directives=_directives(),
        description="投诉举报 filed `from`–`to`, counted by one dimension.")
    grades_as_of: date | None = strawberry.field(
        resolver=grades_as_of,
        description="The Beijing day of the oldest stored grade `subjects(by: GRADE)` counts "
                    "(and the `grade` filter and order read): today once the daily regrading "
                    "ran, yesterday between 00:00 and its end; null when none is stored.")


async def stats(
    info: Info,
    filter: Annotated[SubjectFilter | None, strawberry.argument(
        description="The subjects counted, and whose records are counted.")] = None,
) -> Stats:
    context = info.context
    conditions = (filter or SubjectFilter()).to_query(
        public_view=not context.caller.sees_all_records)
    # publicity, list standing and lateness are read by today: valid until midnight at most
    context.loaders.note_boundary(context.today + timedelta(days=1))
    return Stats(subjects_filter=conditions)
