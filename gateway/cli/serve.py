"""``credit-gateway serve``: run the gateway, or one subgraph of it, under uvicorn."""

from __future__ import annotations

import os
from typing import Any

import click
import uvicorn

from federation.ownership import SUBGRAPHS
from gateway.app import create_app
from gateway.cli._common import load_settings
from gateway.limits.timeouts import PROTOCOL as TIMED_PROTOCOL
from gateway.settings import Settings
from resolvers.data.engine import display_url


@click.command()
@click.option("--host", default=None, help="Address to bind [env CREDIT_GATEWAY_HOST, "
                                           "default 127.0.0.1].")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Port to bind [env CREDIT_GATEWAY_PORT, default 8000; with --subgraph the "
                   "subgraph's own port, 4101–4104].")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes (each has its own pool and in-process cache; use "
                   "REDIS_URL to share the cache).")
@click.option("--subgraph", type=click.Choice(list(SUBGRAPHS)), default=None,
              help="Serve only this owner's subgraph (Apollo Federation v2, with _service and "
                   "_entities) for a router [env CREDIT_GATEWAY_SUBGRAPH].")
def serve(host: str | None, port: int | None, workers: int, subgraph: str | None) -> None:
    """Serve GraphQL at /graphql (GraphiQL in a browser) and health at /healthz."""
    settings = load_settings()
    if subgraph is not None:
        settings = settings.model_copy(update={"subgraph": subgraph})  # click checked it
        # worker processes build their app from the environment (``app_factory``)
        os.environ["CREDIT_GATEWAY_SUBGRAPH"] = subgraph
    bind_host = host or settings.host
    if port is not None:
        bind_port = port
    elif subgraph is not None:
        bind_port = SUBGRAPHS[subgraph].port
    else:
        bind_port = settings.port
    served = f"subgraph {settings.subgraph}" if settings.subgraph else "the whole graph"
    click.echo(f"credit-gateway ({served}): {display_url(settings.resolved_database_url)} "
               f"({'redis' if settings.redis_url else 'in-process'} cache)")
    click.echo(f"GraphQL endpoint: http://{bind_host}:{bind_port}/graphql")
    uvicorn.run(
        "gateway.cli.serve:app_factory" if workers > 1 else create_app(settings),
        factory=workers > 1,
        host=bind_host,
        port=bind_port,
        workers=workers,
        # a worker must answer uvicorn's start-up health check within this many seconds or is
        # killed and started again; its default (5 s) is shorter than building the app takes on
        # a loaded machine, which restarted every worker forever
        timeout_worker_healthcheck=WORKER_START_SECONDS,
        **uvicorn_options(settings),
    )


WORKER_START_SECONDS = 120


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """What every server we run passes to ``uvicorn.run`` besides the app and the address
    (``bench.bare`` too, so the benchmark's rows differ only in the application)."""
    return {
        "log_level": settings.log_level,
        # uvicorn's access lines are logged at INFO: below that level, skip making them
        "access_log": settings.log_level.lower() in ("trace", "debug", "info"),
        # X-Forwarded-For is read by the app itself, from CREDIT_GATEWAY_TRUSTED_PROXIES only
        # (``gateway.limits.rate.ForwardedFor``): uvicorn's own would trust loopback peers
        "proxy_headers": False,
        # uvicorn's httptools protocol with a deadline on request heads (CREDIT_GATEWAY_READ_
        # TIMEOUT; the app bounds the body): uvicorn has none, so half a head held on forever
        "http": TIMED_PROTOCOL,
    }


def app_factory() -> object:
    """Builds the app in each worker process (settings come from the environment)."""
    return create_app()
