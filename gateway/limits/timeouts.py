"""Read timeouts (读超时): a slow client does not hold a connection open indefinitely.

``CREDIT_GATEWAY_READ_TIMEOUT`` seconds (0 = no limit) bound each part of a request a client
sends, so half a request ties up a connection (and a file descriptor, and a slot under any
connection limit) for at most that long:

- **The request head** (``HeadReadTimeout``, the HTTP protocol ``serve`` gives uvicorn — uvicorn
  has no head timeout of its own, and its keep-alive timer stops at the first byte a client
  sends). It must be whole within the timeout of the connection opening, or of its first byte
  on a kept-alive connection. A connection that sent nothing is closed silently; one that sent
  part of a head gets ``408`` first.
- **The request body** (``BodyReadTimeout``, an ASGI middleware, so it holds under any server):
  whole within the timeout of the head. Otherwise the answer is ``408 REQUEST_TIMEOUT``
  (GraphQL-shaped) with ``Connection: close``, and the application is told the client left.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from gateway.headers import has_body
from gateway.refusals import refusal
from gateway.settings import Settings

log = logging.getLogger("credit_gateway.limits")

CODE = "REQUEST_TIMEOUT"
PROTOCOL = "gateway.limits.timeouts:HeadReadTimeout"  # uvicorn's ``http`` option, importable


def _message(part: str, seconds: float) -> str:
    return f"The request {part} did not arrive within {seconds:g} s."


class BodyReadTimeout:
    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.seconds or not has_body(scope):
            await self.app(scope, receive, send)
            return
        deadline = asyncio.get_running_loop().time() + self.seconds
        body_done = False
        timed_out = False
        started = False

        async def timed_receive() -> Message:
            nonlocal body_done, timed_out
            if timed_out:
                return {"type": "http.disconnect"}
            if body_done:  # after the body: the disconnect, whenever it comes
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                timed_out = True
                log.info("%s %s: body not received within %g s", scope["method"],
                         scope["path"], self.seconds)
                if not started:
                    await refusal(408, CODE, _message("body", self.seconds),
                                  headers={"Connection": "close"})(scope, receive, send)
                return {"type": "http.disconnect"}
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if timed_out:  # the 408 is the answer; the application's comes too late
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, timed_receive, guarded_send)
        except Exception:
            if not timed_out:
                raise
            # the application gave up on the body it was told was gone (ClientDisconnect)


@functools.cache
def _head_timeout() -> float:
    """The process's read timeout (worker processes build their settings from the environment,
    like ``serve``)."""
    return float(Settings.from_env().read_timeout)


class HeadReadTimeout(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline on every request head."""

    def __init__(self, config: Config, server_state: ServerState, app_state: dict[str, Any],
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._head_seconds = _head_timeout()
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_begun = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_begun = True
        if self._head_timer is None:
            self._arm_head_timer()

    def on_headers_complete(self) -> None:
        self._cancel_head_timer()
        self._head_begun = False
        super().on_headers_complete()

    def _arm_head_timer(self) -> None:
        if self._head_seconds:
            self._head_timer = self.loop.call_later(self._head_seconds, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            # a pipelined head waits behind a request still being answered: its clock starts
            # again rather than cutting that answer off
            self._arm_head_timer()
            return
        if self._head_begun:
            body = json.dumps({"errors": [{"message": _message("head", self._head_seconds),
                                           "extensions": {"code": CODE}}]}).encode()
            self.transport.write(b"HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json"
                                 b"\r\nConnection: close\r\nContent-Length: "
                                 + str(len(body)).encode() + b"\r\n\r\n" + body)
        self.transport.close()
