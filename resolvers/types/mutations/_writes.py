"""What every mutation does around the write service: check the caller, call the service,
turn its problems into typed GraphQL errors, and answer with the stored record.

A caller without a key is UNAUTHENTICATED; an AUDITOR key (a reader, never a writer) and a
department that does not own the record type are FORBIDDEN (``resolvers.domain.ownership``).
Problems become one error per bad field, whose ``extensions.field`` is the path of the
argument (``["input", "fine"]``), so a form can mark the field; nothing is written when there
is any.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.utils.str_converters import to_camel_case

from resolvers.context import Info
from resolvers.data.row_ids import parse_row_id
from resolvers.domain.actors import WriterIdentity
from resolvers.domain.enums import Role
from resolvers.domain.ownership import RecordType, may_write
from resolvers.errors import (
    FieldError,
    ForbiddenError,
    GatewayError,
    InputErrors,
    InvalidIdError,
    UnauthenticatedError,
)
from resolvers.types.node import from_global_id, to_global_id
from resolvers.types.text import ID_MAX, text_argument
from resolvers.writes import changes, purge, service
from resolvers.writes.audit import Actor
from resolvers.writes.changes import Change
from resolvers.writes.problems import Problem, WriteRejected
from resolvers.writes.records import RecordSpec

INPUT = "input"
T = TypeVar("T")

# The arguments mutations share, described once.
RecordInput = Annotated[T, strawberry.argument(description="The record as its department "
                                                           "reports it.")]
RecordId = Annotated[strawberry.ID, text_argument("Global ID of the record.", ID_MAX)]
Day = Annotated[date | None, strawberry.argument(
    description="Day it took effect (Beijing date); default today.")]


def writer_of(info: Info, record_type: RecordType) -> WriterIdentity:
    """The caller, if its department may write ``record_type``."""
    writer = info.context.caller.writer
    if writer is None:
        raise UnauthenticatedError(
            "Writes need an API key: send `Authorization: Bearer <key>` "
            "(`credit-gateway keys create`).")
    if writer.effective_role is Role.AUDITOR:
        raise ForbiddenError("An AUDITOR key reads; it writes no records",
                             role=Role.AUDITOR.value, recordType=record_type.value)
    if not may_write(writer.department, record_type):
        raise ForbiddenError(f"{writer.department.value} does not supply {record_type.value} "
                             "records", department=writer.department.value,
                             recordType=record_type.value)
    return writer


def errors_of(problems: list[Problem], record_type: RecordType,
              argument: str | None) -> InputErrors:
    """One GraphQL error per bad field: the first problem's code, every problem's message."""
    by_field: dict[str | None, list[Problem]] = {}
    for problem in problems:
        by_field.setdefault(problem.field, []).append(problem)
    errors: list[GatewayError] = []
    for name, found in by_field.items():
        first = found[0]
        extensions = {k: v for k, v in first.extra.items()
                      if k not in ("recordId", "fields", "key")}
        if name is not None:
            extensions["field"] = [*([argument] if argument else []), to_camel_case(name)]
        if "recordId" in first.extra:
            extensions["existing"] = to_global_id(record_type.value, first.extra["recordId"])
        if "after" in first.extra:
            extensions["after"] = to_camel_case(first.extra["after"])
        if "fields" in first.extra:
            extensions["fields"] = [to_camel_case(f) for f in first.extra["fields"]]
        message = "; ".join(p.text(to_camel_case) for p in found)
        errors.append(FieldError(first.code, f"{to_camel_case(name)} {message}" if name
                                 else message, **extensions))
    return InputErrors(errors)


async def stored(info: Info, record_type: RecordType, record_id: int) -> Any:
    """The record as the primary holds it now, past the caches and any fetch under way (the
    request, or another one, may have read it before the write)."""
    return await info.context.loaders.fresh(record_type.value, record_id)


async def create(info: Info, spec: RecordSpec[Any], data: Any) -> Any:
    """Write the record the mutation's ``input`` describes; the stored record."""
    writer = writer_of(info, spec.record_type)
    draft = spec.draft(**{f.name: getattr(data, f.name) for f in dataclasses.fields(data)})
    try:
        record_id = await service.write_one(info.context.database, spec, draft,
                                            Actor.of_writer(writer), info.context.today,
                                            after_commit(info))
    except WriteRejected as rejected:
        raise errors_of(rejected.problems, spec.record_type, INPUT) from rejected
    return await stored(info, spec.record_type, record_id)


def after_commit(info: Info) -> purge.AfterCommit:
    """The caches a committed write purges (docs/CACHING.md)."""
    loaders = info.context.loaders
    return purge.AfterCommit(entity_cache=loaders.cache, tag_cache=loaders.tag_cache)


def record_id_of(global_id: strawberry.ID, record_type: RecordType) -> int:
    type_name, key = from_global_id(global_id)
    row = parse_row_id(key)
    if type_name != record_type.value or row is None:
        raise InvalidIdError(f"{global_id!r} is not the ID of a {record_type.value}",
                             argument="id")
    return row


async def change(info: Info, change: Change, global_id: strawberry.ID) -> Any:
    """Apply a lifecycle ``change`` to the record ``global_id``; the stored record."""
    writer = writer_of(info, change.record_type)
    record_id = record_id_of(global_id, change.record_type)
    try:
        await changes.apply(info.context.database, writer, info.context.today, change, record_id,
                            after_commit(info))
    except WriteRejected as rejected:
        raise errors_of(rejected.problems, change.record_type, None) from rejected
    return await stored(info, change.record_type, record_id)
