"""``Compiler``: a query document, walked against the schema, as a ``Plan`` — or ``None``.

What compiles: one query operation whose root selects ``subject(uscc:, allowLegacy:)`` (and
``__typename``), below it any of the subject's plain fields, ``id``, ``name``, ``phone``,
``verification``, ``region``, ``listStatus``, ``creditGrade`` (its reasons without ``record``)
and the connections of its relations (``first`` and ``late`` as literals; ``totalCount``,
``edges { node }``, ``__typename``) whose nodes select plain columns (text, numbers, booleans,
dates, enums), masked free text and ``__typename``; aliases anywhere. Anything else —
fragments, directives, variables with defaults, ``after``, ``pageInfo``, cursors, other fields
or arguments — compiles to ``None`` and strawberry answers as it always does, so what is right
never depends on what compiles.

A field is recognised by its strawberry definition (``Schema.get_type_by_name``): a plain
attribute (no resolver) that is a column of the row, a resolver that is one of the functions
named below (the plan calls the same rule), or the metadata ``relation_field`` and
``free_text_field`` attach.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import (
    BooleanValueNode,
    FieldNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
    parse,
)
from strawberry.types.base import StrawberryList, StrawberryObjectDefinition, get_object_definition
from strawberry.types.field import StrawberryField

from resolvers.data import models
from resolvers.data.queries.planned import Fetched, Part
from resolvers.data.queries.relations import PAGED, Relation
from resolvers.domain import lists
from resolvers.plans.plan import Argument, NodeValue, Plan, SubjectValue
from resolvers.plans.values import (
    Unplannable,
    at,
    attribute,
    column,
    constant,
    edges,
    free_text,
    graded,
    item,
    objects,
    position,
    write,
)
from resolvers.types import grade, pagination, personal, query, subject
from resolvers.types.common import RELATION


def _fields(selections: SelectionSetNode | None) -> list[tuple[str, FieldNode]]:
    """(response key, field) of a selection set: plain fields only, each key once."""
    if selections is None:
        raise Unplannable("a selection set is missing")
    found: list[tuple[str, FieldNode]] = []
    for selection in selections.selections:
        if not isinstance(selection, FieldNode) or selection.directives:
            raise Unplannable("fragments and directives are not compiled")
        key = selection.alias.value if selection.alias else selection.name.value
        if any(key == seen for seen, _ in found):
            raise Unplannable(f"{key} is selected twice")
        found.append((key, selection))
    return found


def _leaf(node: FieldNode) -> None:
    if node.arguments or node.selection_set is not None:
        raise Unplannable(f"{node.name.value} takes no arguments or selections here")


def _arguments(node: FieldNode, allowed: set[str]) -> dict[str, Any]:
    given = {argument.name.value: argument.value for argument in node.arguments or ()}
    if not set(given) <= allowed:
        raise Unplannable(f"arguments {sorted(set(given) - allowed)} are not compiled")
    return given


class Compiler:
    """Compiles documents against one schema with the page sizes of its contexts."""

    def __init__(self, schema: strawberry.Schema, *, default_page_size: int,
                 max_page_size: int) -> None:
        self._schema = schema
        self._default_page_size = default_page_size
        self._max_page_size = max_page_size
        self._definitions: dict[str, dict[str, StrawberryField]] = {}

    def compile(self, document: str, operation_name: str | None) -> Plan | None:
        try:
            return self._compile(document, operation_name)
        except Unplannable:
            return None

    def _field(self, type_name: str, name: str) -> StrawberryField:
        fields = self._definitions.get(type_name)
        if fields is None:
            definition = self._schema.get_type_by_name(type_name)
            if not isinstance(definition, StrawberryObjectDefinition):
                raise Unplannable(f"{type_name} is not an object type")
            names = self._schema.config.name_converter
            fields = {names.get_graphql_name(field): field for field in definition.fields}
            self._definitions[type_name] = fields
        found = fields.get(name)
        if found is None:
            raise Unplannable(f"{type_name}.{name} is unknown")
        return found

    def _is_subject_field(self) -> bool:
        resolver = self._field("Query", "subject").base_resolver
        return resolver is not None and resolver.wrapped_func is query.subject

    def _compile(self, document: str, operation_name: str | None) -> Plan:
        definitions = parse(document).definitions
        operation = definitions[0] if len(definitions) == 1 else None
        if (not isinstance(operation, OperationDefinitionNode)
                or operation.operation is not OperationType.QUERY or operation.directives
                or (operation_name is not None
                    and (operation.name is None or operation.name.value != operation_name))
                or any(v.default_value is not None or v.directives
                       for v in operation.variable_definitions or ())):
            raise Unplannable("one query operation without directives or defaults")
        order: list[str] = []
        root: tuple[str, FieldNode] | None = None
        for key, node in _fields(operation.selection_set):
            if node.name.value == "__typename":
                _leaf(node)
            elif node.name.value == "subject" and root is None and self._is_subject_field():
                root = (key, node)
            else:
                raise Unplannable(f"Query.{node.name.value} is not compiled")
            order.append(key)
        if root is None:
            raise Unplannable("no subject is selected")
        key, node = root
        arguments = _arguments(node, {"uscc", "allowLegacy"})
        if "uscc" not in arguments:
            raise Unplannable("uscc is missing")
        plan = Plan(key=key, uscc=_argument(arguments["uscc"], StringValueNode),
                    allow_legacy=_argument(arguments.get("allowLegacy", BooleanValueNode(
                        value=False)), BooleanValueNode),
                    fields=[], parts=[], lates=[], list_kinds=False, order=order)
        plan.fields = [(k, self._subject_field(plan, n)) for k, n in _fields(node.selection_set)]
        return plan

    def _subject_field(self, plan: Plan, node: FieldNode) -> SubjectValue:
        name = node.name.value
        if name == "__typename":
            _leaf(node)
            return lambda _s, _f, _c: "Subject"
        field = self._field("Subject", name)
        if RELATION in field.metadata:
            return self._connection(plan, node, *field.metadata[RELATION])
        resolver = field.base_resolver
        if resolver is None:
            _leaf(node)
            value = column(models.Subject, field.python_name, from_row=False)
            return lambda s, _f, _c: value(getattr(s, field.python_name))
        wrapped = resolver.wrapped_func
        simple: dict[Any, SubjectValue] = {
            personal.subject_name: lambda s, _f, c: personal.subject_name_of(s, c),
            personal.phone: lambda s, _f, c: personal.phone_of(s, c),
            subject.subject_id: lambda s, _f, _c: subject.subject_id(s),
            subject.list_status: lambda _s, f, _c: lists.standing(f.list_kinds).name,
        }
        if wrapped in simple:
            _leaf(node)
            plan.list_kinds |= wrapped is subject.list_status
            return simple[wrapped]
        objects: dict[Any, str] = {subject.verification: "Verification", subject.region: "Region"}
        if wrapped in objects:
            made: Callable[[models.Subject], Any] = wrapped  # type: ignore[assignment]
            writers = self._object(objects[wrapped], node)
            return lambda s, _f, _c: write(made(s), writers)
        if wrapped is grade.credit_grade:
            return graded(self._object("CreditGrade", node))
        raise Unplannable(f"Subject.{name} is not compiled")

    def _object(self, type_name: str, node: FieldNode) -> list[tuple[str, Callable[[Any], Any]]]:
        """Writers of a plain object's plain fields (``verification``, ``region``,
        ``creditGrade``) and of its lists of plain objects (``creditGrade.reasons``)."""
        if node.arguments:
            raise Unplannable("arguments")
        writers: list[tuple[str, Callable[[Any], Any]]] = []
        for key, child in _fields(node.selection_set):
            if child.name.value == "__typename":
                _leaf(child)
                writers.append((key, constant(type_name)))
                continue
            field = self._field(type_name, child.name.value)
            if field.base_resolver is not None:  # e.g. ``CreditGradeReason.record``
                raise Unplannable(f"{type_name}.{child.name.value} has a resolver")
            if child.selection_set is None:
                _leaf(child)
                writers.append((key, attribute(field.python_name)))
                continue
            kind = field.type
            inner = (get_object_definition(kind.of_type)
                     if isinstance(kind, StrawberryList) else None)
            if inner is None or child.arguments:
                raise Unplannable(f"{type_name}.{child.name.value} is not a list of objects")
            writers.append((key, objects(field.python_name, self._object(inner.name, child))))
        return writers

    def _connection(self, plan: Plan, node: FieldNode, name: str, late_filter: bool
                    ) -> SubjectValue:
        relation = PAGED[name]
        arguments = _arguments(node, {"first", "late"} if late_filter else {"first"})
        first, late = arguments.get("first"), arguments.get("late")
        if ((first is not None and not isinstance(first, IntValueNode))
                or (late is not None and not isinstance(late, BooleanValueNode))):
            raise Unplannable("first and late are compiled as literals only")
        try:
            size = pagination.page_size(None if first is None else int(first.value),
                                        default=self._default_page_size,
                                        maximum=self._max_page_size)
        except Exception as error:  # strawberry reports it with its code
            raise Unplannable(str(error)) from error
        number = len(plan.parts)
        node_type = relation.model.__name__
        columns: list[str] = []
        count = False
        writers: list[tuple[str, Callable[[Fetched, models.Subject, Any], Any]]] = []
        for key, child in _fields(node.selection_set):
            field = child.name.value
            if field == "__typename":
                _leaf(child)
                writers.append((key, lambda _f, _s, _c: f"{node_type}Connection"))
            elif field == "totalCount":
                _leaf(child)
                count = True
                writers.append((key, lambda f, _s, _c: f.counts[number]))
            elif field == "edges" and not child.arguments:
                columns = columns or ["id"]  # how many rows, whatever the nodes select
                edge = self._edge(relation, child, columns)
                writers.append((key, edges(edge, number)))
            else:
                raise Unplannable(f"{node_type}Connection.{field} is not compiled")
        plan.parts.append(Part(relation, columns=tuple(columns), limit=size, count=count))
        plan.lates.append(None if late is None else bool(late.value))
        return lambda s, f, c: {key: made(f, s, c) for key, made in writers}

    def _edge(self, relation: Relation, node: FieldNode, columns: list[str]
              ) -> Callable[[list[Any], models.Subject, Any], dict[str, Any]]:
        node_type = relation.model.__name__
        writers: list[tuple[str, NodeValue]] = []
        for key, child in _fields(node.selection_set):
            if child.name.value == "__typename":
                _leaf(child)
                writers.append((key, lambda _r, _s, _c: f"{node_type}Edge"))
            elif child.name.value == "node" and not child.arguments:
                fields = self._node(relation, child, columns)
                writers.append((key, item(fields)))
            else:
                raise Unplannable(f"{node_type}Edge.{child.name.value} is not compiled")
        return lambda row, s, c: {key: made(row, s, c) for key, made in writers}

    def _node(self, relation: Relation, node: FieldNode, columns: list[str]
              ) -> list[tuple[str, NodeValue]]:
        model, node_type = relation.model, relation.model.__name__
        writers: list[tuple[str, NodeValue]] = []
        for key, child in _fields(node.selection_set):
            _leaf(child)
            if child.name.value == "__typename":
                writers.append((key, lambda _r, _s, _c: node_type))
                continue
            field = self._field(node_type, child.name.value)
            text = field.metadata.get(personal.FREE_TEXT)
            if text is not None:
                stored, of_subject = text
                if of_subject != relation.parent:
                    raise Unplannable("free text about another subject")
                index = position(columns, stored)
                writers.append((key, free_text(index, personal.free_text_name(model, stored))))
                continue
            if field.base_resolver is not None:
                raise Unplannable(f"{node_type}.{child.name.value} has a resolver")
            value = column(model, field.python_name, from_row=True)
            writers.append((key, at(position(columns, field.python_name), value)))
        return writers


def _argument(node: Any, literal: type) -> Argument:
    if isinstance(node, VariableNode):
        return Argument(variable=node.name.value)
    if isinstance(node, literal):
        return Argument(value=getattr(node, "value", None))
    raise Unplannable("an argument of another kind")
