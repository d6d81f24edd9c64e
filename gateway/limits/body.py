"""Request size limits: the body of a POST and the query string of a GET.

A body announced larger than the limit (``Content-Length``) is refused before a byte of it is
read; a body without ``Content-Length`` (chunked) is read up to the limit and refused as soon
as it passes it, so no request holds more than the limit in memory. The body read here is
handed to the application unchanged. Refusals are GraphQL-shaped with ``REQUEST_TOO_LARGE``:
413 for a body, 414 for a query string.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.headers import has_body
from gateway.refusals import refusal


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_body: int, max_query_string: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_query_string = max_query_string

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query_string: bytes = scope.get("query_string", b"")
        if self.max_query_string and len(query_string) > self.max_query_string:
            await refusal(414, "REQUEST_TOO_LARGE",
                          f"The query string is longer than {self.max_query_string} bytes; send "
                          "long documents by POST.", maximum=self.max_query_string,
                          part="queryString")(scope, receive, send)
            return
        if not self.max_body or not has_body(scope):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await self._refuse(scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body:
                await self._refuse(scope, receive, send)
                return
        await self.app(scope, _replay(bytes(body), receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = refusal(413, "REQUEST_TOO_LARGE",
                           f"The request body is larger than {self.max_body} bytes.",
                           maximum=self.max_body, part="body",
                           headers={"Connection": "close"})
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: the disconnect, when it comes

    return replayed
