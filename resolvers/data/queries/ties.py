"""关联关系 in SQL: the auditor's look-ups and the ties of a set of subjects, one statement per
kind for the whole set, each subject's ties cut at the fan-out cap in the statement itself
(``ROW_NUMBER() OVER (PARTITION BY source …)``), so a national carrier's half-million merchants
never leave the database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import CarrierTie, HostedSubject, LogisticsLink, Rating, Subject
from resolvers.domain.relations import RelationKind

# the subject column each shared-value tie compares, and the field the evidence names
SHARED: dict[RelationKind, tuple[str, str]] = {
    RelationKind.REPRESENTATIVE: ("legal_rep_id_number", "legalRepresentative.idNumber"),
    RelationKind.PHONE: ("phone_key", "phone"),
    RelationKind.ADDRESS: ("address_key", "address"),
}


@dataclass(frozen=True)
class Tie:
    """One kind of tie between ``source`` and ``target`` with the records that make it:
    ``record`` is their type (``Subject`` for a shared value, ``Rating``, ``LogisticsLink``),
    ``record_ids`` the first and last of them (row ids), ``count`` how many there are."""

    source: int
    target: int
    kind: RelationKind
    record: str
    record_ids: tuple[int, ...]
    fields: tuple[str, ...]
    count: int = 1
    value: str | None = None
    first_on: date | None = None
    last_on: date | None = None
    parcels: int | None = None
    empty_parcels: int | None = None

    def reversed(self) -> Tie:
        return Tie(self.target, self.source, self.kind, self.record, self.record_ids,
                   self.fields, self.count, self.value, self.first_on, self.last_on,
                   self.parcels, self.empty_parcels)


@dataclass
class Ties:
    """The ties of a set of subjects; ``cut`` names the sources whose ties the cap cut."""

    found: list[Tie] = field(default_factory=list)
    cut: set[int] = field(default_factory=set)


# the statement's parameters: the subjects whose ties are wanted, and the cap plus one
IDS: Any = sa.bindparam("ids", expanding=True)
LIMIT: Any = sa.bindparam("limit", type_=sa.Integer())


def _capped(branch: int, query: Any, source: Any, order: Any) -> Any:
    """``query`` (one kind and direction, ``branch``) with a ``rank`` per ``source`` (by
    ``order``), only the first ``LIMIT`` (the cap plus one) rows of each source (the one past
    the cap says it was cut), in the columns every branch of the union shares."""
    ranked = query.add_columns(
        sa.func.row_number().over(partition_by=source, order_by=order).label("rank")).subquery()
    return _layout(branch, ranked.c).where(ranked.c.rank <= LIMIT)


def _layout(branch: int, c: Any) -> Any:
    """The columns every branch of the union shares, from a branch's ranked rows ``c``."""
    return (sa.select(sa.literal_column(str(int(branch))).label("branch"), c.source, c.target,
                      *(c[name] if name in c else sa.cast(sa.null(), kind).label(name)
                        for name, kind in _COLUMNS))
            .add_columns(c.rank))


# the columns beyond source and target; a branch without one gives NULL
_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("value", sa.String()), ("count", sa.Integer()), ("first_id", sa.Integer()),
    ("last_id", sa.Integer()), ("first_on", sa.Date()), ("last_on", sa.Date()),
    ("parcels", sa.Integer()), ("empty_parcels", sa.Integer()))


def _shared(branch: int, kind: RelationKind) -> Any:
    column, _ = SHARED[kind]
    a, b = aliased(Subject), aliased(Subject)
    left, right = col(getattr(a, column)), col(getattr(b, column))
    same = sa.and_(right == left, col(b.id) != col(a.id))
    if kind is RelationKind.REPRESENTATIVE:
        same = sa.and_(same, col(b.legal_rep_id_type) == col(a.legal_rep_id_type))
    query: Any = (sa.select(col(a.id).label("source"), col(b.id).label("target"),
                            left.label("value"))
                  .join(b, same).where(col(a.id).in_(IDS), left.is_not(None), left != ""))
    return _capped(branch, query, col(a.id), col(b.id))


def _link_totals(link: Any) -> tuple[Any, ...]:
    """The evidence of a carrier tie: its links (first and last), months and parcels."""
    return (sa.func.count().label("count"), sa.func.min(link.id).label("first_id"),
            sa.func.max(link.id).label("last_id"),
            sa.func.min(link.period_start).label("first_on"),
            sa.func.max(link.period_end).label("last_on"),
            sa.func.sum(link.parcels).label("parcels"),
            sa.func.sum(link.empty_parcels).label("empty_parcels"))


def _carriers(branch: int) -> Any:
    """A merchant's carriers, by parcels: a merchant's links are few, summed as they are."""
    link = LogisticsLink
    query: Any = (sa.select(col(link.merchant_id).label("source"),
                            col(link.carrier_id).label("target"), *_link_totals(link))
                  .where(col(link.merchant_id).in_(IDS))
                  .group_by(col(link.merchant_id), col(link.carrier_id)))
    return _capped(branch, query, col(link.merchant_id), sa.func.sum(link.parcels).desc())


def _strongest_merchants(lateral: bool) -> Any:
    """Each carrier's first ``LIMIT`` merchants by parcels (ties: the later merchant first)
    with their rank, from ``carrier_tie``: with ``lateral`` (PostgreSQL) an index read of that
    many rows per carrier, however many merchants it has; otherwise (SQLite) ranked by a
    window."""
    tie = CarrierTie
    if lateral:
        source = (sa.select(col(Subject.id).label("source"))
                  .where(col(Subject.id).in_(IDS)).subquery("source"))
        top = (sa.select(col(tie.merchant_id).label("target"), col(tie.parcels).label("total"))
               .where(col(tie.carrier_id) == source.c.source)
               .order_by(col(tie.parcels).desc(), col(tie.merchant_id).desc())
               .limit(LIMIT).lateral("top"))
        rank = sa.func.row_number().over(partition_by=source.c.source,
                                         order_by=(top.c.total.desc(), top.c.target.desc()))
        return (sa.select(source.c.source, top.c.target, rank.label("rank"))
                .select_from(source.join(top, sa.true())).subquery("strongest"))
    rank = sa.func.row_number().over(partition_by=col(tie.carrier_id),
                                     order_by=(col(tie.parcels).desc(),
                                               col(tie.merchant_id).desc()))
    ranked = (sa.select(col(tie.carrier_id).label("source"), col(tie.merchant_id).label("target"),
                        rank.label("rank"))
              .where(col(tie.carrier_id).in_(IDS)).subquery("ranked"))
    return sa.select(ranked).where(ranked.c.rank <= LIMIT).subquery("strongest")


def _merchants(branch: int, *, lateral: bool) -> Any:
    """A carrier's merchants: the strongest from ``carrier_tie`` (a national carrier has half a
    million), then the evidence of only those ties from their links."""
    link, top = LogisticsLink, _strongest_merchants(lateral)
    evidence = (sa.select(top.c.source, top.c.target, top.c.rank, *_link_totals(link))
                .select_from(top.join(link, sa.and_(col(link.carrier_id) == top.c.source,
                                                    col(link.merchant_id) == top.c.target)))
                .group_by(top.c.source, top.c.target, top.c.rank).subquery("evidence"))
    return _layout(branch, evidence.c)


def _rated(branch: int, *, given: bool) -> Any:
    source, target = ((Rating.rater_id, Rating.ratee_id) if given
                      else (Rating.ratee_id, Rating.rater_id))
    query: Any = (sa.select(col(source).label("source"), col(target).label("target"),
                            sa.func.count().label("count"),
                            sa.func.min(Rating.id).label("first_id"),
                            sa.func.max(Rating.id).label("last_id"),
                            sa.func.min(Rating.rated_on).label("first_on"),
                            sa.func.max(Rating.rated_on).label("last_on"))
                  .where(col(source).in_(IDS), col(target) != col(source))
                  .group_by(col(source), col(target)))
    return _capped(branch, query, col(source), sa.func.count().desc())


def _records(row: Any) -> tuple[int, ...]:
    return (row.first_id,) if row.first_id == row.last_id else (row.first_id, row.last_id)


# what each branch of the union is: its kind, record type and the fields that agree
_CARRIED = ("merchant", "carrier", "parcels", "emptyParcels")
_GIVEN, _RECEIVED = ("rater", "ratee", "ratedOn"), ("ratee", "rater", "ratedOn")


def _tie(kind: RelationKind, fields: tuple[str, ...] | None, row: Any) -> Tie:
    if kind in SHARED:
        return Tie(row.source, row.target, kind, "Subject", (row.source, row.target),
                   (SHARED[kind][1],), value=row.value)
    if kind is RelationKind.CARRIER:
        return Tie(row.source, row.target, kind, "LogisticsLink", _records(row), _CARRIED,
                   row.count, first_on=row.first_on, last_on=row.last_on,
                   parcels=int(row.parcels), empty_parcels=int(row.empty_parcels))
    return Tie(row.source, row.target, kind, "Rating", _records(row), fields or _GIVEN,
               row.count, first_on=row.first_on, last_on=row.last_on)


Branches = tuple[tuple[RelationKind, tuple[str, ...] | None], ...]


@cache
def _statement(kinds: tuple[RelationKind, ...], lateral: bool) -> tuple[Any, Branches]:
    """The ``UNION ALL`` of a branch per kind and direction, built once per set of kinds and
    dialect (building it costs more than running it; ``lateral``: PostgreSQL), with what each
    branch is."""
    branches: list[tuple[RelationKind, tuple[str, ...] | None]] = []
    selects: list[Any] = []
    for kind in kinds:
        if kind in SHARED:
            selects.append(_shared(len(branches), kind))
            branches.append((kind, None))
        elif kind is RelationKind.CARRIER:
            selects.append(_carriers(len(branches)))
            branches.append((kind, None))
            selects.append(_merchants(len(branches), lateral=lateral))
            branches.append((kind, None))
        else:
            for given in (True, False):
                selects.append(_rated(len(branches), given=given))
                branches.append((kind, _GIVEN if given else _RECEIVED))
    union: Any = selects[0] if len(selects) == 1 else sa.union_all(*selects)
    return union, tuple(branches)


async def ties_of(session: AsyncSession, ids: Iterable[int], kinds: Iterable[RelationKind],
                  *, cap: int) -> Ties:
    """Every tie of the given kinds of each subject in ``ids``, at most ``cap`` per subject and
    kind (per direction for CARRIER and RATING): one statement for all of them."""
    wanted = sorted(set(ids))
    chosen = tuple(sorted(set(kinds)))
    out = Ties()
    if not wanted or not chosen:
        return out
    union, branches = _statement(chosen, session.get_bind().dialect.name == "postgresql")
    rows: list[Any] = list((await session.exec(
        union, params={"ids": wanted, "limit": cap + 1})).all())
    for row in rows:
        if row.rank > cap:
            out.cut.add(row.source)
        else:
            kind, fields = branches[row.branch]
            out.found.append(_tie(kind, fields, row))
    return out


# ---- look-ups ----------------------------------------------------------------------------

async def subjects_where(session: AsyncSession, condition: Any, *, first: int,
                         after: int | None) -> list[Subject]:
    """Up to ``first`` subjects meeting ``condition`` in id order, after row id ``after``."""
    query = select(Subject).where(condition)
    if after is not None:
        query = query.where(col(Subject.id) > after)
    return list((await session.exec(query.order_by(col(Subject.id)).limit(first))).all())


def by_representative(name: str | None, id_number: str | None) -> Any:
    conditions = []
    if name is not None:
        conditions.append(col(Subject.legal_rep_name) == name)
    if id_number is not None:
        conditions.append(col(Subject.legal_rep_id_number) == id_number)
    return sa.and_(*conditions)


def by_phone(key: str) -> Any:
    return col(Subject.phone_key) == key


def by_address(key: str) -> Any:
    return col(Subject.address_key) == key


def merchants_of_carrier(carrier_id: int) -> Any:
    """Subjects a carrier shipped for (寄递物流关系, ``ix_logistics_link_carrier_id``)."""
    shipped = select(LogisticsLink.merchant_id).where(LogisticsLink.carrier_id == carrier_id)
    return col(Subject.id).in_(shipped)


def merchants_of_platform(platform_id: int) -> Any:
    """Subjects a platform hosts: declared (``hosted_subject``) or rated on it as a ratee
    (the platform's orders, ``uq_rating_platform_id_order_reference_rater_id``)."""
    hosted = select(HostedSubject.subject_id).where(HostedSubject.platform_id == platform_id)
    rated = select(Rating.ratee_id).where(Rating.platform_id == platform_id)
    return sa.or_(col(Subject.id).in_(hosted), col(Subject.id).in_(rated))


async def ratings_given(session: AsyncSession, rater_id: int, *, first: int,
                        after: int | None) -> list[Rating]:
    """The ratings ``rater_id`` gave, newest first by id (``ix_rating_rater_order``)."""
    query = select(Rating).where(Rating.rater_id == rater_id)
    if after is not None:
        query = query.where(col(Rating.id) < after)
    return list((await session.exec(query.order_by(col(Rating.id).desc()).limit(first))).all())
