"""``ListEntry`` (红黑名单条目) as a GraphQL type."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import Parent

from resolvers.context import Context, Info
from resolvers.data import models
from resolvers.domain import lists
from resolvers.domain.enums import ListKind
from resolvers.types.common import ROW_FUNCTION, Sourced, SubjectRef, rows_of, subject_field
from resolvers.types.node import Node, id_field
from resolvers.types.personal import free_text_field


def in_force(root: Parent[models.ListEntry], info: Info) -> bool:
    return in_force_of(info.context, root.valid_from, root.valid_to, root.lifted_on)


def in_force_of(context: Context, valid_from: date, valid_to: date | None,
                lifted_on: date | None) -> bool:
    """Whether an entry is in force today; the answer may change on its next boundary
    (the resolver's, and a compiled plan's: ``ROW_FUNCTION``)."""
    context.loaders.note_boundary(lists.next_change(valid_from, valid_to, lifted_on,
                                                    context.today))
    return lists.in_force(valid_from, valid_to, lifted_on, context.today)


@strawberry.type(description="红黑名单条目 — a red (守信激励) or black (失信惩戒) list entry.")
class ListEntry(Node, Sourced):
    id: strawberry.ID = id_field()
    subject: SubjectRef = subject_field("The listed subject.")
    list_kind: ListKind = strawberry.field(name="kind", description="红名单 or 黑名单.")
    reason: str = free_text_field("reason", "列入事由.")
    measures: str | None = strawberry.field(description="惩戒或激励措施.")
    authority: str = strawberry.field(description="认定部门.")
    authority_code: str = strawberry.field(description="认定部门统一社会信用代码.")
    valid_from: date = strawberry.field(description="有效期自.")
    valid_to: date | None = strawberry.field(description="有效期至; null = until lifted.")
    lifted_on: date | None = strawberry.field(description="移出日期 — day the entry was lifted.")
    lift_reason: str | None = free_text_field("lift_reason", "移出事由.", optional=True)
    in_force: bool = strawberry.field(
        resolver=in_force,
        description="Whether the entry is in force today (not lifted, within validity).",
        metadata={ROW_FUNCTION: (("valid_from", "valid_to", "lifted_on"), in_force_of)})

    is_type_of = rows_of(models.ListEntry)
