"""``Plan``: a compiled query document (``resolvers.plans.compiler``) and how it runs.

A plan's root is ``subject(uscc:)`` (the subject from the loaders, entity-cached) or a page of
``subjects(first:, after:)`` (``query.subjects_page``, the resolver's own function). Below it,
one statement reads everything the selection asks of every subject of the answer
(``resolvers.data.queries.planned``); the subjects its records name (a rating's rater, a
link's carrier) come from the loaders in one batch; then each field is finished with the
function its strawberry resolver calls: masking and the access-log notes
(``resolvers.types.personal``), list standing (``resolvers.domain.lists``), verification,
region, the rating summary (``resolvers.types.subject.summary_of``, of the figures the
statement read with ``aggregates.rating_figures``) and the credit grade
(``resolvers.types.grade.credit_grade_of``: its batched loader, awaited for every subject of a
page at once). The tags and calendar boundaries the response cache stores an answer
against are noted as the loaders note them for the same reads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import partial
from inspect import isawaitable
from typing import Any, Protocol

from resolvers.cache import subject_tag
from resolvers.context import Context
from resolvers.data import models
from resolvers.data.queries import planned
from resolvers.data.queries.planned import Fetched, Part
from resolvers.types.common import row_id
from resolvers.types.pagination import Connection
from resolvers.types.query import subjects_page
from resolvers.types.scalars import require_uscc

# a field's value from the subject, what the statement fetched and the request's context
SubjectValue = Callable[[models.Subject, Fetched, Context], Any]
# a field of a relation's node from its fetched row (column values), its subject, the context
NodeValue = Callable[[list[Any], models.Subject, Context], Any]
# a field of the page's connection from the connection and its nodes as written
PageValue = Callable[[Connection[models.Subject], list[dict[str, Any]]], Any]

MAX_SHAPES = 8  # statements kept per plan: (public view or not, day); a new day replaces
NOTHING = Fetched([], [], frozenset())


class NoPlan(Exception):
    """This request cannot be answered by the plan (a variable missing or of the wrong type,
    a USCC or a cursor that strawberry reports as an error): strawberry answers it."""


@dataclass(frozen=True)
class Argument:
    """A literal argument, or the variable it names; ``optional``: null or absent is ``None``."""

    value: Any = None
    variable: str | None = None
    optional: bool = False

    def of(self, variables: dict[str, Any], kind: type) -> Any:
        if self.variable is None:
            return self.value
        value = variables.get(self.variable)
        if value is None and self.optional:
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise NoPlan(f"variable {self.variable} is not a {kind.__name__}")
        return value


def serialized(value: Any) -> Any:
    """A plain value as GraphQL writes it: an enum by its member's name, a date in ISO 8601,
    a ``Decimal`` as its string (strawberry's ``Decimal`` scalar)."""
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass
class Selection:
    """A subject's selection set compiled: the writers of its fields, the relations they read
    and where the nodes' rows hold the ids of the subjects they name (part, column)."""

    fields: list[tuple[str, SubjectValue]] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    lates: list[bool | None] = field(default_factory=list)
    list_kinds: bool = False
    rating_stats: bool = False
    references: list[tuple[int, int]] = field(default_factory=list)
    _statements: dict[Hashable, planned.Statement] = field(default_factory=dict)

    @property
    def reads(self) -> bool:
        return bool(self.parts) or self.list_kinds or self.rating_stats

    async def write(self, subjects: Sequence[models.Subject], context: Context
                    ) -> list[dict[str, Any]]:
        """Each subject as the selection writes it, in order."""
        fetched = await self._fetch(subjects, context) if self.reads and subjects else {}
        if len(subjects) == 1:
            return [await self._write(subjects[0], fetched.get(row_id(subjects[0]), NOTHING),
                                      context)]
        # every subject at once: the loaders a field awaits batch across the page
        return list(await asyncio.gather(*(
            self._write(subject, fetched.get(row_id(subject), NOTHING), context)
            for subject in subjects)))

    async def _write(self, subject: models.Subject, fetched: Fetched, context: Context
                     ) -> dict[str, Any]:
        written: dict[str, Any] = {}
        for key, value in self.fields:  # ``creditGrade`` awaits its loader after the statement
            made = value(subject, fetched, context)
            written[key] = await made if isawaitable(made) else made
        return written

    async def _fetch(self, subjects: Sequence[models.Subject], context: Context
                     ) -> dict[int, Fetched]:
        loaders = context.loaders
        ids = [row_id(subject) for subject in subjects]
        parts = [replace(part, where=loaders.conditions(part.relation, late))
                 for part, late in zip(self.parts, self.lates, strict=True)]
        if self.list_kinds or any(part.where for part in parts):
            loaders.note_calendar(ids)
        query = self._statement(parts, context)
        fetched: dict[int, Fetched] = await loaders.read_on_connection(
            partial(planned.fetch, query=query, parts=parts, subject_ids=ids),
            tags=[subject_tag(ident) for ident in ids])
        if self.references:
            await self._name_subjects(fetched.values(), context)
        return fetched

    async def _name_subjects(self, fetched: Any, context: Context) -> None:
        """Put in place of each subject id the nodes' rows hold the subject (one batch)."""
        rows = [(row, at) for one in fetched for number, at in self.references
                for row in one.pages[number]]
        wanted = list(dict.fromkeys(row[at] for row, at in rows))
        found = await context.loaders.subject_by_id.load_many(wanted)
        subjects = dict(zip(wanted, found, strict=True))
        for row, at in rows:
            subject = subjects[row[at]]
            if subject is None:  # not found: strawberry reports it
                raise NoPlan(f"subject {row[at]} is not found")
            row[at] = subject

    def _statement(self, parts: list[Part], context: Context) -> planned.Statement:
        # the conditions are decided by the role's view and the day: the statement's shape
        shape = (context.caller.sees_all_records, context.today)
        query = self._statements.get(shape)
        if query is None:
            if len(self._statements) >= MAX_SHAPES:
                self._statements.clear()
            query = planned.statement(parts, list_kinds=self.list_kinds,
                                      rating_stats=self.rating_stats, today=context.today)
            self._statements[shape] = query
        return query


class Root(Protocol):
    """The root field a plan answers: the subjects it shows, and its value from them."""

    async def subjects(self, context: Context, variables: dict[str, Any]
                       ) -> tuple[Any, list[models.Subject]]: ...

    async def value(self, found: Any, written: list[dict[str, Any]]) -> Any: ...


@dataclass(frozen=True)
class SubjectRoot:
    """``subject(uscc:, allowLegacy:)``: the subject or null."""

    uscc: Argument
    allow_legacy: Argument

    async def subjects(self, context: Context, variables: dict[str, Any]
                       ) -> tuple[Any, list[models.Subject]]:
        try:
            code = require_uscc(self.uscc.of(variables, str),
                                allow_legacy=bool(self.allow_legacy.of(variables, bool)),
                                offers_legacy=True)
        except NoPlan:
            raise
        except Exception as error:  # its coded error is strawberry's to report
            raise NoPlan(str(error)) from error
        subject: models.Subject | None = await context.loaders.subject_by_uscc.load(code)
        return None, [] if subject is None or subject.id is None else [subject]

    async def value(self, _found: Any, written: list[dict[str, Any]]) -> Any:
        return written[0] if written else None


@dataclass(frozen=True)
class PageRoot:
    """``subjects(first:, after:)``: a page of subjects in creation order."""

    first: Argument
    after: Argument
    writers: list[tuple[str, PageValue]]

    async def subjects(self, context: Context, variables: dict[str, Any]
                       ) -> tuple[Any, list[models.Subject]]:
        first, after = self.first.of(variables, int), self.after.of(variables, str)
        try:
            page = await subjects_page(context, first=first, after=after)
        except Exception as error:  # a bad cursor or size: strawberry's coded error
            raise NoPlan(str(error)) from error
        return page, [edge.node for edge in page.edges]

    async def value(self, found: Any, written: list[dict[str, Any]]) -> Any:
        answer: dict[str, Any] = {}
        for key, value in self.writers:
            made = value(found, written)
            answer[key] = await made if isawaitable(made) else made
        return answer


@dataclass
class Plan:
    """A query compiled: the root field's response key, the root, and the subjects'
    selection; ``order`` is the root's selections in the document's order (the root field's
    key, ``__typename``s)."""

    key: str
    root: Root
    selection: Selection
    order: list[str] = field(default_factory=list)

    async def run(self, context: Context, variables: dict[str, Any]) -> dict[str, Any]:
        """The answer's ``data``; raises ``NoPlan`` before anything is read when strawberry
        must answer instead."""
        found, subjects = await self.root.subjects(context, variables)
        value = await self.root.value(found, await self.selection.write(subjects, context))
        return {key: value if key == self.key else "Query" for key in self.order}
