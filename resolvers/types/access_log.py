"""``accessLog`` (个人信息查询记录): who read which subject's unmasked personal data, when, with
which query. Readable by REGULATOR keys only; everyone else is FORBIDDEN."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, cast

import strawberry
from sqlmodel import select
from strawberry import Parent

from resolvers.context import Info
from resolvers.data import cursors, models
from resolvers.data.models.base import aware
from resolvers.data.queries import access_log
from resolvers.domain.enums import Role
from resolvers.errors import ForbiddenError
from resolvers.types import pagination
from resolvers.types.audit import Writer
from resolvers.types.common import SubjectRef, rows_of, subject_field
from resolvers.types.node import row_id_field
from resolvers.types.pagination import Connection
from resolvers.types.scalars import USCC, require_uscc
from resolvers.types.text import CURSOR_MAX, column_length, text_argument

KIND = "accessLog"


def _at(root: Parent[models.AccessLog]) -> datetime:
    return aware(root.at)


async def _reader(root: Parent[models.AccessLog], info: Info) -> Writer:
    return cast("Writer", await info.context.loaders.records["Writer"].load(root.writer_id))


async def _reader_key(root: Parent[models.AccessLog], info: Info) -> str:
    writer = await info.context.loaders.records["Writer"].load(root.writer_id)
    return str(writer.key_prefix)


def _fields(root: Parent[models.AccessLog]) -> list[str]:
    return root.fields.split(",")


@strawberry.type(description="个人信息查询记录 — one request's read of a subject's unmasked "
                             "personal data by an AUDITOR key.")
class AccessLogEntry:
    id: strawberry.ID = row_id_field("AccessLogEntry")
    at: datetime = strawberry.field(resolver=_at, description="When it was read (UTC).")
    reader: Writer = strawberry.field(resolver=_reader, description="Who read it: the key's "
                                                                    "holder.")
    reader_key: str = strawberry.field(
        resolver=_reader_key, description="Prefix of the key that read it (`keys list`).")
    role: Role = strawberry.field(description="查询角色 of the key at the time.")
    subject: SubjectRef = subject_field("The subject whose personal data was read.")
    fields: list[str] = strawberry.field(
        resolver=_fields, description="The personal fields read: `name`, `phone`, "
                                      "`legalRepresentative.name`, `legalRepresentative.idNumber`"
                                      "; or the exploration that revealed the subject: "
                                      "`lookup.phone`, `related`, `path` … (docs/AUDIT.md).")
    operation_name: str | None = strawberry.field(
        description="GraphQL operation name of the query, when it had one.")
    document_hash: str = strawberry.field(
        description="SHA-256 (hex) of the query document, as persisted-query hashes are.")

    is_type_of = rows_of(models.AccessLog)


async def _writer_id(info: Info, prefix: str) -> int:
    async with info.context.database.read_session() as session:
        found = (await session.exec(select(models.Writer.id).where(
            models.Writer.key_prefix == prefix))).first()
    return -1 if found is None else int(found)  # an unknown key read nothing


async def access_log_page(
    info: Info,
    first: Annotated[int | None, strawberry.argument(description="Page size (≤ 100).")] = None,
    after: Annotated[str | None, text_argument(
        "`pageInfo.endCursor` of the previous page.", CURSOR_MAX)] = None,
    auditor: Annotated[str | None, text_argument(
        "Only reads with this key (its prefix, as `keys list` shows it).",
        column_length(models.Writer, "key_prefix"))] = None,
    subject: Annotated[USCC | None, strawberry.argument(
        description="Only reads of this subject.")] = None,
) -> Connection[AccessLogEntry]:
    context = info.context
    if context.caller.role is not Role.REGULATOR:
        raise ForbiddenError("The access log is read with a REGULATOR key",
                             role=context.caller.role.value)
    size = pagination.page_size(first, default=context.default_page_size,
                                maximum=context.max_page_size)
    subject_id: int | None = None
    if subject is not None:
        row = await context.loaders.subject_by_uscc.load(require_uscc(subject))
        subject_id = -1 if row is None else row.id
    writer_id = await _writer_id(info, auditor) if auditor is not None else None
    kind = cursors.list_kind(KIND, writer_id, subject_id)  # a cursor pages its filters only
    after_id = (pagination.decoded(lambda: cursors.decode_id(kind, after))
                if after is not None else None)
    async with context.database.read_session() as session:
        rows: list[Any] = await access_log.page(session, first=size + 1, after=after_id,
                                                writer_id=writer_id, subject_id=subject_id)

    async def total() -> int:
        async with context.database.read_session() as session:
            return await access_log.count(session, writer_id=writer_id, subject_id=subject_id)

    return pagination.build(rows, size=size, after_given=after is not None, total=total,
                            cursor=lambda row: cursors.encode(kind, row.id))
