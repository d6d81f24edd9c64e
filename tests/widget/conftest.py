"""The widget's browser tests share one chromium, one platform web server and, per backend, one
gateway server per session."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.async_api import Browser, async_playwright

from tests.conftest import Backend, serving
from tests.widget.browser import PAGES, chromium_path

# anonymous requests a minute: more than all the tests send but the rate-limit test, which
# spends the rest (tests/widget/test_widget_states.py)
RATE_LIMIT = 60


@pytest.fixture(scope="session")
def gateway(seeded: Backend) -> Iterator[str]:
    """A real ``credit-gateway serve`` on the seeded backend."""
    with serving(seeded, env={"CREDIT_GATEWAY_RATE_LIMIT_ANONYMOUS": str(RATE_LIMIT)}) as (url,):
        yield url


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """One headless chromium for all the widget's tests (each test opens its own context)."""
    path = chromium_path()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=path, args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            yield launched
        finally:
            await launched.close()


class _ShopPages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        page = PAGES.get(self.path)
        self.send_response(200 if page is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(page or b"")

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture(scope="session")
def shop() -> Iterator[str]:
    """The platform's web server: another origin (another port) than the gateway's, on the
    loopback address like it, so the browser's local-network rules do not apply."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ShopPages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
