"""Reads of subjects: by keys, filtered keyset pages, counts; the name conditions search
shares (``resolvers.data.queries.search``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data import keyset
from resolvers.data.models import ListEntry, Subject
from resolvers.data.queries import disclosure, grade_store
from resolvers.data.queries.list_pages import entry_in_force
from resolvers.domain.enums import (
    ListKind,
    ListStatus,
    SubjectCategory,
    SubjectKind,
    SubjectStatus,
)
from resolvers.domain.grading.rules import Letter


@dataclass(frozen=True)
class SubjectFilter:
    """Conditions of a subject list; ``None`` leaves a condition out."""

    kind: SubjectKind | None = None
    region_prefix: str | None = None
    verified: bool | None = None
    list_status: ListStatus | None = None
    name_contains: str | None = None
    late_disclosure: bool | None = None  # has a licence or penalty disclosed late (or none)
    status: SubjectStatus | None = None
    category: SubjectCategory | None = None
    registered_from: date | None = None  # registration date range, both ends inclusive
    registered_to: date | None = None
    grades: tuple[Letter, ...] | None = None  # the stored public grade is one of these
    # PUBLIC / PLATFORM: penalties outside publicity do not count, and names holding a
    # person's name (masked for them) are not matched by name
    public_view: bool = False


async def by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Subject]:
    result = await session.exec(select(Subject).where(col(Subject.id).in_(ids)))
    return list(result.all())


async def by_usccs(session: AsyncSession, usccs: Sequence[str]) -> list[Subject]:
    result = await session.exec(select(Subject).where(col(Subject.uscc).in_(usccs)))
    return list(result.all())


def active_entries(kind: ListKind, today: date) -> sa.Exists:
    """EXISTS an entry of ``kind`` in force today for the outer subject."""
    return (
        select(ListEntry.id)
        .where(
            ListEntry.subject_id == Subject.id,
            ListEntry.list_kind == kind,
            entry_in_force(today),
        )
        .exists()
    )


def column_conditions(flt: SubjectFilter, table: Any) -> list[Any]:
    """The conditions on the subject row's own columns (kind, division, verification, status,
    category) against ``table``: ``Subject``, or the ``SubjectCount`` summary that has them."""
    found: list[Any] = []
    if flt.kind is not None:
        found.append(table.kind == flt.kind)
    if flt.region_prefix:
        low, high = prefix_range(flt.region_prefix)
        found += [table.region_code >= low, table.region_code < high]
    if flt.verified is not None:
        found.append(table.verified == flt.verified)
    if flt.status is not None:
        found.append(table.status == flt.status)
    if flt.category is not None:
        found.append(table.category == flt.category)
    return found


def summarised(flt: SubjectFilter) -> bool:
    """Whether the filter names only columns the ``SubjectCount`` summary keeps."""
    return (flt.list_status is None and not flt.name_contains and flt.late_disclosure is None
            and flt.registered_from is None and flt.registered_to is None
            and flt.grades is None)


def conditions(flt: SubjectFilter, today: date, sqlite: bool) -> list[Any]:
    found = column_conditions(flt, Subject)
    if flt.list_status is ListStatus.BLACK:
        found.append(active_entries(ListKind.BLACK, today))
    elif flt.list_status is ListStatus.RED:
        found += [active_entries(ListKind.RED, today), ~active_entries(ListKind.BLACK, today)]
    elif flt.list_status is ListStatus.NONE:
        found += [~active_entries(ListKind.RED, today), ~active_entries(ListKind.BLACK, today)]
    if flt.name_contains:
        found.append(name_contains(flt.name_contains, sqlite=sqlite))
        if flt.public_view:
            found.append(~holds_personal_name())
    if flt.late_disclosure is not None:
        late = disclosure.subject_has_late_decision(today, public_view=flt.public_view)
        found.append(late if flt.late_disclosure else ~late)
    if flt.registered_from is not None:
        found.append(col(Subject.registered_on) >= flt.registered_from)
    if flt.registered_to is not None:
        found.append(col(Subject.registered_on) <= flt.registered_to)
    if flt.grades is not None:
        found.append(grade_store.has_grade(flt.grades))
    return found


def holds_personal_name() -> sa.ColumnElement[bool]:
    """The outer subject's name is, or contains, a natural person's name: a NATURAL_PERSON
    subject, or a name holding its operator's (legal representative's) name in any letter
    case. Such names are masked for PUBLIC and PLATFORM callers (``resolvers.domain.masking``),
    so a name search of theirs must not match them either: it would confirm the masked
    characters."""
    return sa.or_(
        col(Subject.category) == SubjectCategory.NATURAL_PERSON,
        sa.and_(col(Subject.category) != SubjectCategory.LEGAL_PERSON,
                sa.func.length(sa.func.trim(col(Subject.legal_rep_name))) >= 2,
                sa.func.lower(col(Subject.name)).like(
                    sa.literal("%") + sa.func.lower(sa.func.trim(col(Subject.legal_rep_name)))
                    + sa.literal("%"))),
    )


def prefix_range(prefix: str) -> tuple[str, str]:
    """``[low, high)`` bounds matching every string that starts with ``prefix``; a range
    uses the B-tree index whatever the column's collation, where LIKE 'p%' may not."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


# Maintained by triggers (migrations 0002, 0004), not models: see docs/MIGRATIONS.md.
GRAMS = sa.table("subject_name_gram", sa.column("gram", sa.String), sa.column("subject_id",
                                                                                sa.Integer))
GRAM = 2  # the gram table holds substrings of 1 and 2 characters


def name_contains(text: str, *, sqlite: bool) -> Any:
    """Names containing ``text``, ignoring ASCII case, through the index that fits its length:
    the gram table below three characters, else the trigram index of the backend."""
    if len(text) <= GRAM:
        matching = select(GRAMS.c.subject_id).where(GRAMS.c.gram == text.lower())
        return col(Subject.id).in_(matching)
    if sqlite:
        escaped = text.replace('"', '""')
        fts = sa.text("SELECT rowid FROM subject_name_fts WHERE subject_name_fts MATCH :q")
        ids = fts.bindparams(q=f'"{escaped}"').columns(sa.column("rowid", sa.Integer))
        return col(Subject.id).in_(ids.subquery().select())
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return col(Subject.name).ilike(f"%{escaped}%", escape="\\")


def name_holds(text: str, *, sqlite: bool) -> sa.ColumnElement[bool]:
    """The outer subject's name contains ``text`` ignoring case, checked on the row itself and
    never through an index: ``lower`` on both sides, as PostgreSQL's ``ILIKE`` compares and as
    the gram table holds names (on SQLite ``lower`` folds ASCII letters only). A search re-checks
    the few candidates the gram table gave with it, where a condition the trigram index could
    serve might make the planner read the whole posting list of a common text instead."""
    position = sa.func.instr if sqlite else sa.func.strpos
    return position(sa.func.lower(col(Subject.name)), sa.func.lower(text)) > 0


async def page(
    session: AsyncSession, flt: SubjectFilter, *, window: keyset.Window, today: date,
    sqlite: bool, order: keyset.Order = keyset.CREATION,
) -> list[Subject]:
    """One page of the matching subjects in ``order`` (``keyset.page``: one extra row tells
    whether more lie in the direction of travel)."""
    rows: list[Subject] = await keyset.page(session, Subject, conditions(flt, today, sqlite),
                                            order, window)
    return rows


async def count(session: AsyncSession, flt: SubjectFilter, *, today: date, sqlite: bool) -> int:
    return await keyset.count(session, Subject, conditions(flt, today, sqlite))
