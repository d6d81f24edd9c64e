"""``coded_errors``: gives every GraphQL error an ``extensions.code`` and hides internals.

Errors the resolvers raise on purpose (``GatewayError``) pass unchanged. A database that does
not answer becomes ``DATABASE_UNAVAILABLE``; parse and validation errors get GraphQL's usual
codes; a variable that does not fit its type ``BAD_USER_INPUT``; anything else becomes
``INTERNAL_SERVER_ERROR`` with a generic message, and its stack trace goes to the server log
only.

It runs at one outer point, the view's ``process_result`` (``gateway.graphql_app``), which
every result passes through — also one whose operation failed inside a schema extension's
hook (the limits, the access log): strawberry turns such an exception into an error of the
result, past every extension, so an extension could neither code nor log it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import sqlalchemy.exc
from graphql import GraphQLError

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
    if error.path is None and error.nodes and not is_unavailable(original):
        # outside execution only variables are coerced, each error at its variable's
        # definition: a value that does not fit its type (an enum member that does not exist,
        # a malformed Date) is the client's input. An exception of an extension's hook has no
        # place in the document: it is a fault, below
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


def coded_errors(errors: Iterable[GraphQLError]) -> list[GraphQLError]:
    """The errors of one result, each coded (a write's ``InputErrors`` one per bad field);
    unexpected ones are logged here, once."""
    return [item for error in errors for item in expanded(error)]


# codes of faults of this server (``DATABASE_UNAVAILABLE``: retry later), not of the request
SERVER_FAULTS = frozenset({"INTERNAL_SERVER_ERROR", "DATABASE_UNAVAILABLE"})


def is_request_error(data: object, errors: list[GraphQLError]) -> bool:
    """Whether coded ``errors`` ended the request before execution began (parse, validation,
    variables that do not fit, the document and cost limits, NUL text): nothing was executed
    (no ``data``) and each error is about the request — it has no field path, and it is not a
    fault of this server (an extension failing after execution, the access log, is one). Such
    an answer has no ``data`` key, as the GraphQL spec says."""
    return data is None and bool(errors) and all(
        error.path is None and (error.extensions or {}).get("code") not in SERVER_FAULTS
        for error in errors)
