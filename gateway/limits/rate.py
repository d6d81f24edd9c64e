"""Rate limit (频率限制): requests per sliding window, per API key or per client address.

A request whose key authenticated is counted against its writer (one key is one writer), so
however its ``Authorization`` header is spelled it is one window; it is counted after the
key's look-up (``gateway.auth``), which costs a database query only the first time in
``CREDIT_GATEWAY_AUTH_CACHE_TTL`` seconds. Every other request is counted against the client
address, with the anonymous limit: anonymous requests in one window, and attempts with a key
that does not authenticate in another (``failed``) — an address over that one gets 429 for
its keys before they are looked up (``before_look_up``), so a flood of made-up keys costs no
database work. The client address is the ASGI ``client``: the peer's, or — when the peer is a
trusted proxy (``CREDIT_GATEWAY_TRUSTED_PROXIES``) — the right-most ``X-Forwarded-For`` entry
that is not one, as set by ``ForwardedFor`` (uvicorn's ``ProxyHeadersMiddleware``) in front
of every other layer. Over the limit: ``429`` with ``Retry-After`` (whole seconds) and a
GraphQL-shaped body with ``RATE_LIMITED``. ``/healthz`` and ``/metrics`` are not limited.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from ipaddress import IPv4Network, IPv6Network
from typing import Any, cast

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from gateway.auth import caller_of
from gateway.limits.windows import Window
from gateway.refusals import refusal

UNLIMITED_PATHS = frozenset({"/healthz", "/metrics", "/widget.js"})  # no database work
Network = IPv4Network | IPv6Network
FAILED = "failed:"  # the window of an address's failed key attempts


class RateLimits:
    """The limits and the window they are counted in; ``refusal`` counts one request."""

    def __init__(self, *, window: Window, anonymous: int, keyed: int, seconds: int) -> None:
        self.window = window
        self.anonymous = anonymous
        self.keyed = keyed
        self.seconds = seconds

    async def refusal(self, scope: Scope) -> Response | None:
        """Count this request against its writer or its address: ``None`` while within the
        limit, else the ``429`` to answer (``Retry-After`` in whole seconds)."""
        writer = caller_of(scope).writer
        if writer is not None:
            return await self._count(f"writer:{writer.id}", self.keyed, "this API key")
        return await self._count("addr:" + client_address(scope), self.anonymous,
                                 "this client address")

    async def before_look_up(self, scope: Scope) -> Response | None:
        """The ``429`` for a key not yet known when its address has failed too often."""
        if not self.anonymous:
            return None
        wait = await self.window.full(FAILED + client_address(scope), self.anonymous,
                                      self.seconds)
        return None if wait is None else self._refused(wait, self.anonymous, _FAILING)

    async def failed(self, scope: Scope) -> Response | None:
        """Count a key that did not authenticate against its address."""
        return await self._count(FAILED + client_address(scope), self.anonymous, _FAILING)

    async def _count(self, identity: str, limit: int, who: str) -> Response | None:
        if not limit:
            return None
        wait = await self.window.hit(identity, limit, self.seconds)
        return None if wait is None else self._refused(wait, limit, who)

    def _refused(self, wait: float, limit: int, who: str) -> Response:
        retry_after = max(1, math.ceil(wait))
        return refusal(429, "RATE_LIMITED",
                       f"Too many requests from {who}: at most {limit} per {self.seconds} s; "
                       f"retry after {retry_after} s.", headers={"Retry-After": str(retry_after)},
                       retryAfter=retry_after, limit=limit, window=self.seconds)


_FAILING = "this client address with API keys that do not authenticate"


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, *, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        refused = await self.limits.refusal(scope)
        if refused is None:
            await self.app(scope, receive, send)
            return
        await refused(scope, receive, send)


def client_address(scope: Scope) -> str:
    """The address a request comes from (``ForwardedFor`` has applied the trusted proxies)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class ForwardedFor:
    """The app behind uvicorn's ``ProxyHeadersMiddleware`` for the ``trusted`` proxies only:
    the one place ``X-Forwarded-For`` (and ``-Proto``) is read, whatever server runs the app —
    ``serve`` turns uvicorn's own off. No proxies: the peer is the client."""

    def __init__(self, app: ASGIApp, *, trusted: Sequence[Network]) -> None:
        self.app: ASGIApp = app
        if trusted:
            self.app = cast(ASGIApp, ProxyHeadersMiddleware(
                cast(Any, app), trusted_hosts=[str(network) for network in trusted]))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
