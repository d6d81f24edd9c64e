"""Relay connections (cursor pagination) shared by every list that can grow."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.federation.schema_directives import Cost, ListSize

from resolvers.data.cursors import InvalidCursor
from resolvers.errors import BadUserInputError, InvalidCursorError

T = TypeVar("T")

# Demand control (gateway/limits/cost.py, docs/LIMITS.md): a connection holds `first` edges, or
# the default page size when `first` is left out.
DEFAULT_PAGE = 20


def paged(assumed_size: int = DEFAULT_PAGE) -> ListSize:
    """``@listSize`` of a connection field: ``first`` edges, else ``assumed_size``."""
    return ListSize(slicing_arguments=["first"], sized_fields=["edges"], assumed_size=assumed_size,
                    require_one_slicing_argument=False)


def sliced(assumed_size: int) -> ListSize:
    """``@listSize`` of a plain list field sliced by ``first``."""
    return ListSize(slicing_arguments=["first"], assumed_size=assumed_size, sized_fields=[],
                    require_one_slicing_argument=False)


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(
        description="Items precede this page (true whenever `after` was given).")
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge.")
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last edge; pass it as `after` for the next page.")


@strawberry.type(description="An item of a list with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque position of this item in the list.")
    node: T = strawberry.field(description="The item.")


async def total_count(root: strawberry.Parent[Any]) -> int:
    # counted only when selected: a page alone never pays for a COUNT
    return int(await root.count_total())


@strawberry.type(description="A page of a list (Relay connection).")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page lies in the list.")
    count_total: strawberry.Private[Callable[[], Awaitable[int]]]
    total_count: int = strawberry.field(
        resolver=total_count, description="Number of items in the whole list (all pages).",
        directives=[Cost(weight=1)])  # a COUNT, batched per relation


def page_size(first: int | None, *, default: int, maximum: int) -> int:
    if first is None:
        return default
    if first < 0 or first > maximum:
        raise BadUserInputError(f"first must be between 0 and {maximum}, got {first}",
                                argument="first", maximum=maximum)
    return first


def decoded(decode: Callable[[], T]) -> T:
    """Run a cursor decoder, turning a bad cursor into INVALID_CURSOR."""
    try:
        return decode()
    except InvalidCursor as error:
        raise InvalidCursorError(str(error), argument="after") from error


def build(
    rows: Sequence[T],
    *,
    size: int,
    cursor: Callable[[T], str],
    after_given: bool,
    total: Callable[[], Awaitable[int]],
) -> Connection[T]:
    """A connection from ``size + 1`` fetched rows: the extra row only signals a next page."""
    page = list(rows[:size])
    edges = [Edge(cursor=cursor(row), node=row) for row in page]
    info = PageInfo(
        has_next_page=len(rows) > size,
        has_previous_page=after_given,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, count_total=total)
