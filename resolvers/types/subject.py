"""``Subject`` (市场主体): the node every credit record hangs off, keyed by its USCC."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import Parent

from resolvers.context import Info
from resolvers.data import models
from resolvers.data.queries.aggregates import RatingStats
from resolvers.domain import lists, regions
from resolvers.domain.enums import ListStatus, SubjectCategory, SubjectKind, SubjectStatus
from resolvers.types import personal
from resolvers.types.audit import AuditEvent
from resolvers.types.common import Sourced, relation_field, row_id, rows_of
from resolvers.types.conduct import Commitment, Complaint, Rating, RatingSummary
from resolvers.types.decisions import License, Penalty
from resolvers.types.grade import CreditGrade, credit_grade, supervisory_class
from resolvers.types.lists import ListEntry
from resolvers.types.logistics import CarrierCreditClass, LogisticsLink, carrier_credit_class
from resolvers.types.node import Node, to_global_id
from resolvers.types.personal import LegalRepresentative
from resolvers.types.relations import Related, related, related_size
from resolvers.types.scalars import USCC


@strawberry.type(description="实名认证 — real-name verification and its mark (身份核验标识).")
class Verification:
    verified: bool = strawberry.field(description="Identity verified by the platform.")
    verified_on: date | None = strawberry.field(description="Day of verification.")
    mark: str | None = strawberry.field(
        description="身份核验标识 — the verification mark shown on shop pages.")


@strawberry.type(description="行政区划 (GB/T 2260) — administrative division.")
class Region:
    code: str = strawberry.field(description="Six-digit division code.")
    province: str | None = strawberry.field(description="Province-level name.")
    name: str | None = strawberry.field(description="County-level name in force.")


def subject_id(root: Parent[models.Subject]) -> strawberry.ID:
    return to_global_id("Subject", root.uscc)


def region(root: Parent[models.Subject]) -> Region:
    found = regions.lookup(root.region_code)
    return Region(code=root.region_code, province=found.province if found else None,
                  name=found.name if found else None)


def verification(root: Parent[models.Subject]) -> Verification:
    return Verification(verified=root.verified, verified_on=root.verified_on,
                        mark=root.verification_mark)


async def list_status(root: Parent[models.Subject], info: Info) -> ListStatus:
    return lists.standing(await info.context.loaders.list_kinds.load(row_id(root)))


async def rating_summary(root: Parent[models.Subject], info: Info) -> RatingSummary:
    return summary_of(await info.context.loaders.rating_stats.load(row_id(root)))


def summary_of(stats: RatingStats) -> RatingSummary:
    """A subject's ``RatingSummary`` from its figures (the resolver's and a compiled plan's)."""
    return RatingSummary(count=stats.count, average=stats.average, positive=stats.positive,
                         neutral=stats.neutral, negative=stats.negative,
                         credit_points=stats.credit_points)


@strawberry.type(description="市场主体 — a platform, merchant, individual seller, logistics firm "
                             "or service provider, keyed by its 统一社会信用代码.")
class Subject(Node, Sourced):
    id: strawberry.ID = strawberry.field(
        resolver=subject_id, description="Global ID (stable: derived from the USCC).")
    uscc: USCC = strawberry.field(description="统一社会信用代码.")
    uscc_legacy: bool = strawberry.field(
        description="The USCC fails the GB 32100-2015 check and was accepted as a pilot-region "
                    "code issued before the standard.")
    name: str = strawberry.field(
        resolver=personal.subject_name,
        description="名称 (XDR_MC). A natural person's name, or the operator's name inside an "
                    "individual business's name, is masked for PUBLIC and PLATFORM callers.")
    kind: SubjectKind = strawberry.field(description="市场主体类型.")
    category: SubjectCategory = strawberry.field(description="行政相对人类别 (XDR_LB).")
    region: Region = strawberry.field(resolver=region,
                                      description="行政区划 the subject is registered in.")
    registered_on: date = strawberry.field(description="成立 / 登记日期.")
    status: SubjectStatus = strawberry.field(description="登记状态.")
    legal_representative: LegalRepresentative = strawberry.field(
        resolver=personal.legal_representative, description="法定代表人.")
    address: str = strawberry.field(description="住所 / 经营场所.")
    phone: str = strawberry.field(
        resolver=personal.phone,
        description="联系电话 — personal data: masked (`138****5678`) for PUBLIC and PLATFORM "
                    "callers.")
    verification: Verification = strawberry.field(
        resolver=verification, description="实名认证 and 身份核验标识.")
    list_status: ListStatus = strawberry.field(
        resolver=list_status, description="红黑名单状态 today (BLACK wins over RED).")
    rating_summary: RatingSummary = strawberry.field(
        resolver=rating_summary, description="信用积分 — summary of the ratings this subject received.")
    credit_grade: CreditGrade = strawberry.field(
        resolver=credit_grade,
        description="信用等级 — computed from what the caller may see (the public view for "
                    "PUBLIC and PLATFORM callers); reasons name only records the caller can read.")
    supervisory_class: CreditGrade | None = strawberry.field(
        resolver=supervisory_class,
        description="信用风险分类 — the grade from ALL records, for supervision; REGULATOR and "
                    "AUDITOR callers only, else a FORBIDDEN error.")
    licenses = relation_field("licenses", License, "行政许可 — licences, newest decision first.",
                              late_filter=True)
    penalties = relation_field("penalties", Penalty, "行政处罚 — penalties, newest decision first.",
                               late_filter=True)
    ratings = relation_field(
        "ratings", Rating, "信用评价 — ratings this subject received, newest first.")
    commitments = relation_field(
        "commitments", Commitment, "信用承诺 — commitments, newest first.")
    logistics_links = relation_field(
        "logistics_links", LogisticsLink,
        "寄递物流 — carriers this merchant shipped with, newest period first.")
    carrier_credit_class: CarrierCreditClass | None = strawberry.field(
        resolver=carrier_credit_class,
        description="快递业信用等级 — a carrier's class on the postal scale; null for a subject "
                    "that carried no parcels.")
    complaints = relation_field("complaints", Complaint, "投诉举报 — complaints, newest first.")
    list_entries = relation_field(
        "list_entries", ListEntry, "红黑名单 — list entries (in force or not), newest first.")
    history = relation_field(
        "history", AuditEvent, "信用档案 — every write to this subject's records (who, when, "
                               "from which department), newest first.")

    related: Related = strawberry.field(
        resolver=related, directives=[related_size()],
        description="关联主体 — subjects tied to this one by a shared representative, phone or "
                    "address, a carrier, or ratings (either way), each tie with its evidence. "
                    "AUDITOR and REGULATOR keys only; logged.")

    is_type_of = rows_of(models.Subject)
