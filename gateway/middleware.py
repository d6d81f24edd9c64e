"""``StatementCountMiddleware``: counts SQL statements per request and reports them.

Outside production the count is sent as ``X-SQL-Statements``, so anyone can see what a query
costs; it is logged at debug level always, and handed with the request's latency to ``observe``
(the ``/metrics`` histograms).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolvers.data import statements

log = logging.getLogger("credit_gateway.requests")
HEADER = "x-sql-statements"


class StatementCountMiddleware:
    def __init__(self, app: ASGIApp, *, expose: bool,
                 observe: Callable[[str, float, int], None] | None = None) -> None:
        self.app = app
        self.expose = expose
        self.observe = observe

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        count, token = statements.begin()
        try:
            if not self.expose:
                await self.app(scope, receive, send)
            else:

                async def send_with_count(message: Message) -> None:
                    # the response starts only after execution, so the count is final here
                    if message["type"] == "http.response.start":
                        MutableHeaders(scope=message).append(HEADER, str(count.value))
                    await send(message)

                await self.app(scope, receive, send_with_count)
        finally:
            statements.end(token)
        if self.observe is not None:
            self.observe(scope["path"], time.perf_counter() - started, count.value)
        log.debug("%s %s: %d SQL statements", scope["method"], scope["path"], count.value)
