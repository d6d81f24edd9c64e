"""``LogisticsLink`` (寄递物流关系) as a GraphQL type: a carrier's volume for a merchant."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import Parent

from resolvers.data import models
from resolvers.types.common import Sourced, SubjectRef, rows_of, subject_field
from resolvers.types.node import Node, id_field


def empty_parcel_rate(root: Parent[models.LogisticsLink]) -> float:
    return root.empty_parcels / root.parcels if root.parcels else 0.0


@strawberry.type(description="寄递物流关系 — parcels a carrier handled for a merchant in a period.")
class LogisticsLink(Node, Sourced):
    id: strawberry.ID = id_field()
    merchant: SubjectRef = subject_field("The merchant that shipped.", "merchant_id")
    carrier: SubjectRef = subject_field("快递物流企业 — the carrier, itself a subject.",
                                        "carrier_id")
    period_start: date = strawberry.field(description="First day of the period.")
    period_end: date = strawberry.field(description="Last day of the period.")
    parcels: int = strawberry.field(description="Parcels shipped in the period.")
    empty_parcels: int = strawberry.field(
        description="空包 — parcels shipped empty, a brushing (炒信) signal.")
    empty_parcel_rate: float = strawberry.field(resolver=empty_parcel_rate,
                                                description="Share of empty parcels, 0–1.")

    is_type_of = rows_of(models.LogisticsLink)
