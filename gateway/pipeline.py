"""The edge: one pipeline of plain ASGI stages in front of the routes (docs/PERFORMANCE.md,
"The edge pipeline").

Every request to the gateway — answered from the response cache, refused, or executed by
strawberry — passes the same stages in the same order, so it gets its CORS headers, media type,
limits, rate-limit count, metrics and statement count from one place each. Each stage is a
plain ASGI middleware in starlette's way: it decides once per request, computes what it can in
its ``__init__``, passes a request it has nothing to do with on without wrapping ``send``
where it can, and does no I/O unless its decision needs it.

Outermost first (``edge_stages``):

1. ``ForwardedFor`` — the client address from the trusted proxies (only when some are set);
   everything below counts or logs by it.
2. ``StatementCountMiddleware`` — latency and SQL statements of every answer, refusals and
   cached answers included, into ``/metrics`` (and ``X-SQL-Statements`` outside production).
3. ``GraphQLMediaType`` — a client preferring ``application/graphql-response+json`` gets it
   for every GraphQL-shaped answer below, a refusal as much as an executed result.
4. ``CorsMiddleware`` — the preflight is answered here; every answer below carries the headers
   a browser needs to read it (a refusal too).
5. ``BodyReadTimeout`` — a body that does not arrive in time is 408 (a request without a body
   skips it); it times the ``receive`` the next stage reads the body through.
6. ``BodySizeLimitMiddleware`` — query string and body size: refused on a length before a byte
   of the body is read, or as soon as the body read passes it.
7. ``BearerAuthMiddleware`` — who calls (a key look-up, remembered a few seconds).
8. ``RateLimitMiddleware`` — one count per request in the sliding window (Redis with Redis).
9. ``KeyOriginMiddleware`` — a key used from a page its origin may not use.
10. ``ResponseCacheStage`` — the anonymous persisted GET answered from the response cache.
11. (a compiled plan for trusted documents would go here, before strawberry)

Then the routes: ``/graphql`` is strawberry's view (``GraphQLEndpoint``). Adding a stage is one
more ``Middleware(...)`` entry in the list ``edge_stages`` returns, at the place its rule
belongs; it reads the caller from the scope (``gateway.auth.caller_of``) and answers or calls
the next app.
"""

from __future__ import annotations

from starlette.middleware import Middleware

from gateway.auth import BearerAuthMiddleware, KeyLookups
from gateway.cors import CorsMiddleware, KeyOriginMiddleware, RegisteredOrigins
from gateway.graphql_app import GraphQLEndpoint
from gateway.limits.body import BodySizeLimitMiddleware
from gateway.limits.rate import ForwardedFor, RateLimitMiddleware, RateLimits
from gateway.limits.timeouts import BodyReadTimeout
from gateway.media import GraphQLMediaType
from gateway.middleware import StatementCountMiddleware
from gateway.responses.stage import ResponseCacheStage
from gateway.services import Services


def edge_stages(services: Services, graphql: GraphQLEndpoint) -> list[Middleware]:
    """The pipeline's stages, outermost first (the module's docstring says why this order)."""
    settings = services.settings
    rate_limits = RateLimits(window=services.rate_window,
                             anonymous=settings.rate_limit_anonymous,
                             keyed=settings.rate_limit_key,
                             seconds=settings.rate_limit_window)
    forwarded = ([Middleware(ForwardedFor, trusted=settings.trusted_proxies)]
                 if settings.trusted_proxies else [])
    return [
        *forwarded,
        Middleware(StatementCountMiddleware, expose=not settings.production,
                   observe=services.metrics.observe_request),
        Middleware(GraphQLMediaType),
        Middleware(CorsMiddleware, registered=RegisteredOrigins(services.database),
                   public=settings.cors_public_origins,
                   allow_headers=settings.cors_allow_headers),
        Middleware(BodyReadTimeout, seconds=settings.read_timeout),
        Middleware(BodySizeLimitMiddleware, max_body=settings.max_body_bytes,
                   max_query_string=settings.max_query_string_bytes),
        Middleware(BearerAuthMiddleware,
                   lookups=KeyLookups(services.database, ttl=settings.auth_cache_ttl),
                   attempts=rate_limits),
        Middleware(RateLimitMiddleware, limits=rate_limits),
        Middleware(KeyOriginMiddleware),
        Middleware(ResponseCacheStage, responses=graphql.responses,
                   persisted=graphql.persisted, schema_version=graphql.schema_version),
    ]
