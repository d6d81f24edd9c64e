"""The demo dashboard (``GET /demo/dashboard``) in a real browser, on both backends: every chart drawn
by Chart.js on a non-blank canvas, every data table holding exactly what the API answers the
public for the same trusted document, no serious or critical axe-core violation.
Screenshot: ``test-artifacts/dashboard/``."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, expect

from tests.conftest import Backend
from tests.widget.browser import keep, serious_violations
from tests.widget.test_widget_elements import answer

SERIES = ("byProvince", "byKind", "byGrade", "byStanding", "penaltiesByMonth", "lateByMonth",
          "blackListGrowth")
# a canvas Chart.js drew on has pixels that are not transparent
PAINTED = """(canvas) => { const c = canvas.getContext("2d");
  const pixels = c.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0; for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
  return painted; }"""
ROWS = """(table) => [...table.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent))"""


def expected_rows(series: str, groups: list[dict[str, Any]]) -> list[list[str]]:
    """What the page's table for ``series`` must say, from the API's answer."""
    if series.startswith("by"):
        return [[g["key"], g["label"] or "", str(g["count"])] for g in groups]
    if series == "penaltiesByMonth":
        return [[g["key"], str(g["count"]), g["fineTotal"]] for g in groups]
    if series == "lateByMonth":
        return [[g["key"], str(g["count"])] for g in groups]
    total = 0
    rows = []
    for g in groups:  # black-list growth: the month's listings and the running total
        total += g["count"]
        rows.append([g["key"], str(g["count"]), str(total)])
    return rows


async def test_dashboard_draws_every_chart_with_the_apis_numbers_in_its_table(
    browser: Browser, gateway: str, seeded: Backend,
) -> None:
    stats = answer(gateway, "CreditDashboard", {})["stats"]
    assert all(stats[name] for name in SERIES)  # the demo data fills every chart
    context = await browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{gateway}/demo/dashboard")
    await expect(page.locator("figure canvas")).to_have_count(len(SERIES))
    await expect(page.locator("#status")).to_be_empty()  # loaded, and Chart.js was there
    assert await page.evaluate("Object.keys(Chart.instances).length") == len(SERIES)
    for name in SERIES:
        figure = page.locator(f"figure[data-series={name}]")
        assert await figure.locator("canvas").evaluate(PAINTED) > 1000, name
        assert (await figure.locator("canvas").get_attribute("aria-label") or "").startswith(
            await figure.locator("h2").text_content() or "?"), name
        rows = await figure.locator("table").evaluate(ROWS)
        assert rows == expected_rows(name, stats[name]), name
    subjects = sum(g["count"] for g in stats["byKind"])
    await expect(page.locator("#kpi-subjects")).to_have_text(str(subjects))
    assert sum(g["count"] for g in stats["byGrade"]) == subjects  # every subject graded
    await expect(page.locator("#grades-as-of")).to_have_text(f"等级计算日期 {stats['gradesAsOf']}")
    assert await serious_violations(page, "html") == []
    await keep(page, f"dashboard-{seeded.name}", folder="dashboard")
    await context.close()
