"""``GET /demo/dashboard``: a zh-CN dashboard page for front-end teams (outside production only,
like GraphiQL and ``/demo/platform``) built on ``Query.stats``: subjects by province, by kind
and by list standing, penalties by month with their fines, late disclosures by month and the
black list's growth, each chart drawn by Chart.js with its numbers in a data table.

The page asks as the public (no key): one trusted document, ``CreditDashboard``
(``gateway/trusted/widget_dashboard.graphql``), sent over GET by its id, put in the page at
start-up like widget.js's, so the answer is HTTP-cacheable. Chart.js (npm ``chart.js``, MIT)
is served from ``node_modules`` at ``/demo/dashboard/chart.umd.min.js``, never from a CDN;
without it the page shows the tables alone (docs/DASHBOARD.md).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from gateway.graphiql import node_module_file
from gateway.widget.script import document_ids

PAGE = Path(__file__).with_name("dashboard.html")
OPERATION = "CreditDashboard"
PLACEHOLDER = "/*DOCUMENT_ID*/"
CHART_JS = "chart.js/dist/chart.umd.min.js"


def document_id() -> str:
    """The id of ``CreditDashboard`` as written (the first form the manifest lists)."""
    return document_ids((OPERATION,), "the dashboard")[OPERATION]


@cache
def page() -> str:
    """The page with its document's id (built once; a missing document stops the start-up)."""
    return PAGE.read_text(encoding="utf-8").replace(PLACEHOLDER, document_id())


async def dashboard_page(_request: Request) -> HTMLResponse:
    return HTMLResponse(page(), headers={"Cache-Control": "no-cache"})


async def chart_js(_request: Request) -> Response:
    return node_module_file(CHART_JS, "text/javascript")
