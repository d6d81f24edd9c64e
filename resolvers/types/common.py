"""Pieces every record type uses: its subject, its provenance, paging a relation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Protocol

import strawberry
from strawberry import Parent

import resolvers.types.enums  # noqa: F401 — registers the domain enums with strawberry
from resolvers.context import Info
from resolvers.data import cursors, models
from resolvers.data.queries.relations import PAGED
from resolvers.domain.enums import Department
from resolvers.types import pagination
from resolvers.types.text import CURSOR_MAX, text_argument

if TYPE_CHECKING:
    from resolvers.types.subject import Subject

# strawberry field metadata of a subject's paged relation: (its name in PAGED, ``late`` or not)
RELATION = "relation"
# strawberry field metadata of a field naming another subject: the row's column holding its id
SUBJECT_REFERENCE = "subject_reference"
# strawberry field metadata of a field computed from its row: (the columns it reads, the
# function of the request's context and those values the resolver calls)
ROW_FUNCTION = "row_function"

SubjectRef = Annotated["Subject", strawberry.lazy("resolvers.types.subject")]

FIRST = "Items per page (default 20, at most 100)."
AFTER = "Cursor after which the page starts (`pageInfo.endCursor` of the previous page)."
LATE = ("true: only decisions disclosed late (published more than 7 working days after the "
        "decision, or unpublished past that deadline); false: only those disclosed in time.")


class _OfSubject(Protocol):
    subject_id: int


def rows_of(model: type) -> Any:
    """``is_type_of`` for a GraphQL type whose resolvers hand back rows of ``model``: lets
    strawberry resolve interfaces (``Node``) and generics from table rows."""

    def is_type_of(_cls: type, obj: Any, _info: Any) -> bool:
        return isinstance(obj, model)

    return classmethod(is_type_of)


def row_id(row: Any) -> int:
    """The primary key of a stored row (only unsaved rows lack one)."""
    ident: int | None = row.id
    if ident is None:
        raise ValueError(f"{type(row).__name__} row has no id")
    return ident


async def load_subject(info: Info, subject_id: int) -> Any:
    return await info.context.loaders.subject_by_id.load(subject_id)


def subject_field(description: str, column: str = "subject_id") -> Any:
    """A field resolving the subject whose row id is in ``column`` of the parent row."""

    async def resolve(root: Parent[_OfSubject], info: Info) -> SubjectRef:
        return await load_subject(info, getattr(root, column))  # type: ignore[no-any-return]

    # a compiled plan (resolvers.plans) finds the column in the metadata
    return strawberry.field(resolver=resolve, description=description,
                            metadata={SUBJECT_REFERENCE: column})


async def relation_page(
    info: Info, name: str, parent_id: int, first: int | None, after: str | None,
    late: bool | None = None,
) -> pagination.Connection[Any]:
    """A page of one of a subject's relations, newest first, through the batched loader."""
    context = info.context
    size = pagination.page_size(first, default=context.default_page_size,
                                maximum=context.max_page_size)
    kind = cursors.list_kind(name, parent_id, late)  # this subject's list, this filter
    start = (pagination.decoded(lambda: cursors.decode_date_id(kind, after))
             if after is not None else None)
    relation = PAGED[name]
    rows = await context.loaders.pages[name].load((parent_id, size + 1, start, late))

    async def total() -> int:
        return int(await context.loaders.counts[name].load((parent_id, late)))

    return pagination.build(
        rows, size=size, after_given=after is not None, total=total,
        cursor=lambda row: cursors.encode(kind, *relation.sort_key(row)),
    )


def relation_field(name: str, node: type, description: str, *, late_filter: bool = False
                   ) -> Any:
    """A paged field of ``Subject`` for the relation ``name`` whose items are ``node``;
    ``late_filter`` adds the ``late`` argument (licences and penalties)."""

    async def resolve(root: Parent[models.Subject], info: Info,
                      first: int | None = None, after: str | None = None,
                      late: bool | None = None) -> Any:
        return await relation_page(info, name, row_id(root), first, after, late)

    async def resolve_unfiltered(root: Parent[models.Subject], info: Info,
                                 first: int | None = None, after: str | None = None) -> Any:
        return await relation_page(info, name, row_id(root), first, after)

    chosen = resolve if late_filter else resolve_unfiltered
    # the item type is only known here, so the annotations are set rather than written
    chosen.__annotations__ = {
        "root": Parent[models.Subject],
        "info": Info,
        "first": Annotated[int | None, strawberry.argument(description=FIRST)],
        "after": Annotated[str | None, text_argument(AFTER, CURSOR_MAX)],
        **({"late": Annotated[bool | None, strawberry.argument(description=LATE)]}
           if late_filter else {}),
        "return": pagination.Connection[node],  # type: ignore[valid-type]
    }
    # a compiled plan (resolvers.plans) finds the relation in the metadata
    return strawberry.field(resolver=chosen, description=description,
                            directives=[pagination.paged()],
                            metadata={RELATION: (name, late_filter)})


@strawberry.interface(description="A credit record with its provenance (数据来源单位).")
class Sourced:
    source: Department = strawberry.field(
        description="数据来源单位 — department or platform that supplied the record.")
    source_code: str | None = strawberry.field(
        description="统一社会信用代码 of the source unit (SJLYDM / LYDWDM), when known.")
