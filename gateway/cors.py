"""CORS per platform origin (跨域): whose web pages may read the gateway's answers.

Threat model. CORS protects the users of browsers, not the key: a browser attaches the page's
``Origin`` and will not let the page read a response unless the gateway names that origin in
``Access-Control-Allow-Origin``. A non-browser client can forge ``Origin`` (or leave it out), so
nothing here keeps a stolen key from being used by a script — revoking it does. What it does
stop is another site's page reading with a platform's key (a key embedded in a platform's
query window, 信用查询窗口, copied into someone else's page).

Rules:

- A request with a key and an ``Origin`` that is not among the key's allowed origins
  (``keys create --origin``) is refused with 403 ``ORIGIN_NOT_ALLOWED`` and no
  ``Access-Control-Allow-Origin`` (``KeyOriginMiddleware``, after authentication). An allowed
  origin is echoed, with ``Vary: Origin``. The gateway's own origin gets no exception (it would
  rest on the ``Host`` header, which DNS rebinding lets another site choose).
- Anonymous requests read public data only, so pages of the configured public origins
  (``CREDIT_GATEWAY_CORS_PUBLIC_ORIGINS``; ``*``, the default, is any origin) may read them;
  no credentials mode is ever allowed (``Access-Control-Allow-Credentials`` is never sent: keys
  travel in ``Authorization``, not cookies).
- A preflight (``OPTIONS``; browsers send no ``Authorization`` with it) is answered for origins
  registered on any active key with the methods, ``Authorization``, the client headers
  (``CLIENT_HEADERS``) and the configured ones (``CREDIT_GATEWAY_CORS_ALLOW_HEADERS``, the
  tracing headers by default); for public origins without ``Authorization``, so a browser will
  not even send a key from them;
  any other origin gets 403 ``ORIGIN_NOT_ALLOWED``. Registered origins are read from the
  database at most every ``ORIGINS_TTL`` seconds per process.

- ``Origin: null`` (sandboxed iframes, file: pages) is never allowed, so never echoed.
- Answers expose ``Retry-After``, ``ETag`` and ``X-Cache`` to the page (``EXPOSED_HEADERS``).

``CorsMiddleware`` is a stage of the edge pipeline (``gateway.pipeline``) outside every stage
that refuses or answers — the limits, authentication, the rate limit, the response cache — so
every answer, refusals (413, 429, 401) and cached answers included, carries the headers a
browser needs to read it.
"""

from __future__ import annotations

import logging
import time

from sqlmodel import col, select
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.auth import caller_of
from gateway.errors import is_unavailable
from gateway.headers import header
from gateway.refusals import refusal
from resolvers.data.database import Database
from resolvers.data.models import Writer

log = logging.getLogger("credit_gateway.cors")

METHODS = "GET, POST"  # GET for persisted (APQ) queries, POST for everything
# Apollo Client sends its name and version when ``clientAwareness`` is configured; a preflight
# that did not allow them would make the browser block every request of such a client.
CLIENT_HEADERS = "Content-Type, apollographql-client-name, apollographql-client-version"
# Tracing instrumentation in the page (OpenTelemetry's W3C Trace Context and Baggage, Sentry)
# adds these to every request; the default of ``CREDIT_GATEWAY_CORS_ALLOW_HEADERS``.
TRACING_HEADERS = ("traceparent", "tracestate", "baggage", "sentry-trace")
# a page reads Retry-After to back off after a 429, ETag to revalidate (If-None-Match) and
# X-Cache to tell a cached answer (HIT) from a fresh one
EXPOSED_HEADERS = "Retry-After, ETag, X-Cache"
# ``Origin: null`` comes from sandboxed iframes, file: pages and cross-origin redirects: pages
# nobody can name, which any other such page shares, so it is never allowed (nor echoed)
OPAQUE_ORIGIN = "null"
MAX_AGE = "600"
ORIGINS_TTL = 30.0


class RegisteredOrigins:
    """The allowed origins of every active key, read at most every ``ORIGINS_TTL`` seconds."""

    def __init__(self, database: Database, ttl: float = ORIGINS_TTL) -> None:
        self.database = database
        self.ttl = ttl
        self._origins: frozenset[str] = frozenset()
        self._read_at: float | None = None

    async def get(self) -> frozenset[str]:
        now = time.monotonic()
        if self._read_at is not None and now - self._read_at < self.ttl:
            return self._origins
        try:
            async with self.database.session() as session:
                rows = (await session.exec(
                    select(Writer.allowed_origins).where(col(Writer.revoked_at).is_(None),
                                                         col(Writer.allowed_origins).is_not(None))
                )).all()
        except Exception as error:
            if not is_unavailable(error):
                raise
            log.warning("cors: database unavailable, keeping the origins known: %r", error)
            return self._origins
        self._origins = frozenset(origin for row in rows if row for origin in row.split())
        self._read_at = now
        return self._origins


class CorsMiddleware:
    def __init__(self, app: ASGIApp, *, registered: RegisteredOrigins,
                 public: tuple[str, ...], allow_headers: tuple[str, ...] = TRACING_HEADERS
                 ) -> None:
        self.app = app
        self.registered = registered
        self.public = public
        # what a public origin's page may send; a registered origin's may send its key too
        self.public_headers = ", ".join((CLIENT_HEADERS, *allow_headers))
        self.key_headers = f"Authorization, {self.public_headers}"

    def is_public(self, origin: str) -> bool:
        return is_public_origin(origin, self.public)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = header(scope, b"origin")
        if origin is None:
            await self.app(scope, receive, _varying(send))
            return
        if (scope["method"] == "OPTIONS"
                and header(scope, b"access-control-request-method") is not None):
            await self.preflight(origin)(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                vary_on_origin(response_headers)
                if await self.may_read(scope, origin):
                    response_headers.update(readable_by(origin))
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def may_read(self, scope: Scope, origin: str) -> bool:
        writer = caller_of(scope).writer
        if writer is not None:
            return origin in writer.origins
        return self.is_public(origin) or origin in await self.registered.get()

    def preflight_headers(self, origin: str, allowed: str) -> dict[str, str]:
        return {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": METHODS,
                "Access-Control-Allow-Headers": allowed, "Access-Control-Max-Age": MAX_AGE,
                "Vary": "Origin"}

    def preflight(self, origin: str) -> _Preflight:
        return _Preflight(self, origin)


class _Preflight:
    """The answer to one preflight, decided when it is sent (the look-up is async)."""

    def __init__(self, cors: CorsMiddleware, origin: str) -> None:
        self.cors = cors
        self.origin = origin

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.origin in await self.cors.registered.get():
            allowed = self.cors.key_headers
        elif self.cors.is_public(self.origin):
            allowed = self.cors.public_headers
        else:
            response: Response = refusal(
                403, "ORIGIN_NOT_ALLOWED", "Pages of this origin may not call the gateway.",
                headers={"Vary": "Origin"})
            await response(scope, receive, send)
            return
        await Response(status_code=204, headers=self.cors.preflight_headers(self.origin, allowed)
                       )(scope, receive, send)


class KeyOriginMiddleware:
    """Refuses a keyed request from a page whose origin the key does not allow (after auth)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        writer = caller_of(scope).writer if scope["type"] == "http" else None
        origin = header(scope, b"origin") if writer is not None else None
        if writer is None or origin is None or origin in writer.origins:
            await self.app(scope, receive, send)
            return
        await refusal(403, "ORIGIN_NOT_ALLOWED",
                      "This API key may not be used from pages of this origin.",
                      origin=origin)(scope, receive, send)


def is_public_origin(origin: str, public: tuple[str, ...]) -> bool:
    """Pages of ``origin`` may read anonymous answers (``CREDIT_GATEWAY_CORS_PUBLIC_ORIGINS``);
    never the opaque origin ``null``."""
    return origin != OPAQUE_ORIGIN and ("*" in public or origin in public)


def readable_by(origin: str) -> dict[str, str]:
    """The headers that let a page of ``origin`` read an answer (and ``EXPOSED_HEADERS``)."""
    return {"Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": EXPOSED_HEADERS}


def vary_on_origin(headers: MutableHeaders) -> None:
    """Add ``Origin`` to ``Vary`` unless it is named there already (the response cache's answers
    name it)."""
    named = {part.strip().lower() for part in headers.get("vary", "").split(",")}
    if "origin" not in named:
        headers.add_vary_header("Origin")


def _varying(send: Send) -> Send:
    async def varying(message: Message) -> None:
        if message["type"] == "http.response.start" and not _names_origin(message["headers"]):
            vary_on_origin(MutableHeaders(scope=message))
        await send(message)

    return varying


def _names_origin(raw: list[tuple[bytes, bytes]]) -> bool:
    """``Vary`` already names ``Origin`` (the response cache's answers do): looked up in the raw
    headers, without building ``MutableHeaders`` for every answer."""
    return any(name == b"vary" and b"origin" in value.lower() for name, value in raw)
