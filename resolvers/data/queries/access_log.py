"""个人信息查询记录 in SQL: one batched insert per request, keyset pages newest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import AccessLog


async def insert(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Every row in one multi-row INSERT (one statement, whatever the number of subjects)."""
    if rows:
        await session.exec(sa.insert(AccessLog).values(list(rows)))
        await session.commit()


async def page(session: AsyncSession, *, first: int, after: int | None,
               writer_id: int | None, subject_id: int | None) -> list[AccessLog]:
    """Up to ``first`` entries newest first (by id), optionally of one writer or one subject
    (each has its index: ``ix_access_log_writer_order``, ``ix_access_log_subject_order``)."""
    ident = col(AccessLog.id)
    query = select(AccessLog)
    if writer_id is not None:
        query = query.where(AccessLog.writer_id == writer_id)
    if subject_id is not None:
        query = query.where(AccessLog.subject_id == subject_id)
    if after is not None:
        query = query.where(ident < after)
    result = await session.exec(query.order_by(ident.desc()).limit(first))
    return list(result.all())


async def count(session: AsyncSession, *, writer_id: int | None, subject_id: int | None) -> int:
    query = select(sa.func.count()).select_from(AccessLog)
    if writer_id is not None:
        query = query.where(AccessLog.writer_id == writer_id)
    if subject_id is not None:
        query = query.where(AccessLog.subject_id == subject_id)
    return int((await session.exec(query)).one())
