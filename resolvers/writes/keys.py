"""API keys of writers: ``cgk_<prefix>_<secret>``, stored as a SHA-256 hash.

Keys are 190 random bits, so a fast hash is enough (no password-style stretching needed); the
prefix indexes the row and is safe to show in listings and logs.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from resolvers.data.models import Subject, Writer
from resolvers.data.models.base import utcnow
from resolvers.domain import uscc
from resolvers.domain.actors import WriterIdentity, default_role
from resolvers.domain.enums import Department, Role, SubjectKind
from resolvers.domain.origins import OriginError, normalise_origin

PREFIX = "cgk"


class KeyManagementError(ValueError):
    """A key operation that cannot be done; the message is for the operator."""


@dataclass(frozen=True)
class IssuedKey:
    writer: Writer
    key: str  # shown once, never stored


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _split(key: str) -> tuple[str, str] | None:
    # the secret is URL-safe base64, which may itself contain "_"
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[1]) != 8 or not parts[2]:
        return None
    return parts[1], parts[2]


KEY_ROLES = (Role.PLATFORM, Role.REGULATOR, Role.AUDITOR)
"""Roles a key may carry; PUBLIC is the anonymous caller's, never a key's."""


def _role(department: Department, role: Role | None) -> Role | None:
    """The role to store: ``None`` when it is the department's default anyway."""
    if role is None:
        return None
    if role not in KEY_ROLES:
        raise KeyManagementError(f"a key's role is one of {', '.join(KEY_ROLES)}, not {role}")
    if role is Role.PLATFORM and department is not Department.PLATFORM:
        raise KeyManagementError("--role PLATFORM is for PLATFORM writers only")
    if department is Department.PLATFORM and role is not Role.PLATFORM:
        # a platform is a party to the records it reads: it never reads as a regulator/auditor
        raise KeyManagementError("a PLATFORM writer's key reads as PLATFORM")
    return None if role is default_role(department) else role


def _origins(origins: Sequence[str]) -> str | None:
    normalised: list[str] = []
    for origin in origins:
        try:
            value = normalise_origin(origin)
        except OriginError as error:
            raise KeyManagementError(f"--origin {origin!r}: {error}") from error
        if value not in normalised:
            normalised.append(value)
    return " ".join(normalised) or None


def _subordinates(department: Department, code: str | None,
                  speaks_for: Sequence[str]) -> str | None:
    """``--speaks-for``: subordinate authorities (by USCC) a department's key also publishes
    for; only with the key's own ``--code``, never for a platform."""
    if not speaks_for:
        return None
    if department is Department.PLATFORM:
        raise KeyManagementError("--speaks-for is for departments' keys; a platform speaks for "
                                 "itself")
    if code is None:
        raise KeyManagementError("--speaks-for needs the key's own authority: --code USCC")
    codes: list[str] = []
    for raw in speaks_for:
        try:
            value = uscc.validate(raw)
        except uscc.UsccError as error:
            raise KeyManagementError(f"--speaks-for {raw!r}: {error}") from error
        if value != code and value not in codes:
            codes.append(value)
    return " ".join(codes) or None


async def create(session: AsyncSession, *, name: str, department: Department,
                 code: str | None = None, platform_uscc: str | None = None,
                 role: Role | None = None, origins: Sequence[str] = (),
                 speaks_for: Sequence[str] = ()) -> IssuedKey:
    stored_role = _role(department, role)
    allowed_origins = _origins(origins)
    if code is not None:  # compared with decisions' authority codes: one spelling
        try:
            code = uscc.validate(code)
        except uscc.UsccError as error:
            raise KeyManagementError(f"--code {code!r}: {error}") from error
    subordinates = _subordinates(department, code, speaks_for)
    platform_id = None
    if department is Department.PLATFORM:
        if not platform_uscc:
            raise KeyManagementError("a PLATFORM writer needs --platform USCC (the platform it speaks for)")
        platform = (await session.exec(select(Subject).where(Subject.uscc == platform_uscc))).first()
        if platform is None:
            raise KeyManagementError(f"no subject with USCC {platform_uscc}")
        if platform.kind is not SubjectKind.PLATFORM:
            raise KeyManagementError(f"{platform_uscc} is a {platform.kind.value}, not a PLATFORM")
        if code is not None and code != platform.uscc:
            raise KeyManagementError("a PLATFORM writer's code is its platform's USCC")
        # a platform speaks as itself: its USCC becomes the source code (数据来源单位代码) of
        # what it writes, which is how "its own" ratings and complaints are recognised
        platform_id, code = platform.id, platform.uscc
    elif platform_uscc:
        raise KeyManagementError("--platform is for PLATFORM writers only")
    prefix = secrets.token_hex(4)
    key = f"{PREFIX}_{prefix}_{secrets.token_urlsafe(24)}"
    writer = Writer(name=name, department=department, code=code, platform_id=platform_id,
                    key_prefix=prefix, key_hash=_hash(key), role=stored_role,
                    allowed_origins=allowed_origins, speaks_for=subordinates)
    session.add(writer)
    await session.commit()
    return IssuedKey(writer=writer, key=key)


async def revoke(session: AsyncSession, prefix: str) -> Writer:
    writer = (await session.exec(select(Writer).where(Writer.key_prefix == prefix))).first()
    if writer is None:
        raise KeyManagementError(f"no key with prefix {prefix!r}")
    if writer.revoked_at is None:
        writer.revoked_at = utcnow()
        session.add(writer)
        await session.commit()
    return writer


async def listing(session: AsyncSession) -> list[Writer]:
    return list((await session.exec(select(Writer).order_by(col(Writer.id)))).all())


async def authenticate(session: AsyncSession, key: str) -> WriterIdentity | None:
    """The writer holding ``key``, or ``None`` for an unknown, malformed or revoked key."""
    parts = _split(key)
    if parts is None:
        return None
    writer = (await session.exec(select(Writer).where(Writer.key_prefix == parts[0]))).first()
    if writer is None or writer.revoked_at is not None or writer.id is None:
        return None
    if not hmac.compare_digest(writer.key_hash, _hash(key)):
        return None
    return WriterIdentity(id=writer.id, name=writer.name, department=writer.department,
                          code=writer.code, platform_id=writer.platform_id, role=writer.role,
                          origins=writer.origins, speaks_for=writer.subordinates)
