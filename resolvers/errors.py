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


class NotComputedError(GatewayError):
    """An answer a job computes, asked for before the job first ran."""

    code = "NOT_COMPUTED"


class InternalError(GatewayError):
    """Anything unexpected; details go to the server log only."""

    code = "INTERNAL_SERVER_ERROR"


class UnauthenticatedError(GatewayError):
    """A write without an API key (reads need none)."""

    code = "UNAUTHENTICATED"


class ForbiddenError(GatewayError):
    """The writer's department does not own this record type, or the record is another's."""

    code = "FORBIDDEN"


class FieldError(GatewayError):
    """One bad field (or record) of a write, with the code its problem carries."""

    def __init__(self, code: str, message: str, **extensions: Any) -> None:
        self.code = code  # per instance: the write service names the code
        super().__init__(message, **extensions)


class InputErrors(GatewayError):
    """Every bad field of one write; the edge reports each as its own GraphQL error."""

    code = "BAD_USER_INPUT"

    def __init__(self, errors: list[GatewayError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors
