"""Conduct in trade as GraphQL types: ``Rating`` (信用评价), ``RatingSummary`` (信用积分),
``Commitment`` (信用承诺) and ``Complaint`` (投诉举报)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from resolvers.data import models
from resolvers.domain.enums import (
    CommitmentKind,
    CommitmentStatus,
    ComplaintChannel,
    ComplaintStatus,
)
from resolvers.types.common import Sourced, SubjectRef, rows_of, subject_field
from resolvers.types.node import Node, id_field
from resolvers.types.personal import free_text_field


@strawberry.type(description="信用评价 — one trading party's rating of another after an order.")
class Rating(Node, Sourced):
    id: strawberry.ID = id_field()
    platform: SubjectRef = subject_field("The platform the order was placed on.", "platform_id")
    rater: SubjectRef = subject_field("评价方 — who rated.", "rater_id")
    ratee: SubjectRef = subject_field("被评价方 — who was rated.", "ratee_id")
    order_reference: str = strawberry.field(description="订单号 on the platform.")
    score: int = strawberry.field(description="Score from 1 (worst) to 5 (best).")
    comment: str | None = free_text_field("comment", "评价内容.", optional=True,
                                          subject="ratee_id")
    follow_up: str | None = free_text_field("follow_up", "追评 — the follow-up review.",
                                            optional=True, subject="ratee_id")
    follow_up_on: date | None = strawberry.field(description="Day of the follow-up review.")
    rated_on: date = strawberry.field(description="Day of the rating.")

    is_type_of = rows_of(models.Rating)


@strawberry.type(description="信用积分 — what a subject's received ratings add up to.")
class RatingSummary:
    count: int = strawberry.field(description="Ratings received.")
    average: Decimal | None = strawberry.field(
        description="Mean score, two decimals; null without ratings.")
    positive: int = strawberry.field(description="好评 — ratings of 4 or 5.")
    neutral: int = strawberry.field(description="中评 — ratings of 3.")
    negative: int = strawberry.field(description="差评 — ratings of 1 or 2.")
    credit_points: int = strawberry.field(
        description="信用积分 — +1 per positive, 0 per neutral, −1 per negative rating.")


@strawberry.type(description="信用承诺 — a subject's public pledge and whether it was kept.")
class Commitment(Node, Sourced):
    id: strawberry.ID = id_field()
    subject: SubjectRef = subject_field("承诺主体 — who committed.")
    kind: CommitmentKind = strawberry.field(description="承诺类型.")
    text: str = free_text_field("text", "承诺内容, including acceptance of punishment on breach.")
    committed_on: date = strawberry.field(description="承诺日期.")
    status: CommitmentStatus = strawberry.field(description="履行状态.")
    status_on: date | None = strawberry.field(description="Day the status was last set.")

    is_type_of = rows_of(models.Commitment)


@strawberry.type(description="投诉举报 — a complaint about a subject via a hotline or a platform.")
class Complaint(Node, Sourced):
    id: strawberry.ID = id_field()
    subject: SubjectRef = subject_field("被投诉主体 — the subject complained about.")
    channel: ComplaintChannel = strawberry.field(description="投诉渠道.")
    reference: str = strawberry.field(description="Ticket number within the channel.")
    summary: str = free_text_field("summary", "投诉事由.")
    filed_on: date = strawberry.field(description="投诉日期.")
    status: ComplaintStatus = strawberry.field(description="处理状态.")
    resolved_on: date | None = strawberry.field(description="办结日期.")
    resolution: str | None = free_text_field("resolution", "处理结果.",
                                             optional=True)

    is_type_of = rows_of(models.Complaint)
