"""A refusal at the HTTP edge, shaped like a GraphQL response so clients handle it where they
handle every other error: ``{"errors": [{"message", "extensions": {"code", …}}]}``. Every
layer that answers before (or instead of) GraphQL execution uses it: auth, CORS, the limits,
strawberry's HTTP-level refusals and the persisted-document rules."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse


def refusal(status: int, code: str, message: str, *, headers: Mapping[str, str] | None = None,
            **extensions: object) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))
