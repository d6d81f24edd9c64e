"""What the browser tests of the widget share: Debian's chromium driven by Playwright (no
browser download), a platform's page on another origin that embeds the widget, axe-core from
npm, and the screenshots kept in ``test-artifacts/widget/`` (git-ignored; README names it)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from playwright.async_api import BrowserContext, Page

from federation.composition import NODE_MODULES
from tests.conftest import unavailable
from tests.gateway.test_graphiql import chromium

ROOT = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "widget"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
PAGES: dict[str, bytes] = {}  # path → a platform page the shop server serves


def chromium_path() -> str:
    """Debian's chromium, with axe-core's npm package beside it (else skip, or fail in CI)."""
    found = chromium()
    if not AXE.is_file():
        unavailable("npm packages", FileNotFoundError(f"{AXE} (run npm ci)"))
    return found


def host_page(gateway: str, body: str) -> str:
    """A platform's page on ``SHOP`` that loads widget.js from the gateway, with CSS that would
    restyle the elements if it could reach them (it must not), under the same class names the
    elements use inside their shadow roots."""
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>店铺</title>
<style>
  * {{ color: rgb(255, 0, 0) !important; font-family: serif !important; }}
  button, .chip, .card, h3 {{ background: rgb(0, 255, 0) !important; font-size: 31px !important; }}
  credit-query-window, credit-badge {{ font: 29px serif; color: rgb(255, 0, 0); }}
</style>
<script>window.__before = Object.getOwnPropertyNames(window);</script>
<script src="{gateway}/widget.js"></script></head>
<body><main><h1>店铺</h1>{body}
<button class="chip" id="host-button">店铺按钮</button><h3 class="card" id="host-heading">店铺标题</h3>
</main></body></html>"""


async def open_shop(context: BrowserContext, shop: str, gateway: str, body: str) -> Page:
    """A new page of the platform's server showing ``host_page``."""
    path = f"/{uuid.uuid4().hex}.html"
    PAGES[path] = host_page(gateway, body).encode()
    page = await context.new_page()
    await page.goto(f"{shop}{path}")
    return page


async def serious_violations(page: Page, selector: str) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations inside every element ``selector`` matches
    (shadow roots included; ``html``: the whole page)."""
    if not await page.evaluate("typeof axe !== 'undefined'"):
        await page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = await page.evaluate(
        """async (selector) => (await axe.run(selector === "html" ? document
                                   : document.querySelectorAll(selector), {resultTypes: ["violations"]}))
             .violations.filter((v) => ["serious", "critical"].includes(v.impact))
             .map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target)}))""",
        selector)
    return found


async def keep(page: Page, name: str, selector: str | None = None,
               folder: str = ARTIFACTS.name) -> Path:
    """A screenshot kept as a test artifact in ``test-artifacts/<folder>/`` (of ``selector``
    only, when given)."""
    directory = ARTIFACTS.parent / folder
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    if selector is None:
        await page.screenshot(path=str(path), full_page=True)
    else:
        await page.locator(selector).first.screenshot(path=str(path))
    return path
