"""``GET /widget.js`` over HTTP: under 30 KB gzipped, cached long with an ETag (304 when
unchanged), gzip-encoded when accepted, carrying the ids of the trusted documents it sends
(served in production too); the demo platform page and the demo dashboard (with its
``CreditDashboard`` id and Chart.js) are served outside production only, on both backends (the
platform page's one statement)."""

from __future__ import annotations

import gzip
import json
import re

import pytest

from gateway.persisted.manifest import MANIFEST
from gateway.widget.script import OPERATIONS
from tests.conftest import Backend, app_client
from tests.widget.test_widget_elements import trusted

ONE_BACKEND = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # no data read
GZIP_BUDGET = 30 * 1024


@ONE_BACKEND
async def test_widget_js_is_small_cached_and_sends_only_trusted_documents(
    migrated: Backend,
) -> None:
    async with app_client(migrated, environment="production") as client:
        plain = await client.http.get("/widget.js", headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200
        assert plain.headers["content-type"].startswith("text/javascript")
        size = len(gzip.compress(plain.content, 9))
        print(f"widget.js: {len(plain.content)} bytes, {size} bytes gzipped "
              f"(budget {GZIP_BUDGET})")
        assert size <= GZIP_BUDGET
        cache_control = plain.headers["cache-control"]
        assert "public" in cache_control
        assert int(re.search(r"max-age=(\d+)", cache_control)[1]) >= 86400  # type: ignore[index]
        etag = plain.headers["etag"]
        unchanged = await client.http.get("/widget.js", headers={"If-None-Match": etag})
        assert (unchanged.status_code, unchanged.content) == (304, b"")
        assert unchanged.headers["etag"] == etag
        # httpx asks for gzip and decodes it: the same script
        packed = await client.http.get("/widget.js")
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.content == plain.content
        assert "accept-encoding" in packed.headers["vary"].lower()

        ids = dict(re.findall(r'"(Credit\w+)": "([0-9a-f]{64})"', plain.text))
        manifest = {o["id"]: o["name"] for o in
                    json.loads(MANIFEST.read_text(encoding="utf-8"))["operations"]}
        assert sorted(ids) == sorted(OPERATIONS)
        assert all(manifest.get(digest) == name for name, digest in ids.items())
        # each id runs anonymously in production, hash only, over GET
        for name, digest in ids.items():
            extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}})
            variables = json.dumps({"text": "有限"} if name == "CreditSuggestions"
                                   else {"uscc": "91440300MA5FXXXX0B"})
            answer = await client.http.get("/graphql", params={"extensions": extensions,
                                                               "variables": variables})
            codes = [e["extensions"]["code"] for e in answer.json().get("errors", [])]
            assert answer.status_code == 200, (name, answer.text)
            assert not {"PERSISTED_QUERY_NOT_FOUND", "DOCUMENT_NOT_TRUSTED"} & set(codes), name


@ONE_BACKEND
async def test_widget_js_is_not_rate_limited(migrated: Backend) -> None:
    async with app_client(migrated, rate_limit_anonymous="1") as client:
        assert (await client.http.get("/graphql?query={__typename}")).status_code == 200
        assert (await client.http.get("/graphql?query={__typename}")).status_code == 429
        for _ in range(3):  # a page with many badges loads it more than once, from anywhere
            assert (await client.http.get("/widget.js")).status_code == 200


async def test_demo_pages_are_served_outside_production_only(migrated: Backend) -> None:
    async with app_client(migrated) as client:
        page = await client.http.get("/demo/platform")
        assert page.status_code == 200
        assert '<script src="/widget.js"' in page.text
        assert "<credit-query-window" in page.text
        assert page.text.count("<credit-badge") <= 6  # the first sellers, if any are stored
        dashboard = await client.http.get("/demo/dashboard")  # and the dashboard, its Chart.js
        assert dashboard.status_code == 200
        assert document_ids_in(dashboard.text) == [trusted("CreditDashboard")]
        chart = await client.http.get("/demo/dashboard/chart.umd.min.js")
        assert chart.status_code == 200
        assert "Chart" in chart.text[:2000]
    async with app_client(migrated, environment="production") as client:
        for path in ("/demo/platform", "/demo/dashboard", "/demo/dashboard/chart.umd.min.js"):
            assert (await client.http.get(path)).status_code == 404, path


def document_ids_in(page: str) -> list[str]:
    """The 64-hex ids of trusted documents a page carries."""
    return re.findall(r'"([0-9a-f]{64})"', page)
