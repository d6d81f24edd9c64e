"""``Plan``: a compiled query document (``resolvers.plans.compiler``) and how it runs.

A plan answers ``subject(uscc:)`` with the subject from the loaders (entity-cached) and one
statement for everything below it (``resolvers.data.queries.planned``), then finishes each field
with the function its strawberry resolver calls: masking and the access-log notes
(``resolvers.types.personal``), list standing (``resolvers.domain.lists``), verification,
region and the credit grade (``resolvers.types.grade.credit_grade_of``: the grade loader of the
caller's view — one more batched statement, or an entity-cache hit, after the plan's own). The
tags and calendar boundaries the response cache stores an answer against are noted as the
loaders note them for the same reads.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from functools import partial
from inspect import isawaitable
from typing import Any

import sqlalchemy as sa

from resolvers.cache import subject_tag
from resolvers.context import Context
from resolvers.data import models
from resolvers.data.queries import planned
from resolvers.data.queries.planned import Fetched, Part
from resolvers.types.scalars import require_uscc

# a field's value from the subject, what the statement fetched and the request's context
SubjectValue = Callable[[models.Subject, Fetched, Context], Any]
# a field of a relation's node from its fetched row (column values), its subject, the context
NodeValue = Callable[[list[Any], models.Subject, Context], Any]

MAX_SHAPES = 8  # statements kept per plan: (public view or not, day); a new day replaces


class NoPlan(Exception):
    """This request cannot be answered by the plan (a variable missing or of the wrong type,
    a USCC that strawberry reports as an error): strawberry answers it."""


@dataclass(frozen=True)
class Argument:
    """A literal argument, or the variable it names."""

    value: Any = None
    variable: str | None = None

    def of(self, variables: dict[str, Any], kind: type) -> Any:
        if self.variable is None:
            return self.value
        value = variables.get(self.variable)
        if not isinstance(value, kind):
            raise NoPlan(f"variable {self.variable} is not a {kind.__name__}")
        return value


def serialized(value: Any) -> Any:
    """A plain value as GraphQL writes it: an enum by its member's name, a date in ISO 8601."""
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass
class Plan:
    """``query { subject(uscc: …) { … } }`` compiled: the subject field's response key, its
    arguments, the writers of its selections and the relations they read."""

    key: str
    uscc: Argument
    allow_legacy: Argument
    fields: list[tuple[str, SubjectValue]]
    parts: list[Part]
    lates: list[bool | None]
    list_kinds: bool
    # the root's selections in the document's order: the subject field's key, ``__typename``s
    order: list[str] = field(default_factory=list)
    _statements: dict[Hashable, sa.Select[Any]] = field(default_factory=dict)

    @property
    def reads(self) -> bool:
        return bool(self.parts) or self.list_kinds

    async def run(self, context: Context, variables: dict[str, Any]) -> dict[str, Any]:
        """The answer's ``data``; raises ``NoPlan`` before anything is read when strawberry
        must answer instead."""
        try:
            code = require_uscc(self.uscc.of(variables, str),
                                allow_legacy=bool(self.allow_legacy.of(variables, bool)),
                                offers_legacy=True)
        except NoPlan:
            raise
        except Exception as error:  # its coded error is strawberry's to report
            raise NoPlan(str(error)) from error
        loaders = context.loaders
        subject: models.Subject | None = await loaders.subject_by_uscc.load(code)
        if subject is None or subject.id is None:
            return self._data(None)
        fetched = Fetched([], [], frozenset())
        if self.reads:
            parts = [replace(part, where=loaders.conditions(part.relation, late))
                     for part, late in zip(self.parts, self.lates, strict=True)]
            if self.list_kinds or any(part.where for part in parts):
                loaders.note_calendar([subject.id])
            query = self._statement(parts, context)
            fetched = await loaders.read(
                partial(planned.fetch, query=query, parts=parts, subject_id=subject.id),
                tags=[subject_tag(subject.id)])
        written: dict[str, Any] = {}
        for key, value in self.fields:  # ``creditGrade`` awaits its loader after the statement
            made = value(subject, fetched, context)
            written[key] = await made if isawaitable(made) else made
        return self._data(written)

    def _data(self, subject: dict[str, Any] | None) -> dict[str, Any]:
        return {key: subject if key == self.key else "Query" for key in self.order}

    def _statement(self, parts: list[Part], context: Context) -> sa.Select[Any]:
        # the conditions are decided by the role's view and the day: the statement's shape
        shape = (context.caller.sees_all_records, context.today)
        query = self._statements.get(shape)
        if query is None:
            if len(self._statements) >= MAX_SHAPES:
                self._statements.clear()
            query = planned.statement(parts, list_kinds=self.list_kinds, today=context.today)
            self._statements[shape] = query
        return query

