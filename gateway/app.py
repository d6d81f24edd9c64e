"""``create_app``: the starlette application behind ``credit-gateway serve``."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from strawberry.extensions import SchemaExtension

from federation.schema import build_schema
from federation.subgraphs import build_subgraph_schema
from gateway.access_log import AccessLogExtension
from gateway.graphiql import graphiql_asset
from gateway.graphql_app import GraphQLEndpoint
from gateway.health import healthz
from gateway.inputs import TextInputs
from gateway.limits import limit_extensions
from gateway.limits.document import RememberedDocuments
from gateway.persisted.production import production_extensions
from gateway.pipeline import edge_stages
from gateway.replicas import MutationsReadThePrimary
from gateway.report import report_route
from gateway.services import Services
from gateway.settings import Settings
from gateway.widget.dashboard import chart_js, dashboard_page, page
from gateway.widget.demo import platform_page
from gateway.widget.script import script, widget_js
from resolvers.domain import clock


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    clock.set_offset(settings.clock_offset)  # 0 but in tests and benchmarks
    services = Services.create(settings)
    documents = RememberedDocuments()  # parsed once per app, for strawberry and the view
    # errors are coded (and faults logged) by the view, past every extension (gateway/errors.py)
    extensions: list[type[SchemaExtension]] = [MutationsReadThePrimary, AccessLogExtension,
                                               *limit_extensions(settings, documents),
                                               TextInputs]
    extensions += production_extensions(settings.production)  # no introspection, suggestions
    schema = (build_subgraph_schema(settings.subgraph, extensions=extensions)
              if settings.subgraph else build_schema(extensions=extensions))
    graphql = GraphQLEndpoint(schema, services, documents)
    script()  # widget.js, built once: a document it sends missing from gateway/trusted/ stops here
    if not settings.production:
        page()  # the demo dashboard, likewise

    async def home(_request: object) -> Response:
        return RedirectResponse("/graphql")

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # what start-up built (the schema, its types, the compiled statements, imported
        # modules) lives as long as the process: out of the collector's generations, so a
        # full collection under load walks only what requests made (docs/PERFORMANCE.md)
        gc.collect()
        gc.freeze()
        yield
        await services.aclose()

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
            # GraphiQL's files from node_modules (no CDN), the demo platform page embedding
            # the widget, the demo dashboard and its Chart.js: all off in production
            *([] if settings.production else [
                Route("/graphiql/{name}", graphiql_asset),
                Route("/demo/platform", platform_page),
                Route("/demo/dashboard", dashboard_page),
                Route("/demo/dashboard/chart.umd.min.js", chart_js),
            ]),
        ],
        # one edge pipeline for every answer, cached or not: its stages and their order are
        # gateway/pipeline.py's
        middleware=edge_stages(services, graphql),
        lifespan=lifespan,
    )
    app.state.services = services
    return app
