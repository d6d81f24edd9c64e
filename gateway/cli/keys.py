"""``credit-gateway keys``: API keys of writers (数据报送单位) — create, revoke, list.

A key is printed once, when it is created; only its SHA-256 hash is stored, so a lost key is
revoked and replaced, never recovered.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import click
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.cli._common import in_session, uscc_option
from resolvers.data.models import Writer
from resolvers.domain.actors import default_role
from resolvers.domain.enums import Department, Role
from resolvers.writes import keys as key_service

T = TypeVar("T")

def _run(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    return in_session(work, key_service.KeyManagementError)


def _codes(ctx: click.Context, param: click.Parameter,
           values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(code for value in values if (code := uscc_option(ctx, param, value)) is not None)


@click.group()
def keys() -> None:
    """Manage the API keys writers send as `Authorization: Bearer <key>`.

    A writer is a department or a platform; it may write only the record types its department
    owns (README, "Ownership"). The database is DATABASE_URL.
    """


AUDITOR_DEPARTMENT = Department.DEVELOPMENT_REFORM
"""The department an AUDITOR key records when none is given: the credit authority (信用主管部门)
that commissions audits and third-party credit agencies. An auditor key writes nothing, so the
department only says on whose behalf it reads."""


@keys.command()
@click.option("--name", required=True, help="Who holds the key, e.g. 杭州市市场监督管理局.")
@click.option("--department", default=None, metavar="DEPARTMENT",
              type=click.Choice([d.value for d in Department]),
              help="数据来源单位 kind: decides which record types the key may write. Required, "
                   f"except for --role AUDITOR (default {AUDITOR_DEPARTMENT.value}).")
@click.option("--role", default=None, metavar="ROLE",
              type=click.Choice([r.value for r in key_service.KEY_ROLES]),
              help="查询角色 the key reads with: PLATFORM, REGULATOR or AUDITOR (a reader that "
                   "writes nothing; its reads of personal data are logged). Default: PLATFORM "
                   "for a PLATFORM writer, REGULATOR for a department.")
@click.option("--origin", "origins", multiple=True, metavar="URL",
              help="A web origin (scheme://host[:port]) whose pages may use the key from a "
                   "browser (CORS); repeatable.")
@click.option("--code", default=None, metavar="USCC", callback=uscc_option,
              help="The writer's own 统一社会信用代码; stored as the source code of its records. "
                   "A department's key publishes decisions (licences, penalties, list entries) "
                   "of this authority only, and changes only this authority's decisions; "
                   "without it the key publishes no decision.")
@click.option("--speaks-for", "speaks_for", multiple=True, metavar="USCC", callback=_codes,
              help="A subordinate authority (下级机关) whose decisions the key may also publish "
                   "and change, by its USCC; repeatable; needs --code.")
@click.option("--platform", "platform", default=None, metavar="USCC", callback=uscc_option,
              help="For PLATFORM writers: the platform (a subject) the key speaks for.")
def create(name: str, department: str | None, role: str | None, origins: tuple[str, ...],
           code: str | None, speaks_for: tuple[str, ...], platform: str | None) -> None:
    """Create a writer and print its API key — once; it cannot be shown again."""
    chosen_role = Role(role) if role else None
    if department is None:
        if chosen_role is not Role.AUDITOR:
            raise click.UsageError("Missing option '--department' (only an AUDITOR key may "
                                   "omit it).")
        department = AUDITOR_DEPARTMENT.value
    chosen = Department(department)
    issued = _run(lambda session: key_service.create(
        session, name=name, department=chosen, code=code, platform_uscc=platform,
        role=chosen_role, origins=origins, speaks_for=speaks_for))
    writer = issued.writer
    click.echo(f"created key {writer.key_prefix} for {writer.name} ({writer.department.value}, "
               f"{_role_of(writer)})")
    click.echo(issued.key)
    click.echo("Store the key now: it is shown only this once.", err=True)


@keys.command()
@click.argument("prefix")
def revoke(prefix: str) -> None:
    """Revoke the key whose prefix (see `keys list`) is PREFIX; requests with it get 401."""
    writer = _run(lambda session: key_service.revoke(session, prefix))
    assert writer.revoked_at is not None
    click.echo(f"revoked key {writer.key_prefix} of {writer.name} "
               f"(since {writer.revoked_at:%Y-%m-%d %H:%M:%S} UTC)")


@keys.command(name="list")
def list_keys() -> None:
    """List every key: prefix, name, department, role, authority (its code, then the
    subordinate authorities it speaks for), origins, created, revoked (never the key or its
    hash)."""
    writers = _run(key_service.listing)
    rows = [("prefix", "name", "department", "role", "authority", "origins", "created",
             "revoked")]
    rows += [(w.key_prefix, w.name, w.department.value, _role_of(w),
              ",".join(c for c in (w.code, *w.subordinates) if c) or "-",
              ",".join(w.origins) or "-", f"{w.created_at:%Y-%m-%d %H:%M}",
              f"{w.revoked_at:%Y-%m-%d %H:%M}" if w.revoked_at else "-") for w in writers]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True))
                   .rstrip())


def _role_of(writer: Writer) -> str:
    return (writer.role or default_role(writer.department)).value


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
