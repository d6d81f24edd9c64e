"""Relay connections (cursor pagination) shared by every list that can grow."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.federation.schema_directives import Cost, ListSize

from resolvers.data import cursors, keyset
from resolvers.data.cursors import InvalidCursor
from resolvers.errors import BadUserInputError, InvalidCursorError

T = TypeVar("T")

# Demand control (gateway/limits/cost.py, docs/LIMITS.md): a connection holds `first` edges, or
# the default page size when `first` is left out.
DEFAULT_PAGE = 20


def paged(assumed_size: int = DEFAULT_PAGE, *, backwards: bool = False) -> ListSize:
    """``@listSize`` of a connection field: ``first`` (or ``last``, ``backwards``) edges,
    else ``assumed_size``."""
    return ListSize(slicing_arguments=["first", "last"] if backwards else ["first"],
                    sized_fields=["edges"], assumed_size=assumed_size,
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


def page_size(first: int | None, *, default: int, maximum: int, argument: str = "first") -> int:
    if first is None:
        return default
    if first < 0 or first > maximum:
        raise BadUserInputError(f"{argument} must be between 0 and {maximum}, got {first}",
                                argument=argument, maximum=maximum)
    return first


def decoded(decode: Callable[[], T], argument: str = "after") -> T:
    """Run a cursor decoder, turning a bad cursor into INVALID_CURSOR."""
    try:
        return decode()
    except InvalidCursor as error:
        raise InvalidCursorError(str(error), argument=argument) from error


@dataclass(frozen=True)
class Slice:
    """What a Relay page asks for: ``size`` items after ``after``, or (``backwards``, with
    ``last``) the ``size`` items just before ``before``."""

    size: int
    backwards: bool
    after: str | None = None
    before: str | None = None


def slice_of(*, first: int | None, after: str | None, last: int | None, before: str | None,
             default: int, maximum: int) -> Slice:
    """Forwards with ``first``/``after``, backwards with ``last``/``before`` (Relay); mixing
    the two directions is BAD_USER_INPUT."""
    if last is not None or (before is not None and first is None):
        if first is not None or after is not None:
            raise BadUserInputError("page forwards (first/after) or backwards (last/before), "
                                    "not both", argument="last" if last is not None else "before")
        size = page_size(last, default=default, maximum=maximum, argument="last")
        return Slice(size, backwards=True, before=before)
    if before is not None:
        raise BadUserInputError("before pages backwards: give last, not first",
                                argument="before")
    return Slice(page_size(first, default=default, maximum=maximum), backwards=False, after=after)


def window(asked: Slice, kind: str) -> keyset.Window:
    """The keyset window of a page of list ``kind`` (its cursors checked: INVALID_CURSOR)."""
    after, before = asked.after, asked.before
    return keyset.Window(
        asked.size, backwards=asked.backwards,
        after=None if after is None else decoded(lambda: cursors.decode_id(kind, after)),
        before=None if before is None else decoded(lambda: cursors.decode_id(kind, before),
                                                   "before"))


def build_slice(rows: Sequence[T], *, asked: Slice, cursor: Callable[[T], str],
                total: Callable[[], Awaitable[int]]) -> Connection[T]:
    """A connection from ``size + 1`` rows in list order (``keyset.page``): forwards the extra
    row is the last one, backwards the first."""
    if not asked.backwards:
        return build(rows, size=asked.size, cursor=cursor, after_given=asked.after is not None,
                     total=total)
    extra = len(rows) > asked.size
    page = list(rows[1:] if extra else rows)
    edges = [Edge(cursor=cursor(row), node=row) for row in page]
    info = PageInfo(has_next_page=asked.before is not None, has_previous_page=extra,
                    start_cursor=edges[0].cursor if edges else None,
                    end_cursor=edges[-1].cursor if edges else None)
    return Connection(edges=edges, page_info=info, count_total=total)


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
