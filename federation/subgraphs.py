"""Subgraph schemas (Apollo Federation v2): each owner's projection of the credit graph.

``build_subgraph_schema("enforcement")`` serves the fields enforcement owns, ``Subject`` as an
entity keyed by its USCC, ``_service { sdl }`` and ``_entities``. The roots and record types
are the embedded gateway's own (``federation.schema``), so a field or a mutation added there
reaches its owner's subgraph by the rules of ``federation.ownership``. Entity references
resolve through the query resolvers and so through the per-request loaders: N representations
of one type cost one SQL statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Union

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.federation.schema import FederationAny
from strawberry.printer import print_schema
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.tools import create_type
from strawberry.types.base import StrawberryObjectDefinition, get_object_definition

from federation import ownership
from federation.ownership import FEDERATION_VERSION, SUBGRAPHS, Subgraph
from federation.projection import ProjectingConverter, Projection, named_definitions
from federation.schema import (
    NODE_TYPES,
    Schema,
    build_schema,
    core_schema,
    distinct_directive_locations,
)
from resolvers.context import Info
from resolvers.types.query import node, subject
from resolvers.types.scalars import SCALARS
from resolvers.types.subject import Subject

ROOTS = ("query", "mutation", "subscription")


async def resolve_reference(info: Info, representation: dict[str, Any]) -> Any:
    """The row a representation names: a subject by USCC, a record by global ID."""
    if representation["__typename"] == "Subject":
        # the USCC came from one of our subgraphs, so a stored legacy code is accepted
        return await subject(info, representation[ownership.SUBJECT_KEY], allow_legacy=True)
    return await node(info, representation[ownership.RECORD_KEY])


def _entities_field(entity_types: Sequence[type]) -> Any:
    async def entities(info: Info, representations: list[FederationAny]) -> list[Any]:
        # every reference is asked for in the same tick, so each loader batches them
        return [resolve_reference(info, r) for r in representations]  # type: ignore[arg-type]

    union = Annotated[Union[tuple(entity_types)], strawberry.union("_Entity")]  # type: ignore[valid-type]  # noqa: UP007
    entities.__annotations__ = {"info": Info, "representations": list[FederationAny],
                                "return": list[union | None]}  # type: ignore[valid-type]
    field = strawberry.field(name="_entities", resolver=entities)
    field.python_name = "_entities"
    return field


def _definition(type_: Any) -> StrawberryObjectDefinition:
    return get_object_definition(type_, strict=True)


class SubgraphSchema(strawberry.federation.Schema):
    """One owner's subgraph: strawberry's federation schema over a ``Projection``."""

    process_errors = Schema.process_errors

    def __init__(self, subgraph: Subgraph, *,
                 extensions: Sequence[type[SchemaExtension]] = ()) -> None:
        config = StrawberryConfig(scalar_map=SCALARS)
        self.subgraph = subgraph
        self.projection = Projection(subgraph, config.name_converter)
        whole = build_schema()
        roots: dict[str, type] = {kind: getattr(whole, kind) for kind in ROOTS
                                  if getattr(whole, kind) is not None}
        served = {kind: root for kind, root in roots.items() if self._owned_fields(root)}
        types = self._types(served.values())
        entity_types = [Subject, *(t for t in types if ownership.entity_key(_definition(t).name))]
        description = _definition(roots["query"]).description
        query = create_type("Query", [_entities_field(entity_types)], description=description)
        if "query" in served:
            query = strawberry.type(type("Query", (query, roots["query"]), {}),
                                    description=description)
        super().__init__(query=query, mutation=served.get("mutation"),
                         subscription=served.get("subscription"), types=types,
                         extensions=list(extensions), config=config,
                         federation_version=FEDERATION_VERSION)  # type: ignore[arg-type]
        distinct_directive_locations(core_schema(self))

    @property
    def schema_converter(self) -> GraphQLCoreConverter:
        return self._converter

    @schema_converter.setter
    def schema_converter(self, converter: GraphQLCoreConverter) -> None:
        # strawberry assigns its converter in ``__init__``; ours projects every object type
        self._converter = ProjectingConverter.adopt(converter, self.projection)

    def _owned_fields(self, root: type) -> list[Any]:
        definition = _definition(root)
        return [f for f in definition.fields if self.projection.owns(definition.name, f)]

    def _types(self, roots: Iterable[type]) -> list[type]:
        """Record types this subgraph owns, and — when it answers a field returning an
        interface (``node``) — every record implementing it, as stubs where not owned."""
        owned = [t for t in NODE_TYPES
                 if ownership.record_owner(_definition(t).name) is self.subgraph]
        interfaces = {named.name for root in roots for f in self._owned_fields(root)
                      for named in named_definitions(f.type) if named.is_interface}
        implementing = [t for t in NODE_TYPES
                        if {i.name for i in _definition(t).interfaces} & interfaces]
        return list(dict.fromkeys([*owned, *implementing]))


def build_subgraph_schema(name: str, extensions: Sequence[type[SchemaExtension]] = ()
                          ) -> SubgraphSchema:
    return SubgraphSchema(SUBGRAPHS[name], extensions=extensions)


def subgraph_sdl(name: str) -> str:
    """What the subgraph answers to ``{ _service { sdl } }``."""
    return print_schema(build_subgraph_schema(name)).rstrip("\n") + "\n"
