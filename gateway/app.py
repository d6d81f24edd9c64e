"""``create_app``: the starlette application behind ``credit-gateway serve``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from federation.schema import build_schema
from federation.subgraphs import build_subgraph_schema
from gateway.auth import BearerAuthMiddleware
from gateway.errors import ErrorCodes
from gateway.graphql_app import GraphQLEndpoint
from gateway.health import healthz
from gateway.middleware import StatementCountMiddleware
from gateway.replicas import MutationsReadThePrimary
from gateway.services import Services
from gateway.settings import Settings


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    services = Services.create(settings)
    extensions = [ErrorCodes, MutationsReadThePrimary]
    schema = (build_subgraph_schema(settings.subgraph, extensions=extensions)
              if settings.subgraph else build_schema(extensions=extensions))
    graphql = GraphQLEndpoint(schema, services)

    async def home(_request: object) -> Response:
        return RedirectResponse("/graphql")

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await services.aclose()

    app = Starlette(
        routes=[
            Route("/", home),
            Route("/healthz", healthz),
            Route("/metrics", services.metrics.endpoint),
            Route("/graphql", graphql, methods=["GET", "POST"]),
        ],
        # outermost first: the key look-up is counted with the request's other statements
        middleware=[Middleware(StatementCountMiddleware, expose=not settings.production,
                               observe=services.metrics.observe_request),
                    Middleware(BearerAuthMiddleware, database=services.database)],
        lifespan=lifespan,
    )
    app.state.services = services
    return app
