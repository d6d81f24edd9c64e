"""The ``Query`` root: a subject by USCC, filtered subject pages, search and ``node``."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Annotated, Any, cast

import strawberry

from resolvers.context import Context, Info
from resolvers.data import cursors, models
from resolvers.data.keyset import CREATION
from resolvers.data.queries import search as search_queries
from resolvers.data.queries import subjects as subject_queries
from resolvers.data.row_ids import parse_row_id
from resolvers.domain.dashboard import Direction
from resolvers.errors import BadUserInputError, InvalidIdError
from resolvers.types import lookups, pagination, record_lists
from resolvers.types.access_log import AccessLogEntry, access_log_page
from resolvers.types.brushing import BrushingRun, BrushingSuspect, brushing_run, brushing_suspects
from resolvers.types.common import row_id
from resolvers.types.conduct import Rating
from resolvers.types.decisions import License, Penalty
from resolvers.types.filters import SubjectFilter, describe, order_of
from resolvers.types.list_reads import ListQueries
from resolvers.types.lists import ListEntry
from resolvers.types.node import Node, from_global_id
from resolvers.types.pagination import Connection
from resolvers.types.personal import note_name_search
from resolvers.types.record_lists import After, Before, First, Last
from resolvers.types.regions import Division, regions_field
from resolvers.types.relations import PathAnswer, path
from resolvers.types.report import ReportQueries
from resolvers.types.scalars import USCC, require_uscc
from resolvers.types.stats import Stats, stats
from resolvers.types.subject import Subject
from resolvers.types.text import ID_MAX, SEARCH_TEXT_MAX, text_argument

SEARCH_DEFAULT = 10
SEARCH_MAX = 50
# Global-ID type names of row-keyed records (the loaders' ``records`` keys).
RECORD_TYPES = frozenset({"License", "Penalty", "Rating", "Commitment", "LogisticsLink",
                          "Complaint", "ListEntry"})


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


@strawberry.enum(description="What `subjects` is sorted by: CREATED (creation order, the "
                             "default), NAME (名称, in the database's collation), "
                             "REGISTERED_ON (成立日期), GRADE (公示信用等级, best first); "
                             "ties by creation order.")
class SubjectOrderField(StrEnum):
    CREATED = "id"
    NAME = "folded_name"
    REGISTERED_ON = "registered_on"
    GRADE = "stored_grade"


describe(SubjectOrderField, {"CREATED": "Creation order (the default).",
                             "NAME": "名称, ASCII case ignored, in the database's collation.",
                             "REGISTERED_ON": "成立日期.",
                             "GRADE": "公示信用等级, the stored public grade: A first (ASC), D "
                                      "first (DESC); as of `stats.gradesAsOf`."})


@strawberry.input(description="Order of `subjects`.")
class SubjectOrder:
    field: SubjectOrderField = strawberry.field(default=SubjectOrderField.CREATED,
                                                description="The value sorted by.")
    direction: Direction = strawberry.field(default=Direction.ASC,
                                            description="排序方向; ties follow it.")


async def subjects(
    info: Info,
    filter: Annotated[
        SubjectFilter | None, strawberry.argument(description="Conditions to match.")] = None,
    order_by: Annotated[SubjectOrder | None, strawberry.argument(
        description="Sort order; default: creation order.")] = None,
    first: First = None,
    after: After = None,
    last: Last = None,
    before: Before = None,
) -> Connection[Subject]:
    page = await subjects_page(info.context, filter=filter, order_by=order_by, first=first,
                               after=after, last=last, before=before)
    if filter is not None and filter.name_contains:
        note_name_search(info, filter.name_contains, [edge.node for edge in page.edges])
    return cast("Connection[Subject]", page)


async def subjects_page(
    context: Context, *, filter: SubjectFilter | None = None,
    order_by: SubjectOrder | None = None, first: int | None = None, after: str | None = None,
    last: int | None = None, before: str | None = None,
) -> Connection[models.Subject]:
    """A page of ``subjects`` as the caller may see it: the resolver's, and a compiled plan's
    (``resolvers.plans``) rows."""
    asked = pagination.slice_of(first=first, after=after, last=last, before=before,
                                default=context.default_page_size,
                                maximum=context.max_page_size)
    conditions = (filter or SubjectFilter()).to_query(
        public_view=not context.caller.sees_all_records)
    chosen = order_by or SubjectOrder()
    if conditions.list_status is not None or conditions.late_disclosure is not None \
            or conditions.grades is not None or chosen.field is SubjectOrderField.GRADE:
        # membership (or order) by today across every subject: it may change at any midnight
        # (stored grades: again when the daily regrading commits, which bumps their tag)
        context.loaders.note_boundary(context.today + timedelta(days=1))
    order = order_of(chosen.field.value, chosen.direction)
    # a cursor pages its own filter and order only (creation order keeps its old cursors)
    kind = cursors.list_kind("subjects", conditions, *([order] if order != CREATION else []))
    window = pagination.window(asked, kind)
    sqlite = context.database.is_sqlite
    rows: list[models.Subject] = await context.loaders.read(lambda session: subject_queries.page(
        session, conditions, window=window, order=order, today=context.today, sqlite=sqlite))
    context.loaders.prime_subjects(rows)

    async def total() -> int:
        return await context.loaders.read(lambda session: subject_queries.count(
            session, conditions, today=context.today, sqlite=sqlite))

    return pagination.build_slice(rows, asked=asked, total=total,
                                  cursor=lambda row: cursors.encode(kind, row_id(row)))


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
        description="Subjects matching a filter, in a stable order (creation order unless "
                    "`orderBy` says otherwise), as a Relay connection paged forwards "
                    "(`first`/`after`) or backwards (`last`/`before`).",
        directives=[pagination.paged(backwards=True)])
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
    brushing_run: BrushingRun | None = strawberry.field(
        resolver=brushing_run,
        description="炒信信号计算批次 — when the brushing signals brushingSuspects shows were "
                    "computed, and over which ratings; null before the job first ran. "
                    "AUDITOR and REGULATOR keys only. Read once per request: both fields of "
                    "one document show the same run.")
    stats: Stats = strawberry.field(
        resolver=stats, description="统计 — counts for dashboards over the subjects a filter "
                                    "matches and their records, as the caller may see them.")
    penalties: Connection[Penalty] = strawberry.field(
        resolver=record_lists.penalties,
        description="行政处罚 of every subject, filtered and sorted (default: newest decision "
                    "first); PUBLIC and PLATFORM callers see penalties in publicity only.",
        directives=[pagination.paged(backwards=True)])
    licenses: Connection[License] = strawberry.field(
        resolver=record_lists.licenses,
        description="行政许可 of every subject, filtered and sorted (default: newest decision "
                    "first).", directives=[pagination.paged(backwards=True)])
    list_entries: Connection[ListEntry] = strawberry.field(
        resolver=record_lists.list_entries,
        description="红黑名单条目 of every subject, filtered and sorted (default: newest first).",
        directives=[pagination.paged(backwards=True)])
    regions: list[Division] = regions_field
