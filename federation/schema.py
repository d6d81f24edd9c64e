"""The schema the embedded gateway serves: every type of ``resolvers.types``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLError
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


class Schema(strawberry.Schema):
    """strawberry's schema, minus its habit of logging every error with a stack trace:
    expected errors (a bad USCC) are not faults, and the gateway's ``ErrorCodes`` extension
    logs the unexpected ones."""

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


# Demand-control directives (Apollo Federation v2.9, IBM cost spec) as the embedded schema
# declares them: subgraphs import them with @link, the embedded SDL defines them itself.
DEMAND_CONTROL = (
    "directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | "
    "INPUT_FIELD_DEFINITION | OBJECT | SCALAR\n\n"
    "directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], "
    "requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION\n"
)


def printed_schema(schema: Any | None = None) -> str:
    """The SDL checked in as ``schema.graphql`` (a trailing newline, as editors save it)."""
    return DEMAND_CONTROL + "\n" + str(schema or build_schema()).rstrip("\n") + "\n"
