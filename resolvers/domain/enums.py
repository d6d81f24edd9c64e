"""Enumerations of the credit graph, each member mapped to its Chinese policy term.

The member value is what is stored and what GraphQL shows; ``TERMS`` gives the Chinese term
that the schema descriptions quote, so a reader of the policy finds every term in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from enum import Enum, StrEnum


class SubjectKind(StrEnum):
    """市场主体类型 — the kinds of market subject in e-commerce."""

    PLATFORM = "PLATFORM"
    MERCHANT = "MERCHANT"
    INDIVIDUAL_SELLER = "INDIVIDUAL_SELLER"
    LOGISTICS_FIRM = "LOGISTICS_FIRM"
    SERVICE_PROVIDER = "SERVICE_PROVIDER"


class SubjectCategory(StrEnum):
    """行政相对人类别 (XDR_LB) — the 双公示 category of the person a decision concerns."""

    LEGAL_PERSON = "LEGAL_PERSON"
    NATURAL_PERSON = "NATURAL_PERSON"
    INDIVIDUAL_BUSINESS = "INDIVIDUAL_BUSINESS"


class SubjectStatus(StrEnum):
    """登记状态 — registration status of a subject."""

    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    REVOKED = "REVOKED"
    CANCELLED = "CANCELLED"


class IdType(StrEnum):
    """证件类型 (FR_ZJLX) — type of a natural person's identity document."""

    RESIDENT_ID = "RESIDENT_ID"
    PASSPORT = "PASSPORT"
    HK_MACAO_PERMIT = "HK_MACAO_PERMIT"
    TAIWAN_PERMIT = "TAIWAN_PERMIT"
    FOREIGN_PERMANENT_RESIDENT = "FOREIGN_PERMANENT_RESIDENT"


class Department(StrEnum):
    """数据来源单位 — the department (or platform) that owns and supplies a record."""

    MARKET_REGULATION = "MARKET_REGULATION"
    COMMERCE = "COMMERCE"
    POSTAL = "POSTAL"
    PLATFORM = "PLATFORM"
    DEVELOPMENT_REFORM = "DEVELOPMENT_REFORM"
    TAX = "TAX"
    CYBERSPACE = "CYBERSPACE"


class Role(StrEnum):
    """查询角色 — what a caller may read. Anonymous and widget callers are PUBLIC; an API key
    maps to PLATFORM, REGULATOR (scoped to its department) or AUDITOR."""

    PUBLIC = "PUBLIC"
    PLATFORM = "PLATFORM"
    REGULATOR = "REGULATOR"
    AUDITOR = "AUDITOR"


class LicenseCategory(StrEnum):
    """许可类别 (XK_XKLB)."""

    GENERAL = "GENERAL"
    FRANCHISE = "FRANCHISE"
    RECOGNITION = "RECOGNITION"
    APPROVAL = "APPROVAL"
    REGISTRATION = "REGISTRATION"
    OTHER = "OTHER"


class LicenseStatus(StrEnum):
    """许可状态 (XK_ZT)."""

    VALID = "VALID"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"
    CANCELLED = "CANCELLED"


class PenaltyCategory(StrEnum):
    """处罚类别 (CF_CFLB), after 《行政处罚法》 art. 9."""

    WARNING = "WARNING"
    FINE = "FINE"
    CONFISCATION = "CONFISCATION"
    LICENSE_SUSPENSION = "LICENSE_SUSPENSION"
    BUSINESS_SUSPENSION = "BUSINESS_SUSPENSION"
    DETENTION = "DETENTION"
    OTHER = "OTHER"


class Severity(StrEnum):
    """失信行为严重程度 — sets a penalty's publicity period (信用修复管理办法)."""

    MINOR = "MINOR"
    GENERAL = "GENERAL"
    SERIOUS = "SERIOUS"


class CommitmentKind(StrEnum):
    """信用承诺类型."""

    GENERAL_CREDIT = "GENERAL_CREDIT"
    NO_REASON_RETURN = "NO_REASON_RETURN"
    ADVANCE_COMPENSATION = "ADVANCE_COMPENSATION"
    FIRST_RESPONSIBILITY = "FIRST_RESPONSIBILITY"
    PRODUCT_QUALITY = "PRODUCT_QUALITY"


class CommitmentStatus(StrEnum):
    """承诺履行状态."""

    ACTIVE = "ACTIVE"
    FULFILLED = "FULFILLED"
    BREACHED = "BREACHED"


class ComplaintChannel(StrEnum):
    """投诉举报渠道 — the government hotlines named by the policy, or the platform itself."""

    HOTLINE_12315 = "HOTLINE_12315"
    HOTLINE_12312 = "HOTLINE_12312"
    HOTLINE_12358 = "HOTLINE_12358"
    HOTLINE_12365 = "HOTLINE_12365"
    HOTLINE_12331 = "HOTLINE_12331"
    HOTLINE_12318 = "HOTLINE_12318"
    PLATFORM = "PLATFORM"


class ComplaintStatus(StrEnum):
    """投诉处理状态."""

    RECEIVED = "RECEIVED"
    IN_PROGRESS = "IN_PROGRESS"
    RESOLVED = "RESOLVED"
    DISMISSED = "DISMISSED"


class ListKind(StrEnum):
    """红名单 / 黑名单."""

    RED = "RED"
    BLACK = "BLACK"


class ListStatus(StrEnum):
    """A subject's current standing on the red and black lists (derived from active entries)."""

    RED = "RED"
    BLACK = "BLACK"
    NONE = "NONE"


class CandidateStatus(StrEnum):
    """名单认定 — where a proposed list entry stands in its review."""

    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class ReviewDecision(StrEnum):
    """认定结论 of a reviewing authority."""

    APPROVE = "APPROVE"
    REJECT = "REJECT"


class AuditAction(StrEnum):
    """信用档案记录事项 — what a write did to a subject's credit file."""

    PENALTY_PUBLISHED = "PENALTY_PUBLISHED"
    CREDIT_REPAIRED = "CREDIT_REPAIRED"
    LICENSE_GRANTED = "LICENSE_GRANTED"
    LICENSE_STATUS_SET = "LICENSE_STATUS_SET"
    RATING_RECORDED = "RATING_RECORDED"
    RATING_FOLLOWED_UP = "RATING_FOLLOWED_UP"
    COMMITMENT_SUBMITTED = "COMMITMENT_SUBMITTED"
    COMMITMENT_STATUS_SET = "COMMITMENT_STATUS_SET"
    LOGISTICS_LINK_RECORDED = "LOGISTICS_LINK_RECORDED"
    COMPLAINT_FILED = "COMPLAINT_FILED"
    COMPLAINT_RESOLVED = "COMPLAINT_RESOLVED"
    LIST_ENTRY_ADDED = "LIST_ENTRY_ADDED"
    LIST_ENTRY_LIFTED = "LIST_ENTRY_LIFTED"


class Terms(Mapping[Enum, str]):
    """The Chinese term of each member, told apart by enum: members of different enums with
    the same value (``LicenseCategory.GENERAL``, ``Severity.GENERAL``) are equal strings with
    equal hashes, so a plain dict would keep one term for both."""

    def __init__(self, pairs: Iterable[tuple[Enum, str]]) -> None:
        self._terms = {(type(member), member.name): term for member, term in pairs}

    def __getitem__(self, member: Enum) -> str:
        return self._terms[(type(member), member.name)]

    def __iter__(self) -> Iterator[Enum]:
        return (kind[name] for kind, name in self._terms)

    def __len__(self) -> int:
        return len(self._terms)


TERMS = Terms([
    (SubjectKind.PLATFORM, "电子商务平台经营者"),
    (SubjectKind.MERCHANT, "平台内经营者（商家）"),
    (SubjectKind.INDIVIDUAL_SELLER, "个人卖家 / 个体工商户"),
    (SubjectKind.LOGISTICS_FIRM, "快递物流企业"),
    (SubjectKind.SERVICE_PROVIDER, "电子商务服务企业"),
    (SubjectCategory.LEGAL_PERSON, "法人及非法人组织"),
    (SubjectCategory.NATURAL_PERSON, "自然人"),
    (SubjectCategory.INDIVIDUAL_BUSINESS, "个体工商户"),
    (SubjectStatus.ACTIVE, "存续（在营）"),
    (SubjectStatus.SUSPENDED, "停业"),
    (SubjectStatus.REVOKED, "吊销"),
    (SubjectStatus.CANCELLED, "注销"),
    (IdType.RESIDENT_ID, "居民身份证"),
    (IdType.PASSPORT, "护照"),
    (IdType.HK_MACAO_PERMIT, "港澳居民来往内地通行证"),
    (IdType.TAIWAN_PERMIT, "台湾居民来往大陆通行证"),
    (IdType.FOREIGN_PERMANENT_RESIDENT, "外国人永久居留身份证"),
    (Role.PUBLIC, "社会公众"),
    (Role.PLATFORM, "电子商务平台"),
    (Role.REGULATOR, "监管部门"),
    (Role.AUDITOR, "审计与第三方信用服务机构"),
    (Department.MARKET_REGULATION, "市场监督管理部门"),
    (Department.COMMERCE, "商务主管部门"),
    (Department.POSTAL, "邮政管理部门"),
    (Department.PLATFORM, "电子商务平台"),
    (Department.DEVELOPMENT_REFORM, "发展改革部门（信用主管）"),
    (Department.TAX, "税务部门"),
    (Department.CYBERSPACE, "网信部门"),
    (LicenseCategory.GENERAL, "普通"),
    (LicenseCategory.FRANCHISE, "特许"),
    (LicenseCategory.RECOGNITION, "认可"),
    (LicenseCategory.APPROVAL, "核准"),
    (LicenseCategory.REGISTRATION, "登记"),
    (LicenseCategory.OTHER, "其他"),
    (LicenseStatus.VALID, "有效"),
    (LicenseStatus.REVOKED, "撤销 / 吊销"),
    (LicenseStatus.EXPIRED, "过期"),
    (LicenseStatus.CANCELLED, "注销"),
    (PenaltyCategory.WARNING, "警告"),
    (PenaltyCategory.FINE, "罚款"),
    (PenaltyCategory.CONFISCATION, "没收违法所得、没收非法财物"),
    (PenaltyCategory.LICENSE_SUSPENSION, "暂扣或者吊销许可证、执照"),
    (PenaltyCategory.BUSINESS_SUSPENSION, "责令停产停业"),
    (PenaltyCategory.DETENTION, "行政拘留"),
    (PenaltyCategory.OTHER, "其他"),
    (Severity.MINOR, "轻微（一般不公示，最长 3 个月）"),
    (Severity.GENERAL, "一般（公示 3 个月至 1 年）"),
    (Severity.SERIOUS, "严重（公示 1 年至 3 年）"),
    (CommitmentKind.GENERAL_CREDIT, "信用承诺（含违约接受惩戒）"),
    (CommitmentKind.NO_REASON_RETURN, "七日无理由退货"),
    (CommitmentKind.ADVANCE_COMPENSATION, "先行赔付"),
    (CommitmentKind.FIRST_RESPONSIBILITY, "首问负责"),
    (CommitmentKind.PRODUCT_QUALITY, "商品质量承诺"),
    (CommitmentStatus.ACTIVE, "履行中"),
    (CommitmentStatus.FULFILLED, "已履行"),
    (CommitmentStatus.BREACHED, "违约（失信）"),
    (ComplaintChannel.HOTLINE_12315, "12315 市场监管投诉举报"),
    (ComplaintChannel.HOTLINE_12312, "12312 商务举报投诉"),
    (ComplaintChannel.HOTLINE_12358, "12358 价格举报"),
    (ComplaintChannel.HOTLINE_12365, "12365 质量技术监督举报"),
    (ComplaintChannel.HOTLINE_12331, "12331 食品药品投诉举报"),
    (ComplaintChannel.HOTLINE_12318, "12318 文化市场举报"),
    (ComplaintChannel.PLATFORM, "平台投诉"),
    (ComplaintStatus.RECEIVED, "已受理"),
    (ComplaintStatus.IN_PROGRESS, "处理中"),
    (ComplaintStatus.RESOLVED, "已办结"),
    (ComplaintStatus.DISMISSED, "不予受理 / 驳回"),
    (ListKind.RED, "红名单（守信激励）"),
    (ListKind.BLACK, "黑名单（失信惩戒）"),
    (ListStatus.RED, "在红名单上"),
    (ListStatus.BLACK, "在黑名单上"),
    (ListStatus.NONE, "不在红黑名单上"),
    (CandidateStatus.PENDING, "待认定"),
    (CandidateStatus.APPROVED, "已认定列入"),
    (CandidateStatus.REJECTED, "不予列入"),
    (ReviewDecision.APPROVE, "认定列入"),
    (ReviewDecision.REJECT, "不予列入"),
    (AuditAction.PENALTY_PUBLISHED, "公示行政处罚"),
    (AuditAction.CREDIT_REPAIRED, "信用修复（提前结束公示）"),
    (AuditAction.LICENSE_GRANTED, "公示行政许可"),
    (AuditAction.LICENSE_STATUS_SET, "变更许可状态（撤销 / 过期 / 注销）"),
    (AuditAction.RATING_RECORDED, "记录信用评价"),
    (AuditAction.RATING_FOLLOWED_UP, "追加评价"),
    (AuditAction.COMMITMENT_SUBMITTED, "提交信用承诺"),
    (AuditAction.COMMITMENT_STATUS_SET, "记录承诺履行情况"),
    (AuditAction.LOGISTICS_LINK_RECORDED, "记录寄递物流关系"),
    (AuditAction.COMPLAINT_FILED, "受理投诉举报"),
    (AuditAction.COMPLAINT_RESOLVED, "办结投诉举报"),
    (AuditAction.LIST_ENTRY_ADDED, "列入红黑名单"),
    (AuditAction.LIST_ENTRY_LIFTED, "移出红黑名单"),
])
