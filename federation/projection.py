"""A subgraph as a projection of the credit graph's SDL.

The types in ``resolvers.types`` are written once, and strawberry prints them once (the whole
graph, with ``_entities`` and ``_service``). For a subgraph, ``Projection`` reads that SDL and
keeps what the subgraph serves (``federation.ownership``): on the roots, ``Subject`` and the
record types, only the fields it owns (and the entity's key), with the interfaces those fields
still satisfy; value types whole, ``@shareable``; ``@key`` on entities (a stub
``@key(resolvable: false)`` where the subgraph only names a record it does not own); and only
the types its fields reach. It works on graphql-core's syntax tree through its public API, so
strawberry is reached only by what it prints: the subgraph's SDL (``_service { sdl }``) and the
schema its requests are validated against (``served``) are built from ``sdl``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cached_property

from graphql import (
    BooleanValueNode,
    ConstArgumentNode,
    ConstDirectiveNode,
    ConstListValueNode,
    DirectiveDefinitionNode,
    DocumentNode,
    FieldDefinitionNode,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ListTypeNode,
    NamedTypeNode,
    NameNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    OperationType,
    OperationTypeDefinitionNode,
    SchemaDefinitionNode,
    StringValueNode,
    TypeDefinitionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    build_ast_schema,
    parse,
    print_ast,
)

from federation import ownership
from federation.ownership import FEDERATION_VERSION, HOME, SHARED_TYPES, Subgraph

# Payload types of mutations are looked into this deep to find the record a field returns
# (``reviewListCandidate`` → its payload → ``ListEntry``; a connection → its edges → its node).
_RETURN_DEPTH = 3
# Directives of the federation spec the SDL uses, imported with ``@link`` (demand control's
# ``@cost`` and ``@listSize`` are declared by the embedded SDL itself, ``federation.schema``).
_FEDERATION_DIRECTIVES = frozenset({"cost", "key", "listSize", "shareable"})
ENTITY_UNION = "_Entity"

Fielded = ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode


def named_type(node: TypeNode) -> str:
    """The type a field or argument names, through lists and non-nulls."""
    while isinstance(node, ListTypeNode | NonNullTypeNode):
        node = node.type
    assert isinstance(node, NamedTypeNode)
    return node.name.value


def _directive(name: str, **arguments: str | bool | list[str]) -> ConstDirectiveNode:
    def value(v: str | bool | list[str]) -> StringValueNode | BooleanValueNode | ConstListValueNode:
        if isinstance(v, bool):
            return BooleanValueNode(value=v)
        if isinstance(v, list):
            return ConstListValueNode(values=tuple(StringValueNode(value=s) for s in v))
        return StringValueNode(value=v)
    return ConstDirectiveNode(name=NameNode(value=name), arguments=tuple(
        ConstArgumentNode(name=NameNode(value=k), value=value(v))
        for k, v in arguments.items()))


class Projection:
    """What one subgraph serves of the whole graph's SDL (``whole``: strawberry's print of
    the executable schema)."""

    def __init__(self, subgraph: Subgraph, whole: str) -> None:
        self.subgraph = subgraph
        document = parse(whole)
        self._directives = [d for d in document.definitions
                            if isinstance(d, DirectiveDefinitionNode)
                            and d.name.value not in _FEDERATION_DIRECTIVES]
        self._types: dict[str, TypeDefinitionNode] = {
            d.name.value: d for d in document.definitions if isinstance(d, TypeDefinitionNode)}

    # -- who owns a field (ownership's rules 1–4)

    def returned_owners(self, field: FieldDefinitionNode, depth: int = _RETURN_DEPTH
                        ) -> set[str]:
        """Owners of the record types a field returns, looking ``depth`` levels into the
        value types on the way (a mutation payload wrapping a ``Penalty``)."""
        owners: set[str] = set()
        for name in self._objects_named(named_type(field.type)):
            owner = ownership.record_owner(name)
            definition = self._types[name]
            if owner is not None:
                owners.add(owner.name)
            elif depth > 1 and name not in SHARED_TYPES and isinstance(
                    definition, ObjectTypeDefinitionNode):
                for inner in definition.fields or ():
                    owners |= self.returned_owners(inner, depth - 1)
        return owners

    def _objects_named(self, name: str) -> Iterator[str]:
        definition = self._types.get(name)
        if isinstance(definition, UnionTypeDefinitionNode):
            for member in definition.types or ():
                yield member.name.value
        elif isinstance(definition, ObjectTypeDefinitionNode):
            yield name

    def field_owner(self, type_name: str, field: FieldDefinitionNode) -> str | None:
        """The subgraph serving ``type_name.field``; None for fields of value types, which
        every subgraph reaching the type serves."""
        claimed = ownership.claimed_by(type_name, field.name.value)
        if claimed is not None:
            return claimed.name
        if type_name not in SHARED_TYPES:
            return None
        owners = self.returned_owners(field)
        return owners.pop() if len(owners) == 1 else HOME.name

    def owns(self, type_name: str, field: FieldDefinitionNode) -> bool:
        return (self.field_owner(type_name, field) in (None, self.subgraph.name)
                or field.name.value.startswith("_"))

    # -- what the subgraph serves

    def fields(self, definition: Fielded) -> list[FieldDefinitionNode]:
        """The fields of a type this subgraph serves: all of a value type's, the owned ones
        (and the key) of a root, ``Subject`` or a record type."""
        name = definition.name.value
        if isinstance(definition, InterfaceTypeDefinitionNode) or name.startswith("_"):
            return list(definition.fields or ())
        key = ownership.entity_key(name)
        if key is None and name not in SHARED_TYPES:
            return list(definition.fields or ())
        return [f for f in definition.fields or ()
                if self.owns(name, f) or f.name.value == key]

    @cached_property
    def roots(self) -> dict[OperationType, str]:
        """The root types served (the query always: ``_entities``, ``_service``)."""
        served = {}
        for operation in OperationType:
            name = operation.value.capitalize()
            definition = self._types.get(name)
            if isinstance(definition, ObjectTypeDefinitionNode) and (
                    operation is OperationType.QUERY or self.fields(definition)):
                served[operation] = name
        return served

    def _named_types(self) -> list[str]:
        """Record types this subgraph owns, and — when it answers a field returning an
        interface (``node``) — every record implementing it, as stubs where not owned."""
        records = [n for n, d in self._types.items() if isinstance(d, ObjectTypeDefinitionNode)
                   and ownership.record_owner(n) is not None]
        owned = [n for n in records if ownership.record_owner(n) is self.subgraph]
        interfaces = {named_type(f.type) for root in self.roots.values()
                      for f in self.fields(self._fielded(root))
                      if isinstance(self._types.get(named_type(f.type)),
                                    InterfaceTypeDefinitionNode)}
        implementing = [n for n in ["Subject", *records] if interfaces & {
            i.name.value for i in self._fielded(n).interfaces or ()}]
        return list(dict.fromkeys([*owned, *implementing]))

    def _fielded(self, name: str) -> Fielded:
        definition = self._types[name]
        assert isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode)
        return definition

    def _reached(self) -> set[str]:
        """Every type the served roots and named types lead to, as graphql-core collects a
        schema's types: through fields, arguments, interfaces, union members, input fields
        (not ``_Entity``'s members: it holds the entities reached otherwise)."""
        reached: set[str] = set()
        pending = [*self.roots.values(), *self._named_types()]
        while pending:
            name = pending.pop()
            definition = self._types.get(name)
            if name in reached or definition is None:
                continue
            reached.add(name)
            if name == ENTITY_UNION:  # its members: the entities reached otherwise
                continue
            if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
                for field in self.fields(definition):
                    pending.append(named_type(field.type))
                    pending.extend(named_type(a.type) for a in field.arguments or ())
                pending.extend(i.name.value for i in self._interfaces(definition))
            elif isinstance(definition, UnionTypeDefinitionNode):
                pending.extend(m.name.value for m in definition.types or ())
            elif isinstance(definition, InputObjectTypeDefinitionNode):
                pending.extend(named_type(f.type) for f in definition.fields or ())
        return reached

    def _interfaces(self, definition: Fielded) -> list[NamedTypeNode]:
        """The interfaces a type still satisfies with the fields it keeps."""
        names = {f.name.value for f in self.fields(definition)}
        return [i for i in definition.interfaces or ()
                if {f.name.value for f in self._fielded(i.name.value).fields or ()} <= names]

    def _project(self, definition: TypeDefinitionNode, reached: set[str]
                 ) -> TypeDefinitionNode:
        name = definition.name.value
        if name == ENTITY_UNION:
            assert isinstance(definition, UnionTypeDefinitionNode)
            members = tuple(m for m in definition.types or () if m.name.value in reached)
            return UnionTypeDefinitionNode(name=definition.name, directives=definition.directives,
                                           description=definition.description, types=members)
        if not isinstance(definition, ObjectTypeDefinitionNode) or name.startswith("_"):
            return definition
        directives = list(definition.directives or ())
        key = ownership.entity_key(name)
        if key is None and name not in SHARED_TYPES:
            directives.append(_directive("shareable"))
        elif key is not None:
            owner = ownership.record_owner(name)
            resolvable = owner is None or owner is self.subgraph
            directives.append(_directive("key", fields=key, resolvable=resolvable))
        return ObjectTypeDefinitionNode(
            name=definition.name, description=definition.description,
            interfaces=tuple(self._interfaces(definition)), directives=tuple(directives),
            fields=tuple(self.fields(definition)))

    @cached_property
    def document(self) -> DocumentNode:
        reached = self._reached()
        types = [self._project(d, reached) for n, d in self._types.items() if n in reached]
        used = sorted({f"@{d.name.value}" for d in _directives_in(types)
                       if d.name.value in _FEDERATION_DIRECTIVES})
        link = _directive("link", url=f"https://specs.apollo.dev/federation/v{FEDERATION_VERSION}",
                          **{"import": used})
        schema = SchemaDefinitionNode(directives=(link,), operation_types=tuple(
            OperationTypeDefinitionNode(operation=operation,
                                        type=NamedTypeNode(name=NameNode(value=name)))
            for operation, name in self.roots.items()))
        return DocumentNode(definitions=(schema, *self._directives, *types))

    @cached_property
    def sdl(self) -> str:
        """What the subgraph answers to ``{ _service { sdl } }``."""
        return print_ast(self.document).rstrip("\n") + "\n"

    @cached_property
    def served(self) -> GraphQLSchema:
        """The schema a client of this subgraph sees: requests are validated against it and
        introspection answered from it."""
        return build_ast_schema(self.document, assume_valid_sdl=True)


def _directives_in(types: Iterable[TypeDefinitionNode]) -> Iterator[ConstDirectiveNode]:
    for definition in types:
        yield from definition.directives or ()
        for field in getattr(definition, "fields", None) or ():
            yield from field.directives or ()
            for argument in getattr(field, "arguments", None) or ():
                yield from argument.directives or ()
        for value in getattr(definition, "values", None) or ():
            yield from value.directives or ()
