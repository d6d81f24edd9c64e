"""``Query.regions``: administrative divisions (行政区划, GB/T 2260) with their zh-CN names, one
level at a time, for dashboards' region pickers and the keys of ``stats`` by region."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.federation.schema_directives import ListSize

from resolvers.domain import regions
from resolvers.types.filters import region_prefix
from resolvers.types.text import REGION_MAX, text_argument

PROVINCES = 34  # 省级行政区: the size a listing is assumed to have (demand control)


@strawberry.type(description="行政区划 — a division one level of `regions` lists.")
class Division:
    code: str = strawberry.field(description="Six-digit GB/T 2260 code (440300).")
    prefix: str = strawberry.field(
        description="The code's significant digits (44, 4403, 440305): the `region` filter "
                    "value, and the key `stats` groups by.")
    name: str = strawberry.field(description="Name in force (zh-CN).")


def _division(region: regions.Region) -> Division:
    prefix = region.code
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return Division(code=region.code, prefix=prefix, name=region.name)


def list_regions(
    parent: Annotated[str | None, text_argument(
        "A division (2, 4 or 6 digits, or a six-digit code): its divisions one level down; "
        "none: the provinces.", REGION_MAX)] = None,
) -> list[Division]:
    prefix = region_prefix(parent, "parent")
    return [_division(region) for region in regions.children(prefix)]


regions_field = strawberry.field(
    resolver=list_regions, description="行政区划 in force one level below `parent`, by code.",
    directives=[ListSize(assumed_size=PROVINCES, slicing_arguments=[], sized_fields=[],
                         require_one_slicing_argument=False)])
