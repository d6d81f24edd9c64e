"""``CodedHTTPErrors``: requests refused before GraphQL runs still get a GraphQL-shaped answer.

strawberry answers a body that is not JSON, a missing query or an unsupported content type with
a plain-text 4xx; clients handle errors in one place, so the gateway answers those with
``{"errors": [{"message", "extensions": {"code"}}]}`` and the same status (its media type is
the edge's, ``gateway.media``). A body that is not
even text (invalid UTF-8, stray NUL bytes) is such a body too, not a server fault.
"""

from __future__ import annotations

import json
import re
from typing import Any

from cross_web import HTTPException
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry import UNSET

from gateway.inputs import strings
from gateway.refusals import refusal

# a JSON escape of a UTF-16 surrogate: only then can a decoded string hold a lone one
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")

CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "REQUEST_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


class CodedHTTPErrors:
    """Mixin for strawberry's ASGI ``GraphQL``: coded JSON for its HTTP-level refusals."""

    def decode_json(self, data: str | bytes) -> object:
        try:
            value = json.loads(data)
        except (UnicodeDecodeError, RecursionError) as error:
            # not text, or nested past what the parser can hold: still just a bad body
            raise json.JSONDecodeError(str(error), "", 0) from error
        if not isinstance(value, dict | list):  # a list is a batch, refused by strawberry
            raise HTTPException(400, "Expected a JSON object: a GraphQL request, or its "
                                     "variables or extensions.")
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        if SURROGATE_ESCAPE.search(raw) and any(LONE_SURROGATE.search(text)
                                                for text in strings(value)):
            raise HTTPException(400, "The request holds a lone UTF-16 surrogate (a \\ud800-"
                                     "\\udfff escape without its pair): not Unicode text.")
        return value

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        # ``Any``: strawberry overloads ``run`` for HTTP requests and websockets
        try:
            result: Response | WebSocket = await super().run(  # type: ignore[misc]
                request, context, root_value)
        except HTTPException as error:
            status = error.status_code
            if status == 400 and error.reason == "Unsupported content type":
                status = 415  # strawberry says 400; HTTP has the precise status
            headers = {"Allow": "GET, POST"} if status == 405 else None
            result = refusal(status, CODES.get(status, "BAD_REQUEST"), error.reason,
                             headers=headers)
        return result

