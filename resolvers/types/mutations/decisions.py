"""Mutations of 双公示 decisions: publish a penalty (行政处罚), grant a licence (行政许可),
end a licence, and repair credit (信用修复)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, cast

import strawberry

from resolvers.context import Info
from resolvers.data import models
from resolvers.domain.enums import LicenseCategory, LicenseStatus, PenaltyCategory, Severity
from resolvers.types.decisions import License, Penalty
from resolvers.types.mutations._writes import RecordId, RecordInput, change, create
from resolvers.types.text import ID_MAX, record_text, text_argument, uscc_text
from resolvers.writes import lifecycle
from resolvers.writes.records import LICENSE, PENALTY


@strawberry.input(description="A penalty decision to publish (行政处罚, 双公示 CF_ fields).")
class PublishPenaltyInput:
    subject: str = uscc_text(description="统一社会信用代码 of the penalised subject (CF_XDR_SHXYM).")
    decision_number: str = record_text(
        models.Penalty, "decision_number",
        description="行政处罚决定书文号 (CF_WSH), unique per authority: with `authorityCode` it "
                    "identifies the decision, so publishing it again changes nothing.")
    violation_type: str = record_text(models.Penalty, "violation_type",
                                      description="违法行为类型 (CF_WFXW).")
    facts: str = record_text(models.Penalty, "facts", description="违法事实 (CF_SY).")
    legal_basis: str = record_text(models.Penalty, "legal_basis", description="处罚依据 (CF_YJ).")
    category: PenaltyCategory = strawberry.field(description="处罚类别 (CF_CFLB).")
    content: str = record_text(models.Penalty, "content", description="处罚内容 (CF_NR).")
    severity: Severity = strawberry.field(
        description="失信行为严重程度; sets the allowed publicity period.")
    decision_date: date = strawberry.field(description="处罚决定日期 (CF_JDRQ); not in the future.")
    authority: str = record_text(models.Penalty, "authority", description="处罚机关 (CF_CFJG).")
    authority_code: str = record_text(models.Penalty, "authority_code",
                                      description="处罚机关统一社会信用代码 (CF_CFJGDM).")
    fine: Decimal | None = strawberry.field(
        default=None, description="罚款金额 (CF_NR_FK), 万元, ≥ 0, at most 6 decimals; "
                                  "required for FINE.")
    confiscated: Decimal | None = strawberry.field(
        default=None, description="没收违法所得、没收非法财物的金额 (CF_NR_WFFF), 万元; "
                                  "required for CONFISCATION.")
    suspended_license: str | None = record_text(
        models.Penalty, "suspended_license", default=None,
        description="暂扣或吊销证照名称 (CF_NR_ZKDX).")
    valid_until: date | None = strawberry.field(
        default=None, description="处罚有效期 (CF_YXQ); not before the decision.")
    publicity_end: date | None = strawberry.field(
        default=None, description="公示截止期 (CF_GSJZQ), within the severity's period "
                                  "(minor ≤ 3 months, general 3–12, serious 12–36); default "
                                  "the longest.")
    published_on: date | None = strawberry.field(
        default=None, description="公示日期 on the credit site; null while unpublished. The "
                                  "disclosure lag is counted from the decision to this day.")
    remarks: str | None = record_text(models.Penalty, "remarks",
                                      default=None, description="备注 (CF_BZ).")


@strawberry.input(description="A licence decision to publish (行政许可, 双公示 XK_ fields).")
class GrantLicenseInput:
    subject: str = uscc_text(description="统一社会信用代码 of the licensee (XK_XDR_SHXYM).")
    decision_number: str = record_text(
        models.License, "decision_number",
        description="行政许可决定文书号 (XK_WSH), unique per authority (the natural key with "
                    "`authorityCode`).")
    decision_title: str = record_text(models.License, "decision_title",
                                      description="行政许可决定文书名称 (XK_XKWS).")
    category: LicenseCategory = strawberry.field(description="许可类别 (XK_XKLB).")
    content: str = record_text(models.License, "content", description="许可内容 (XK_NR).")
    decision_date: date = strawberry.field(description="许可决定日期 (XK_JDRQ); not in the future.")
    valid_from: date = strawberry.field(description="有效期自 (XK_YXQZ).")
    authority: str = record_text(models.License, "authority", description="许可机关 (XK_XKJG).")
    authority_code: str = record_text(models.License, "authority_code",
                                      description="许可机关统一社会信用代码 (XK_XKJGDM).")
    certificate_name: str | None = record_text(models.License, "certificate_name", default=None,
                                               description="许可证书名称 (XK_XKZS).")
    license_number: str | None = record_text(models.License, "license_number",
                                             default=None, description="许可编号 (XK_XKBH).")
    valid_to: date | None = strawberry.field(
        default=None, description="有效期至 (XK_YXQZI); null = open-ended.")
    official_url: str | None = record_text(
        models.License, "official_url", default=None,
        description="Link to the licence on the authority's site (http(s)://).")
    published_on: date | None = strawberry.field(
        default=None, description="公示日期 on the credit site; null while unpublished.")
    remarks: str | None = record_text(models.License, "remarks",
                                      default=None, description="备注 (XK_BZ).")


async def publish_penalty(info: Info, input: RecordInput[PublishPenaltyInput]) -> Penalty:
    return cast("Penalty", await create(info, PENALTY, input))


async def grant_license(info: Info, input: RecordInput[GrantLicenseInput]) -> License:
    return cast("License", await create(info, LICENSE, input))


async def set_license_status(
    info: Info,
    id: RecordId,
    status: Annotated[LicenseStatus, strawberry.argument(
        description="REVOKED (撤销 / 吊销), EXPIRED (过期) or CANCELLED (注销).")],
) -> License:
    return cast("License", await change(info, lifecycle.license_status(status), id))


async def repair_credit(
    info: Info,
    id: Annotated[strawberry.ID, text_argument("Global ID of the penalty.", ID_MAX)],
    on: Annotated[date | None, strawberry.argument(
        description="Day publicity ends (default today): not before the severity's minimum "
                    "period, and before the publicity end.")] = None,
) -> Penalty:
    return cast("Penalty", await change(info, lifecycle.credit_repair(on, info.context.today), id))


@strawberry.type(description="Writes of 双公示 decisions.")
class DecisionMutations:
    publish_penalty: Penalty = strawberry.mutation(
        resolver=publish_penalty,
        description="公示行政处罚 — publish a penalty; the stored penalty (unchanged when the "
                    "same decision was published before, CONFLICT when it differs).")
    grant_license: License = strawberry.mutation(
        resolver=grant_license, description="公示行政许可 — publish a licence; the stored licence.")
    set_license_status: License = strawberry.mutation(
        resolver=set_license_status,
        description="End a VALID licence (撤销 / 过期 / 注销); CONFLICT if it ended otherwise.")
    repair_credit: Penalty = strawberry.mutation(
        resolver=repair_credit,
        description="信用修复 — end a penalty's publicity early, once the minimum period for its "
                    "severity has passed (REPAIR_TOO_EARLY before).")
