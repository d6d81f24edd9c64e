"""红黑名单认定规则 — the rules that propose red and black list candidates, as pure functions of a
subject's records. The one rule table (thresholds, policy clauses) is ``RULES`` with the
constants below; docs/CREDIT_LISTS.md prints it for a regulator.

A rule only *proposes*: a candidate becomes a list entry when an authority approves it
(``reviewListCandidate``). Each proposal names its rule, the policy clause the rule implements
(document title and article, in words), a summary and the records behind it as global
references (``Penalty:17``) — its evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from resolvers.domain.brushing import Evidence
from resolvers.domain.enums import (
    CommitmentStatus,
    Department,
    ListKind,
    Severity,
    SubjectKind,
    SubjectStatus,
)

RULES_VERSION = "lists-2026.1"

# ---- the thresholds (docs/CREDIT_LISTS.md) -------------------------------------------------
LOOKBACK_YEARS = 3  # penalties decided this many years back count (black rules, red "clean")
CLEAN_YEARS = 5  # RED_CLEAN: registered and without any penalty this many years …
CLEAN_COMPLAINT_DAYS = 365  # … and no complaint filed in this many days
COUNTERFEIT_TERMS = ("假冒", "伪劣", "制假", "售假", "以假充真", "以次充好", "冒用")
BRUSHING_TERMS = ("炒信", "刷单", "虚假交易", "虚构交易", "刷好评", "删差评", "虚假评价")
EMPTY_PARCEL_SHARE = 0.05  # 空包 share above which a carrier or merchant is proposed
EMPTY_PARCEL_MIN_PARCELS = 200  # fewer parcels in the window say nothing
EMPTY_PARCEL_WINDOW_DAYS = 365  # links whose period ended this many days back or later
LOGISTICS_PENALTIES = 2  # postal penalties (general or serious) on a carrier within a year
FULFILLED_COMMITMENTS = 3  # fulfilled, and none breached in the look-back
HIGH_RATING_COUNT = 20  # ratings within the last year …
HIGH_RATING_AVERAGE = 4.8  # … averaging at least this
RATING_WINDOW_DAYS = 365
EVIDENCE_MAX = 20  # records cited per candidate (newest first); the summary counts them all
ENTRY_YEARS = {ListKind.BLACK: 3, ListKind.RED: 2}  # default validity of an approved entry

GUIDELINE = "《关于全面加强电子商务领域诚信建设的指导意见》（发改财金〔2016〕2794号）"
GUIZHOU = ("《贵州省发展和改革委员会等十一部门关于全面加强电子商务领域诚信建设的实施意见》"
           "（黔发改财金〔2017〕1655号）")
BRUSHING_PLAN = ("《关于对电子商务及分享经济领域炒信行为相关失信主体实施联合惩戒的行动计划》"
                 "（发改财金〔2016〕2370号）")


@dataclass(frozen=True)
class Rule:
    """One row of the rule table."""

    code: str
    kind: ListKind
    title: str  # in words, Chinese
    clause: str  # the policy document and its article, in words


RULES: tuple[Rule, ...] = (
    Rule("BLACK_COUNTERFEIT", ListKind.BLACK, "制售假冒伪劣商品",
         f"{GUIZHOU} 二(四)18：严厉打击制假售假、以次充好；二(四)17：失信主体“黑名单”制度"),
    Rule("BLACK_BRUSHING", ListKind.BLACK, "炒信（刷单、虚假交易、虚假评价）",
         f"{BRUSHING_PLAN}：对炒信行为相关失信主体实施联合惩戒"),
    Rule("BLACK_RATING_RING", ListKind.BLACK, "互刷评价团伙（炒信）",
         f"{BRUSHING_PLAN}：对炒信行为相关失信主体实施联合惩戒；{GUIZHOU} 二(四)18：打击刷单炒信"),
    Rule("BLACK_SERIOUS_PENALTY", ListKind.BLACK, "严重失信行政处罚",
         f"{GUIZHOU} 二(四)17：建立电子商务领域失信主体“黑名单”制度"),
    Rule("BLACK_EMPTY_PARCELS", ListKind.BLACK, "空包裹代发、伪造物流信息",
         f"{GUIZHOU} 二(四)18：打击通过空包裹代发邮寄等方式伪造交易记录和物流信息"),
    Rule("BLACK_LOGISTICS", ListKind.BLACK, "寄递物流严重失信",
         f"{GUIZHOU} 二(一)4：落实寄递物流企业信用分类监管，严重失信企业限制进入电子商务平台"),
    Rule("RED_CLEAN", ListKind.RED, f"实名核验，连续{CLEAN_YEARS}年无行政处罚、近一年无投诉",
         f"{GUIZHOU} 二(四)16：建立和规范电子商务领域“红名单”制度"),
    Rule("RED_COMMITMENTS", ListKind.RED, "信用承诺全部履行",
         f"{GUIZHOU} 二(一)6：事前信用承诺记入信用档案并作为事中事后监管的参考；二(四)16"),
    Rule("RED_RATINGS", ListKind.RED, "交易评价优良",
         f"{GUIZHOU} 二(一)2：交易双方信用互评结果向社会公开；二(四)16"),
)
RULE_BY_CODE = {rule.code: rule for rule in RULES}


@dataclass(frozen=True)
class PenaltyFact:
    id: int
    violation_type: str
    severity: Severity
    decision_date: date
    source: Department
    repaired: bool  # credit repaired (信用修复): no longer counts


@dataclass(frozen=True)
class LinkFact:
    id: int
    merchant_id: int
    carrier_id: int
    period_end: date
    parcels: int
    empty_parcels: int


@dataclass(frozen=True)
class SubjectFacts:
    """What the rules read of one subject: its records, newest first within each kind."""

    id: int
    uscc: str
    kind: SubjectKind
    status: SubjectStatus
    registered_on: date
    black_in_force: bool
    verified: bool = False  # 实名核验
    penalties: Sequence[PenaltyFact] = ()
    commitments: Sequence[tuple[int, CommitmentStatus, date]] = ()  # id, status, committed on
    ratings: Sequence[tuple[int, int, date]] = ()  # id, score, rated on
    complaints: Sequence[date] = ()  # filed on
    links: Sequence[LinkFact] = ()  # as merchant, and as carrier
    # every rating ring FRAUDAR found it in (``brushing.suspects``): a subject may be rated
    # in one and rate in another
    rings: Sequence[Evidence] = ()


@dataclass(frozen=True)
class Proposal:
    """A candidate a rule proposes: the rule, a summary in words, the evidence."""

    rule: Rule
    summary: str
    evidence: tuple[str, ...] = field(default=())

    @property
    def kind(self) -> ListKind:
        return self.rule.kind


def _since(today: date, *, years: int = 0, days: int = 0) -> date:
    return today - timedelta(days=365 * years + days)


def _counting(facts: SubjectFacts, today: date) -> list[PenaltyFact]:
    since = _since(today, years=LOOKBACK_YEARS)
    return [p for p in facts.penalties if not p.repaired and p.decision_date >= since]


def _cite(type_name: str, ids: Sequence[int]) -> tuple[str, ...]:
    return tuple(f"{type_name}:{i}" for i in ids[:EVIDENCE_MAX])


def _matching(penalties: Sequence[PenaltyFact], terms: Sequence[str]) -> list[PenaltyFact]:
    return [p for p in penalties if any(term in p.violation_type for term in terms)]


def _penalty_rule(code: str, found: Sequence[PenaltyFact], what: str) -> list[Proposal]:
    if not found:
        return []
    return [Proposal(RULE_BY_CODE[code],
                     f"近{LOOKBACK_YEARS}年{len(found)}起{what}的行政处罚",
                     _cite("Penalty", [p.id for p in found]))]


def _empty_parcels(facts: SubjectFacts, today: date) -> list[Proposal]:
    since = _since(today, days=EMPTY_PARCEL_WINDOW_DAYS)
    role = "carrier_id" if facts.kind is SubjectKind.LOGISTICS_FIRM else "merchant_id"
    links = [link for link in facts.links
             if getattr(link, role) == facts.id and link.period_end >= since]
    parcels = sum(link.parcels for link in links)
    empty = sum(link.empty_parcels for link in links)
    if parcels < EMPTY_PARCEL_MIN_PARCELS or empty / parcels <= EMPTY_PARCEL_SHARE:
        return []
    cited = sorted((link for link in links if link.empty_parcels),
                   key=lambda link: (link.period_end, link.id), reverse=True)
    who = "承运" if role == "carrier_id" else "寄递"
    return [Proposal(RULE_BY_CODE["BLACK_EMPTY_PARCELS"],
                     f"近一年{who}{parcels}件中空包{empty}件（{empty / parcels:.1%}，"
                     f"阈值 {EMPTY_PARCEL_SHARE:.0%}）",
                     _cite("LogisticsLink", [link.id for link in cited]))]


def _logistics(facts: SubjectFacts, penalties: Sequence[PenaltyFact], today: date
               ) -> list[Proposal]:
    if facts.kind is not SubjectKind.LOGISTICS_FIRM:
        return []
    since = _since(today, years=1)
    found = [p for p in penalties if p.source is Department.POSTAL
             and p.severity is not Severity.MINOR and p.decision_date >= since]
    if len(found) < LOGISTICS_PENALTIES:
        return []
    return [Proposal(RULE_BY_CODE["BLACK_LOGISTICS"],
                     f"近一年{len(found)}起邮政管理部门作出的一般以上行政处罚",
                     _cite("Penalty", [p.id for p in found]))]


def _rating_ring(facts: SubjectFacts) -> list[Proposal]:
    """One candidate citing the ratings of every ring the subject is in."""
    rings = facts.rings
    if not rings:
        return []
    numbers = "、".join(str(ring.ring) for ring in rings)
    first = min(ring.first_on for ring in rings if ring.first_on is not None)
    last = max(ring.last_on for ring in rings if ring.last_on is not None)
    partners = {partner for ring in rings for partner in ring.partners}
    repeats = sum(ring.repeated_comments for ring in rings)
    repeated = f"，其中重复评语{repeats}条" if repeats else ""
    cited = list(dict.fromkeys(rating for ring in rings for rating in ring.rating_ids))
    return [Proposal(RULE_BY_CODE["BLACK_RATING_RING"],
                     f"FRAUDAR 检出的第{numbers}个互评团伙：{first}至{last}"
                     f"与{len(partners)}个主体互评{sum(ring.ratings for ring in rings)}次{repeated}",
                     _cite("Rating", cited))]


def black_proposals(facts: SubjectFacts, today: date) -> list[Proposal]:
    """Black-list candidates of a subject (none while a black entry is in force)."""
    if facts.black_in_force:
        return []
    counting = _counting(facts, today)
    return [
        *_penalty_rule("BLACK_COUNTERFEIT", _matching(counting, COUNTERFEIT_TERMS), "涉及假冒伪劣"),
        *_penalty_rule("BLACK_BRUSHING", _matching(counting, BRUSHING_TERMS), "涉及炒信刷单"),
        *_rating_ring(facts),
        *_penalty_rule("BLACK_SERIOUS_PENALTY",
                       [p for p in counting if p.severity is Severity.SERIOUS], "严重失信"),
        *_empty_parcels(facts, today),
        *_logistics(facts, counting, today),
    ]


def _clean(facts: SubjectFacts, today: date) -> bool:
    """No penalty (any severity, repaired or not) for ``LOOKBACK_YEARS``, active, no black
    entry in force: the precondition of every red rule."""
    since = _since(today, years=LOOKBACK_YEARS)
    return (facts.status is SubjectStatus.ACTIVE and not facts.black_in_force
            and all(p.decision_date < since for p in facts.penalties))


def red_proposals(facts: SubjectFacts, today: date) -> list[Proposal]:
    """Red-list candidates of a subject with a clean record."""
    if not _clean(facts, today):
        return []
    found: list[Proposal] = []
    long_clean = _since(today, years=CLEAN_YEARS)
    if (facts.verified and facts.registered_on <= long_clean
            and all(p.decision_date < long_clean for p in facts.penalties)
            and all(day < _since(today, days=CLEAN_COMPLAINT_DAYS) for day in facts.complaints)):
        found.append(Proposal(RULE_BY_CODE["RED_CLEAN"],
                              f"成立于{facts.registered_on.isoformat()}，已实名核验，"
                              f"近{CLEAN_YEARS}年无行政处罚、近一年无投诉",
                              (f"Subject:{facts.uscc}",)))
    since = _since(today, years=LOOKBACK_YEARS)
    recent = [c for c in facts.commitments if c[2] >= since]
    fulfilled = [c[0] for c in recent if c[1] is CommitmentStatus.FULFILLED]
    if len(fulfilled) >= FULFILLED_COMMITMENTS and not any(
            c[1] is CommitmentStatus.BREACHED for c in recent):
        found.append(Proposal(RULE_BY_CODE["RED_COMMITMENTS"],
                              f"近{LOOKBACK_YEARS}年履行信用承诺{len(fulfilled)}项，无违诺",
                              _cite("Commitment", fulfilled)))
    rated = [r for r in facts.ratings if r[2] >= _since(today, days=RATING_WINDOW_DAYS)]
    if len(rated) >= HIGH_RATING_COUNT:
        average = sum(r[1] for r in rated) / len(rated)
        if average >= HIGH_RATING_AVERAGE:
            found.append(Proposal(RULE_BY_CODE["RED_RATINGS"],
                                  f"近一年{len(rated)}条评价，平均{average:.2f}分"
                                  f"（阈值 {HIGH_RATING_AVERAGE}）",
                                  _cite("Rating", [r[0] for r in rated])))
    return found


def proposals(facts: SubjectFacts, today: date) -> list[Proposal]:
    """Every candidate the rule table proposes for ``facts`` on ``today``."""
    return [*black_proposals(facts, today), *red_proposals(facts, today)]


def entry_end(kind: ListKind, valid_from: date) -> date:
    """The default last day of an approved entry (``ENTRY_YEARS``)."""
    try:
        return valid_from.replace(year=valid_from.year + ENTRY_YEARS[kind]) - timedelta(days=1)
    except ValueError:  # 29 February
        return valid_from.replace(year=valid_from.year + ENTRY_YEARS[kind], day=28)
