"""Dashboard aggregates (统计): one GROUP BY statement per aggregate asked.

Every aggregate counts the records of the subjects a ``SubjectFilter`` matches (the same
conditions ``subjects`` pages by), and in a public view only what PUBLIC and PLATFORM callers
may see (``publicity.public_conditions``: penalties outside their publicity period are not
counted, and no fine of theirs is summed). Fine totals are summed in millionths of 万元 as
integers, so both backends give exact sums (SQLite would sum floating point numbers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import Complaint, ListEntry, Penalty, Subject, SubjectCount
from resolvers.data.queries import disclosure, grade_store, publicity
from resolvers.data.queries import subjects as subject_queries
from resolvers.data.queries.list_pages import entry_in_force
from resolvers.domain.dashboard import (
    ComplaintDimension,
    LateDimension,
    PenaltyDimension,
    SubjectDimension,
)
from resolvers.domain.enums import ListKind, ListStatus

MICRO = 1_000_000  # money columns keep six decimal places (``money_type``)


@dataclass(frozen=True)
class Scope:
    """Whose records an aggregate counts, as whom, on which day."""

    subjects: subject_queries.SubjectFilter
    today: date
    sqlite: bool
    public_view: bool = False


@dataclass(frozen=True)
class Bucket:
    """One group: its key, a label the database knows (an authority's name), its count and,
    for penalties, the sum of fines in millionths of 万元."""

    key: str
    count: int
    label: str | None = None
    micro_total: int | None = None


def month(column: Any, sqlite: bool) -> Any:
    """``YYYY-MM`` of a date column."""
    if sqlite:
        return sa.func.strftime("%Y-%m", column)
    return sa.func.to_char(column, "YYYY-MM")


def _prefix(column: Any, length: int) -> Any:
    return sa.func.substr(column, 1, length)


def region_level(scope: Scope) -> int:
    """Digits of the REGION key: the level below the filter's division (a province without
    one, the cities of a province, the counties of a city)."""
    return min(len(scope.subjects.region_prefix or "") + 2, 6)


# A subject dimension is one key expression on the subject row (LIST_STANDING: on the joined
# standing; GRADE: on the stored public grade, ``_grades``).
SUBJECT_KEYS: dict[SubjectDimension, Callable[[Any], Any]] = {
    SubjectDimension.PROVINCE: lambda s: _prefix(s.region_code, 2),
    SubjectDimension.CITY: lambda s: _prefix(s.region_code, 4),
    SubjectDimension.KIND: lambda s: s.kind,
    SubjectDimension.STATUS: lambda s: s.status,
    SubjectDimension.CATEGORY: lambda s: s.category,
}


# The dimensions the ``SubjectCount`` summary keeps a column for; any other counts the subjects
# themselves (GRADE: their stored grades).
SUMMARY_KEYS = frozenset({SubjectDimension.PROVINCE, SubjectDimension.CITY, SubjectDimension.KIND,
                          SubjectDimension.STATUS, SubjectDimension.CATEGORY})


def _subject_filter(model: Any, scope: Scope) -> list[Any]:
    """Records of the subjects the filter matches (nothing when it matches every subject)."""
    conditions = subject_queries.conditions(scope.subjects, scope.today, scope.sqlite)
    if not conditions:
        return []
    return [col(model.subject_id).in_(select(Subject.id).where(*conditions))]


def _visible(model: Any, scope: Scope) -> list[Any]:
    return publicity.public_conditions(model, scope.today) if scope.public_view else []


def _range(column: Any, start: date | None, end: date | None) -> list[Any]:
    return ([column >= start] if start else []) + ([column <= end] if end else [])


async def _grouped(session: AsyncSession, query: Any) -> list[Bucket]:
    rows = (await session.exec(query)).all()
    return sorted((Bucket(key=str(key), count=int(n), label=label,
                          micro_total=None if micro is None else int(micro))
                   for key, n, label, micro in rows), key=lambda b: b.key)


async def subjects(session: AsyncSession, scope: Scope, by: SubjectDimension) -> list[Bucket]:
    """Subjects by ``by``: from the ``SubjectCount`` summary when the filter names only
    columns it keeps, else from the subjects themselves."""
    flt = scope.subjects
    if by is SubjectDimension.LIST_STANDING:
        return await _standings(session, scope)
    if by is SubjectDimension.GRADE:
        return await _grades(session, scope)
    if subject_queries.summarised(flt) and by in SUMMARY_KEYS:
        key = SUBJECT_KEYS[by](SubjectCount)
        total = sa.func.sum(col(SubjectCount.subjects))
        query = (sa.select(key, total, sa.null(), sa.null())
                 .where(*subject_queries.column_conditions(flt, SubjectCount))
                 .group_by(key).having(total > 0))
    else:
        key = SUBJECT_KEYS[by](Subject)
        query = (sa.select(key, sa.func.count(), sa.null(), sa.null())
                 .where(*subject_queries.conditions(flt, scope.today, scope.sqlite))
                 .group_by(key))
    return await _grouped(session, query)


async def _grades(session: AsyncSession, scope: Scope) -> list[Bucket]:
    """Subjects by their stored public grade (``subject_grade``): the grade index alone when
    the filter matches every subject, else joined to the matching subjects. The public view
    for every caller — the stored grade is the one PUBLIC and PLATFORM are shown."""
    grades = grade_store.TABLE
    key = grades.c.grade
    query = sa.select(key, sa.func.count(), sa.null(), sa.null()).select_from(grades)
    conditions = subject_queries.conditions(scope.subjects, scope.today, scope.sqlite)
    if conditions:
        query = (query.join(Subject, col(Subject.id) == grades.c.subject_id)
                 .where(*conditions))
    return await _grouped(session, query.group_by(key))


async def _standings(session: AsyncSession, scope: Scope) -> list[Bucket]:
    """Each subject's strongest list in force (BLACK wins over RED), NONE for the rest: the
    listed subjects grouped, beside the number of all matching subjects (the summary's, when
    the filter allows), in one statement; NONE is the difference."""
    flt = scope.subjects
    rank = sa.func.max(sa.case((col(ListEntry.list_kind) == ListKind.BLACK, 2), else_=1))
    listed = (select(col(ListEntry.subject_id).label("subject_id"), rank.label("rank"))
              .where(entry_in_force(scope.today),
                     *_subject_filter(ListEntry, scope))
              .group_by(col(ListEntry.subject_id)).subquery())
    key = sa.case((listed.c.rank == 2, ListStatus.BLACK.value), else_=ListStatus.RED.value)
    if subject_queries.summarised(flt):
        everyone: Any = (sa.select(sa.func.coalesce(sa.func.sum(col(SubjectCount.subjects)), 0))
                         .where(*subject_queries.column_conditions(flt, SubjectCount)))
    else:
        everyone = (sa.select(sa.func.count()).select_from(Subject)
                    .where(*subject_queries.conditions(flt, scope.today, scope.sqlite)))
    query = sa.union_all(
        sa.select(key.label("key"), sa.func.count().label("n")).group_by(key),
        sa.select(sa.literal("*").label("key"), everyone.scalar_subquery().label("n")))
    found = {str(k): int(n) for k, n in (await session.exec(query)).all()}  # type: ignore[call-overload]
    found[ListStatus.NONE.value] = found.pop("*") - sum(found.values())
    return sorted((Bucket(key=k, count=n) for k, n in found.items() if n > 0),
                  key=lambda b: b.key)


async def penalties(session: AsyncSession, scope: Scope, by: PenaltyDimension,
                    start: date | None, end: date | None) -> list[Bucket]:
    label: Any = sa.null()
    if by is PenaltyDimension.MONTH:
        key: Any = month(col(Penalty.decision_date), scope.sqlite)
    elif by is PenaltyDimension.SEVERITY:
        key = col(Penalty.severity)
    elif by is PenaltyDimension.CATEGORY:
        key = col(Penalty.category)
    elif by is PenaltyDimension.AUTHORITY:
        key, label = col(Penalty.authority_code), sa.func.max(col(Penalty.authority))
    else:  # the subject's division, kept on the penalty row (migration 0013): no join
        key = _prefix(col(Penalty.region_code), region_level(scope))
    fines = sa.func.sum(sa.cast(sa.func.round(col(Penalty.fine) * MICRO), sa.BigInteger))
    query = (sa.select(key, sa.func.count(), label, sa.func.coalesce(fines, 0))
             .select_from(Penalty)
             .where(*_visible(Penalty, scope), *_subject_filter(Penalty, scope),
                    *_range(col(Penalty.decision_date), start, end))
             .group_by(key))
    return await _grouped(session, query)


def _late_rows(model: type[SQLModel], scope: Scope, by: LateDimension, start: date | None,
               end: date | None) -> Any:
    table: Any = model
    if by is LateDimension.AUTHORITY:
        key: Any = table.authority_code
    elif by is LateDimension.MONTH:
        key = month(table.decision_date, scope.sqlite)
    else:
        key = sa.literal(model.__name__.upper())
    return (sa.select(key.label("key"), table.authority.label("label"))
            .where(disclosure.late(model, scope.today), *_visible(model, scope),
                   *_subject_filter(model, scope), *_range(table.decision_date, start, end)))


async def late_disclosures(session: AsyncSession, scope: Scope, by: LateDimension,
                           start: date | None, end: date | None) -> list[Bucket]:
    """Licences and penalties disclosed late (``disclosure.late``), counted together."""
    both = sa.union_all(*(_late_rows(model, scope, by, start, end)
                          for model in disclosure.DECISIONS)).subquery()
    label = sa.func.max(both.c.label) if by is LateDimension.AUTHORITY else sa.null()
    query = (sa.select(both.c.key, sa.func.count(), label, sa.null())
             .group_by(both.c.key))
    return await _grouped(session, query)


async def black_list_growth(session: AsyncSession, scope: Scope, start: date | None,
                            end: date | None) -> list[Bucket]:
    """黑名单 entries by the month they took effect (``valid_from``), lifted ones included:
    how many listings each month added."""
    key = month(col(ListEntry.valid_from), scope.sqlite)
    query = (sa.select(key, sa.func.count(), sa.null(), sa.null())
             .where(col(ListEntry.list_kind) == ListKind.BLACK,
                    col(ListEntry.valid_from) <= scope.today,
                    *_subject_filter(ListEntry, scope),
                    *_range(col(ListEntry.valid_from), start, end))
             .group_by(key))
    return await _grouped(session, query)


COMPLAINT_KEYS: dict[ComplaintDimension, Callable[[bool], Any]] = {
    ComplaintDimension.CHANNEL: lambda _: col(Complaint.channel),
    ComplaintDimension.STATUS: lambda _: col(Complaint.status),
    ComplaintDimension.MONTH: lambda sqlite: month(col(Complaint.filed_on), sqlite),
}


async def complaints(session: AsyncSession, scope: Scope, by: ComplaintDimension,
                     start: date | None, end: date | None) -> list[Bucket]:
    key = COMPLAINT_KEYS[by](scope.sqlite)
    query = (sa.select(key, sa.func.count(), sa.null(), sa.null())
             .where(*_visible(Complaint, scope), *_subject_filter(Complaint, scope),
                    *_range(col(Complaint.filed_on), start, end))
             .group_by(key))
    return await _grouped(session, query)

