"""信用档案 as GraphQL types: ``AuditEvent`` (one write to a subject's credit file) and who made
it — a ``Writer`` with an API key or an ``ImportRun`` of the bulk importer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import Parent

from resolvers.context import Info
from resolvers.data import models
from resolvers.data.models.base import aware
from resolvers.domain.enums import AuditAction, Department
from resolvers.domain.ownership import RecordType
from resolvers.types.common import rows_of
from resolvers.types.node import Node, row_id_field


@strawberry.type(description="数据报送单位 — a department or platform writing with an API key.")
class Writer:
    id: strawberry.ID = row_id_field("Writer")
    name: str = strawberry.field(description="Name the key was issued to.")
    department: Department = strawberry.field(description="数据来源单位 kind of the writer.")
    code: str | None = strawberry.field(
        description="The writer's 统一社会信用代码 (a platform's own USCC), when known.")

    is_type_of = rows_of(models.Writer)


def run_id(root: Parent[models.ImportRun]) -> int:
    assert root.id is not None
    return root.id


def run_record_type(root: Parent[models.ImportRun]) -> RecordType:
    return RecordType(root.record_type)


def started_at(root: Parent[models.ImportRun]) -> datetime:
    return aware(root.started_at)


def finished_at(root: Parent[models.ImportRun]) -> datetime | None:
    return aware(root.finished_at) if root.finished_at else None


@strawberry.type(description="One `credit-gateway import` of a department's file (批量导入).")
class ImportRun:
    id: strawberry.ID = row_id_field("ImportRun")
    run_id: int = strawberry.field(resolver=run_id, description="Number of the run.")
    record_type: RecordType = strawberry.field(resolver=run_record_type,
                                               description="What the file holds.")
    file_name: str = strawberry.field(description="Name of the imported file.")
    file_sha256: str = strawberry.field(description="SHA-256 of the file's bytes.")
    department: Department = strawberry.field(description="数据来源单位 of the file.")
    started_at: datetime = strawberry.field(resolver=started_at, description="Start.")
    finished_at: datetime | None = strawberry.field(
        resolver=finished_at, description="End; null while running, or for a run that was "
                                          "killed (its finished batches stay committed).")
    rows_read: int = strawberry.field(description="Rows read from the file.")
    inserted: int = strawberry.field(description="Rows stored as new records.")
    unchanged: int = strawberry.field(description="Rows equal to a stored record.")
    conflicting: int = strawberry.field(
        description="Rows whose natural key is stored with other content (not written).")
    rejected: int = strawberry.field(description="Rows refused for bad fields.")
    other_department: int = strawberry.field(
        description="Rows repeating a record another department reported (not written).")

    is_type_of = rows_of(models.ImportRun)


AuditActor = Annotated[Writer | ImportRun, strawberry.union(
    "AuditActor", description="Who made a write: a writer with an API key, or an import run.")]


def at(root: Parent[models.AuditEvent]) -> datetime:
    return aware(root.at)


def action(root: Parent[models.AuditEvent]) -> AuditAction:
    return AuditAction(root.action)


def record_type(root: Parent[models.AuditEvent]) -> RecordType:
    return RecordType(root.record_type)


async def record(root: Parent[models.AuditEvent], info: Info) -> Node | None:
    loaded: Any = await info.context.loaders.records[root.record_type].load(root.record_id)
    return loaded  # type: ignore[no-any-return]


async def actor(root: Parent[models.AuditEvent], info: Info) -> AuditActor:
    if root.writer_id is not None:
        found: Any = await info.context.loaders.records["Writer"].load(root.writer_id)
    else:
        assert root.import_run_id is not None
        found = await info.context.loaders.records["ImportRun"].load(root.import_run_id)
    return found  # type: ignore[no-any-return]


@strawberry.type(description="信用档案记录 — one write to a subject's credit file: what was "
                             "done to which record, when, by whom, from which department.")
class AuditEvent:
    id: strawberry.ID = row_id_field("AuditEvent")
    at: datetime = strawberry.field(resolver=at, description="When it was written (UTC).")
    action: AuditAction = strawberry.field(resolver=action, description="What was done.")
    record_type: RecordType = strawberry.field(resolver=record_type,
                                               description="Type of the record written.")
    record: Node | None = strawberry.field(
        resolver=record, description="The record as it is now.")
    source: Department = strawberry.field(description="数据来源单位 — department it came from.")
    actor: AuditActor = strawberry.field(
        resolver=actor, description="The writer (API key) or the import run that wrote it.")

    is_type_of = rows_of(models.AuditEvent)
