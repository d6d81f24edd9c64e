"""The credit report (信用报告): ``creditReport`` as JSON and ``GET /report/{uscc}`` as a printable
page, each as the caller's role may see it; the page rendered by Debian's headless Chromium into
a screenshot and a PDF kept in ``test-artifacts/report/`` (git-ignored; README, "Credit report")."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from resolvers.domain.enums import Role
from resolvers.domain.grading import RULES
from tests.conftest import Backend, GraphQLClient, app_client
from tests.gateway.test_graphiql import chromium
from tests.roles import ReadKeys, read_keys_fixture  # noqa: F401

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"
REPORT = "query($u: USCC!) { creditReport(uscc: $u) }"
SECTIONS = ("一、主体身份与核验", "二、信用等级", "三、行政许可", "五、红黑名单", "六、信用承诺",
            "七、信用评价汇总", "八、寄递物流", "九、投诉举报")


async def showcase(client: GraphQLClient) -> str:
    """A black-listed subject of the demo data with penalties: most sections hold records."""
    data = await client.data("""{ subjects(first: 50, filter: {listStatus: BLACK}) { edges {
        node { uscc penalties(first: 1) { totalCount } complaints(first: 1) { totalCount } } } } }""")
    nodes = [edge["node"] for edge in data["subjects"]["edges"]]
    return str(max(nodes, key=lambda n: (n["penalties"]["totalCount"],
                                         n["complaints"]["totalCount"]))["uscc"])


async def test_report_json_is_what_the_role_may_see(seeded: Backend,
                                                    read_keys: ReadKeys) -> None:
    async with read_keys.client(Role.PUBLIC) as public:
        uscc = await showcase(public)
        anonymous: dict[str, Any] = (await public.data(REPORT, {"u": uscc}))["creditReport"]
        unknown = await public.data(REPORT, {"u": "91440300MA5FUTNU0W"})
        invalid = await public.post(REPORT, {"u": "914403001922038217"})
    async with read_keys.client(Role.REGULATOR) as regulator:
        full: dict[str, Any] = (await regulator.data(REPORT, {"u": uscc}))["creditReport"]
    assert (anonymous["role"], full["role"]) == ("PUBLIC", "REGULATOR")
    assert anonymous["ruleVersions"]["lists"].startswith("lists-")
    # the grade the role is shown, with its reasons: a black-listed subject is D, capped at 39
    # when its other reasons leave it above
    for report in (anonymous, full):
        grade = report["subject"]["creditGrade"]
        assert (grade["grade"], grade["ruleVersion"]) == ("D", report["ruleVersions"]["grade"])
        rules = [reason["rule"] for reason in grade["reasons"]]
        assert "list.black.in_force" in rules
        uncapped = 90 + sum(reason["effect"] for reason in grade["reasons"]
                            if reason["rule"] != "list.black.cap")
        assert ("list.black.cap" in rules) is (uncapped > 39)
        assert all(reason["clause"] for reason in grade["reasons"])
    assert anonymous["generatedAt"].endswith("+00:00")
    public_id = anonymous["subject"]["legalRepresentative"]["idNumber"]
    real_id = full["subject"]["legalRepresentative"]["idNumber"]
    assert "*" in public_id
    assert "*" not in real_id
    assert anonymous["subject"]["listStatus"] == full["subject"]["listStatus"] == "BLACK"
    # the public sees penalties in publicity only; a regulator every one
    assert (anonymous["subject"]["penalties"]["totalCount"]
            <= full["subject"]["penalties"]["totalCount"])
    assert all(edge["node"]["publicity"]["state"] == "PUBLIC"
               for edge in anonymous["subject"]["penalties"]["edges"])
    for section in ("licenses", "penalties", "listEntries", "commitments", "complaints",
                    "logisticsLinks"):
        for edge in full["subject"][section]["edges"]:
            assert edge["node"]["source"], section  # every record names its source
    assert unknown["creditReport"] is None
    assert [e["extensions"]["code"] for e in invalid["errors"]] == ["INVALID_USCC"]
    assert invalid["errors"][0]["extensions"]["expectedCheckCharacter"] == "6"


def render(html: Path, flag: str) -> None:
    run = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         f"--user-data-dir={html.parent / 'profile'}", "--hide-scrollbars",
         "--window-size=1000,1400", "--no-pdf-header-footer", flag, html.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]


@pytest.mark.slow  # two headless Chromium runs
async def test_report_page_prints_and_masks_for_the_public(seeded: Backend,
                                                           read_keys: ReadKeys) -> None:
    async with read_keys.client(Role.PUBLIC) as public:
        uscc = await showcase(public)
        page = await public.http.get(f"/report/{uscc}")
    async with read_keys.client(Role.REGULATOR) as regulator:
        full = (await regulator.data(REPORT, {"u": uscc}))["creditReport"]["subject"]
        regulator_page = await regulator.http.get(f"/report/{uscc}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = page.text
    assert '<html lang="zh-CN">' in text
    assert "size: A4" in text
    assert full["name"] in text
    assert uscc in text
    for title in (*SECTIONS, "四、公示期内行政处罚"):
        assert title in text, title
    assert "生成时间" in text
    assert "信用等级规则 " + full["creditGrade"]["ruleVersion"] in text
    assert "红黑名单认定规则 lists-" in text
    assert "D（信用风险高）" in text
    cap = RULES["list.black.cap"]
    assert f"{cap.title}（{cap.id}）" in text  # each reason in words, with its rule
    assert "在黑名单上" in text
    real_id = full["legalRepresentative"]["idNumber"]
    assert real_id not in text  # the public page masks it …
    assert real_id in regulator_page.text  # … a regulator's shows it
    assert "四、行政处罚" in regulator_page.text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    html = ARTIFACTS / f"report-{seeded.name}.html"
    html.write_text(text, encoding="utf-8")
    png, pdf = html.with_suffix(".png"), html.with_suffix(".pdf")
    png.unlink(missing_ok=True)
    pdf.unlink(missing_ok=True)
    render(html, f"--screenshot={png}")
    render(html, f"--print-to-pdf={pdf}")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    printed = pdf.read_bytes()
    assert printed.startswith(b"%PDF-")
    assert printed.count(b"/Type /Page") - printed.count(b"/Type /Pages") >= 1  # A4 pages


async def test_report_page_answers_400_and_404(seeded: Backend) -> None:
    async with app_client(seeded) as client:
        invalid = await client.http.get("/report/914403001922038217")
        unknown = await client.http.get("/report/91440300MA5FUTNU0W")
        short = await client.http.get("/report/9144")
        post = await client.http.post("/report/914403001922038216")
    assert invalid.status_code == 400
    assert "校验位应为 6" in invalid.text
    assert short.status_code == 400
    assert unknown.status_code == 404
    assert "91440300MA5FUTNU0W" in unknown.text
    assert post.status_code == 405
