"""The rule table of the credit grade (信用等级), version ``RULE_VERSION``.

One row per rule: its id, the points it adds or takes (per record where it names one, up to
``limit`` in all), and the policy clause it implements, in words (document title + article).
docs/CREDIT_GRADE.md renders this same table for a regulator; ``tests/writes/test_grade_rules.py``
checks the two agree. Changing a weight, a threshold or a clause changes ``RULE_VERSION``.

Classes follow 企业信用风险分类管理 (国市监信发〔2022〕6号: A 信用风险低, B 一般, C 较高,
D 高) on point bands modelled on the tax credit grades (A ≥ 90, B 70–89, C 40–69, D < 40).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

RULE_VERSION = "2026.1"
BASE_SCORE = 90
"""Where every subject starts: a clean, verified subject is A."""


class Letter(StrEnum):
    """信用风险分类 — A 低风险, B 一般, C 较高, D 高风险."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


BANDS: tuple[tuple[Letter, int], ...] = ((Letter.A, 90), (Letter.B, 70), (Letter.C, 40),
                                         (Letter.D, 0))
"""Each class with its lowest score, best first."""

BLACK_CAP = 39
"""The highest score a subject with a black-list entry in force keeps: within D."""

RECENT_DAYS = 365
"""A penalty is recent for a year after its decision."""
PENALTY_DAYS = 3 * 365
"""After three years (the longest publicity period, 严重失信 1–3 年) a penalty no longer counts."""
COMPLAINT_DAYS = 365
"""Complaints count for a year after they were filed."""
COMPLAINT_OVERDUE_DAYS = 60
"""A complaint still open this long after filing counts as unresolved."""
FREQUENT_COMPLAINTS = 3
"""This many complaints within ``COMPLAINT_DAYS`` is a high complaint rate."""
RATINGS_NEEDED = 5
"""The rating average counts from this many ratings on."""
EMPTY_SHARE_HIGH = 0.01
EMPTY_SHARE_SEVERE = 0.05
"""Empty-parcel shares (空包) of a logistics firm: above 1 % and above 5 % of its parcels."""

_RISK = "《市场监管总局关于推进企业信用风险分类管理进一步提升监管效能的意见》（国市监信发〔2022〕6号）"
_CHENGDE = ("《承德市发展和改革委员会等九部门关于全面加强电子商务领域诚信建设的实施意见》"
            "（承发改经贸〔2017〕631号）")
_SPECIAL = ("《关于对电子商务及分享经济领域炒信行为相关失信主体实施联合惩戒的行动计划》"
            "（发改财金〔2016〕2370号）")
_PUBLICITY = ("《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令2023年第58号） 公示期限"
              "（轻微失信一般不公示；一般失信 3 个月至 1 年；严重失信 1 年至 3 年）")
_EXPRESS = "《快递业信用管理暂行办法》（2017）"


@dataclass(frozen=True)
class Rule:
    """One row of the rule table."""

    id: str
    title: str
    """The rule in a few words, zh-CN: what a shop page or a credit report shows a reader."""
    effect: int
    """Points per record (or once, for a rule on a figure); a cap's effect is computed."""
    limit: int | None
    """The most points the rule moves in all (a bound on the sum of its effects), if any."""
    clause: str
    summary: str
    """When the rule applies, in English."""


def _rule(id: str, title: str, effect: int, clause: str, summary: str,
          limit: int | None = None) -> Rule:
    return Rule(id, title, effect, limit, clause, summary)


RULES: dict[str, Rule] = {rule.id: rule for rule in (
    _rule("penalty.serious.recent", "一年内受到严重行政处罚", -30,
          f"{_RISK} 监管信息：行政处罚; {_PUBLICITY}",
          "a serious (严重) penalty decided within the last year"),
    _rule("penalty.serious.past", "一至三年前受到严重行政处罚", -25,
          f"{_RISK} 监管信息：行政处罚; {_PUBLICITY}",
          "a serious penalty decided one to three years ago"),
    _rule("penalty.general.recent", "一年内受到一般行政处罚", -10,
          f"{_RISK} 监管信息：行政处罚; {_PUBLICITY}",
          "a general (一般) penalty decided within the last year"),
    _rule("penalty.general.past", "一至三年前受到一般行政处罚", -4,
          f"{_RISK} 监管信息：行政处罚",
          "a general penalty decided one to three years ago"),
    _rule("penalty.minor.recent", "一年内受到轻微行政处罚（不公示）", -2,
          f"{_RISK} 监管信息：行政处罚; {_PUBLICITY}",
          "a minor (轻微) penalty decided within the last year — withheld from the public, so "
          "only the supervisory class counts it"),
    _rule("list.black.in_force", "列入黑名单（有效期内）", -40,
          f"{_CHENGDE} 二（四）3 加大对失信主体的惩戒力度（“黑名单”主体降低信用等级）; {_SPECIAL}",
          "a black-list (黑名单) entry in force"),
    _rule("list.black.cap", "黑名单主体信用等级上限为 D", 0,
          f"{_RISK} 分类：列入严重违法失信名单的企业为信用风险高（D 类）",
          "caps the score at 39 (class D) while a black-list entry is in force; its effect "
          "is what it takes off a higher score"),
    _rule("list.red.in_force", "列入红名单（有效期内）", 5,
          f"{_CHENGDE} 二（四）2 加大对守信主体的激励力度（“红名单”主体在信用积分等方面给予倾斜）",
          "a red-list (红名单) entry in force; +5 once however many", limit=5),
    _rule("commitment.breached", "三年内信用承诺未履行", -10,
          f"{_CHENGDE} 二（二）1 建立事前信用承诺制度; 二（一）4 服务承诺履约情况记入信用档案",
          "a commitment (信用承诺) found breached within the last three years"),
    _rule("commitment.fulfilled", "三年内信用承诺已履行", 2,
          f"{_CHENGDE} 二（一）4 服务承诺履约情况记入信用档案",
          "a commitment found fulfilled within the last three years; at most +6 in all",
          limit=6),
    _rule("complaint.frequent", "一年内投诉举报三次以上", -5,
          f"{_RISK} 社会评价信息：投诉举报; {_CHENGDE} 二（一）5 强化消费者权益保障措施",
          "three or more complaints (投诉举报) filed within the last year; once"),
    _rule("complaint.unresolved", "投诉举报逾期未处理", -2,
          f"{_CHENGDE} 二（一）5 强化消费者权益保障措施（及时处理回应消费者反映的问题）",
          "a complaint of the last year still open 60 days after filing; at most −10 in all",
          limit=-10),
    _rule("rating.average.low", "信用评价平均分低于 3.0", -10,
          f"{_RISK} 社会评价信息; {_CHENGDE} 二（一）4 完善网络交易信用评价体系",
          "a rating average below 3.0 over at least five ratings"),
    _rule("rating.average.fair", "信用评价平均分 3.0 至 4.0", -4,
          f"{_RISK} 社会评价信息; {_CHENGDE} 二（一）4 完善网络交易信用评价体系",
          "a rating average from 3.0 to below 4.0 over at least five ratings"),
    _rule("rating.average.high", "信用评价平均分 4.5 以上", 3,
          f"{_CHENGDE} 二（一）4 完善网络交易信用评价体系",
          "a rating average of 4.5 or more over at least five ratings"),
    _rule("rating.follow_up.negative", "差评追评", -1,
          f"{_CHENGDE} 二（一）4 交易后评价或追加评价制度",
          "a rating of 1–2 whose rater added a follow-up (追评); at most −5 in all", limit=-5),
    _rule("disclosure.late", "行政许可或处罚逾期公示", -1,
          f"{_CHENGDE} 二（四）1 加大信用信息公示力度",
          "a licence or penalty in the view disclosed late (公示时限: more than 7 working "
          "days after the decision, or still unpublished past them); at most −3 in all",
          limit=-3),
    _rule("verification.missing", "未完成实名认证", -5,
          f"{_CHENGDE} 二（一）1 落实实名登记和认证制度",
          "the subject's identity is not verified (实名认证)"),
    _rule("logistics.empty_parcels.high", "空包率 1% 至 5%", -10,
          f"{_CHENGDE} 二（一）3 建立寄递物流信用体系; 二（四）4 打击空包裹代发; {_EXPRESS}",
          "a logistics firm more than 1 % and at most 5 % of whose parcels were empty (空包)"),
    _rule("logistics.empty_parcels.severe", "空包率超过 5%", -25,
          f"{_CHENGDE} 二（一）3 建立寄递物流信用体系; 二（四）4 打击空包裹代发; {_EXPRESS}",
          "a logistics firm more than 5 % of whose parcels were empty"),
)}


def table_markdown() -> str:
    """The rule table as docs/CREDIT_GRADE.md shows it (a test keeps the two equal)."""
    def points(rule: Rule) -> str:
        if rule.id == "list.black.cap":
            return f"down to {BLACK_CAP}"
        sign = "+" if rule.effect > 0 else "−"
        total = "" if rule.limit is None else f" (at most {'+' if rule.limit > 0 else '−'}" \
                                              f"{abs(rule.limit)})"
        return f"{sign}{abs(rule.effect)}{total}"

    lines = [f"Rule table version **{RULE_VERSION}**; every subject starts at {BASE_SCORE}.", "",
             "| rule | 标题 (title) | points | applies to | clause |", "|---|---|---|---|---|"]
    lines += [f"| `{rule.id}` | {rule.title} | {points(rule)} | {rule.summary} | {rule.clause} |"
              for rule in RULES.values()]
    lines += ["", "| class | score |", "|---|---|"]
    lines += [f"| {grade.value} | ≥ {lowest} |" for grade, lowest in BANDS]
    return "\n".join(lines)
