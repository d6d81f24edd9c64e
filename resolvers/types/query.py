"""The ``Query`` root: a subject by USCC, filtered subject pages, search and ``node``."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, cast

import strawberry

from resolvers.context import Info
from resolvers.data import cursors
from resolvers.data.queries import search as search_queries
from resolvers.data.queries import subjects as subject_queries
from resolvers.data.row_ids import parse_row_id
from resolvers.domain import regions
from resolvers.domain.enums import ListStatus, SubjectKind
from resolvers.errors import BadUserInputError, InvalidIdError
from resolvers.types import lookups, pagination
from resolvers.types.access_log import AccessLogEntry, access_log_page
from resolvers.types.brushing import BrushingSuspect, brushing_suspects
from resolvers.types.conduct import Rating
from resolvers.types.list_reads import ListQueries
from resolvers.types.node import Node, from_global_id
from resolvers.types.pagination import Connection
from resolvers.types.personal import note_name_search
from resolvers.types.relations import PathAnswer, path
from resolvers.types.report import ReportQueries
from resolvers.types.scalars import USCC, require_uscc
from resolvers.types.subject import Subject
from resolvers.types.text import (
    CURSOR_MAX,
    ID_MAX,
    NAME_CONTAINS_MAX,
    REGION_MAX,
    SEARCH_TEXT_MAX,
    text_argument,
    text_input,
)

SEARCH_DEFAULT = 10
SEARCH_MAX = 50
# Global-ID type names of row-keyed records (the loaders' ``records`` keys).
RECORD_TYPES = frozenset({"License", "Penalty", "Rating", "Commitment", "LogisticsLink",
                          "Complaint", "ListEntry"})


@strawberry.input(description="Conditions for `subjects`; every condition given must hold.")
class SubjectFilter:
    kind: SubjectKind | None = strawberry.field(default=None, description="市场主体类型.")
    region: str | None = text_input(
        "GB/T 2260 division: 2 digits = province, 4 = city, 6 = county; a province or city may "
        "also be written as its six-digit code (440000, 440300).", REGION_MAX)
    verified: bool | None = strawberry.field(default=None, description="实名认证 status.")
    list_status: ListStatus | None = strawberry.field(
        default=None, description="红黑名单 standing today.")
    name_contains: str | None = text_input("Substring of the subject's name.",
                                           NAME_CONTAINS_MAX)
    late_disclosure: bool | None = strawberry.field(
        default=None, description="true: subjects with a licence or penalty disclosed late "
                                  "(more than 7 working days after the decision, or unpublished "
                                  "past that deadline); false: subjects with none.")

    def to_query(self, *, public_view: bool = False) -> subject_queries.SubjectFilter:
        try:
            region = None if self.region is None else regions.division_prefix(self.region)
        except ValueError as error:
            raise BadUserInputError(str(error), argument="filter.region") from error
        return subject_queries.SubjectFilter(
            kind=self.kind, region_prefix=region, verified=self.verified,
            list_status=self.list_status, name_contains=self.name_contains or None,
            late_disclosure=self.late_disclosure, public_view=public_view)


async def subject(
    info: Info,
    uscc: Annotated[USCC, strawberry.argument(description="统一社会信用代码 to look up.")],
    allow_legacy: Annotated[bool, strawberry.argument(
        description="Accept a pilot-region code whose check character fails "
                    "GB 32100-2015 (issued before the standard).")] = False,
) -> Subject | None:
    code = require_uscc(uscc, allow_legacy=allow_legacy, offers_legacy=True)
    # loaders hand back rows; strawberry resolves them to ``Subject`` via ``is_type_of``
    return cast("Subject | None", await info.context.loaders.subject_by_uscc.load(code))


async def subjects(
    info: Info,
    filter: Annotated[
        SubjectFilter | None, strawberry.argument(description="Conditions to match.")] = None,
    first: Annotated[int | None, strawberry.argument(description="Page size (≤ 100).")] = None,
    after: Annotated[str | None, text_argument(
        "`pageInfo.endCursor` of the previous page.", CURSOR_MAX)] = None,
) -> Connection[Subject]:
    context = info.context
    size = pagination.page_size(first, default=context.default_page_size,
                                maximum=context.max_page_size)
    conditions = (filter or SubjectFilter()).to_query(
        public_view=not context.caller.sees_all_records)
    if conditions.list_status is not None or conditions.late_disclosure is not None:
        # membership filtered by today across every subject: it may change at any midnight
        context.loaders.note_boundary(context.today + timedelta(days=1))
    kind = cursors.list_kind("subjects", conditions)  # a cursor pages its own filter only
    after_id = (pagination.decoded(lambda: cursors.decode_id(kind, after))
                if after is not None else None)
    sqlite = context.database.is_sqlite
    rows: list[Any] = await context.loaders.read(lambda session: subject_queries.page(
        session, conditions, first=size, after_id=after_id, today=context.today, sqlite=sqlite))
    context.loaders.prime_subjects(rows)
    if filter is not None and filter.name_contains:
        note_name_search(info, filter.name_contains, rows[:size])

    async def total() -> int:
        return await context.loaders.read(lambda session: subject_queries.count(
            session, conditions, today=context.today, sqlite=sqlite))

    return pagination.build(rows, size=size, after_given=after is not None, total=total,
                            cursor=lambda row: cursors.encode(kind, row.id))


async def search_subjects(
    info: Info,
    text: Annotated[str, text_argument(
        "Part of a name, or the first 2+ characters of a USCC.", SEARCH_TEXT_MAX)],
    first: Annotated[int | None, strawberry.argument(
        description=f"Most results (default {SEARCH_DEFAULT}, at most {SEARCH_MAX}).")] = None,
) -> list[Subject]:
    text = text.strip()  # its length is checked before execution (resolvers/types/text.py)
    if not text:
        raise BadUserInputError("text must not be blank", argument="text")
    size = pagination.page_size(first, default=SEARCH_DEFAULT, maximum=SEARCH_MAX)
    sqlite, public_view = info.context.database.is_sqlite, not info.context.caller.sees_personal_data
    rows: list[Any] = await info.context.loaders.read(lambda session: search_queries.search(
        session, text, first=size, sqlite=sqlite, public_view=public_view))
    info.context.loaders.prime_subjects(rows)
    note_name_search(info, text, rows)
    return rows


async def node(
    info: Info,
    id: Annotated[strawberry.ID, text_argument("A global ID from any `id` field.", ID_MAX)],
) -> Node | None:
    type_name, key = from_global_id(id)
    loaders = info.context.loaders
    if type_name == "Subject":
        return cast("Node | None", await loaders.subject_by_uscc.load(key))
    row = parse_row_id(key)
    if type_name in RECORD_TYPES and row is not None:
        return cast("Node | None", await loaders.records[type_name].load(row))
    raise InvalidIdError(f"{id!r} does not name a credit-graph record")


@strawberry.type(description="Reads of the credit graph.")
class Query(ListQueries, ReportQueries):
    subject: Subject | None = strawberry.field(
        resolver=subject, description="The subject with this 统一社会信用代码, or null when unknown.")
    subjects: Connection[Subject] = strawberry.field(
        resolver=subjects,
        description="Subjects matching a filter, in a stable order (oldest record first), "
                    "as a Relay connection.", directives=[pagination.paged()])
    search_subjects: list[Subject] = strawberry.field(
        resolver=search_subjects,
        description="Subjects whose USCC starts with `text` (2+ USCC characters; listed first), "
                    "then subjects whose name contains it (ASCII case ignored).",
        directives=[pagination.sliced(SEARCH_DEFAULT)])
    node: Node | None = strawberry.field(
        resolver=node, description="Any record by its global ID (Relay); null when unknown.")
    access_log: Connection[AccessLogEntry] = strawberry.field(
        resolver=access_log_page,
        description="个人信息查询记录 — AUDITOR reads of unmasked personal data, newest first; "
                    "REGULATOR keys only (others: FORBIDDEN).", directives=[pagination.paged()])
    subjects_by_representative: list[Subject] = lookups.lookup_field(
        lookups.subjects_by_representative,
        "查人 — subjects whose legal representative / operator has this name and/or ID number.")
    subjects_by_phone: list[Subject] = lookups.lookup_field(
        lookups.subjects_by_phone, "Subjects registered with this phone (normalised).")
    subjects_by_address: list[Subject] = lookups.lookup_field(
        lookups.subjects_by_address, "Subjects registered at this address (normalised).")
    carrier_merchants: list[Subject] = lookups.lookup_field(
        lookups.carrier_merchants, "寄递物流 reversed — the merchants a carrier shipped for.")
    platform_merchants: list[Subject] = lookups.lookup_field(
        lookups.platform_merchants,
        "平台内经营者 — subjects a platform hosts (declared, or rated on its orders).")
    ratings_given: list[Rating] = lookups.lookup_field(
        lookups.ratings_given, "信用评价 reversed — the ratings a subject gave, newest first.")
    path: PathAnswer = strawberry.field(
        resolver=path,
        description="查关系 — the shortest evidence paths between two subjects, or a clear "
                    "\"no path within maxHops\". AUDITOR and REGULATOR keys only; logged.")
    brushing_suspects: list[BrushingSuspect] = strawberry.field(
        resolver=brushing_suspects,
        description="刷单炒信嫌疑 — subjects ranked by brushing signals (FRAUDAR rating rings, "
                    "empty parcels, review bursts; docs/AUDIT.md), with evidence. AUDITOR and "
                    "REGULATOR keys only; logged.", directives=[pagination.sliced(20)])
