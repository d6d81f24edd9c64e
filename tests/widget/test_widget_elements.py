"""The widget in a real browser on both backends: a platform's page on another origin loads
``/widget.js`` from a real server and embeds ``<credit-query-window>`` and ``<credit-badge>``;
the demo platform page embeds both. Suggestions as one types (keyboard, combobox ARIA), the
result card, the badge and its report link, Shadow DOM isolation both ways, theming, hash-only
GETs whose ``ETag`` the page can read, and axe-core finding no serious or critical violation
(the demo page on SQLite only: its one statement is tested on both in test_widget_script.py).
Screenshots: ``test-artifacts/widget/``. The error states are in ``test_widget_states.py``."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.async_api import Browser, Page, Response, expect

from gateway.persisted.manifest import MANIFEST
from gateway.widget.script import OPERATIONS
from tests.conftest import Backend, sql_rows
from tests.widget.browser import keep, open_shop, serious_violations

LIST_TEXT = {"RED": "红名单", "BLACK": "黑名单", "NONE": "未列入红黑名单"}


@pytest.fixture(scope="module")
async def shops(seeded: Backend) -> list[tuple[str, str]]:
    """(USCC, name) of the demo data's red-listed merchant (3) and its counterfeiter (5)."""
    rows = await sql_rows(seeded.database_url,
                          "SELECT uscc, name FROM subject WHERE id IN (3, 5) ORDER BY id")
    return [(row[0], row[1]) for row in rows]


def trusted(operation: str) -> str:
    """The id of an operation's trusted document as written."""
    operations = json.loads(MANIFEST.read_text(encoding="utf-8"))["operations"]
    return str(next(o["id"] for o in operations if o["name"] == operation))


def answer(gateway: str, operation: str, variables: dict[str, Any]) -> dict[str, Any]:
    """What the API answers anyone for a trusted document (what the elements must show)."""
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": trusted(operation)}}
    got = httpx.get(f"{gateway}/graphql", params={"variables": json.dumps(variables),
                                                  "extensions": json.dumps(extensions)})
    data: dict[str, Any] = got.json()["data"]
    return data


def record(page: Page, gateway: str) -> list[Response]:
    """Every answer of the gateway's /graphql the page receives."""
    seen: list[Response] = []
    page.on("response", lambda r: seen.append(r) if r.url.startswith(f"{gateway}/graphql")
            else None)
    return seen


STYLE_OF = """(selector) => { const s = getComputedStyle(document.querySelector(selector));
  return [s.margin, s.padding, s.borderRadius, s.fontSize, s.color, s.backgroundColor].join(" | "); }"""
INNER_STYLE = """([host, selector, property]) => getComputedStyle(
  document.querySelector(host).shadowRoot.querySelector(selector))[property]"""


async def test_badges_and_query_window_on_a_platform_page_of_another_origin(
    browser: Browser, shop: str, gateway: str, shops: list[tuple[str, str]], seeded: Backend,
) -> None:
    themed = ' style="--credit-accent: rgb(0, 128, 0)"'  # the second badge only
    badges = "".join(f'<p><credit-badge uscc="{uscc}" endpoint="{gateway}/graphql"'
                     f'{themed if number else ""}></credit-badge></p>'
                     for number, (uscc, _) in enumerate(shops))
    context = await browser.new_context(locale="zh-CN")
    context.set_default_timeout(10_000)
    page = await open_shop(context, shop, gateway, badges + f'<credit-query-window endpoint='
                           f'"{gateway}/graphql"></credit-query-window>')
    answers = record(page, gateway)
    leaked = await page.evaluate(
        "Object.getOwnPropertyNames(window).filter((n) => !window.__before.includes(n))")
    assert leaked == ["__before"]  # widget.js defines no global
    before = await page.evaluate(STYLE_OF, "#host-button")

    # the badges: name, verification, grade, standing, the report link; themable
    for number, (uscc, _) in enumerate(shops):
        expected = answer(gateway, "CreditBadge", {"uscc": uscc})["subject"]
        link = page.locator("credit-badge").nth(number).locator("a")
        await expect(link.locator(".name")).to_have_text(expected["name"])
        await expect(link.locator(".chip")).to_have_text(LIST_TEXT[expected["listStatus"]])
        await expect(link).to_contain_text("已实名核验" if expected["verification"]["verified"]
                                           else "未实名核验")
        await expect(link.locator(".grade")).to_have_text(expected["creditGrade"]["grade"])
        assert await link.get_attribute("href") == f"{gateway}/report/{uscc}"
    colours = await page.evaluate(
        """() => [...document.querySelectorAll('credit-badge')].map((b) =>
             getComputedStyle(b.shadowRoot.querySelector('.shield')).color)""")
    assert colours == ["rgb(11, 87, 208)", "rgb(0, 128, 0)"]  # the second themed by --credit-accent
    assert await serious_violations(page, "credit-badge") == []

    # the query window: suggestions as one types, chosen with the keyboard
    uscc, name = shops[1]
    expected = answer(gateway, "CreditWidget", {"uscc": uscc})["subject"]
    combo = page.locator("credit-query-window input[role=combobox]")
    await combo.press_sequentially(name, delay=20)  # Playwright's locators pierce open shadow roots
    option = page.locator("credit-query-window [role=option]", has_text=uscc)
    await expect(option).to_be_visible()
    await expect(combo).to_have_attribute("aria-expanded", "true")
    suggested = [r for r in answers if trusted("CreditSuggestions") in r.url]
    print("typed", len(name), "characters, suggestion requests:", len(suggested))
    assert 1 <= len(suggested) < len(name)  # debounced
    options = page.locator("credit-query-window [role=option]")
    position = [await o.text_content() for o in await options.all()].index(
        await option.text_content())
    for _ in range(position + 1):
        await combo.press("ArrowDown")
    await expect(option).to_have_attribute("aria-selected", "true")
    await expect(combo).to_have_attribute("aria-activedescendant",
                                          await option.get_attribute("id") or "")
    await expect(page.locator("credit-query-window [role=status]")).to_contain_text("候选主体")
    assert await serious_violations(page, "credit-query-window") == []
    await keep(page, f"query-window-suggestions-{seeded.name}", "main")  # the list overlays the page

    # the result card, focused for screen readers
    await combo.press("Enter")
    card = page.locator("credit-query-window section.card")
    await expect(card.locator("h3")).to_contain_text(expected["name"])
    await expect(combo).to_have_attribute("aria-expanded", "false")
    assert await page.evaluate("document.activeElement.shadowRoot.activeElement.id") == "name"
    await expect(card).to_contain_text(uscc)
    await expect(card.locator("h3 .chip")).to_have_text(LIST_TEXT[expected["listStatus"]])
    # the grade the API answers (the widget's compiled plan on PostgreSQL), with its reasons
    grade = expected["creditGrade"]
    await expect(card.locator(".grade")).to_have_text(grade["grade"])
    await expect(card).to_contain_text(f"{grade['score']} 分")
    assert grade["reasons"]  # the counterfeiter's penalty moved the score
    for reason in grade["reasons"]:  # in words (zh-CN), not the rule's id
        assert reason["title"]
        await expect(card.locator("li", has_text=reason["title"])).to_contain_text(
            str(reason["effect"]))
        await expect(card.locator("li", has_text=reason["title"])).not_to_contain_text(
            reason["rule"])
    if expected["verification"]["verified"]:
        await expect(card).to_contain_text(expected["verification"]["mark"])
    assert expected["penalties"]["edges"]  # the counterfeiter's penalty is in publicity
    for edge in expected["penalties"]["edges"]:
        await expect(card).to_contain_text(edge["node"]["decisionNumber"])
    for edge in expected["licenses"]["edges"]:
        await expect(card).to_contain_text(edge["node"]["licenseNumber"])
    report = card.locator("a.report")
    assert await report.get_attribute("href") == f"{gateway}/report/{uscc}"
    assert await serious_violations(page, "credit-query-window") == []
    await keep(page, f"platform-page-of-another-origin-{seeded.name}")

    # only hash-only GETs of trusted documents, HTTP-cacheable, the ETag readable cross-origin
    assert answers
    assert {(r.request.method, r.status) for r in answers} == {("GET", 200)}
    for got in answers:
        params = parse_qs(urlsplit(got.url).query)
        assert "query" not in params
        hashed = json.loads(params["extensions"][0])["persistedQuery"]["sha256Hash"]
        assert hashed in {trusted(name) for name in OPERATIONS}
        assert "public" in (await got.all_headers())["cache-control"]
    assert await page.evaluate("async (url) => (await fetch(url)).headers.get('ETag')",
                               answers[-1].url)

    # Shadow DOM both ways: the host's CSS reaches no inner element, the element's none of the host's
    assert await page.evaluate(STYLE_OF, "#host-button") == before
    host = "credit-query-window"
    assert await page.evaluate(INNER_STYLE, [host, "button", "backgroundColor"]) == "rgb(11, 87, 208)"
    assert await page.evaluate(INNER_STYLE, [host, "h3", "color"]) == "rgb(31, 35, 40)"
    assert "serif" not in (await page.evaluate(INNER_STYLE, [host, "h3", "fontFamily"])).split(",")
    assert await page.evaluate(INNER_STYLE, [host, "input", "fontSize"]) == "14px"
    assert await page.evaluate(INNER_STYLE, ["credit-badge", ".name", "color"]) == "rgb(31, 35, 40)"

    # a click on a badge opens the credit report, on the API's origin
    async with context.expect_page() as opened:
        await page.locator("credit-badge").first.locator("a").click()
    assert (await opened.value).url == f"{gateway}/report/{shops[0][0]}"
    await context.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # its SQL: test_widget_script.py
async def test_demo_platform_page_embeds_the_window_and_shop_badges(
    browser: Browser, gateway: str, shops: list[tuple[str, str]], seeded: Backend,
) -> None:
    context = await browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{gateway}/demo/platform")
    badges = page.locator("credit-badge")
    await expect(badges).to_have_count(6)
    for number in range(6):
        await expect(badges.nth(number).locator("a .name")).not_to_be_empty()
    await expect(badges.first.locator(".name")).to_have_text(shops[0][1])  # subject 3 first
    combo = page.locator("credit-query-window input[role=combobox]")
    await combo.fill(shops[1][0])
    await combo.press("Enter")
    await expect(page.locator("credit-query-window h3")).to_contain_text(shops[1][1])
    assert await serious_violations(page, "html") == []
    await keep(page, f"demo-platform-{seeded.name}")
    await context.close()
