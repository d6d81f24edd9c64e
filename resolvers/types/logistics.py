"""``LogisticsLink`` (寄递物流关系) as a GraphQL type: a carrier's volume for a merchant;
``CarrierCreditClass`` (快递业信用等级): a carrier's class from the parcels it handled."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import Parent

from resolvers.context import Info
from resolvers.data import models
from resolvers.types.common import Sourced, SubjectRef, row_id, rows_of, subject_field
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


@strawberry.type(description="快递业信用等级 — a carrier's credit class, read off the share of "
                             "empty parcels (空包) among all the parcels it handled, on the "
                             "configured scale (CREDIT_GATEWAY_CARRIER_SCALE).")
class CarrierCreditClass:
    grade: str = strawberry.field(description="The class, best first on the scale (A, B, C, D "
                                              "by default).")
    scale: list[str] = strawberry.field(description="Every class of the scale, best first.")
    parcels: int = strawberry.field(description="Parcels handled, all merchants, all periods.")
    empty_parcels: int = strawberry.field(description="空包 among them.")
    empty_parcel_rate: float = strawberry.field(description="Share of empty parcels, 0–1.")


async def carrier_credit_class(root: Parent[models.Subject], info: Info
                               ) -> CarrierCreditClass | None:
    stats = await info.context.loaders.carrier_stats.load(row_id(root))
    if not stats.parcels:
        return None
    scale = info.context.carrier_scale
    return CarrierCreditClass(grade=scale.grade(stats.empty_share), scale=list(scale.classes),
                              parcels=stats.parcels, empty_parcels=stats.empty_parcels,
                              empty_parcel_rate=stats.empty_share)
