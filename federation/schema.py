"""The schema the embedded gateway serves: every type of ``resolvers.types``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLError, GraphQLSchema
from graphql.utilities.print_schema import print_directive
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from resolvers.types.conduct import Commitment, Complaint, Rating
from resolvers.types.decisions import License, Penalty
from resolvers.types.lists import ListEntry
from resolvers.types.logistics import LogisticsLink
from resolvers.types.mutations import Mutation
from resolvers.types.query import Query
from resolvers.types.scalars import SCALARS
from resolvers.types.subject import Subject

# Types reachable only through the ``Node`` interface must be named to be in the schema.
NODE_TYPES: tuple[type, ...] = (Subject, License, Penalty, Rating, Commitment, LogisticsLink,
                                Complaint, ListEntry)

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def core_schema(schema: strawberry.Schema) -> GraphQLSchema:
    """The graphql-core schema strawberry built, which validation, cost and printing read.

    strawberry offers no public accessor; its maintainers point at the ``_schema`` attribute
    (strawberry-graphql/strawberry#2590), unchanged since 2020. This is the one place the
    project reads it, so an upgrade that renames it changes one line."""
    return schema._schema


def served_schema(schema: strawberry.Schema) -> GraphQLSchema:
    """What ``schema`` serves (``Schema.served``), strawberry's own schema for any other."""
    return schema.served if isinstance(schema, Schema) else core_schema(schema)


def distinct_directive_locations(schema: GraphQLSchema) -> None:
    """Each directive's locations once each, in their first order.

    strawberry 0.341 declares ``@cost`` on ``... | SCALAR | ENUM`` with ``ENUM`` twice, so
    introspection answered it twice; both the embedded schema and every subgraph build their
    GraphQL schema through this (``tests/test_schema_file.py`` compares introspection with
    ``schema.graphql``)."""
    for directive in schema.directives:
        directive.locations = tuple(dict.fromkeys(directive.locations))


class Schema(strawberry.Schema):
    """strawberry's schema, minus its habit of logging every error with a stack trace:
    expected errors (a bad USCC) are not faults, and the gateway's ``ErrorCodes`` extension
    logs the unexpected ones."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        distinct_directive_locations(core_schema(self))

    @property
    def served(self) -> GraphQLSchema:
        """The schema clients see, which every request is validated against: the embedded
        gateway serves all it executes; a subgraph serves its projection
        (``federation.subgraphs``)."""
        return core_schema(self)

    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        return None


def build_schema(
    extensions: Sequence[type[SchemaExtension]] = (),
    mutation: type | None = Mutation,
) -> strawberry.Schema:
    """The gateway's schema; ``mutation=None`` leaves the writes out (a read-only view)."""
    return Schema(query=Query, mutation=mutation, types=NODE_TYPES, extensions=list(extensions),
                  config=StrawberryConfig(scalar_map=SCALARS))


# Demand-control directives (Apollo Federation v2.9, IBM cost spec): subgraphs import them with
# @link; the embedded SDL defines them itself, printed from the served definitions.
DEMAND_CONTROL = ("cost", "listSize")


def printed_schema(schema: Any | None = None) -> str:
    """The SDL checked in as ``schema.graphql`` (a trailing newline, as editors save it)."""
    schema = schema or build_schema()
    served = {d.name: d for d in core_schema(schema).directives}
    definitions = "".join(print_directive(served[name]) + "\n\n" for name in DEMAND_CONTROL)
    return definitions + str(schema).rstrip("\n") + "\n"
