"""The query window's error states in a real browser (pure UI states: SQLite only), each in
the live region: an invalid USCC names the expected check character from the API's typed error,
an unknown code or name is "not found", offline says so and searches again once back online,
and a rate-limited client is told the wait of ``Retry-After`` (a header the page on another
origin can read; the session's server allows ``RATE_LIMIT`` anonymous requests a minute, and
this module's last test spends them). axe-core finds no serious or critical violation in any
state. Screenshots: ``test-artifacts/widget/``."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect

from resolvers.domain.uscc import check_character
from tests.conftest import Backend, sql_rows
from tests.widget.browser import keep, open_shop, serious_violations
from tests.widget.conftest import RATE_LIMIT

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture(scope="module")
async def known(seeded: Backend) -> str:
    """The USCC of a stored subject."""
    rows = await sql_rows(seeded.database_url, "SELECT uscc FROM subject WHERE id = 3")
    return str(rows[0][0])


@pytest.fixture
async def page(browser: Browser, shop: str, gateway: str) -> AsyncIterator[Page]:
    """A platform's page with the query window, in a fresh browser context (empty HTTP cache)."""
    context = await browser.new_context()
    context.set_default_timeout(10_000)
    yield await open_shop(context, shop, gateway, f'<credit-query-window endpoint="{gateway}'
                          '/graphql"></credit-query-window>')
    await context.close()


async def search(page: Page, text: str) -> None:
    combo = page.locator("credit-query-window input[role=combobox]")
    await combo.fill(text)
    await combo.press("Enter")


STATUS = "credit-query-window [role=status]"


async def accessible_and_kept(page: Page, state: str) -> None:
    """axe-core finds no serious or critical violation in the window; its screenshot is kept."""
    assert await serious_violations(page, "credit-query-window") == []
    await keep(page, state, "credit-query-window")


async def test_invalid_uscc_names_the_expected_check_character(
    page: Page, known: str,
) -> None:
    expected = check_character(known[:17])
    wrong = known[:17] + next(c for c in "0123456789" if c != expected)
    await search(page, wrong)
    await expect(page.locator(STATUS)).to_contain_text(f"第18位应为“{expected}”")
    await expect(page.locator("credit-query-window section.card")).to_be_hidden()
    await accessible_and_kept(page, "state-invalid-uscc")
    await search(page, known[:10] + "I" + known[11:])  # a letter outside the alphabet
    await expect(page.locator(STATUS)).to_contain_text("不使用 I、O、Z、S、V")


async def test_unknown_code_or_name_is_not_found_in_english_too(
    page: Page, known: str,
) -> None:
    body = ("1" if known[0] != "1" else "2") + known[1:17]  # another registration authority
    unknown = body + check_character(body)
    await page.locator("credit-query-window").evaluate("(e) => e.setAttribute('lang', 'en')")
    await expect(page.locator("credit-query-window button")).to_have_text("Search")
    await search(page, unknown)
    await expect(page.locator(STATUS)).to_have_text(f"No subject found for “{unknown}”")
    await search(page, "没有这个名字的商家")
    await expect(page.locator(STATUS)).to_have_text("No subject found for “没有这个名字的商家”")
    await accessible_and_kept(page, "state-not-found-en")


async def test_offline_says_so_and_searches_again_once_online(
    page: Page, known: str,
) -> None:
    await page.context.set_offline(True)
    await search(page, known)
    await expect(page.locator(STATUS)).to_contain_text("网络已断开")
    await accessible_and_kept(page, "state-offline")
    await page.context.set_offline(False)
    await expect(page.locator("credit-query-window section.card")).to_contain_text(known)


async def test_rate_limited_shows_the_wait_of_retry_after(
    page: Page, gateway: str, known: str,
) -> None:
    # the page spends what is left of the minute's requests (uncached, all at once) and reads
    # the Retry-After of a refusal: a header exposed to a page of another origin
    waits = await page.evaluate(
        """async ([url, count]) => (await Promise.all(Array.from({length: count}, () =>
             fetch(url + "/graphql?query=%7B__typename%7D", {cache: "no-store"}))))
             .filter((r) => r.status === 429).map((r) => r.headers.get("Retry-After"))""",
        [gateway, RATE_LIMIT])
    assert waits, "never rate-limited"
    assert all(wait is not None and wait.isdigit() for wait in waits), waits
    await search(page, known)
    status = page.locator(STATUS)
    await expect(status).to_have_text(re.compile(r"查询过于频繁，请 \d+ 秒后再试"))
    shown = int(re.findall(r"\d+", await status.inner_text())[0])
    assert 0 < shown <= int(waits[-1])  # the wait of the widget's own 429
    await accessible_and_kept(page, "state-rate-limited")
