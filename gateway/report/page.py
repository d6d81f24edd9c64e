"""The printable credit report (信用报告): the JSON of ``Query.creditReport`` as a zh-CN HTML page
for A4 paper. Every value goes through ``html.escape``; enum values are shown by their Chinese
term (``resolvers.domain.enums.TERMS``). One function per block.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from enum import Enum
from html import escape
from typing import Any

from resolvers.domain import clock, enums
from resolvers.domain.enums import TERMS

STYLE = """
@page { size: A4; margin: 18mm 15mm 20mm 15mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
       "Microsoft YaHei", sans-serif; font-size: 10.5pt; color: #111; margin: 0 auto;
       max-width: 180mm; line-height: 1.45; }
h1 { font-size: 20pt; text-align: center; margin: 6mm 0 2mm; letter-spacing: 0.3em; }
.meta { text-align: center; color: #444; font-size: 9pt; margin-bottom: 5mm; }
h2 { font-size: 12.5pt; border-bottom: 1.5pt solid #8b0000; padding-bottom: 1mm;
     margin: 6mm 0 2mm; color: #8b0000; }
table { width: 100%; border-collapse: collapse; margin-bottom: 2mm; }
th, td { border: 0.5pt solid #999; padding: 1mm 1.5mm; vertical-align: top; text-align: left;
         overflow-wrap: anywhere; }
th { background: #f1f1f1; font-weight: 600; }
td.code, span.code { font-size: 8.5pt; color: #444; }
table.kv th { width: 34mm; white-space: nowrap; }
td.day { white-space: nowrap; }
/* the grade's reasons: the rule in words, the clause, the points on one line, the record */
section.grade table:not(.kv) :is(th, td):nth-child(1) { width: 38mm; overflow-wrap: normal; }
section.grade table:not(.kv) :is(th, td):nth-child(3) { white-space: nowrap; }
section.grade table:not(.kv) :is(th, td):nth-child(4) { width: 30mm; }
tr { break-inside: avoid; page-break-inside: avoid; }
h2 { break-after: avoid; page-break-after: avoid; }
.none { color: #666; font-style: italic; }
.more { color: #444; font-size: 9pt; }
.BLACK { color: #b00000; font-weight: 700; }
.RED { color: #c05000; font-weight: 700; }
footer { margin-top: 8mm; font-size: 8.5pt; color: #555; border-top: 0.5pt solid #999;
         padding-top: 2mm; }
@media print { a { color: inherit; text-decoration: none; } }
"""


def term(enum: type[Enum], value: Any) -> str:
    """An enum value as its Chinese term (the value itself when it is none of the enum's)."""
    if value is None:
        return ""
    try:
        return TERMS[enum(value)]
    except (KeyError, ValueError):
        return str(value)


def text(value: Any) -> str:
    return "" if value is None else escape(str(value))


def kv(rows: Sequence[tuple[str, Any]]) -> str:
    body = "".join(f"<tr><th>{escape(k)}</th><td>{text(v)}</td></tr>" for k, v in rows)
    return f'<table class="kv">{body}</table>'


RULE_NAMES = {"grade": "信用等级规则", "lists": "红黑名单认定规则"}
Column = tuple[str, Callable[[dict[str, Any]], Any]]


def cell(value: Any) -> str:
    """A table cell; a day (``2026-06-16``) is kept on one line."""
    shown = text(value)
    day = len(shown) == 10 and shown[4] == shown[7] == "-"
    return f'<td class="day">{shown}</td>' if day else f"<td>{shown}</td>"


def records(connection: dict[str, Any] | None, columns: Sequence[Column]) -> str:
    """A table of a connection's nodes, or a line saying there are none; the total when the
    report shows only the first page."""
    nodes = [edge["node"] for edge in (connection or {}).get("edges", [])]
    if not nodes:
        return '<p class="none">无记录</p>'
    head = "".join(f"<th>{escape(name)}</th>" for name, _ in columns)
    rows = "".join("<tr>" + "".join(cell(get(node)) for _, get in columns) + "</tr>"
                   for node in nodes)
    total = (connection or {}).get("totalCount", len(nodes))
    more = (f'<p class="more">共 {total} 条，本报告列出最新 {len(nodes)} 条。</p>'
            if total > len(nodes) else "")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}"


def source(node: dict[str, Any]) -> str:
    code = node.get("sourceCode")
    name = term(enums.Department, node.get("source"))
    return f"{name} {code}" if code else name


def section(title: str, body: str, name: str) -> str:
    return f'<section class="{name}"><h2>{escape(title)}</h2>{body}</section>'


def identity(s: dict[str, Any]) -> str:
    region, rep, ver = s["region"], s["legalRepresentative"], s["verification"]
    verified = ("已核验" + (f"（{ver['verifiedOn']}，标识 {ver['mark']}）" if ver["verifiedOn"]
                           else "") if ver["verified"] else "未核验")
    rows = [("统一社会信用代码", s["uscc"] + ("（试点期代码）" if s["usccLegacy"] else "")),
            ("名称", s["name"]), ("主体类型", term(enums.SubjectKind, s["kind"])),
            ("行政相对人类别", term(enums.SubjectCategory, s["category"])),
            ("成立日期", s["registeredOn"]), ("登记状态", term(enums.SubjectStatus, s["status"])),
            ("所在地区", " ".join(p for p in (region["province"], region["name"]) if p)
             + f"（{region['code']}）"),
            ("住所", s["address"]), ("联系电话", s["phone"]),
            ("法定代表人", f"{rep['name']}（{term(enums.IdType, rep['idType'])} {rep['idNumber']}）"),
            ("身份核验", verified)]
    standing = s["listStatus"]
    return (kv(rows) + f'<p>红黑名单状态：<span class="{escape(standing)}">'
            f"{escape(term(enums.ListStatus, standing))}</span></p>")


GRADE_TERMS = {"A": "A（信用风险低）", "B": "B（信用风险一般）", "C": "C（信用风险较高）",
               "D": "D（信用风险高）"}
RECORD_TERMS = {"Penalty": "行政处罚", "License": "行政许可", "ListEntry": "红黑名单",
                "Commitment": "信用承诺", "Complaint": "投诉举报", "Rating": "信用评价",
                "LogisticsLink": "寄递物流"}


def evidence(record: dict[str, Any] | None) -> str:
    """The record behind a reason: its kind, and its decision number when it has one."""
    if not record:
        return "—"
    kind = RECORD_TERMS.get(record["__typename"], record["__typename"])
    number = record.get("decisionNumber")
    return f"{kind} {number}" if number else kind


def grade(s: dict[str, Any]) -> str:
    """The credit grade the caller's role is shown, and the reasons behind its score."""
    g = s["creditGrade"]
    reasons = records({"edges": [{"node": r} for r in g["reasons"]]}, [
        ("规则", lambda r: f"{r['title']}（{r['rule']}）"), ("依据", lambda r: r["clause"]),
        ("分值", lambda r: f"{r['effect']:+d}"), ("记录", lambda r: evidence(r["record"]))])
    rows = [("信用等级", GRADE_TERMS.get(g["grade"], g["grade"])), ("得分", g["score"]),
            ("规则版本", g["ruleVersion"])]
    return section("二、信用等级", kv(rows) + reasons, "grade")


def body(report: dict[str, Any]) -> str:
    s = report["subject"]
    ratings = s["ratingSummary"]
    carrier = s.get("carrierCreditClass")
    logistics = records(s["logisticsLinks"], [
        ("承运企业", lambda n: f"{n['carrier']['name']}（{n['carrier']['uscc']}）"),
        ("期间", lambda n: f"{n['periodStart']} 至 {n['periodEnd']}"),
        ("件数", lambda n: n["parcels"]), ("空包", lambda n: n["emptyParcels"]),
        ("数据来源", source), ("记录日期", lambda n: n["periodEnd"])])
    if carrier:
        logistics = (kv([("快递业信用等级", carrier["grade"]), ("承运件数", carrier["parcels"]),
                         ("空包率", f"{carrier['emptyParcelRate']:.2%}")]) + logistics)
    return "".join([
        section("一、主体身份与核验", identity(s), "identity"),
        grade(s),
        section("三、行政许可", records(s["licenses"], [
            ("许可文书号", lambda n: n["decisionNumber"]), ("许可内容", lambda n: n["content"]),
            ("有效期", lambda n: f"{n['validFrom']} 至 {n['validTo'] or '长期'}"),
            ("状态", lambda n: term(enums.LicenseStatus, n["status"])),
            ("许可机关", lambda n: n["authority"]), ("数据来源", source),
            ("公示日期", lambda n: n["publishedOn"] or "未公示")]), "licenses"),
        section("四、公示期内行政处罚" if report["role"] in ("PUBLIC", "PLATFORM")
                else "四、行政处罚", records(s["penalties"], [
                    ("处罚文书号", lambda n: n["decisionNumber"]),
                    ("违法行为类型", lambda n: n["violationType"]),
                    ("处罚内容", lambda n: n["content"]),
                    ("严重程度", lambda n: term(enums.Severity, n["severity"])),
                    ("决定日期", lambda n: n["decisionDate"]),
                    ("处罚机关", lambda n: n["authority"]), ("数据来源", source),
                    ("公示日期", lambda n: n["publishedOn"] or "未公示"),
                    ("公示截止", lambda n: n["publicityEnd"])]), "penalties"),
        section("五、红黑名单", records(s["listEntries"], [
            ("名单", lambda n: term(enums.ListKind, n["kind"])), ("列入事由", lambda n: n["reason"]),
            ("认定部门", lambda n: n["authority"]),
            ("有效期", lambda n: f"{n['validFrom']} 至 {n['validTo'] or '移出为止'}"),
            ("状态", lambda n: "有效" if n["inForce"] else
             (f"已移出（{n['liftedOn']}）" if n["liftedOn"] else "不在有效期内")),
            ("数据来源", source), ("公示日期", lambda n: n["validFrom"])]), "lists"),
        section("六、信用承诺", records(s["commitments"], [
            ("承诺类型", lambda n: term(enums.CommitmentKind, n["kind"])),
            ("承诺内容", lambda n: n["text"]),
            ("履行状态", lambda n: term(enums.CommitmentStatus, n["status"])),
            ("数据来源", source), ("公示日期", lambda n: n["committedOn"])]), "commitments"),
        section("七、信用评价汇总", kv([
            ("评价数", ratings["count"]), ("平均分", ratings["average"] or "—"),
            ("好评 / 中评 / 差评",
             f"{ratings['positive']} / {ratings['neutral']} / {ratings['negative']}"),
            ("信用积分", ratings["creditPoints"])]), "ratings"),
        section("八、寄递物流", logistics, "logistics"),
        section("九、投诉举报", records(s["complaints"], [
            ("渠道", lambda n: term(enums.ComplaintChannel, n["channel"])),
            ("受理编号", lambda n: n["reference"]), ("投诉事由", lambda n: n["summary"]),
            ("处理状态", lambda n: term(enums.ComplaintStatus, n["status"])),
            ("数据来源", source), ("登记日期", lambda n: n["filedOn"])]), "complaints"),
    ])


def page(title: str, content: str, footer: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
            f"<body>{content}{footer}</body></html>")


def report_page(report: dict[str, Any]) -> str:
    s = report["subject"]
    versions = "，".join(f"{RULE_NAMES.get(k, k)} {v}" for k, v in report["ruleVersions"].items())
    generated = datetime.fromisoformat(report["generatedAt"]).astimezone(clock.CHINA)
    head = (f"<h1>信用报告</h1><p class=\"meta\">{text(s['name'])} · {text(s['uscc'])}<br>"
            f"生成时间 {generated:%Y-%m-%d %H:%M:%S}（北京时间）· "
            f"查询角色 {text(term(enums.Role, report['role']))} · 规则版本 {text(versions)}</p>")
    footer = ("<footer>本报告依据查询角色可见的信息生成：社会公众仅见公示期内的行政处罚，"
              "个人信息已按《中华人民共和国个人信息保护法》遮蔽。每条记录注明数据来源单位与公示日期。"
              "</footer>")
    return page(f"信用报告 — {s['name']}", head + body(report), footer)


def problem_page(title: str, message: str) -> str:
    return page(title, f"<h1>{escape(title)}</h1><p class=\"meta\">{escape(message)}</p>")
