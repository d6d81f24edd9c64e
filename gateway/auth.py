"""``BearerAuthMiddleware``: who is calling, from ``Authorization: Bearer <API key>``.

A valid key puts its writer (数据报送单位) into the request scope as a ``Caller``; no header
means an anonymous caller, since reads stay open. A key that is malformed, unknown or revoked
is refused at the edge with 401 — a writer whose key stopped working finds out within
``CREDIT_GATEWAY_AUTH_CACHE_TTL`` seconds, instead of seeing its writes silently turn into
anonymous reads. Resolvers never see the header: they read ``Context.caller``, which the
GraphQL endpoint takes from the scope.

The scheme is read in any case and the key with any blanks around it (RFC 9110 §11.1), so
``bearer K``, ``BEARER K`` and ``Bearer  K`` are one key. Each look-up's result, a failed one
too, is remembered for a few seconds (``KeyLookups``), so a repeated key costs no database
work. Failed attempts are counted against the client address (``AttemptLimit``: the rate
limit's), and once an address has failed too often in the window its keys are not looked up
at all until the window slides.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Final, Protocol

from cachetools import TTLCache
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.errors import is_unavailable
from gateway.headers import header
from gateway.refusals import refusal
from resolvers.data.database import Database
from resolvers.domain.actors import ANONYMOUS, Caller, WriterIdentity
from resolvers.writes import keys

log = logging.getLogger("credit_gateway.auth")

SCOPE_KEY = "caller"
CHALLENGE = 'Bearer realm="credit-gateway"'
LOOKUPS_REMEMBERED = 10_000  # keys per process whose look-up is remembered


def caller_of(scope: Scope) -> Caller:
    """The caller the middleware found for this request (anonymous when it did not run)."""
    caller = scope.get(SCOPE_KEY)
    return caller if isinstance(caller, Caller) else ANONYMOUS


def bearer_key(value: str) -> str | None:
    """The API key of an ``Authorization`` value ``Bearer <key>`` (scheme in any case, any
    blanks), or ``None`` for any other value."""
    parts = value.split(None, 1)
    if len(parts) != 2 or parts[0].lower() != "bearer":
        return None
    return parts[1].strip() or None


class _Unknown:
    """Not remembered: the key must be looked up."""


UNKNOWN: Final = _Unknown()


class KeyLookups:
    """API keys looked up in the writer table, each result — ``None`` for a key that is
    unknown, malformed or revoked — remembered for ``ttl`` seconds (at most
    ``LOOKUPS_REMEMBERED`` keys, by their SHA-256; ``ttl`` 0 remembers none)."""

    def __init__(self, database: Database, *, ttl: float) -> None:
        self.database = database
        self._known: TTLCache[str, WriterIdentity | None] | None = (
            TTLCache(maxsize=LOOKUPS_REMEMBERED, ttl=ttl) if ttl > 0 else None)

    def remembered(self, key: str) -> WriterIdentity | _Unknown | None:
        if self._known is None:
            return UNKNOWN
        return self._known.get(_digest(key), UNKNOWN)

    async def look_up(self, key: str) -> WriterIdentity | None:
        """The writer of ``key`` from the database (raises when it is unavailable)."""
        async with self.database.session() as session:
            writer = await keys.authenticate(session, key)
        if self._known is not None:
            self._known[_digest(key)] = writer
        return writer


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


class AttemptLimit(Protocol):
    """Counts failed key attempts per client address (``gateway.limits.rate.RateLimits``)."""

    async def before_look_up(self, scope: Scope) -> Response | None:
        """The refusal to answer instead of looking a key up, or ``None``."""

    async def failed(self, scope: Scope) -> Response | None:
        """Count a failed attempt; the refusal to answer instead of 401, or ``None``."""


class BearerAuthMiddleware:
    def __init__(self, app: ASGIApp, *, lookups: KeyLookups,
                 attempts: AttemptLimit | None = None) -> None:
        self.app = app
        self.lookups = lookups
        self.attempts = attempts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = header(scope, b"authorization")
        if given is None:
            scope[SCOPE_KEY] = ANONYMOUS
            await self.app(scope, receive, send)
            return
        key = bearer_key(given)
        if key is None:
            await self._refuse(scope, receive, send, "The Authorization header must be "
                               "`Bearer <API key>`.", error="invalid_request")
            return
        writer = self.lookups.remembered(key)
        if isinstance(writer, _Unknown):
            refused = await self.attempts.before_look_up(scope) if self.attempts else None
            if refused is not None:
                await refused(scope, receive, send)
                return
            try:
                writer = await self.lookups.look_up(key)
            except Exception as error:
                if not is_unavailable(error):
                    raise
                log.warning("auth: database unavailable: %r", error)
                await refusal(503, "DATABASE_UNAVAILABLE", "The credit database is "
                              "unavailable; retry later.")(scope, receive, send)
                return
        if writer is None:
            await self._refuse(scope, receive, send, "The API key is unknown or revoked.",
                               error="invalid_token")
            return
        scope[SCOPE_KEY] = Caller(writer=writer)
        await self.app(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, message: str, *,
                      error: str) -> None:
        """401 for a failed attempt — or the attempt limit's 429 once the address is over it."""
        response = await self.attempts.failed(scope) if self.attempts else None
        if response is None:
            response = refusal(401, "UNAUTHENTICATED", message,
                               headers={"WWW-Authenticate": f'{CHALLENGE}, error="{error}"'})
        await response(scope, receive, send)
