"""Typed GraphQL errors: every error a client sees carries ``extensions.code``.

The codes are part of the API; docs/ERRORS.md lists them. Anything unexpected is replaced by
``INTERNAL_SERVER_ERROR`` at the edge (``resolvers.extensions.ErrorCodes``), never shown raw.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError


class GatewayError(GraphQLError):
    """A GraphQL error with a stable machine-readable code."""

    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": self.code, **extensions})


class InvalidUsccError(GatewayError):
    """The input is not a USCC: wrong length, alphabet, or check character."""

    code = "INVALID_USCC"


class InvalidCursorError(GatewayError):
    """A pagination cursor this server did not issue for this list."""

    code = "INVALID_CURSOR"


class InvalidIdError(GatewayError):
    """A global ID that is not one of ours."""

    code = "INVALID_ID"


class BadUserInputError(GatewayError):
    """An argument outside its allowed range."""

    code = "BAD_USER_INPUT"


class DatabaseUnavailableError(GatewayError):
    """The database did not answer; the request may be retried."""

    code = "DATABASE_UNAVAILABLE"


class InternalError(GatewayError):
    """Anything unexpected; details go to the server log only."""

    code = "INTERNAL_SERVER_ERROR"
