"""GraphiQL without the internet (isolated government networks): the page strawberry serves,
with its assets — React, GraphiQL and its explorer plugin — read from the npm packages of
``package.json`` (installed by ``npm ci`` in ``scripts/demo``, ``scripts/test``) and served at
``/graphiql/<name>`` instead of being loaded from unpkg. Development only, like GraphiQL.

Only the files named in ``ASSETS`` are served, never the rest of ``node_modules``. Without
the packages the page says how to install them rather than reaching for a CDN.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
PAGE = Path(__file__).with_name("graphiql.html")

# URL name → (file under node_modules, media type); the versions are package.json's
ASSETS: dict[str, tuple[str, str]] = {
    "react.production.min.js": ("react/umd/react.production.min.js", "text/javascript"),
    "react-dom.production.min.js": ("react-dom/umd/react-dom.production.min.js",
                                    "text/javascript"),
    "graphiql.min.js": ("graphiql/graphiql.min.js", "text/javascript"),
    "graphiql.min.css": ("graphiql/graphiql.min.css", "text/css"),
    "plugin-explorer.umd.js": ("@graphiql/plugin-explorer/dist/index.umd.js", "text/javascript"),
    "plugin-explorer.css": ("@graphiql/plugin-explorer/dist/style.css", "text/css"),
}
MISSING = """<!doctype html>
<html><head><title>credit-gateway GraphiQL</title></head><body>
<p>GraphiQL's files are not installed: run <code>npm ci</code> in the repository
(<code>scripts/demo</code> does), then reload. GraphQL itself works: POST or GET
<code>/graphql</code>.</p>
<p>Missing: {missing}</p></body></html>
"""


def missing_assets() -> list[str]:
    return [path for path, _ in ASSETS.values() if not (NODE_MODULES / path).is_file()]


@cache
def _page() -> str:
    return PAGE.read_text(encoding="utf-8")


def graphiql_page() -> str:
    """The GraphiQL page; a page naming the missing packages when they are not installed."""
    missing = missing_assets()
    if missing:
        return MISSING.format(missing=", ".join(f"<code>node_modules/{m}</code>"
                                                for m in missing))
    return _page()


def node_module_file(path: str, media_type: str) -> Response:
    """One file of an npm package (``path`` under ``node_modules``), 404 when not installed;
    GraphiQL's assets and the dashboard's charting library are served by it."""
    if not (NODE_MODULES / path).is_file():
        return PlainTextResponse("Not Found", status_code=404)
    # revalidated by ETag / Last-Modified after an hour: an npm upgrade shows within the hour
    return FileResponse(NODE_MODULES / path, media_type=media_type,
                        headers={"Cache-Control": "public, max-age=3600"})


async def graphiql_asset(request: Request) -> Response:
    found = ASSETS.get(request.path_params["name"])
    if found is None:
        return PlainTextResponse("Not Found", status_code=404)
    return node_module_file(*found)
