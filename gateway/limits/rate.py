"""Rate limit (频率限制): requests per sliding window, per API key or per client address.

A request carrying ``Authorization`` is counted against its key (the SHA-256 of the key, so
the key itself is never stored; one key is one writer), before the key is even looked up, so a
flood costs no database work. Anonymous requests are counted against the client's address:
the peer's, or — when the peer is a configured trusted proxy — the right-most address in
``X-Forwarded-For`` that is not a trusted proxy (the left-most entries are whatever the client
wrote and can be forged). Over the limit: ``429`` with ``Retry-After`` (whole seconds) and a
GraphQL-shaped body with ``RATE_LIMITED``. ``/healthz`` and ``/metrics`` are not limited.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.headers import header, joined
from gateway.limits.windows import Window
from gateway.refusals import refusal

UNLIMITED_PATHS = frozenset({"/healthz", "/metrics"})
Network = IPv4Network | IPv6Network


class RateLimits:
    """The limits and the window they are counted in; ``refusal`` counts one request."""

    def __init__(self, *, window: Window, anonymous: int, keyed: int, seconds: int,
                 trusted_proxies: Sequence[Network] = ()) -> None:
        self.window = window
        self.anonymous = anonymous
        self.keyed = keyed
        self.seconds = seconds
        self.trusted_proxies = tuple(trusted_proxies)

    async def refusal(self, scope: Scope) -> Response | None:
        """Count this request against its key or address: ``None`` while within the limit,
        else the ``429`` to answer (``Retry-After`` in whole seconds)."""
        key = header(scope, b"authorization")
        limit = self.keyed if key is not None else self.anonymous
        if not limit:
            return None
        identity = ("key:" + hashlib.sha256(key.encode("latin-1")).hexdigest()[:32]
                    if key is not None
                    else "addr:" + client_address(scope, self.trusted_proxies))
        wait = await self.window.hit(identity, limit, self.seconds)
        if wait is None:
            return None
        retry_after = max(1, math.ceil(wait))
        who = "this API key" if key is not None else "this client address"
        return refusal(429, "RATE_LIMITED",
                       f"Too many requests from {who}: at most {limit} per {self.seconds} s; "
                       f"retry after {retry_after} s.", headers={"Retry-After": str(retry_after)},
                       retryAfter=retry_after, limit=limit, window=self.seconds)


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


def client_address(scope: Scope, trusted: Sequence[Network]) -> str:
    """The address a request comes from, through trusted proxies only."""
    client = scope.get("client")
    peer = client[0] if client else "unknown"
    if not _trusted(peer, trusted):
        return peer
    forwarded = joined(scope, b"x-forwarded-for")
    if forwarded is None:
        return peer
    hops = [hop.strip() for hop in forwarded.split(",")]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop if _address(hop) is not None else peer
    return hops[0] if hops and _address(hops[0]) is not None else peer


def _address(text: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(text)
    except ValueError:
        return None


def _trusted(text: str, trusted: Sequence[Network]) -> bool:
    address = _address(text)
    return address is not None and any(address in network for network in trusted)
