"""A subgraph as a projection of the credit graph's strawberry types.

The types in ``resolvers.types`` are written once. For a subgraph, ``Projection`` gives each
object type a copy of its definition holding only the fields that subgraph owns
(``federation.ownership``), the interfaces those fields still satisfy, and the federation
directives: ``@key`` on entities (a stub ``@key(resolvable: false)`` where the subgraph only
names a record it does not own) and ``@shareable`` on value types. ``ProjectingConverter`` is
strawberry's schema converter with that substitution, so reachability does the rest: a type
lands in a subgraph exactly when one of its owned fields leads there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLObjectType
from strawberry.federation.schema_directives import Key, Shareable
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryContainer, StrawberryObjectDefinition
from strawberry.types.field import StrawberryField
from strawberry.types.lazy_type import LazyType
from strawberry.types.union import StrawberryUnion

from federation import ownership
from federation.ownership import HOME, SHARED_TYPES, Subgraph

# Payload types of mutations are looked into this deep to find the record a field returns.
_RETURN_DEPTH = 2


def named_definitions(type_: Any) -> Iterator[StrawberryObjectDefinition]:
    """The object definitions a field type names, through lists, nulls, lazy types, unions
    and generic arguments (``Connection[Penalty]`` names ``Penalty``)."""
    while isinstance(type_, StrawberryContainer):
        type_ = type_.of_type
    if isinstance(type_, LazyType):
        type_ = type_.resolve_type()
    if isinstance(type_, StrawberryUnion):
        for member in type_.types:
            yield from named_definitions(member)
        return
    definition: StrawberryObjectDefinition | None = getattr(type_, "__strawberry_definition__",
                                                            None)
    if not isinstance(definition, StrawberryObjectDefinition):
        return
    yield definition
    for argument in definition.type_var_map.values():
        yield from named_definitions(argument)


def returned_owners(field: StrawberryField, depth: int = _RETURN_DEPTH) -> set[str]:
    """Owners of the record types a field returns, looking ``depth`` levels into the value
    types on the way (a mutation payload wrapping a ``Penalty``)."""
    owners: set[str] = set()
    for definition in named_definitions(field.type):
        owner = ownership.record_owner(definition.name)
        if owner is not None:
            owners.add(owner.name)
        elif depth > 1 and definition.name not in SHARED_TYPES and not definition.is_interface:
            for inner in definition.fields:
                owners |= returned_owners(inner, depth - 1)
    return owners


def field_owner(type_name: str, field_name: str, field: StrawberryField) -> str | None:
    """The subgraph serving ``type_name.field_name``; None for fields of value types, which
    every subgraph reaching the type serves."""
    claimed = ownership.claimed_by(type_name, field_name)
    if claimed is not None:
        return claimed.name
    if type_name not in SHARED_TYPES:
        return None
    owners = returned_owners(field)
    return owners.pop() if len(owners) == 1 else HOME.name


class Projection:
    """The definitions one subgraph serves, made on demand and kept by type name."""

    def __init__(self, subgraph: Subgraph, names: NameConverter) -> None:
        self.subgraph = subgraph
        self.names = names
        self._projected: dict[str, StrawberryObjectDefinition] = {}

    def owns(self, type_name: str, field: StrawberryField) -> bool:
        name = self.names.from_field(field)
        owner = field_owner(type_name, name, field)
        return owner in (None, self.subgraph.name) or name.startswith("_")

    def fields(self, definition: StrawberryObjectDefinition) -> list[StrawberryField]:
        """The fields of a root or entity type this subgraph serves (keys included)."""
        key = ownership.entity_key(definition.name)
        return [f for f in definition.fields
                if self.owns(definition.name, f) or self.names.from_field(f) == key]

    def definition(self, definition: StrawberryObjectDefinition) -> StrawberryObjectDefinition:
        name = self.names.from_type(definition)
        if name not in self._projected:
            self._projected[name] = self._project(name, definition)
        return self._projected[name]

    def _project(self, name: str, definition: StrawberryObjectDefinition
                 ) -> StrawberryObjectDefinition:
        if name.startswith("_"):  # federation's own types (_Service)
            return definition
        key = ownership.entity_key(name)
        if key is None and name not in SHARED_TYPES:
            return dataclasses.replace(
                definition, directives=[*(definition.directives or ()), Shareable()])
        fields = self.fields(definition)
        directives = list(definition.directives or ())
        if key is not None:
            owner = ownership.record_owner(name)
            resolvable = owner is None or owner.name == self.subgraph.name
            directives.append(Key(fields=key, resolvable=resolvable))  # type: ignore[arg-type]
        names = {self.names.from_field(f) for f in fields}
        interfaces = [i for i in definition.interfaces
                      if {self.names.from_field(f) for f in i.fields} <= names]
        return dataclasses.replace(definition, fields=fields, interfaces=interfaces,
                                   directives=directives)


class ProjectingConverter(GraphQLCoreConverter):
    """strawberry's converter, converting each object type as ``projection`` sees it."""

    projection: Projection

    @classmethod
    def adopt(cls, converter: GraphQLCoreConverter, projection: Projection
              ) -> ProjectingConverter:
        # strawberry builds its converter inside ``Schema.__init__``; this takes it over
        # with everything it was configured with (scalars, exception handlers).
        adopted = cls.__new__(cls)
        adopted.__dict__.update(converter.__dict__)
        adopted.projection = projection
        return adopted

    def from_object(self, object_type: StrawberryObjectDefinition) -> GraphQLObjectType:
        return super().from_object(self.projection.definition(object_type))
