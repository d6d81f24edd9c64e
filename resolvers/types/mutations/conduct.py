"""Mutations of conduct in trade: 信用评价 (ratings and their follow-up reviews), 信用承诺
(commitments and whether they were kept) and 投诉举报 (complaints filed and resolved)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, cast

import strawberry

from resolvers.context import Info
from resolvers.data import models
from resolvers.domain.enums import CommitmentKind, CommitmentStatus, ComplaintChannel, ComplaintStatus
from resolvers.types.conduct import Commitment, Complaint, Rating
from resolvers.types.mutations._writes import Day, RecordId, RecordInput, change, create
from resolvers.types.text import column_length, record_text, text_argument, uscc_text
from resolvers.writes import lifecycle
from resolvers.writes.records import COMMITMENT, COMPLAINT, RATING


@strawberry.input(description="A rating after an order (信用评价).")
class RecordRatingInput:
    platform: str = uscc_text(
        description="统一社会信用代码 of the platform the order was placed on; a platform "
                    "writer may name only itself.")
    rater: str = uscc_text(description="统一社会信用代码 of the rating party.")
    ratee: str = uscc_text(description="统一社会信用代码 of the rated party.")
    order_reference: str = record_text(
        models.Rating, "order_reference",
        description="订单号 on the platform; with platform and rater it identifies the rating.")
    score: int = strawberry.field(description="1 (worst) to 5 (best).")
    rated_on: date = strawberry.field(description="Day of the rating; not in the future.")
    comment: str | None = record_text(models.Rating, "comment", default=None,
                                      description="评价内容.")


@strawberry.input(description="A credit commitment a subject publishes (信用承诺).")
class SubmitCommitmentInput:
    subject: str = uscc_text(description="统一社会信用代码 of the committing subject.")
    kind: CommitmentKind = strawberry.field(
        description="承诺类型; one commitment per subject, kind and day.")
    text: str = record_text(
        models.Commitment, "text",
        description="承诺内容, including acceptance of punishment on breach.")
    committed_on: date = strawberry.field(description="承诺日期; not in the future.")


@strawberry.input(description="A complaint about a subject (投诉举报).")
class FileComplaintInput:
    subject: str = uscc_text(description="统一社会信用代码 of the subject complained about.")
    channel: ComplaintChannel = strawberry.field(
        description="投诉渠道; a platform writer files PLATFORM complaints only.")
    reference: str = record_text(
        models.Complaint, "reference",
        description="Ticket number within the channel; with the channel it identifies the "
                    "complaint.")
    summary: str = record_text(models.Complaint, "summary", description="投诉事由.")
    filed_on: date = strawberry.field(description="投诉日期; not in the future.")


async def record_rating(info: Info, input: RecordInput[RecordRatingInput]) -> Rating:
    return cast("Rating", await create(info, RATING, input))


async def add_rating_follow_up(
    info: Info,
    id: RecordId,
    text: Annotated[str, text_argument("追评 — the follow-up review.",
                                       column_length(models.Rating, "follow_up"))],
    on: Day = None,
) -> Rating:
    return cast("Rating", await change(
        info, lifecycle.rating_follow_up(text, on, info.context.today), id))


async def submit_commitment(info: Info, input: RecordInput[SubmitCommitmentInput]) -> Commitment:
    return cast("Commitment", await create(info, COMMITMENT, input))


async def set_commitment_status(
    info: Info,
    id: RecordId,
    status: Annotated[CommitmentStatus, strawberry.argument(
        description="FULFILLED (已履行) or BREACHED (违约).")],
    on: Day = None,
) -> Commitment:
    return cast("Commitment", await change(
        info, lifecycle.commitment_status(status, on, info.context.today), id))


async def file_complaint(info: Info, input: RecordInput[FileComplaintInput]) -> Complaint:
    return cast("Complaint", await create(info, COMPLAINT, input))


async def resolve_complaint(
    info: Info,
    id: RecordId,
    resolution: Annotated[str, text_argument(
        "处理结果.", column_length(models.Complaint, "resolution"))],
    status: Annotated[ComplaintStatus, strawberry.argument(
        description="RESOLVED (已办结) or DISMISSED (不予受理 / 驳回).")] = ComplaintStatus.RESOLVED,
    on: Day = None,
) -> Complaint:
    return cast("Complaint", await change(
        info, lifecycle.complaint_resolution(status, resolution, on, info.context.today), id))


@strawberry.type(description="Writes of ratings, commitments and complaints.")
class ConductMutations:
    record_rating: Rating = strawberry.mutation(
        resolver=record_rating, description="记录信用评价 — record a rating; the stored rating.")
    add_rating_follow_up: Rating = strawberry.mutation(
        resolver=add_rating_follow_up,
        description="追评 — add the follow-up review to a rating (once; CONFLICT for another).")
    submit_commitment: Commitment = strawberry.mutation(
        resolver=submit_commitment,
        description="提交信用承诺 — publish a commitment; the stored commitment (ACTIVE).")
    set_commitment_status: Commitment = strawberry.mutation(
        resolver=set_commitment_status,
        description="Record whether an ACTIVE commitment was kept (FULFILLED) or breached.")
    file_complaint: Complaint = strawberry.mutation(
        resolver=file_complaint, description="受理投诉 — file a complaint; the stored complaint.")
    resolve_complaint: Complaint = strawberry.mutation(
        resolver=resolve_complaint,
        description="办结投诉 — close an open complaint with its outcome.")
