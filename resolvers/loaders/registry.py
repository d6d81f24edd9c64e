"""``Loaders``: the per-request set of aiodataloader ``DataLoader`` s.

A loader collects the keys every resolver asks for during one tick of the event loop and
answers them with one statement; so the statements of a query depend on the relations it
selects, not on how many subjects it returns. Loaders are made per request, so their
memoisation never outlives a request (and never leaks one caller's view to another).

``public_view=True`` (PUBLIC and PLATFORM callers) applies the publicity rules: penalties
outside their publicity period, and audit events naming them, are left out of pages and counts
in SQL, and ``records["Penalty"]`` (``node``, ``_entities``, an audit event's record) answers
``None`` for them. The entity cache holds rows, not views, so it is shared by every role.

``naive=True`` (``CREDIT_GATEWAY_LOADERS=naive``) is the benchmark's baseline only: every
loader fetches one key per statement, with no batching, no per-request memoisation and no
entity cache — what resolvers without loaders would cost (docs/PERFORMANCE.md, row e).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, partial
from typing import Any, Generic, Protocol, TypeVar

from aiodataloader import DataLoader
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.cache import (
    ALL_TAG,
    Cache,
    SingleFlight,
    TagRecorder,
    entity_key,
    record_tag,
    subject_tag,
    tagged,
)
from resolvers.data import codec
from resolvers.data.database import Database
from resolvers.data.models import ImportRun, Penalty, Subject, Writer
from resolvers.data.models.base import utcnow
from resolvers.data.queries import (
    aggregates,
    brushing_store,
    calendar,
    disclosure,
    grading,
    publicity,
    relations,
    subjects,
)
from resolvers.data.queries.aggregates import CarrierStats, RatingStats
from resolvers.data.queries.relations import PAGED, RELATIONS, Relation
from resolvers.domain.enums import ListKind
from resolvers.domain.grading import SubjectGrade, grade_of
from resolvers.domain.grading import next_change as grade_changes
from resolvers.domain.publicity import PublicityState, next_change, publicity_state
from resolvers.loaders.on_demand import OnDemand

# (parent id, rows wanted, keyset to start after, late disclosures only / none / either)
PageKey = tuple[int, int, tuple[date, int] | None, bool | None]
# (parent id, late disclosures only / none / either)
CountKey = tuple[int, bool | None]
K = TypeVar("K")
V = TypeVar("V")

M = TypeVar("M", bound=SQLModel)
C = TypeVar("C")


@dataclass(frozen=True)
class Entity(Generic[M]):
    """A cached row type: its key name and the columns it is looked up by (and cached under)."""

    name: str
    model: type[M]
    fields: tuple[str, ...]

    def encode(self, row: M) -> bytes:
        return codec.encode(row)

    def decode(self, data: bytes) -> M:
        return codec.decode(self.model, data)


@dataclass(frozen=True)
class GradeEntity:
    """Computed grades (信用等级) cached like rows: one view's grades of one day, by subject
    id (``CreditGrade.public.2026-12-03:subject_id:17``), each with the first day the calendar
    may change it: the day in the name retires them at midnight, the subject's tag when a write
    names the subject."""

    name: str
    fields: tuple[str, ...] = ("subject_id",)

    def encode(self, row: SubjectGrade) -> bytes:
        return row.encode()

    def decode(self, data: bytes) -> SubjectGrade:
        return SubjectGrade.decode(data)


class Cacheable(Protocol[C]):
    """What ``Loaders._cached`` needs of a cached value type."""

    @property
    def name(self) -> str: ...
    @property
    def fields(self) -> tuple[str, ...]: ...
    def encode(self, row: C) -> bytes: ...
    def decode(self, data: bytes) -> C: ...


# A subject is cached under its id and its USCC: loaders look it up by either. Records are
# cached by id under their type name (``Entity(model.__name__, model, ("id",))``).
SUBJECT = Entity("subject", Subject, ("id", "uscc"))


# records by row id: every record type (``node``), and the actors of the audit trail
_RECORD_TYPES: list[type[SQLModel]] = [rel.model for rel in RELATIONS.values()]
_RECORD_TYPES += [Writer, ImportRun]
RECORD_MODELS = {model.__name__: model for model in _RECORD_TYPES}

# Bounds the IN-list of one statement (SQLite allows 32,766 parameters).
MAX_BATCH = 1000
CALENDAR_BATCH = MAX_BATCH // 8  # ``calendar.next_change`` repeats its IN-list eight times


class Loaders:
    """All loaders of one request."""

    def __init__(self, database: Database, today: date, *, cache: Cache | None = None,
                 tag_cache: Cache | None = None, replica_lag_ms: int = 0,
                 flight: SingleFlight[Any] | None = None, naive: bool = False,
                 public_view: bool = False) -> None:
        self._database = database
        self._today = today
        self._public_view = public_view
        self._cache = None if naive else cache
        self._flight = None if naive else flight
        # where writes bump the tags they touched, and where reads learn their versions
        self.tag_cache = tag_cache
        # the tags this request read, with their versions as read before the data: the
        # response cache stores against them, entity rows are stored against their own, and
        # with a read replica a tag changed within the lag sends reads to the primary
        self.tags: TagRecorder | None = (
            TagRecorder(tag_cache, replica_lag_ms=replica_lag_ms)
            if tag_cache is not None and not naive else None)
        self._routed = database.has_replica and replica_lag_ms > 0
        # ``_held``: the request's one session or connection at a time, the reads queued
        self._one_at_a_time = asyncio.Lock()
        self._holding: AsyncSession | AsyncConnection | None = None
        self._holding_primary = False
        self._waiting = 0
        self._brushing_run: asyncio.Future[brushing_store.Run | None] | None = None
        # every loader is built the first time the request asks for it (``OnDemand``)
        self._loader = _one_key_at_a_time if naive else _batched
        self.pages: Mapping[str, DataLoader[PageKey, list[Any]]] = OnDemand(
            PAGED, lambda name: self._loader(partial(self._pages, PAGED[name])))
        self.counts: Mapping[str, DataLoader[CountKey, int]] = OnDemand(
            PAGED, lambda name: self._loader(partial(self._counts, PAGED[name])))
        self.records: Mapping[str, DataLoader[int, Any]] = OnDemand(
            RECORD_MODELS, lambda name: self._loader(partial(self._records, RECORD_MODELS[name])))

    @cached_property
    def subject_by_id(self) -> DataLoader[int, Subject | None]:
        return self._loader(self._subjects_by_id)

    @cached_property
    def subject_by_uscc(self) -> DataLoader[str, Subject | None]:
        return self._loader(self._subjects_by_uscc)

    @cached_property
    def rating_stats(self) -> DataLoader[int, RatingStats]:
        return self._loader(self._rating_stats)

    @cached_property
    def list_kinds(self) -> DataLoader[int, set[ListKind]]:
        return self._loader(self._list_kinds)

    @cached_property
    def carrier_stats(self) -> DataLoader[int, CarrierStats]:
        return self._loader(self._carrier_stats)

    @cached_property
    def grades(self) -> DataLoader[int, SubjectGrade | None]:
        """信用等级 by subject id in the caller's view (the public view for PUBLIC, PLATFORM)."""
        return self._loader(partial(self._grades, False))

    @cached_property
    def supervisory_grades(self) -> DataLoader[int, SubjectGrade | None]:
        """信用风险分类: the grade from all records (REGULATOR, AUDITOR)."""
        return self._loader(partial(self._grades, True))

    async def brushing_run(self) -> brushing_store.Run | None:
        """The brushing job's current run (刷单炒信), read once per request: every field of
        one request shows the same run, even if the job publishes another meanwhile."""
        if self._brushing_run is None:
            self._brushing_run = asyncio.ensure_future(self.read(brushing_store.current))
        return await self._brushing_run

    @property
    def cache(self) -> Cache | None:
        """The entity cache under these loaders; writes evict what they change from it."""
        return self._cache

    async def observe(self, tags: Sequence[str]) -> None:
        """Read the versions of ``tags`` before the data they guard, when someone needs them:
        the response cache storing this answer, or the choice between replica and primary."""
        if self.tags is not None and (self.tags.recording or self._routed):
            await self.tags.observe(tags)

    def note_boundary(self, day: date | None) -> None:
        """What this request read may change by the calendar on ``day`` (``TagRecorder``)."""
        if self.tags is not None:
            self.tags.note_boundary(day)

    async def calendar_boundary(self) -> date | None:
        """The first day the calendar may change this request's answer, ``None`` for never:
        the earliest day noted, and the first change among the records of every subject read
        through a filter by ``today`` (one statement, only when it could come earlier than
        what was noted)."""
        tags = self.tags
        if tags is None:
            return None
        ids = sorted(tags.calendar_subjects)
        tomorrow = self._today + timedelta(days=1)
        for start in range(0, len(ids), CALENDAR_BATCH):
            if tags.boundary is not None and tags.boundary <= tomorrow:
                break  # nothing can come earlier
            chunk = ids[start:start + CALENDAR_BATCH]
            tags.note_boundary(await self._read(partial(
                calendar.next_change, subject_ids=chunk, today=self._today)))
        return tags.boundary

    def note_calendar(self, subject_ids: Sequence[int]) -> None:
        """What this request read of these subjects depends on today's date (their records'
        calendar boundaries are looked up before the answer is stored)."""
        if self.tags is not None:
            self.tags.note_calendar(subject_ids)

    def prime_subjects(self, rows: Sequence[Subject]) -> None:
        """Subjects a resolver already holds (a page, a search) answer later look-ups of the
        same request by id or USCC without another statement."""
        if self.tags is not None:  # subject rows never change through writes: noted
            self.tags.note(subject_tag(row.id) for row in rows if row.id is not None)
        for row in rows:
            if row.id is not None:
                self.subject_by_id.prime(row.id, row)
            self.subject_by_uscc.prime(row.uscc, row)

    @property
    def _primary(self) -> bool:
        """Read the primary: a tag this request read changed within the replica lag, so the
        replica may not have the write yet (docs/CACHING.md, "Read replica")."""
        return self.tags is not None and self.tags.recent

    async def read(self, query: Callable[[AsyncSession], Awaitable[V]],
                   tags: Sequence[str] = ()) -> V:
        """Run ``query`` on the query path after observing ``tags``: on the replica, or on the
        primary once any tag this request read changed within the replica lag."""
        await self.observe(tags)
        return await self._read(query)

    async def read_on_connection(self, query: Callable[[AsyncConnection], Awaitable[V]],
                                 tags: Sequence[str] = ()) -> V:
        """``read`` for a statement that needs a connection, not an ORM session (a compiled
        plan's, sent through the driver): no session is opened for it."""
        await self.observe(tags)
        return await self._held(query, AsyncConnection)

    async def _read(self, query: Callable[[AsyncSession], Awaitable[V]]) -> V:
        return await self._held(query, AsyncSession)

    async def _held(self, query: Callable[[Any], Awaitable[V]],
                    kind: type[AsyncSession] | type[AsyncConnection]) -> V:
        """Every read of the request, one at a time on one pooled connection: batches
        dispatched together queue here and share the session (or connection) the first one
        opened, which is closed (its connection back in the pool) when no read of the request
        is waiting, or when the next read needs the other kind.

        So a request holds at most one connection, and the pool
        (``CREDIT_GATEWAY_DB_POOL_SIZE``) covers as many requests in flight as it has
        connections. Each batch taking a session of its own took five connections per
        widget request, past the pool under 8 concurrent requests, and every connection
        over it was opened and closed again (docs/PERFORMANCE.md, "Profile of the uncached
        path")."""
        self._waiting += 1
        try:
            async with self._one_at_a_time:
                try:
                    primary = self._primary
                    held = self._holding
                    if held is not None and (self._holding_primary != primary
                                             or not isinstance(held, kind)):
                        await self._release()
                        held = None
                    if held is None:
                        held = self._holding = (
                            await self._database.read_connection(primary=primary)
                            if kind is AsyncConnection
                            else self._database.read_session(primary=primary))
                        self._holding_primary = primary
                    return await query(held)
                except BaseException:
                    await self._release()  # the next read starts on a clean one
                    raise
                finally:
                    if self._waiting == 1:  # no read of the request queued behind this one
                        await self._release()  # still holding the lock: never two
        finally:
            self._waiting -= 1

    async def _release(self) -> None:
        held, self._holding = self._holding, None
        if held is not None:
            await held.close()

    async def fresh(self, record_type: str, record_id: int) -> Any:
        """A record as the primary holds it now, past every cache and any fetch under way:
        what a write answers with after its commit."""
        model = RECORD_MODELS[record_type]
        async with self._database.read_session(primary=True) as session:
            rows = await relations.by_ids(session, model, [record_id])
        row = rows[0] if rows else None
        if row is not None and self._public_view and model is Penalty and not self._is_public(row):
            row = None
        self.records[record_type].clear(record_id).prime(record_id, row)
        return row

    async def _subjects_by_id(self, ids: list[int]) -> list[Subject | None]:
        await self.observe([subject_tag(i) for i in ids])
        found = await self._cached(SUBJECT, "id", ids, lambda _: [],
                                   lambda missing: self._read(lambda s: subjects.by_ids(s, missing)))
        self.prime_subjects([row for row in found if row is not None])
        return found

    async def _subjects_by_uscc(self, codes: list[str]) -> list[Subject | None]:
        found = await self._cached(SUBJECT, "uscc", codes, lambda _: [],
                                   lambda missing: self._read(lambda s: subjects.by_usccs(s, missing)))
        self.prime_subjects([row for row in found if row is not None])
        return found

    async def _cached(
        self,
        entity: Cacheable[C],
        field: str,
        keys: Sequence[Any],
        tags_of: Callable[[Any], list[str]],
        fetch: Callable[[list[Any]], Awaitable[Sequence[C]]],
    ) -> list[C | None]:
        """Rows from the entity cache (one round trip), the misses from the database (one
        statement, shared with a concurrent request that read the same tag versions), written
        back under each of their identifying columns (one pipeline with the TTL).

        An entry is stored with the versions of its tags (``tags_of(key)``, and ``ALL_TAG``)
        as read *before* the fetch, and read only while they are current: a fetch that began
        before a write committed stores an entry the write's bump has already made stale
        (docs/CACHING.md, "Entity cache")."""
        names = {key: entity_key(entity.name, field, key) for key in keys}
        wanted = list(dict.fromkeys(names.values()))
        found: dict[str, C | None] = {}
        cache, tags = self._cache, self.tags
        if cache is not None and tags is not None:
            cached = await cache.get_current_many(wanted)
            found = {name: entity.decode(value)
                     for name, value in zip(wanted, cached, strict=True) if value is not None}
            wanted = [name for name in wanted if name not in found]
        if not wanted:
            return [found.get(names[key]) for key in keys]
        key_of = {name: key for key, name in names.items()}
        versions: dict[str, dict[str, int]] = {}
        if cache is not None and tags is not None:
            tag_lists = {name: [ALL_TAG, *tags_of(key_of[name])] for name in wanted}
            await tags.observe([tag for names in tag_lists.values() for tag in names])
            if tags.available:
                versions = {name: {tag: tags.versions[tag] for tag in names}
                            for name, names in tag_lists.items()}

        async def load(missing: list[str]) -> dict[str, C]:
            rows = await fetch([key_of[flown(name)] for name in missing])
            by_name = {entity_key(entity.name, field, getattr(row, field)): row for row in rows}
            if cache is not None:
                await cache.set_many({
                    entity_key(entity.name, column, getattr(row, column)):
                        tagged(versions[name], entity.encode(row))
                    for name, row in by_name.items() if name in versions
                    for column in entity.fields})
            return {flying(name): row for name, row in by_name.items()}

        # a request joins another's fetch only if both read the same tag versions first
        def flying(name: str) -> str:
            return f"{name}@{_stamp(versions.get(name))}"

        def flown(stamped: str) -> str:
            return stamped.rpartition("@")[0]

        fetched: Mapping[str, C | None]
        if self._flight is not None and versions and not self._primary:
            fetched = await self._flight.fetch([flying(name) for name in wanted], load)
        else:
            fetched = await load([flying(name) for name in wanted])
        found.update({name: fetched.get(flying(name)) for name in wanted})
        return [found.get(names[key]) for key in keys]

    async def _rating_stats(self, ids: list[int]) -> list[RatingStats]:
        await self.observe([subject_tag(i) for i in ids])
        stats = await self._read(lambda s: aggregates.rating_stats(s, ids))
        return [stats.get(i, RatingStats()) for i in ids]

    async def _carrier_stats(self, ids: list[int]) -> list[CarrierStats]:
        await self.observe([subject_tag(i) for i in ids])
        stats = await self._read(lambda s: aggregates.carrier_stats(s, ids))
        return [stats.get(i, CarrierStats()) for i in ids]

    async def _list_kinds(self, ids: list[int]) -> list[set[ListKind]]:
        await self.observe([subject_tag(i) for i in ids])
        self.note_calendar(ids)
        kinds = await self._read(lambda s: aggregates.active_list_kinds(s, ids, self._today))
        return [kinds.get(i, set()) for i in ids]

    async def _grades(self, supervisory: bool, ids: list[int]) -> list[SubjectGrade | None]:
        """The grades of ``ids`` in the caller's view (``supervisory``: from all records): from
        the entity cache, the misses computed from one statement (``grading.facts``). A write
        naming a subject bumps its tag. An answer holding a grade is good until the first day
        the calendar may change it: what the statement filters by today (entries in force,
        publicity, late disclosure) by the subjects' records (``note_calendar``), what the rules
        count by today by each grade's own ``next_change``, cached with it so that a hit notes
        the same day. The day in the key retires a cached grade at midnight; it is recomputed
        from the same records then (docs/CACHING.md, "Midnight")."""
        public = self._public_view and not supervisory
        view = "public" if public else "supervisory"
        await self.observe([subject_tag(i) for i in ids])
        self.note_calendar(ids)
        today, now = self._today, utcnow()

        async def fetch(missing: list[int]) -> list[SubjectGrade]:
            found = await self._read(partial(grading.facts, subject_ids=missing, today=today,
                                             public_view=public))
            return [SubjectGrade(i, grade_of(facts, today), now, grade_changes(facts, today))
                    for i, facts in found.items()]

        grades = await self._cached(GradeEntity(f"CreditGrade.{view}.{today.isoformat()}"),
                                    "subject_id", ids, lambda i: [subject_tag(i)], fetch)
        for grade in grades:
            if grade is not None:
                self.note_boundary(grade.next_change)
        return grades

    async def _pages(self, relation: Relation, keys: list[PageKey]) -> list[list[Any]]:
        # Keys asking for the same page size and start share one statement; in practice a
        # request pages every subject alike, so this is one statement per relation.
        groups: dict[tuple[int, tuple[date, int] | None, bool | None], list[int]] = (
            defaultdict(list))
        # a page is tagged with its parent subject: any write naming the subject purges it
        await self.observe([subject_tag(key[0]) for key in keys])
        for parent_id, limit, after, late in keys:
            groups[(limit, after, late)].append(parent_id)
        found: dict[PageKey, list[Any]] = {}
        for (limit, after, late), parent_ids in groups.items():
            if self.conditions(relation, late):
                self.note_calendar(parent_ids)
            rows = await self._read(partial(relations.first_rows, relation=relation,
                                            parent_ids=parent_ids, limit=limit, after=after,
                                            where=self.conditions(relation, late),
                                            shape=(late, self._public_view, self._today)))
            for parent_id in parent_ids:
                found[(parent_id, limit, after, late)] = rows.get(parent_id, [])
        return [found[key] for key in keys]

    async def _counts(self, relation: Relation, keys: list[CountKey]) -> list[int]:
        groups: dict[bool | None, list[int]] = defaultdict(list)
        await self.observe([subject_tag(key[0]) for key in keys])
        for parent_id, late in keys:
            groups[late].append(parent_id)
        found: dict[CountKey, int] = {}
        for late, ids in groups.items():
            if self.conditions(relation, late):
                self.note_calendar(ids)
            counts = await self._read(partial(relations.counts, relation=relation,
                                              parent_ids=ids, where=self.conditions(relation, late)))
            found.update({(i, late): counts.get(i, 0) for i in ids})
        return [found[key] for key in keys]

    def conditions(self, relation: Relation, late: bool | None) -> list[Any]:
        """The disclosure-lag condition of a licence or penalty page (none when ``None``), and
        the publicity rules in a public view: determined by ``late``, the view and the day
        (the ``shape`` under which ``first_rows`` keeps its statement)."""
        conditions = [] if late is None else [disclosure.late(relation.model, self._today, late)]
        if self._public_view:
            conditions += publicity.public_conditions(relation.model, self._today)
        return conditions

    async def _records(self, model: type[SQLModel], ids: list[int]) -> list[Any]:
        def fetch(missing: list[int]) -> Awaitable[Sequence[SQLModel]]:
            return self._read(lambda s: relations.by_ids(s, model, missing))

        if model in (Writer, ImportRun):  # actors change outside the record writes: not cached
            rows = await fetch(ids)
            return _in_key_order(ids, {row.id: row for row in rows})  # type: ignore[attr-defined]
        await self.observe([record_tag(model.__name__, i) for i in ids])
        found = await self._cached(Entity(model.__name__, model, ("id",)), "id", ids,
                                   lambda i: [record_tag(model.__name__, i)], fetch)
        if self._public_view and model is Penalty:
            return [row if row is not None and self._is_public(row) else None for row in found]
        return found

    def _is_public(self, row: Any) -> bool:
        self.note_boundary(next_change(published_on=row.published_on,
                                       publicity_end=row.publicity_end,
                                       repaired_on=row.repaired_on, today=self._today))
        return publicity_state(severity=row.severity, published_on=row.published_on,
                               publicity_end=row.publicity_end, repaired_on=row.repaired_on,
                               today=self._today) is PublicityState.PUBLIC


def _batched(batch: Callable[[list[K]], Coroutine[Any, Any, list[V]]]) -> DataLoader[K, V]:
    return DataLoader(batch, max_batch_size=MAX_BATCH)


def _one_key_at_a_time(batch: Callable[[list[K]], Coroutine[Any, Any, list[V]]]
                       ) -> DataLoader[K, V]:
    """The naive baseline: each ``load`` is its own statement, nothing is memoised."""
    return DataLoader(batch, batch=False, cache=False)


def _stamp(versions: dict[str, int] | None) -> str:
    return "-" if versions is None else ",".join(f"{v}" for v in versions.values())


def _in_key_order(keys: Sequence[K], found: dict[K, V]) -> list[V | None]:
    return [found.get(key) for key in keys]
