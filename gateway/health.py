"""``/healthz``: the database answers (required) and the cache answers (degrades only)."""

from __future__ import annotations

import asyncio
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.services import Services

log = logging.getLogger("credit_gateway.health")
TIMEOUT = 2.0


async def healthz(request: Request) -> JSONResponse:
    services: Services = request.app.state.services
    body: dict[str, object] = {"backend": services.database.backend,
                               "cache": services.cache.kind}
    try:
        await asyncio.wait_for(services.database.ping(), TIMEOUT)
        body["database"] = "ok"
    except Exception as error:  # any failure means "not ready", and is logged, not shown
        log.warning("health: database unavailable: %r", error)
        body.update(status="unavailable", database="DATABASE_UNAVAILABLE")
        return JSONResponse(body, status_code=503)
    cache_ok = await services.cache.ping()
    body["cacheStatus"] = "ok" if cache_ok else "CACHE_UNAVAILABLE"
    body["status"] = "ok" if cache_ok else "degraded"
    return JSONResponse(body, status_code=200)
