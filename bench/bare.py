"""Row (a) of the load benchmark: a bare starlette endpoint returning fixed bytes — the ceiling
of one uvicorn process on this machine.

    python -m bench.bare --port 8100

It reads the request body (as the gateway must) and answers a fixed JSON body on every path,
served by ``uvicorn.run`` with the arguments ``credit-gateway serve`` passes (one worker,
``gateway.cli.serve.uvicorn_options``: proxy headers, the log level of
``CREDIT_GATEWAY_LOG_LEVEL``, access lines only at INFO or below), so the rows differ only in the
application.
"""

from __future__ import annotations

import argparse

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.cli.serve import uvicorn_options
from gateway.settings import Settings

BODY = b'{"data":{"subject":{"name":"bench"}}}'


async def fixed(request: Request) -> Response:
    await request.body()
    return Response(BODY, media_type="application/json")


app = Starlette(routes=[Route("/{path:path}", fixed, methods=["GET", "POST"])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    args = parser.parse_args()
    settings = Settings.from_env()
    uvicorn.run(app, host=args.host, port=args.port, workers=1, **uvicorn_options(settings))


if __name__ == "__main__":
    main()
