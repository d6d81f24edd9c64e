"""``RouterTrust``: a production subgraph answers its federation router.

Anonymous callers of a production deployment may run only the trusted documents. Behind a
router that rule belongs to the router, the edge clients reach (``federation/gateway.config.mjs``
holds them to the same manifest); the subgraph sees the router's own documents — ``_service
{ sdl }``, ``_entities`` and the plans it cut from a trusted document — which no manifest lists.
So a request that carries ``X-Credit-Gateway-Router: <CREDIT_GATEWAY_ROUTER_SECRET>`` is the
router's and is not held to the manifest; the client's ``Authorization`` still decides who is
reading (the router forwards it). A request that carries the header with any other value
(or to a subgraph without a secret) is refused with 403 ``ROUTER_NOT_TRUSTED``: a router with
a wrong secret must find out at once, not be taken for an anonymous client.
"""

from __future__ import annotations

import hmac

from starlette.types import Scope

from gateway.headers import header

ROUTER_HEADER = "x-credit-gateway-router"


class RouterNotTrusted(Exception):
    """The request names itself the router's, with a secret that does not match."""


class RouterTrust:
    def __init__(self, secret: str) -> None:
        self.secret = secret.encode()

    def from_router(self, scope: Scope) -> bool:
        """True for the router's requests, False for requests without the header; raises
        ``RouterNotTrusted`` for a header that does not carry the secret."""
        given = header(scope, ROUTER_HEADER.encode())
        if given is None:
            return False
        if not self.secret or not hmac.compare_digest(given.encode("latin-1"), self.secret):
            raise RouterNotTrusted
        return True
