"""The platform subgraph: ``Subject.shopUrl`` and ``Subject.platformRating`` by USCC."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NewType

import strawberry
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.schema.config import StrawberryConfig

SHOPS_FILE = Path(__file__).with_name("shops.json")

# The credit graph's scalar under its own name, so the key fields' types match. Shared types
# carry no description here: the credit graph's own descriptions stay the supergraph's.
USCC = NewType("USCC", str)
SCALARS: dict[object, Any] = {USCC: strawberry.scalar(name="USCC", serialize=str, parse_value=str)}


@dataclass(frozen=True)
class Shop:
    url: str
    rating: float


def load_shops(path: Path = SHOPS_FILE) -> dict[str, Shop]:
    """Shops by the USCC of the merchant running them: ``{"<USCC>": {"url", "rating"}}``."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {uscc: Shop(row["url"], float(row["rating"])) for uscc, row in rows.items()}


def build_schema(shops: Mapping[str, Shop]) -> strawberry.federation.Schema:
    def shop_url_of(root: strawberry.Parent[Any]) -> str | None:
        shop = shops.get(root.uscc)
        return shop.url if shop else None

    def platform_rating_of(root: strawberry.Parent[Any]) -> float | None:
        shop = shops.get(root.uscc)
        return shop.rating if shop else None

    @strawberry.federation.type(keys=["uscc"])
    class Subject:
        uscc: USCC
        shop_url: str | None = strawberry.field(
            resolver=shop_url_of,
            description="The shop's page on this platform; null when the subject has no shop "
                        "here.")
        platform_rating: float | None = strawberry.field(
            resolver=platform_rating_of,
            description="The platform's store rating of the shop, 0–5 (店铺评分); null when it "
                        "has no shop here.")

        @classmethod
        def resolve_reference(cls, uscc: str) -> Subject:
            return cls(uscc=USCC(uscc))

    return strawberry.federation.Schema(types=[Subject], federation_version="2.9",
                                        config=StrawberryConfig(scalar_map=SCALARS))


def create_app(shops: Mapping[str, Shop] | None = None) -> Starlette:
    schema = build_schema(load_shops() if shops is None else shops)
    return Starlette(routes=[Route("/graphql", GraphQL(schema), methods=["GET", "POST"])])
