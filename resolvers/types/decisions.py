"""双公示 records as GraphQL types: ``License`` (行政许可) and ``Penalty`` (行政处罚)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry import Parent

from resolvers.context import Info
from resolvers.data import models
from resolvers.domain import workdays
from resolvers.domain.enums import LicenseCategory, LicenseStatus, PenaltyCategory, Severity
from resolvers.domain.publicity import (
    PublicityState,
    next_change,
    public_until,
    publicity_state,
)
from resolvers.types.common import Sourced, SubjectRef, rows_of, subject_field
from resolvers.types.node import Node, id_field
from resolvers.types.personal import free_text_field


@strawberry.type(description="公示状态 — where a penalty stands in its publicity period today.")
class Publicity:
    state: PublicityState = strawberry.field(description="公示状态 today (Beijing date).")
    public_until: date = strawberry.field(
        description="First day the penalty is no longer public: its publicity end (公示截止期), "
                    "or the day credit repair (信用修复) ended it, if earlier.")


def publicity(root: Parent[models.Penalty], info: Info) -> Publicity:
    info.context.loaders.note_boundary(next_change(
        published_on=root.published_on, publicity_end=root.publicity_end,
        repaired_on=root.repaired_on, today=info.context.today))
    state = publicity_state(severity=root.severity, published_on=root.published_on,
                            publicity_end=root.publicity_end, repaired_on=root.repaired_on,
                            today=info.context.today)
    return Publicity(state=state, public_until=public_until(root.publicity_end,
                                                            root.repaired_on))


def late_disclosure(root: Parent[models.License | models.Penalty], info: Info) -> bool:
    info.context.loaders.note_boundary(
        workdays.becomes_late(root.decision_date, root.published_on, info.context.today))
    return workdays.late_disclosure(root.decision_date, root.published_on, info.context.today)


@strawberry.interface(description="Fields licences and penalties share (双公示).")
class Decision(Node, Sourced):
    decision_number: str = strawberry.field(
        description="行政决定文书号 (WSH) — decision number, unique per authority.")
    content: str = free_text_field("content", "内容 (NR) — what was decided.")
    decision_date: date = strawberry.field(description="决定日期 (JDRQ).")
    published_on: date | None = strawberry.field(
        description="公示日期 — day the decision was published on the credit site.")
    authority: str = strawberry.field(description="决定机关 (XKJG / CFJG).")
    authority_code: str = strawberry.field(
        description="决定机关统一社会信用代码 (XKJGDM / CFJGDM).")
    remarks: str | None = free_text_field("remarks", "备注 (BZ).", optional=True)
    disclosure_lag_days: int | None = strawberry.field(
        description="公示时限 — working days (PRC calendar, make-up days included) from the "
                    "decision to its publication; null while unpublished.")
    late_disclosure: bool = strawberry.field(
        resolver=late_disclosure,
        description="Published more than 7 working days after the decision, or still "
                    "unpublished once that deadline has passed (国办发〔2015〕51号).")


@strawberry.type(description="行政许可 — an administrative licence (双公示 XK_ fields).")
class License(Decision):
    id: strawberry.ID = id_field()
    subject: SubjectRef = subject_field("行政相对人 — the licensed subject.")
    decision_title: str = strawberry.field(description="行政许可决定文书名称 (XKWS).")
    category: LicenseCategory = strawberry.field(description="许可类别 (XKLB).")
    certificate_name: str | None = strawberry.field(description="许可证书名称 (XKZS).")
    license_number: str | None = strawberry.field(description="许可编号 (XKBH).")
    valid_from: date = strawberry.field(description="有效期自 (YXQZ).")
    valid_to: date | None = strawberry.field(description="有效期至 (YXQZI); null = open-ended.")
    status: LicenseStatus = strawberry.field(description="当前状态 (ZT).")
    official_url: str | None = strawberry.field(
        description="Link to the licence on the issuing authority's official site.")

    is_type_of = rows_of(models.License)


@strawberry.type(description="行政处罚 — an administrative penalty (双公示 CF_ fields).")
class Penalty(Decision):
    id: strawberry.ID = id_field()
    subject: SubjectRef = subject_field("行政相对人 — the penalised subject.")
    violation_type: str = strawberry.field(description="违法行为类型 (WFXW).")
    facts: str = free_text_field("facts", "违法事实 (SY).")
    legal_basis: str = strawberry.field(description="处罚依据 (YJ).")
    category: PenaltyCategory = strawberry.field(description="处罚类别 (CFLB).")
    fine: Decimal | None = strawberry.field(description="罚款金额 (NR_FK), 万元, exact decimal.")
    confiscated: Decimal | None = strawberry.field(
        description="没收违法所得、没收非法财物的金额 (NR_WFFF), 万元, exact decimal.")
    suspended_license: str | None = strawberry.field(
        description="暂扣或吊销证照名称及编号 (NR_ZKDX).")
    valid_until: date | None = strawberry.field(description="处罚有效期 (YXQ).")
    severity: Severity = strawberry.field(
        description="失信行为严重程度 — minor / general / serious; sets the publicity period.")
    severity_derived: bool = strawberry.field(
        description="推定 — true when the department did not state the severity: it was derived "
                    "from the publicity end (公示截止期 − 处罚决定日期), or an import's default.")
    publicity_end: date = strawberry.field(description="公示截止期 (GSJZQ).")
    repaired_on: date | None = strawberry.field(
        description="信用修复 — day publicity was ended early by credit repair, if it was.")
    publicity: Publicity = strawberry.field(
        resolver=publicity,
        description="公示状态 — PUBLIC and PLATFORM callers see only PUBLIC penalties; "
                    "regulators and auditors see every penalty with its state.")

    is_type_of = rows_of(models.Penalty)
