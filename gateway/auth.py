"""``BearerAuthMiddleware``: who is calling, from ``Authorization: Bearer <API key>``.

A valid key puts its writer (数据报送单位) into the request scope as a ``Caller``; no header
means an anonymous caller, since reads stay open. A key that is malformed, unknown or revoked
is refused at the edge with 401 — a writer whose key stopped working must find out at once,
not see its writes silently turn into anonymous reads. Resolvers never see the header: they
read ``Context.caller``, which the GraphQL endpoint takes from the scope.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.errors import is_unavailable
from gateway.headers import header
from gateway.refusals import refusal
from resolvers.data.database import Database
from resolvers.domain.actors import ANONYMOUS, Caller
from resolvers.writes import keys

log = logging.getLogger("credit_gateway.auth")

SCOPE_KEY = "caller"
CHALLENGE = 'Bearer realm="credit-gateway"'


def caller_of(scope: Scope) -> Caller:
    """The caller the middleware found for this request (anonymous when it did not run)."""
    caller = scope.get(SCOPE_KEY)
    return caller if isinstance(caller, Caller) else ANONYMOUS


class BearerAuthMiddleware:
    def __init__(self, app: ASGIApp, *, database: Database) -> None:
        self.app = app
        self.database = database

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = header(scope, b"authorization")
        if given is None:
            scope[SCOPE_KEY] = ANONYMOUS
            await self.app(scope, receive, send)
            return
        scheme, _, key = given.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            await _refuse(scope, receive, send, "The Authorization header must be "
                          "`Bearer <API key>`.", error="invalid_request")
            return
        try:
            async with self.database.session() as session:
                writer = await keys.authenticate(session, key.strip())
        except Exception as error:
            if not is_unavailable(error):
                raise
            log.warning("auth: database unavailable: %r", error)
            await refusal(503, "DATABASE_UNAVAILABLE",
                          "The credit database is unavailable; retry later.")(scope, receive, send)
            return
        if writer is None:
            await _refuse(scope, receive, send, "The API key is unknown or revoked.",
                          error="invalid_token")
            return
        scope[SCOPE_KEY] = Caller(writer=writer)
        await self.app(scope, receive, send)


async def _refuse(scope: Scope, receive: Receive, send: Send, message: str, *, error: str) -> None:
    response = refusal(401, "UNAUTHENTICATED", message,
                       headers={"WWW-Authenticate": f'{CHALLENGE}, error="{error}"'})
    await response(scope, receive, send)
