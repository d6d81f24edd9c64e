"""Subgraph schemas (Apollo Federation v2): each owner's projection of the credit graph.

``build_subgraph_schema("enforcement")`` serves the fields enforcement owns, ``Subject`` as an
entity keyed by its USCC, ``_service { sdl }`` and ``_entities``. A subgraph executes with the
embedded gateway's own types, roots and resolvers (``federation.schema``), plus ``_entities``
and ``_service``; what it *serves* is ``federation.projection``'s projection of that schema's
SDL: its ``_service { sdl }``, the schema every request is validated against (a field the
subgraph does not own is refused as unknown) and its introspection. So a field or a mutation
added in ``resolvers/`` reaches its owner's subgraph by the rules of ``federation.ownership``,
and strawberry is reached only through public API: a schema, its printed SDL, extensions.
Entity references resolve through the query resolvers and so through the per-request loaders:
N representations of one type cost one SQL statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from typing import Annotated, Any, NewType, Union, cast

import strawberry
from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationType,
    SelectionNode,
    execute,
    get_operation_ast,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import create_type
from strawberry.types import ExecutionContext

from federation import ownership
from federation.ownership import SUBGRAPHS, Subgraph
from federation.projection import Projection
from federation.schema import NODE_TYPES, Schema, build_schema
from resolvers.context import Info
from resolvers.types.query import node, subject
from resolvers.types.scalars import SCALARS

# Federation's ``_Any``: an entity representation, passed to ``_entities`` as it came.
Representation = NewType("Representation", object)
REPRESENTATION = strawberry.scalar(name="_Any", serialize=lambda v: v, parse_value=lambda v: v)
INTROSPECTION = frozenset({"__schema", "__type"})


async def resolve_reference(info: Info, representation: dict[str, Any]) -> Any:
    """The row a representation names: a subject by USCC, a record by global ID."""
    if representation["__typename"] == "Subject":
        # the USCC came from one of our subgraphs, so a stored legacy code is accepted
        return await subject(info, representation[ownership.SUBJECT_KEY], allow_legacy=True)
    return await node(info, representation[ownership.RECORD_KEY])


def _entities_field() -> Any:
    async def entities(info: Info, representations: list[Representation]) -> list[Any]:
        # every reference is asked for in the same tick, so each loader batches them
        return [resolve_reference(info, r) for r in representations]  # type: ignore[arg-type]

    union = Annotated[Union[tuple(NODE_TYPES)], strawberry.union("_Entity")]  # type: ignore[valid-type]  # noqa: UP007
    entities.__annotations__ = {"info": Info, "representations": list[Representation],
                                "return": list[union | None]}  # type: ignore[valid-type]
    field = strawberry.field(name="_entities", resolver=entities)
    field.python_name = "_entities"
    return field


@strawberry.type(name="_Service")
class Service:
    """Federation's ``_Service``: the subgraph's SDL, as the router composes it."""

    sdl: str


def _service_field() -> Any:
    def service(info: Info) -> Service:
        return Service(sdl=cast("SubgraphSchema", info.schema).projection.sdl)

    field: Any = strawberry.field(name="_service", resolver=service)
    field.python_name = "_service"
    return field


class ServedIntrospection(SchemaExtension):
    """Introspection answered from the subgraph's served schema, not the whole graph it
    executes with: an operation whose root selects ``__schema`` or ``__type`` (``__typename``
    beside them) runs against ``SubgraphSchema.served``, which has no resolvers but
    introspection's own. One that also selects data fields is refused: its data would come
    from one schema and its introspection from another."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if not context.pre_execution_errors and _introspection(context) is False:
            context.pre_execution_errors = [GraphQLError(
                "A subgraph answers __schema and __type in an operation of their own, "
                "without data fields.", extensions={"code": "GRAPHQL_VALIDATION_FAILED"})]
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        schema, document = context.schema, context.graphql_document
        if (isinstance(schema, SubgraphSchema) and document is not None and not context.result
                and _introspection(context)):
            result = execute(schema.served, document, variable_values=context.variables,
                             operation_name=context.operation_name)
            assert isinstance(result, ExecutionResult)  # introspection resolves at once
            context.result = result
        yield


def _introspection(context: ExecutionContext) -> bool | None:
    """True when the operation's root selects introspection only, False when it mixes it
    with data fields, None when it selects no ``__schema`` or ``__type``."""
    document = context.graphql_document
    if document is None:
        return None
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}

    def fields(selections: Iterable[SelectionNode]) -> Iterator[str]:
        for selection in selections:
            if isinstance(selection, FieldNode):
                yield selection.name.value
            elif isinstance(selection, InlineFragmentNode):
                yield from fields(selection.selection_set.selections)
            elif isinstance(selection, FragmentSpreadNode) and (
                    selection.name.value in fragments):
                yield from fields(fragments[selection.name.value].selection_set.selections)

    operation = get_operation_ast(document, context.operation_name)
    roots = set(fields(operation.selection_set.selections)) if operation else set()
    if not roots & INTROSPECTION:
        return None
    return roots <= INTROSPECTION | {"__typename"}


class SubgraphSchema(Schema):
    """One owner's subgraph: the whole graph's types with ``_entities`` and ``_service``,
    served as ``projection`` sees it."""

    def __init__(self, subgraph: Subgraph, *,
                 extensions: Sequence[type[SchemaExtension]] = ()) -> None:
        self.subgraph = subgraph
        whole = build_schema()
        roots: dict[str, type] = {op.value: getattr(whole, op.value) for op in OperationType
                                  if getattr(whole, op.value) is not None}
        description = strawberry.types.get_object_definition(roots["query"],
                                                             strict=True).description
        query = create_type("Query", [_entities_field(), _service_field()],
                            description=description)
        query = strawberry.type(type("Query", (query, roots["query"]), {}),
                                description=description)
        super().__init__(query=query, mutation=roots.get("mutation"),
                         subscription=roots.get("subscription"), types=NODE_TYPES,
                         extensions=[*extensions, ServedIntrospection],
                         config=StrawberryConfig(scalar_map={
                             **SCALARS, Representation: REPRESENTATION}))

    @cached_property
    def projection(self) -> Projection:
        return Projection(self.subgraph, str(self))

    @property
    def served(self) -> GraphQLSchema:
        """The projection's schema: what this subgraph's clients see."""
        return self.projection.served


def build_subgraph_schema(name: str, extensions: Sequence[type[SchemaExtension]] = ()
                          ) -> SubgraphSchema:
    return SubgraphSchema(SUBGRAPHS[name], extensions=extensions)


def subgraph_sdl(name: str) -> str:
    """What the subgraph answers to ``{ _service { sdl } }``."""
    return build_subgraph_schema(name).projection.sdl
