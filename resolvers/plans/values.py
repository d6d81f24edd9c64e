"""How a compiled plan writes each value: columns as GraphQL writes them, and the small
functions a plan's field writers are made of (``resolvers.plans.compiler``)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from resolvers.context import Context
from resolvers.data import codec, models
from resolvers.data.queries.planned import Fetched
from resolvers.plans.plan import NOTHING, NodeValue, SubjectValue, serialized
from resolvers.types import grade, personal

# column types whose values JSON carries as GraphQL writes them (dates: ISO 8601)
PLAIN = (sa.String, sa.Integer, sa.Boolean, sa.Date)


class Unplannable(Exception):
    """The document holds something the compiler does not know."""


def position(columns: list[str], column: str) -> int:
    if column not in columns:
        columns.append(column)
    return columns.index(column)


def column(model: type, name: str, *, from_row: bool) -> Callable[[Any], Any]:
    """How a column's value is written: from the row object (``serialized``), or from the
    statement's JSON (stored enum values by their member's name, the rest as JSON has them)."""
    column: sa.Column[Any] | None = sa.inspect(model).columns.get(name)
    if column is None:
        raise Unplannable(f"{model.__name__}.{name} is not a column")
    kind = column.type
    if isinstance(kind, sa.TypeDecorator):  # sqlmodel's AutoString: a String underneath
        kind = kind.impl_instance
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        if not from_row:
            return serialized
        names = {member.value: member.name for member in kind.enum_class}
        return lambda value: None if value is None else names[value]
    if isinstance(kind, PLAIN) and not isinstance(kind, sa.DateTime):
        return serialized
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float):
        if not from_row:
            return serialized
        # the statement sends the decimal's text; written as strawberry writes a ``Decimal``
        return lambda value: None if value is None else str(Decimal(value))
    raise Unplannable(f"{model.__name__}.{name} is not a plain column")


def stored(model: type, name: str) -> Callable[[Any], Any]:
    """How a column's value in the statement's JSON becomes the value the row object holds,
    for the functions a resolver calls on a row: the entity cache's reader (``codec``)."""
    column: sa.Column[Any] | None = sa.inspect(model).columns.get(name)
    if column is None:
        raise Unplannable(f"{model.__name__}.{name} is not a column")
    made = codec.reader(column)
    return lambda value: None if value is None else made(value)


def computed(positions: list[int], values: list[Callable[[Any], Any]],
             function: Callable[..., Any]) -> NodeValue:
    """A field its resolver computes from the row: ``function(context, *columns)``."""
    pairs = list(zip(positions, values, strict=True))
    return lambda row, _s, c: serialized(function(c, *(made(row[at]) for at, made in pairs)))


def constant(value: str) -> Callable[..., str]:
    return lambda *_: value


def attribute(name: str) -> Callable[[Any], Any]:
    return lambda made: serialized(getattr(made, name))


def at(at: int, value: Callable[[Any], Any]) -> NodeValue:
    return lambda row, _s, _c: value(row[at])


def free_text(at: int, logged: str) -> NodeValue:
    return lambda row, s, c: personal.free_text_of(c, row[at], s, logged)


def item(writers: list[tuple[str, NodeValue]]) -> NodeValue:
    return lambda row, s, c: {key: write(row, s, c) for key, write in writers}


def edges(edge: NodeValue, number: int) -> Callable[[Fetched, models.Subject, Any], Any]:
    return lambda f, s, c: [edge(row, s, c) for row in f.pages[number]]


def write(made: Any, writers: list[tuple[str, Callable[[Any], Any]]]) -> dict[str, Any]:
    return {key: write(made) for key, write in writers}


def objects(name: str, writers: list[tuple[str, Callable[[Any], Any]]]) -> Callable[[Any], Any]:
    """A list of plain objects (``CreditGrade.reasons``), each written by ``writers``."""
    return lambda made: [write(one, writers) for one in getattr(made, name)]


def graded(writers: list[tuple[str, Callable[[Any], Any]]]) -> SubjectValue:
    """``Subject.creditGrade``: the grade the resolver shows (``grade.credit_grade_of``, the
    grade loader of the caller's view), awaited by the plan after its statement."""
    async def value(subject: models.Subject, _fetched: Fetched, context: Context) -> Any:
        return write(await grade.credit_grade_of(context, subject), writers)
    return value


def named_subject(at: int, writers: list[tuple[str, SubjectValue]]) -> NodeValue:
    """A subject a record names (``rater``, ``carrier``): the plan put it in the row in place
    of its id (``Selection._name_subjects``); its fields read nothing more."""
    return lambda row, _s, c: {key: value(row[at], NOTHING, c) for key, value in writers}
