"""Text lengths (文本参数长度): every text argument's declared maximum, checked in one place.

The maxima are declared with the arguments (``resolvers/types/text.py``: metadata and
description); this walk reads the operation's arguments as execution would (variables with
their defaults, literals, fields of input objects) and refuses any text longer than its
argument allows with ``BAD_USER_INPUT`` (``argument``: ``text`` or ``filter.nameContains``,
``maximum``), before any resolver or SQL runs. Each fragment is walked once
(``gateway.limits._walk.Fold``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLArgument,
    GraphQLError,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLSchema,
    VariableValues,
    get_argument_values,
    get_named_type,
    get_variable_values,
)

from gateway.limits._walk import Fold, chosen_operation, fragments_of
from resolvers.errors import BadUserInputError
from resolvers.types.text import MAXIMUM

_DEFINITION = "strawberry-definition"

Refusals = tuple[tuple[str, int, int], ...]  # (argument path, length, maximum)


def declared_maximum(definition: GraphQLArgument | GraphQLInputField) -> int | None:
    own = (definition.extensions or {}).get(_DEFINITION)
    found = (getattr(own, "metadata", None) or {}).get(MAXIMUM)
    return found if isinstance(found, int) else None


def _too_long(type_: GraphQLInputType, definition: GraphQLArgument | GraphQLInputField,
              value: Any, path: str) -> Iterable[tuple[str, int, int]]:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        for item in value if isinstance(value, list) else ():
            yield from _too_long(type_.of_type, definition, item, path)
    elif isinstance(type_, GraphQLInputObjectType):
        for name, field in type_.fields.items():
            if isinstance(value, dict) and name in value:
                yield from _too_long(field.type, field, value[name], f"{path}.{name}")
    elif isinstance(value, str):
        maximum = declared_maximum(definition)
        if maximum is not None and len(value) > maximum:
            yield path, len(value), maximum


class TextLengths(Fold[Refusals, GraphQLNamedType]):
    """The text arguments of an operation longer than their declared maximum."""

    def __init__(self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode],
                 variables: VariableValues | None, budget: int) -> None:
        super().__init__(fragments, budget)
        self.schema = schema
        self.variables = variables

    def combine(self, values: Iterable[Refusals]) -> Refusals:
        return tuple(found for value in values for found in value)

    def key(self, context: GraphQLNamedType) -> Hashable:
        return context.name

    def field(self, node: FieldNode, condition: str | None,
              context: GraphQLNamedType) -> Refusals:
        parent = (self.schema.get_type(condition) if condition else None) or context
        definitions: Mapping[str, GraphQLField] = getattr(parent, "fields", None) or {}
        definition = definitions.get(node.name.value)
        if definition is None:
            return ()  # introspection, or an unknown field the validator reported
        try:
            values = get_argument_values(definition, node, self.variables) if definition.args \
                else {}
        except GraphQLError:
            values = {}  # execution reports a value that does not fit its type
        found = tuple(refusal for name, argument in definition.args.items() if name in values
                      for refusal in _too_long(argument.type, argument, values[name], name))
        return found + self.selections(node.selection_set, get_named_type(definition.type))


def text_errors(schema: GraphQLSchema, document: Any, operation_name: str | None,
                variables: Mapping[str, Any] | None, budget: int) -> list[GraphQLError]:
    """One ``BAD_USER_INPUT`` per text argument of the operation over its maximum (none
    when the variables do not fit their types: execution reports that)."""
    operation = chosen_operation(document, operation_name)
    root = schema.get_root_type(operation.operation) if operation is not None else None
    if operation is None or root is None:
        return []
    coerced = get_variable_values(schema, operation.variable_definitions or (),
                                  dict(variables or {}))
    if not isinstance(coerced, VariableValues):
        return []
    walk = TextLengths(schema, fragments_of(document), coerced, budget)
    refusals = dict.fromkeys(walk.selections(operation.selection_set, root))
    return [BadUserInputError(f"{path} has {length} characters; at most {maximum} are allowed",
                              argument=path, maximum=maximum)
            for path, length, maximum in refusals]
