"""``Compiler``: a query document, walked against the schema, as a ``Plan`` — or ``None``.

What compiles: one query operation whose root selects ``subject(uscc:, allowLegacy:)`` or a
page of ``subjects(first:, after:)`` (literals or variables; ``edges { cursor node }``,
``pageInfo``, ``totalCount``) and ``__typename``; below it any of the subject's plain fields,
``id``, ``name``, ``phone``, ``verification``, ``region``, ``listStatus``, ``ratingSummary``,
``creditGrade`` (its reasons without ``record``) and the connections of its relations
(``first`` and ``late`` as literals; ``totalCount``, ``edges { node }``, ``__typename``)
whose nodes select plain columns (text, numbers, booleans, dates, enums), masked free text,
``__typename`` and the subjects they name (``rater``, ``carrier``: the subject's plain fields,
``name``, ``phone``, ``verification``, ``region``); aliases anywhere. Anything else —
fragments, directives, variables with defaults, filters and orders, a relation's ``after``,
its ``pageInfo`` and cursors, other fields or arguments — compiles to ``None`` and strawberry
answers as it always does, so what is right never depends on what compiles. The limits that
read a request's variables (its cost, its text lengths) are checked per request before a plan
runs (``gateway/planned.py``).

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
    DocumentNode,
    FieldNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
)
from strawberry.types.base import StrawberryList, StrawberryObjectDefinition, get_object_definition
from strawberry.types.field import StrawberryField

from resolvers.data import models
from resolvers.data.queries.planned import Fetched, Part
from resolvers.data.queries.relations import PAGED, Relation
from resolvers.domain import lists
from resolvers.plans.plan import (
    Argument,
    NodeValue,
    PageRoot,
    PageValue,
    Plan,
    Selection,
    SubjectRoot,
    SubjectValue,
)
from resolvers.plans.values import (
    Unplannable,
    at,
    attribute,
    column,
    computed,
    constant,
    edges,
    free_text,
    graded,
    item,
    named_subject,
    objects,
    position,
    stored,
    write,
)
from resolvers.types import grade, pagination, personal, query, subject
from resolvers.types.common import RELATION, ROW_FUNCTION, SUBJECT_REFERENCE


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

    def compile(self, document: DocumentNode, operation_name: str | None) -> Plan | None:
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

    def _resolves(self, type_name: str, name: str, function: Any) -> bool:
        resolver = self._field(type_name, name).base_resolver
        return resolver is not None and resolver.wrapped_func is function

    def _compile(self, document: DocumentNode, operation_name: str | None) -> Plan:
        definitions = document.definitions
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
            name = node.name.value
            if name == "__typename":
                _leaf(node)
            elif root is None and (
                    (name == "subject" and self._resolves("Query", name, query.subject))
                    or (name == "subjects" and self._resolves("Query", name, query.subjects))):
                root = (key, node)
            else:
                raise Unplannable(f"Query.{name} is not compiled")
            order.append(key)
        if root is None:
            raise Unplannable("no subject is selected")
        key, node = root
        if node.name.value == "subjects":
            return self._page(key, node, order)
        arguments = _arguments(node, {"uscc", "allowLegacy"})
        if "uscc" not in arguments:
            raise Unplannable("uscc is missing")
        selection = self._selection(node.selection_set)
        found = SubjectRoot(uscc=_argument(arguments["uscc"], StringValueNode),
                            allow_legacy=_argument(arguments.get("allowLegacy", BooleanValueNode(
                                value=False)), BooleanValueNode))
        return Plan(key=key, root=found, selection=selection, order=order)

    def _page(self, key: str, node: FieldNode, order: list[str]) -> Plan:
        """``subjects(first:, after:) { edges { cursor node } pageInfo totalCount }``."""
        arguments = _arguments(node, {"first", "after"})
        selection = Selection()
        writers: list[tuple[str, PageValue]] = _selected(
            node, "SubjectConnection",
            {"__typename": lambda _p, _w: "SubjectConnection",
             "totalCount": lambda page, _w: page.count_total()},
            {"pageInfo": lambda child: page_info(self._object("PageInfo", child)),
             "edges": lambda child: self._page_edges(child, selection)})
        first = _argument(arguments.get("first"), IntValueNode, optional=True)
        if first.variable is None and first.value is not None:
            first = Argument(value=int(first.value))
        found = PageRoot(first=first, after=_argument(arguments.get("after"), StringValueNode,
                                                      optional=True), writers=writers)
        return Plan(key=key, root=found, selection=selection, order=order)

    def _page_edges(self, node: FieldNode, selection: Selection) -> PageValue:
        def node_of(child: FieldNode) -> Callable[[Any, dict[str, Any]], Any]:
            if selection.fields:
                raise Unplannable("node is selected twice")
            self._selection(child.selection_set, selection)
            return lambda _e, written: written

        writers: list[tuple[str, Callable[[Any, dict[str, Any]], Any]]] = _selected(
            node, "SubjectEdge",
            {"__typename": lambda _e, _n: "SubjectEdge", "cursor": lambda edge, _n: edge.cursor},
            {"node": node_of})
        return lambda page, nodes: [{key: made(edge, written) for key, made in writers}
                                    for edge, written in zip(page.edges, nodes, strict=True)]

    def _selection(self, selections: SelectionSetNode | None,
                   selection: Selection | None = None) -> Selection:
        """A subject's selection set: its writers, and the reads they need."""
        selection = selection or Selection()
        selection.fields = [(key, self._subject_field(selection, node))
                            for key, node in _fields(selections)]
        return selection

    def _subject_field(self, plan: Selection | None, node: FieldNode) -> SubjectValue:
        """A field of a subject; ``plan`` is ``None`` for a subject a record names (its
        fields that read nothing more: no relations, standing, grade or summary)."""
        name = node.name.value
        if name == "__typename":
            _leaf(node)
            return lambda _s, _f, _c: "Subject"
        field = self._field("Subject", name)
        if RELATION in field.metadata and plan is not None:
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
        }
        if wrapped in simple:
            _leaf(node)
            return simple[wrapped]
        objects: dict[Any, str] = {subject.verification: "Verification", subject.region: "Region"}
        if wrapped in objects:
            made: Callable[[models.Subject], Any] = wrapped  # type: ignore[assignment]
            writers = self._object(objects[wrapped], node)
            return lambda s, _f, _c: write(made(s), writers)
        if plan is None:
            raise Unplannable(f"Subject.{name} of a named subject is not compiled")
        if wrapped is subject.list_status:
            _leaf(node)
            plan.list_kinds = True
            return lambda _s, f, _c: lists.standing(f.list_kinds).name
        if wrapped is grade.credit_grade:
            return graded(self._object("CreditGrade", node))
        if wrapped is subject.rating_summary:  # its figures in the statement
            plan.rating_stats = True
            summary = self._object("RatingSummary", node)
            return lambda _s, f, _c: write(subject.summary_of(f.rating_stats), summary)
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

    def _connection(self, plan: Selection, node: FieldNode, name: str, late_filter: bool
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
        named: set[str] = set()  # the columns naming subjects (their rows get the subject)
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
                edge = self._edge(relation, child, columns, named)
                writers.append((key, edges(edge, number)))
            else:
                raise Unplannable(f"{node_type}Connection.{field} is not compiled")
        plan.parts.append(Part(relation, columns=tuple(columns), limit=size, count=count))
        plan.references += [(number, columns.index(name)) for name in sorted(named)]
        plan.lates.append(None if late is None else bool(late.value))
        return lambda s, f, c: {key: made(f, s, c) for key, made in writers}

    def _edge(self, relation: Relation, node: FieldNode, columns: list[str], named: set[str]
              ) -> Callable[[list[Any], models.Subject, Any], dict[str, Any]]:
        node_type = relation.model.__name__
        writers: list[tuple[str, NodeValue]] = []
        for key, child in _fields(node.selection_set):
            if child.name.value == "__typename":
                _leaf(child)
                writers.append((key, lambda _r, _s, _c: f"{node_type}Edge"))
            elif child.name.value == "node" and not child.arguments:
                fields = self._node(relation, child, columns, named)
                writers.append((key, item(fields)))
            else:
                raise Unplannable(f"{node_type}Edge.{child.name.value} is not compiled")
        return lambda row, s, c: {key: made(row, s, c) for key, made in writers}

    def _node(self, relation: Relation, node: FieldNode, columns: list[str], named: set[str]
              ) -> list[tuple[str, NodeValue]]:
        model, node_type = relation.model, relation.model.__name__
        writers: list[tuple[str, NodeValue]] = []
        for key, child in _fields(node.selection_set):
            if child.name.value == "__typename":
                _leaf(child)
                writers.append((key, lambda _r, _s, _c: node_type))
                continue
            field = self._field(node_type, child.name.value)
            reference = field.metadata.get(SUBJECT_REFERENCE)
            if reference is not None:  # a subject this record names: its id, then the subject
                if child.arguments:
                    raise Unplannable("arguments")
                named.add(reference)
                writers.append((key, named_subject(position(columns, reference), [
                    (k, self._subject_field(None, n)) for k, n in _fields(child.selection_set)])))
                continue
            _leaf(child)
            row_function = field.metadata.get(ROW_FUNCTION)
            if row_function is not None:  # e.g. ``ListEntry.inForce``
                read, function = row_function
                positions = [position(columns, name) for name in read]
                writers.append((key, computed(positions, [stored(model, name) for name in read],
                                              function)))
                continue
            text = field.metadata.get(personal.FREE_TEXT)
            if text is not None:
                kept, of_subject = text
                if of_subject != relation.parent:
                    raise Unplannable("free text about another subject")
                index = position(columns, kept)
                writers.append((key, free_text(index, personal.free_text_name(model, kept))))
                continue
            if field.base_resolver is not None:
                raise Unplannable(f"{node_type}.{child.name.value} has a resolver")
            if field.python_name in named:
                raise Unplannable(f"{field.python_name} names a subject")
            value = column(model, field.python_name, from_row=True)
            writers.append((key, at(position(columns, field.python_name), value)))
        return writers


def _selected(node: FieldNode, type_name: str, leaves: dict[str, Any],
              objects: dict[str, Callable[[FieldNode], Any]]) -> list[tuple[str, Any]]:
    """The writers of ``node``'s selections: a leaf's given, an object's made from its field
    (neither with arguments); anything else is not compiled."""
    writers: list[tuple[str, Any]] = []
    for key, child in _fields(node.selection_set):
        name = child.name.value
        if name in leaves:
            _leaf(child)
            writers.append((key, leaves[name]))
        elif name in objects and not child.arguments:
            writers.append((key, objects[name](child)))
        else:
            raise Unplannable(f"{type_name}.{name} is not compiled")
    return writers


def page_info(writers: list[tuple[str, Callable[[Any], Any]]]) -> PageValue:
    return lambda page, _nodes: write(page.page_info, writers)


def _argument(node: Any, literal: type, *, optional: bool = False) -> Argument:
    if node is None and optional:
        return Argument()
    if isinstance(node, VariableNode):
        return Argument(variable=node.name.value, optional=optional)
    if isinstance(node, literal):
        return Argument(value=getattr(node, "value", None))
    raise Unplannable("an argument of another kind")
