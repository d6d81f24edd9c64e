"""GraphiQL works with no internet: its page names no external host, and every asset it loads
is served by the gateway from the npm packages of package.json; only those files are served,
and none of it in production (where GraphiQL is off). A headless Chromium that can reach no
host but 127.0.0.1 renders it (scripts/_browser.sh installs Debian's chromium)."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from gateway.graphiql import ASSETS, NODE_MODULES
from tests.conftest import Backend, app_client, serving, unavailable

BROWSER = {"Accept": "text/html,application/xhtml+xml"}


@pytest.fixture(scope="session")
def graphiql_packages() -> None:
    missing = [path for path, _ in ASSETS.values() if not (NODE_MODULES / path).is_file()]
    if missing:
        unavailable("npm packages", FileNotFoundError(f"{missing} under {NODE_MODULES} "
                                                      "(run npm ci)"))


class References(HTMLParser):
    """Every URL the page makes the browser load: script src, link href, img src."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.urls.append(value.strip())


async def test_graphiql_loads_every_asset_from_the_gateway(
    migrated: Backend, graphiql_packages: None,
) -> None:
    async with app_client(migrated) as client:
        page = await client.http.get("/graphql", headers=BROWSER)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        references = References()
        references.feed(page.text)
        external = [url for url in references.urls
                    if urlsplit(url).netloc or urlsplit(url).scheme not in ("", "data")]
        print("external:", external)
        assert external == []
        assets = [url for url in references.urls if not url.startswith("data:")]
        assert len(assets) == len(ASSETS)  # the page loads what the gateway serves
        for url in assets:
            answer = await client.http.get(url)
            assert answer.status_code == 200, url
            name = url.rsplit("/", 1)[1]
            path, media_type = ASSETS[name]
            assert answer.headers["content-type"].startswith(media_type)
            assert answer.content == (NODE_MODULES / path).read_bytes()
        for other in ("/graphiql/package.json", "/graphiql/..%2Fpackage.json",
                      "/graphiql/%2E%2E%2Fpackage-lock.json"):
            assert (await client.http.get(other)).status_code == 404, other


async def test_production_serves_neither_graphiql_nor_its_assets(
    migrated: Backend, graphiql_packages: None,
) -> None:
    async with app_client(migrated, environment="production") as client:
        page = await client.http.get("/graphql", headers=BROWSER)
        assert "graphiql" not in page.text.lower()
        assert (await client.http.get("/graphiql/graphiql.min.js")).status_code == 404


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        unavailable("Chromium", FileNotFoundError("chromium (scripts/_browser.sh installs it)"))
    assert found is not None
    return found


def rendered(page: str, profile: Path) -> subprocess.CompletedProcess[str]:
    """The DOM of ``page`` once headless Chromium ran its scripts, on a network where every
    host name but the loopback address fails to resolve (an isolated network)."""
    return subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
         "--virtual-time-budget=15000", "--dump-dom", page],
        capture_output=True, text=True, timeout=120, check=False)


async def test_graphiql_renders_in_a_browser_that_reaches_no_other_host(
    migrated: Backend, graphiql_packages: None, tmp_path: Path,
) -> None:
    chromium()
    with serving(migrated) as (url,):
        run = rendered(f"{url}/graphql", tmp_path / "profile")
    dom = run.stdout
    print("rendered:", "Loading..." not in dom, len(dom), "characters")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Loading..." not in dom  # React mounted GraphiQL in place of the placeholder
    for part in ("graphiql-query-editor", "graphiql-execute-button", "graphiql-response"):
        assert part in dom, part
