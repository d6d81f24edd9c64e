"""Registers the domain enums as GraphQL enums, each value described by its Chinese term.

``strawberry.enum`` marks the class in place, so types annotate fields with the domain
classes themselves (``resolvers.domain.enums``) once this module has been imported.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from resolvers.domain import dashboard
from resolvers.domain import enums as domain
from resolvers.domain.brushing import SIGNAL_TERMS, BrushingSignal
from resolvers.domain.dashboard import DIMENSION_TERMS
from resolvers.domain.enums import TERMS, Terms
from resolvers.domain.ownership import RECORD_TERMS, RecordType
from resolvers.domain.publicity import PUBLICITY_TERMS, PublicityState
from resolvers.domain.relations import RELATION_TERMS, RelationKind

DESCRIPTIONS: dict[type[Enum], str] = {
    domain.SubjectKind: "市场主体类型 — kind of market subject.",
    domain.SubjectCategory: "行政相对人类别 (XDR_LB) — 双公示 category of the subject.",
    domain.SubjectStatus: "登记状态 — registration status.",
    domain.IdType: "证件类型 (FR_ZJLX) — identity document type.",
    domain.Department: "数据来源单位 — the department or platform that supplied a record.",
    domain.LicenseCategory: "许可类别 (XK_XKLB).",
    domain.LicenseStatus: "许可状态 (XK_ZT).",
    domain.PenaltyCategory: "处罚类别 (CF_CFLB).",
    domain.Severity: "失信行为严重程度 — severity; it sets the publicity period of a penalty.",
    domain.CommitmentKind: "信用承诺类型 — kind of credit commitment.",
    domain.CommitmentStatus: "承诺履行状态 — whether it was kept.",
    domain.ComplaintChannel: "投诉举报渠道 — government hotline or platform.",
    domain.ComplaintStatus: "投诉处理状态 — handling status.",
    domain.ListKind: "红名单 / 黑名单 — which list an entry is on.",
    domain.ListStatus: "红黑名单状态 — a subject's standing from entries in force today; "
                       "BLACK wins over RED.",
    domain.CandidateStatus: "名单认定状态 — where a list candidate stands in its review.",
    domain.ReviewDecision: "认定结论 — a reviewing authority's decision on a list candidate.",
    domain.AuditAction: "信用档案记录事项 — what a write did to a subject's credit file.",
    RecordType: "信用记录类型 — a kind of credit record (PENALTY: a `Penalty`, …).",
    domain.Role: "查询角色 — what a caller may read (docs/PRIVACY.md).",
    PublicityState: "公示状态 — where a penalty stands in its publicity period today.",
    RelationKind: "关联类型 — what ties two subjects (docs/AUDIT.md).",
    BrushingSignal: "炒信信号 — a brushing signal (docs/AUDIT.md).",
    dashboard.SubjectDimension: "统计维度 — what `stats.subjects` counts subjects by.",
    dashboard.PenaltyDimension: "统计维度 — what `stats.penalties` groups penalties by.",
    dashboard.LateDimension: "统计维度 — what `stats.lateDisclosures` groups late "
                             "licences and penalties by.",
    dashboard.ComplaintDimension: "统计维度 — what `stats.complaints` groups complaints by.",
    dashboard.Direction: "排序方向 — sort direction of a list.",
}
TERMS_OF = Terms([*TERMS.items(), *RECORD_TERMS.items(), *PUBLICITY_TERMS.items(),
                  *RELATION_TERMS.items(), *SIGNAL_TERMS.items(), *DIMENSION_TERMS.items()])


def _register(enum: type[Enum], description: str) -> None:
    strawberry.enum(enum, description=description)
    for value in enum.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = TERMS_OF[enum[value.name]]


for _enum, _description in DESCRIPTIONS.items():
    _register(_enum, _description)
