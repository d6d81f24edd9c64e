"""``ErrorCodes``: gives every GraphQL error an ``extensions.code`` and hides internals.

Errors the resolvers raise on purpose (``GatewayError``) pass unchanged. A database that does
not answer becomes ``DATABASE_UNAVAILABLE``; parse and validation errors get GraphQL's usual
codes; anything else becomes ``INTERNAL_SERVER_ERROR`` with a generic message, and its stack
trace goes to the server log only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import sqlalchemy.exc
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from resolvers.errors import DatabaseUnavailableError, GatewayError, InputErrors, InternalError

log = logging.getLogger("credit_gateway.errors")

# Raised when the database cannot be reached or drops the connection.
UNAVAILABLE: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.DisconnectionError,
    sqlalchemy.exc.TimeoutError,
)


# SQLite reports a broken schema (a missing table or column) as an OperationalError too;
# that is a fault of this server, not a database that is away, so it is not "unavailable".
SCHEMA_FAULTS = ("no such table", "no such column", "has no column", "syntax error")


def is_unavailable(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, UNAVAILABLE):
            return not any(fault in str(error) for fault in SCHEMA_FAULTS)
        error = error.__cause__ or error.__context__
    return False


def expanded(error: GraphQLError) -> list[GraphQLError]:
    """A write's ``InputErrors`` as one error per bad field (each with its own code and
    ``field`` path), at the position of the mutation that raised them; others unchanged."""
    original = error.original_error
    if not isinstance(original, InputErrors):
        return [coded(error)]
    return [GraphQLError(item.message, nodes=error.nodes, path=error.path,
                         extensions=item.extensions) for item in original.errors]


def coded(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if isinstance(original, GatewayError):
        return GraphQLError(original.message, nodes=error.nodes, path=error.path,
                            extensions=original.extensions)
    if original is None:
        if error.extensions and "code" in error.extensions:
            return error
        code = ("GRAPHQL_PARSE_FAILED" if error.message.startswith("Syntax Error")
                else "GRAPHQL_VALIDATION_FAILED")
        return GraphQLError(error.message, nodes=error.nodes, path=error.path,
                            extensions={**(error.extensions or {}), "code": code})
    if isinstance(original, GraphQLError) and original.extensions and "code" in original.extensions:
        return GraphQLError(error.message, nodes=error.nodes, path=error.path,
                            extensions=original.extensions)
    if error.path is None and not is_unavailable(original):
        # outside execution only variables are coerced: a value that does not fit its type
        # (an enum member that does not exist, a malformed Date) is the client's input
        return GraphQLError(error.message, nodes=error.nodes, path=error.path,
                            extensions={**(error.extensions or {}), "code": "BAD_USER_INPUT"})
    if is_unavailable(original):
        log.warning("database unavailable: %r", original)
        replacement: GatewayError = DatabaseUnavailableError(
            "The credit database is unavailable; retry later.")
    else:
        log.error("unexpected error", exc_info=original)
        replacement = InternalError("Internal server error.")
    return GraphQLError(replacement.message, nodes=error.nodes, path=error.path,
                        extensions=replacement.extensions)


class ErrorCodes(SchemaExtension):
    """Rewrites the errors of each operation's result (see module docstring)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [item for error in errors for item in expanded(error)]
