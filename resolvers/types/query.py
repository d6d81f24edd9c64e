"""The ``Query`` root: a subject by USCC, filtered subject pages, search and ``node``."""

from __future__ import annotations

from typing import Annotated, Any, cast

import strawberry

from resolvers.context import Info
from resolvers.data import cursors
from resolvers.data.queries import subjects as subject_queries
from resolvers.domain.enums import ListStatus, SubjectKind
from resolvers.errors import BadUserInputError, InvalidIdError
from resolvers.types import pagination
from resolvers.types.access_log import AccessLogEntry, access_log_page
from resolvers.types.node import Node, from_global_id
from resolvers.types.pagination import Connection
from resolvers.types.personal import note_name_search
from resolvers.types.scalars import USCC, require_uscc
from resolvers.types.subject import Subject

SEARCH_DEFAULT = 10
SEARCH_MAX = 50
SEARCH_TEXT_MAX = 100
# Global-ID type names of row-keyed records (the loaders' ``records`` keys).
RECORD_TYPES = frozenset({"License", "Penalty", "Rating", "Commitment", "LogisticsLink",
                          "Complaint", "ListEntry"})


@strawberry.input(description="Conditions for `subjects`; every condition given must hold.")
class SubjectFilter:
    kind: SubjectKind | None = strawberry.field(default=None, description="市场主体类型.")
    region: str | None = strawberry.field(
        default=None,
        description="GB/T 2260 division code prefix: 2 digits = province, 4 = city, 6 = county.")
    verified: bool | None = strawberry.field(default=None, description="实名认证 status.")
    list_status: ListStatus | None = strawberry.field(
        default=None, description="红黑名单 standing today.")
    name_contains: str | None = strawberry.field(
        default=None, description="Substring of the subject's name.")
    late_disclosure: bool | None = strawberry.field(
        default=None, description="true: subjects with a licence or penalty disclosed late "
                                  "(more than 7 working days after the decision, or unpublished "
                                  "past that deadline); false: subjects with none.")

    def to_query(self, *, public_view: bool = False) -> subject_queries.SubjectFilter:
        if self.region is not None and not (self.region.isdigit() and 1 <= len(self.region) <= 6):
            raise BadUserInputError(f"region must be 1 to 6 digits of a GB/T 2260 code, "
                                    f"got {self.region!r}", argument="filter.region")
        return subject_queries.SubjectFilter(
            kind=self.kind, region_prefix=self.region, verified=self.verified,
            list_status=self.list_status, name_contains=self.name_contains or None,
            late_disclosure=self.late_disclosure, public_view=public_view)


async def subject(
    info: Info,
    uscc: Annotated[USCC, strawberry.argument(description="统一社会信用代码 to look up.")],
    allow_legacy: Annotated[bool, strawberry.argument(
        description="Accept a pilot-region code whose check character fails "
                    "GB 32100-2015 (issued before the standard).")] = False,
) -> Subject | None:
    code = require_uscc(uscc, allow_legacy=allow_legacy)
    # loaders hand back rows; strawberry resolves them to ``Subject`` via ``is_type_of``
    return cast("Subject | None", await info.context.loaders.subject_by_uscc.load(code))


async def subjects(
    info: Info,
    filter: Annotated[
        SubjectFilter | None, strawberry.argument(description="Conditions to match.")] = None,
    first: Annotated[int | None, strawberry.argument(description="Page size (≤ 100).")] = None,
    after: Annotated[str | None, strawberry.argument(
        description="`pageInfo.endCursor` of the previous page.")] = None,
) -> Connection[Subject]:
    context = info.context
    size = pagination.page_size(first, default=context.default_page_size,
                                maximum=context.max_page_size)
    after_id = (pagination.decoded(lambda: cursors.decode_id("subjects", after))
                if after is not None else None)
    conditions = (filter or SubjectFilter()).to_query(
        public_view=not context.caller.sees_all_records)
    async with context.database.read_session() as session:
        rows: list[Any] = await subject_queries.page(
            session, conditions, first=size, after_id=after_id, today=context.today,
            sqlite=context.database.is_sqlite)
    context.loaders.prime_subjects(rows)
    if filter is not None and filter.name_contains:
        note_name_search(info, filter.name_contains, rows[:size])

    async def total() -> int:
        async with context.database.read_session() as session:
            return await subject_queries.count(session, conditions, today=context.today,
                                               sqlite=context.database.is_sqlite)

    return pagination.build(rows, size=size, after_given=after is not None, total=total,
                            cursor=lambda row: cursors.encode("subjects", row.id))


async def search_subjects(
    info: Info,
    text: Annotated[str, strawberry.argument(
        description="Part of a name (any length), or the first 2+ characters of a USCC.")],
    first: Annotated[int | None, strawberry.argument(
        description=f"Most results (default {SEARCH_DEFAULT}, at most {SEARCH_MAX}).")] = None,
) -> list[Subject]:
    text = text.strip()
    if not text or len(text) > SEARCH_TEXT_MAX:
        raise BadUserInputError(f"text must have 1 to {SEARCH_TEXT_MAX} characters",
                                argument="text")
    size = pagination.page_size(first, default=SEARCH_DEFAULT, maximum=SEARCH_MAX)
    async with info.context.database.read_session() as session:
        rows: list[Any] = await subject_queries.search(
            session, text, first=size, sqlite=info.context.database.is_sqlite,
            public_view=not info.context.caller.sees_personal_data)
    info.context.loaders.prime_subjects(rows)
    note_name_search(info, text, rows)
    return rows


async def node(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(
        description="A global ID from any `id` field.")],
) -> Node | None:
    type_name, key = from_global_id(id)
    loaders = info.context.loaders
    if type_name == "Subject":
        return cast("Node | None", await loaders.subject_by_uscc.load(key))
    if type_name in RECORD_TYPES and key.isdigit():
        return cast("Node | None", await loaders.records[type_name].load(int(key)))
    raise InvalidIdError(f"{id!r} does not name a credit-graph record")


@strawberry.type(description="Reads of the credit graph.")
class Query:
    subject: Subject | None = strawberry.field(
        resolver=subject, description="The subject with this 统一社会信用代码, or null when unknown.")
    subjects: Connection[Subject] = strawberry.field(
        resolver=subjects,
        description="Subjects matching a filter, in a stable order (oldest record first), "
                    "as a Relay connection.", directives=[pagination.paged()])
    search_subjects: list[Subject] = strawberry.field(
        resolver=search_subjects,
        description="Subjects whose USCC starts with `text` (2+ USCC characters; listed first), "
                    "then subjects whose name contains it (any length, ASCII case ignored).",
        directives=[pagination.sliced(SEARCH_DEFAULT)])
    node: Node | None = strawberry.field(
        resolver=node, description="Any record by its global ID (Relay); null when unknown.")
    access_log: Connection[AccessLogEntry] = strawberry.field(
        resolver=access_log_page,
        description="个人信息查询记录 — AUDITOR reads of unmasked personal data, newest first; "
                    "REGULATOR keys only (others: FORBIDDEN).", directives=[pagination.paged()])
