"""``create_app``: the starlette application behind ``credit-gateway serve``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from strawberry.extensions import SchemaExtension

from federation.schema import build_schema
from federation.subgraphs import build_subgraph_schema
from gateway.access_log import AccessLogExtension
from gateway.auth import BearerAuthMiddleware, KeyLookups
from gateway.cors import CorsMiddleware, KeyOriginMiddleware, RegisteredOrigins
from gateway.graphiql import graphiql_asset
from gateway.graphql_app import GraphQLEndpoint
from gateway.health import healthz
from gateway.inputs import TextInputs
from gateway.limits import limit_extensions
from gateway.limits.body import BodySizeLimitMiddleware
from gateway.limits.rate import ForwardedFor, RateLimitMiddleware, RateLimits
from gateway.limits.timeouts import BodyReadTimeout
from gateway.middleware import StatementCountMiddleware
from gateway.persisted.production import production_extensions
from gateway.replicas import MutationsReadThePrimary
from gateway.report import report_route
from gateway.responses.hot import CachedAnswers, Edge
from gateway.services import Services
from gateway.settings import Settings
from gateway.widget.demo import platform_page
from gateway.widget.script import script, widget_js
from resolvers.domain import clock


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    clock.set_offset(settings.clock_offset)  # 0 but in tests and benchmarks
    services = Services.create(settings)
    # errors are coded (and faults logged) by the view, past every extension (gateway/errors.py)
    extensions: list[type[SchemaExtension]] = [MutationsReadThePrimary, AccessLogExtension,
                                               *limit_extensions(settings), TextInputs]
    extensions += production_extensions(settings.production)  # no introspection, suggestions
    schema = (build_subgraph_schema(settings.subgraph, extensions=extensions)
              if settings.subgraph else build_schema(extensions=extensions))
    graphql = GraphQLEndpoint(schema, services)
    script()  # widget.js, built once: a document it sends missing from gateway/trusted/ stops here

    async def home(_request: object) -> Response:
        return RedirectResponse("/graphql")

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await services.aclose()

    max_query_string = settings.max_query_string_bytes
    rate_limits = RateLimits(window=services.rate_window,
                             anonymous=settings.rate_limit_anonymous,
                             keyed=settings.rate_limit_key,
                             seconds=settings.rate_limit_window)
    app = Starlette(
        routes=[
            Route("/", home),
            Route("/healthz", healthz),
            Route("/metrics", services.metrics.endpoint),
            # every method reaches the view: it answers others than GET and POST with the
            # coded 405 of docs/ERRORS.md (starlette's own would be plain text)
            Route("/graphql", graphql),
            # the credit query window and shop badge, for any page (docs/WIDGET.md)
            Route("/widget.js", widget_js),
            # the printable credit report, through the same schema and the caller's context
            Route("/report/{uscc}", report_route(graphql), methods=["GET"]),
            # GraphiQL's files from node_modules (no CDN), and the demo platform page embedding
            # the widget: both off in production
            *([] if settings.production else [Route("/graphiql/{name}", graphiql_asset),
                                              Route("/demo/platform", platform_page)]),
        ],
        # outermost first. The client address is settled first, from the trusted proxies' X-
        # Forwarded-For only. An anonymous persisted GET whose answer is cached is answered at
        # once, with what the edge below would add (gateway/responses/hot.py). CORS wraps
        # everything else, so a browser can read every refusal (a body that does not arrive in
        # time is 408); the size limit comes before
        # any database work; the key look-up (remembered a few seconds, failures counted per
        # address) is counted with the request's other statements and comes before the rate
        # limit, which counts a key's writer or else the address; a key's origins are checked
        # once the key is known.
        middleware=[Middleware(ForwardedFor, trusted=settings.trusted_proxies),
                    Middleware(CachedAnswers, responses=graphql.responses,
                               persisted=graphql.persisted, schema_version=graphql.schema_version,
                               edge=Edge(public_origins=settings.cors_public_origins,
                                         max_query_string=max_query_string,
                                         rate_limits=rate_limits,
                                         expose_statements=not settings.production,
                                         observe=services.metrics.observe_request)),
                    Middleware(CorsMiddleware, registered=RegisteredOrigins(services.database),
                               public=settings.cors_public_origins,
                               allow_headers=settings.cors_allow_headers),
                    Middleware(BodyReadTimeout, seconds=settings.read_timeout),
                    Middleware(StatementCountMiddleware, expose=not settings.production,
                               observe=services.metrics.observe_request),
                    Middleware(BodySizeLimitMiddleware, max_body=settings.max_body_bytes,
                               max_query_string=max_query_string),
                    Middleware(BearerAuthMiddleware,
                               lookups=KeyLookups(services.database, ttl=settings.auth_cache_ttl),
                               attempts=rate_limits),
                    Middleware(RateLimitMiddleware, limits=rate_limits),
                    Middleware(KeyOriginMiddleware)],
        lifespan=lifespan,
    )
    app.state.services = services
    return app
