"""Cost limit (查询成本): the static cost of an operation, by ``@cost`` and ``@listSize``.

Computed from the document and its variables before anything executes, with the IBM / Apollo
demand-control rules:

- a field returning an object, interface or union costs 1, a scalar or enum 0, unless the field
  (or its type) says otherwise with ``@cost(weight:)``; a mutation's root costs 10 more;
- a list field multiplies its own cost and its selections' cost by the list's size: the value of
  its ``@listSize`` slicing argument (``first``) when given, else its ``assumedSize``; a
  connection's ``@listSize(sizedFields: ["edges"])`` hands that size to ``edges``; a list
  without ``@listSize`` counts ``UNSIZED_LIST`` items (``_entities`` counts its representations);
- fragments count where they are spread (conditional fragments on abstract types all count:
  an upper bound).

Over ``CREDIT_GATEWAY_MAX_COST`` the operation is refused with ``QUERY_TOO_COSTLY`` naming
``cost`` and ``maximum``; the numbers for typical queries are in docs/LIMITS.md.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    VariableValues,
    get_argument_values,
    get_named_type,
    get_variable_values,
    is_composite_type,
)
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension
from strawberry.federation.schema_directives import Cost, ListSize
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionContext

from federation.schema import core_schema, served_schema
from gateway.limits._walk import Fold, TooComplex, chosen_operation, fragments_of
from gateway.limits.text import text_errors
from gateway.settings import Settings

MUTATION_COST = 10
UNSIZED_LIST = 10
_DEFINITION = "strawberry-definition"  # where strawberry keeps its own definition


@dataclass(frozen=True)
class Demand:
    """What ``@cost`` and ``@listSize`` say about one field."""

    weight: int | None = None
    slicing: tuple[str, ...] = ()
    assumed: int | None = None
    sized_fields: tuple[str, ...] = ()

    @property
    def sized(self) -> bool:
        return bool(self.slicing) or self.assumed is not None

    @classmethod
    def of(cls, field: GraphQLField, named: GraphQLNamedType) -> Demand:
        weight: int | None = None
        assumed: int | None = None
        slicing: tuple[str, ...] = ()
        sized: tuple[str, ...] = ()
        for directive in [*_directives(named), *_directives(field)]:  # the field's win
            if isinstance(directive, Cost):
                weight = directive.weight
            elif isinstance(directive, ListSize):
                slicing = tuple(directive.slicing_arguments or ())
                assumed = directive.assumed_size
                sized = tuple(directive.sized_fields or ())
        return cls(weight, slicing, assumed, sized)


def _directives(definition: GraphQLField | GraphQLNamedType) -> Iterator[object]:
    own = (definition.extensions or {}).get(_DEFINITION)
    yield from getattr(own, "directives", None) or ()


def _is_list(type_: Any) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


@dataclass(frozen=True)
class Place:
    """Where a selection set is: its parent type, and the sizes a ``@listSize`` hands to its
    ``sizedFields`` (a connection's ``edges``)."""

    parent: GraphQLNamedType
    sized: tuple[tuple[str, int], ...] = ()


class CostCalculator(Fold[int, Place]):
    """The cost of one operation of a document, given the request's variables.

    Arguments are read as execution reads them (graphql-core's ``get_variable_values`` and
    ``get_argument_values``): a variable not sent counts its default (``$n: Int = 100``), an
    argument not given its schema default. Values execution would refuse count as not given
    (execution then reports them, before any resolver runs). Each fragment is costed once per
    place it is spread in (``Fold``)."""

    def __init__(self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode],
                 variables: Mapping[str, Any] | None, budget: int = 0) -> None:
        super().__init__(fragments, budget)
        self.schema = schema
        self.sent = dict(variables or {})
        self.variables: VariableValues | None = None

    def operation(self, operation: OperationDefinitionNode) -> int:
        root = self.schema.get_root_type(operation.operation)
        if root is None:
            return 0
        coerced = get_variable_values(self.schema, operation.variable_definitions or (),
                                      self.sent)
        self.variables = coerced if isinstance(coerced, VariableValues) else None
        base = MUTATION_COST if operation.operation is OperationType.MUTATION else 0
        return base + self.selections(operation.selection_set, Place(root))

    def combine(self, values: Iterable[int]) -> int:
        return sum(values)

    def key(self, context: Place) -> Hashable:
        return context.parent.name, context.sized

    def field(self, node: FieldNode, condition: str | None, context: Place) -> int:
        parent = (self.schema.get_type(condition) if condition else None) or context.parent
        name = node.name.value
        definitions: Mapping[str, GraphQLField] = getattr(parent, "fields", None) or {}
        definition = definitions.get(name)
        if definition is None or name.startswith("__"):
            return 0  # introspection, or a field the validator reports as unknown
        named = get_named_type(definition.type)
        demand = Demand.of(definition, named)
        weight = demand.weight if demand.weight is not None else int(is_composite_type(named))
        arguments = self.arguments(node, definition)
        size = self.list_size(arguments, demand)
        inner = tuple((sized, size) for sized in demand.sized_fields)
        cost = weight + self.selections(node.selection_set, Place(named, inner))
        if not _is_list(definition.type):
            return cost
        sized = dict(context.sized)
        if name in sized:
            return sized[name] * cost
        return (size if demand.sized else self.unsized(arguments)) * cost

    def arguments(self, node: FieldNode, definition: GraphQLField) -> dict[str, Any]:
        if not definition.args:
            return {}
        try:
            return get_argument_values(definition, node, self.variables)
        except GraphQLError:
            return {}

    @staticmethod
    def list_size(arguments: Mapping[str, Any], demand: Demand) -> int:
        given = [value for value in (arguments.get(name) for name in demand.slicing)
                 if isinstance(value, int) and not isinstance(value, bool) and value >= 0]
        if given:
            return max(given)
        return demand.assumed if demand.assumed is not None else UNSIZED_LIST

    @staticmethod
    def unsized(arguments: Mapping[str, Any]) -> int:
        representations = arguments.get("representations")
        return len(representations) if isinstance(representations, list) else UNSIZED_LIST


def operation_cost(schema: GraphQLSchema, document: Any, operation_name: str | None,
                   variables: Mapping[str, Any] | None, budget: int = 0) -> int:
    """The cost of the operation a request runs; ``TooComplex`` past ``budget`` visits."""
    operation = chosen_operation(document, operation_name)
    if operation is None:
        return 0
    return CostCalculator(schema, fragments_of(document), variables, budget).operation(operation)


class RememberedValidation:
    """Validation results by document text and rules, the least recently used forgotten first.

    Validation depends on the document and the rules only, and the query windows send the same
    few documents all day: validating the widget's document was 28 % of an uncached widget
    answer (docs/PERFORMANCE.md). Documents over ``LONGEST`` characters are validated each time.
    """

    SIZE = 256
    LONGEST = 16_384

    def __init__(self) -> None:
        self._known: OrderedDict[tuple[str, tuple[type[ASTValidationRule], ...]],
                                 tuple[GraphQLError, ...]] = OrderedDict()

    def errors(self, context: ExecutionContext) -> list[GraphQLError]:
        # validated against what the schema serves: a subgraph refuses fields it does not own
        schema, document = served_schema(context.schema), context.graphql_document
        assert document is not None  # parsed before validation
        rules = tuple(context.validation_rules)
        if context.query is None or len(context.query) > self.LONGEST:
            return list(validate_document(schema, document, rules))
        key = (context.query, rules)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = tuple(validate_document(schema, document, rules))
            if len(self._known) > self.SIZE:
                self._known.popitem(last=False)
        else:
            self._known.move_to_end(key)
        return list(found)


class VariableLimits:
    """The limits that read a request's variables, for a document that validated: every text
    argument's declared maximum length (``gateway/limits/text.py``), then the cost against
    ``CREDIT_GATEWAY_MAX_COST``. Strawberry's execution (``cost_limit``) and compiled plans
    (``gateway/planned.py``) both ask here."""

    def __init__(self, settings: Settings) -> None:
        self.maximum, self.budget = settings.max_cost, settings.max_visits

    def errors(self, schema: GraphQLSchema, document: Any, operation_name: str | None,
               variables: Mapping[str, Any] | None) -> list[GraphQLError]:
        maximum, budget = self.maximum, self.budget
        try:
            errors = text_errors(schema, document, operation_name, variables, budget)
        except TooComplex as refusal:
            return [refusal.error()]
        if errors or not maximum:
            return errors
        try:
            cost = operation_cost(schema, document, operation_name, variables, budget)
        except TooComplex as refusal:
            return [refusal.error()]
        if cost > maximum:
            return [GraphQLError(
                f"The operation costs {cost}; at most {maximum} allowed. Ask for "
                "smaller pages (`first`) or fewer relations.",
                extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "maximum": maximum})]
        return []


def cost_limit(settings: Settings) -> type[SchemaExtension]:
    """The extension validating operations (remembered per document, ``RememberedValidation``)
    and refusing those costlier than ``CREDIT_GATEWAY_MAX_COST``. The cost reads the request's
    variables, so it is not a validation rule: it is computed after a document validated
    without errors, and a document both invalid and too costly reports its validation errors.
    Between the two, every text argument's length is checked against its declared maximum
    (``gateway/limits/text.py``), also per request (its variables)."""
    remembered = RememberedValidation()  # one per app: its schema and settings
    limits = VariableLimits(settings)

    class CostLimit(SchemaExtension):
        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            errors = remembered.errors(context)
            variables = context.variables if isinstance(context.variables, dict) else None
            if not errors:
                errors = limits.errors(core_schema(context.schema), context.graphql_document,
                                       context.operation_name, variables)
            # set before the validation step runs, so strawberry does not validate again
            context.pre_execution_errors = errors
            yield

    return CostLimit
