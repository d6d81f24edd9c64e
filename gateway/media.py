"""``GraphQLMediaType``: the edge pipeline's media-type stage (``gateway.pipeline``).

A client that prefers ``application/graphql-response+json`` (GraphQL over HTTP; the rule is
``gateway.responses.http.wants_graphql_response``) gets every GraphQL-shaped answer as that
media type, whichever stage made it: an executed result, an answer from the response cache, or
a refusal of the limits, the rate limit, authentication, CORS or the persisted-document rules.
A request error (nothing executed, noted by the view on the request's state) then has the
spec's ``400`` instead of ``200``. Anything else (GraphiQL's page, a ``304``, ``/metrics``)
keeps its type. Every other client is passed on untouched.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.headers import header
from gateway.responses.http import GRAPHQL_RESPONSE, wants_graphql_response

REQUEST_ERROR = "request_error"  # the request state's flag set by the view (process_result)
_MEDIA_TYPE = f"{GRAPHQL_RESPONSE}; charset=utf-8"


class GraphQLMediaType:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not wants_graphql_response(header(scope, b"accept")):
            await self.app(scope, receive, send)
            return

        async def send_negotiated(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("application/json"):
                    headers["content-type"] = _MEDIA_TYPE
                    state = scope.get("state") or {}
                    if message["status"] == 200 and state.get(REQUEST_ERROR, False):
                        message["status"] = 400
            await send(message)

        await self.app(scope, receive, send_negotiated)
