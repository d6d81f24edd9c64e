"""GraphiQL works with no internet: its page names no external host, and every asset it loads
is served by the gateway from the npm packages of package.json; only those files are served,
and none of it in production (where GraphiQL is off)."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from gateway.graphiql import ASSETS, NODE_MODULES
from tests.conftest import Backend, app_client, unavailable

BROWSER = {"Accept": "text/html,application/xhtml+xml"}


@pytest.fixture(scope="session")
def graphiql_packages() -> None:
    if shutil.which("npm") is None or not (NODE_MODULES / "graphiql" / "package.json").exists():
        unavailable("npm packages", FileNotFoundError(f"{NODE_MODULES}/graphiql (run npm ci)"))


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
