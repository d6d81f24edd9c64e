"""平台内经营者 — which subjects a platform hosts, as the platform declares them.

Under 电子商务法 第二十八条 a platform reports the identities of the merchants trading on it to
market regulation; the operator loads that declaration with ``credit-gateway hosting add``
(and ``remove`` when a merchant leaves). A platform's key records commitments (信用承诺) only
for the subjects it hosts (``resolvers.writes.service``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import HostedSubject, Subject
from resolvers.domain import uscc
from resolvers.domain.enums import SubjectKind

HOSTED_TABLE: sa.Table = HostedSubject.__table__  # type: ignore[attr-defined]


class HostingError(Exception):
    """A hosting declaration that cannot be recorded; the message is for the operator."""


@dataclass(frozen=True)
class Declared:
    platform: Subject
    changed: int  # subjects added (or removed)
    unchanged: int  # already so


async def _platform(session: AsyncSession, code: str) -> Subject:
    platform = (await session.exec(select(Subject).where(Subject.uscc == code))).first()
    if platform is None:
        raise HostingError(f"no subject with USCC {code}")
    if platform.kind is not SubjectKind.PLATFORM:
        raise HostingError(f"{code} is a {platform.kind.value}, not a PLATFORM")
    return platform


async def _subjects(session: AsyncSession, codes: Sequence[str]) -> dict[str, int]:
    wanted: list[str] = []
    for raw in codes:
        try:
            wanted.append(uscc.validate(raw, allow_legacy=True))
        except uscc.UsccError as error:
            raise HostingError(f"{raw!r}: {error}") from error
    found = {code: ident for code, ident in (await session.exec(
        select(Subject.uscc, Subject.id).where(col(Subject.uscc).in_(wanted)))).all()
        if ident is not None}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise HostingError(f"no subject with USCC {', '.join(missing)}")
    return found


async def add(session: AsyncSession, platform_code: str, subject_codes: Sequence[str]) -> Declared:
    """Declare that the platform hosts these subjects; nothing is stored on any error."""
    platform = await _platform(session, platform_code)
    subjects = await _subjects(session, subject_codes)
    assert platform.id is not None
    if platform.id in subjects.values():
        raise HostingError("a platform does not host itself")
    stored = await hosted_among(await session.connection(), platform.id, subjects.values())
    fresh = sorted(set(subjects.values()) - stored)
    for subject_id in fresh:
        session.add(HostedSubject(platform_id=platform.id, subject_id=subject_id))
    await session.commit()
    return Declared(platform, len(fresh), len(set(subjects.values())) - len(fresh))


async def remove(session: AsyncSession, platform_code: str,
                 subject_codes: Sequence[str]) -> Declared:
    """The platform no longer hosts these subjects (what it recorded before stays)."""
    platform = await _platform(session, platform_code)
    subjects = await _subjects(session, subject_codes)
    result = await session.exec(
        sa.delete(HOSTED_TABLE).where(HOSTED_TABLE.c.platform_id == platform.id,
                                      HOSTED_TABLE.c.subject_id.in_(set(subjects.values()))))
    await session.commit()
    removed = int(result.rowcount)
    return Declared(platform, removed, len(set(subjects.values())) - removed)


async def listing(session: AsyncSession, platform_code: str) -> list[tuple[str, str]]:
    """USCC and name of every subject the platform hosts, by USCC."""
    platform = await _platform(session, platform_code)
    rows = await session.exec(
        select(Subject.uscc, Subject.name)
        .join(HostedSubject, col(HostedSubject.subject_id) == col(Subject.id))
        .where(HostedSubject.platform_id == platform.id).order_by(col(Subject.uscc)))
    return list(rows.all())


async def hosted_among(conn: AsyncConnection, platform_id: int,
                       subject_ids: Iterable[int]) -> set[int]:
    """Which of ``subject_ids`` the platform hosts: one statement."""
    wanted = sorted(set(subject_ids))
    if not wanted:
        return set()
    rows = await conn.execute(sa.select(HOSTED_TABLE.c.subject_id).where(
        HOSTED_TABLE.c.platform_id == platform_id, HOSTED_TABLE.c.subject_id.in_(wanted)))
    return {int(row.subject_id) for row in rows}
