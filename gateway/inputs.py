"""Text no column can hold: a NUL character (``\\x00``) in any string of the request.

PostgreSQL cannot store NUL in text and SQLite cuts strings at it, so such text used to reach
the database and come back as ``DATABASE_UNAVAILABLE`` (SQLite) or ``INTERNAL_SERVER_ERROR``
(PostgreSQL). It is the client's input, refused before anything runs with ``BAD_USER_INPUT``:

- in the document (a string literal or a variable's default, ``"\\u0000"``), by a validation
  rule, so the verdict is remembered with the document's validation (``RememberedValidation``);
- in the variables, after validation, before execution, with ``variable`` naming the variable.

Lone UTF-16 surrogates are refused earlier still, when the request's JSON is read
(``gateway.http_errors``): they are not Unicode text at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import GraphQLError, StringValueNode, ValidationRule
from strawberry.extensions import SchemaExtension

NUL = "\x00"
MESSAGE = "Text may not contain NUL characters (\\u0000)"


class NoNulInLiterals(ValidationRule):
    """Reports each string literal of the document that holds a NUL."""

    def enter_string_value(self, node: StringValueNode, *_args: object) -> None:
        if NUL in node.value:
            self.report_error(GraphQLError(f"{MESSAGE}.", node,
                                           extensions={"code": "BAD_USER_INPUT"}))


def strings(value: object) -> Iterator[str]:
    """Every string of a decoded JSON value, keys included (iterative: a value nested as deep
    as the JSON parser allows is walked without recursion)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, Mapping):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)


class TextInputs(SchemaExtension):
    """Refuses NUL characters in the document and the variables (see module docstring). Listed
    after the limits: it adds its errors to theirs only when they found none."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = (*context.validation_rules, NoNulInLiterals)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        variables: Any = context.variables
        if not context.pre_execution_errors and isinstance(variables, Mapping):
            bad = [name for name, value in variables.items() if any(NUL in text for text in strings(value))]
            if bad:
                context.pre_execution_errors = [
                    GraphQLError(f"{MESSAGE}: variable ${name}.",
                                 extensions={"code": "BAD_USER_INPUT", "variable": name})
                    for name in bad]
        yield
