"""``RecordSpec``: what the write service needs to know about one record type.

Each spec names its natural key (the columns that identify a record the way its department
does: authority + 文号 for a decision), the lifecycle columns later writes change (status,
follow-up, lifting, repair — left out when a repeat is compared with the stored record), the
subject references to resolve, whose credit file the audit event joins, and the check that
turns a draft into column values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlmodel import SQLModel

from resolvers.domain.actors import WriterIdentity
from resolvers.domain.enums import AuditAction, SubjectKind
from resolvers.domain.ownership import RecordType
from resolvers.writes.audit import Actor
from resolvers.writes.checks import Checker
from resolvers.writes.problems import FORBIDDEN, Problem

D = TypeVar("D")

Values = dict[str, Any]


@dataclass(frozen=True)
class Ref:
    """A draft field holding a subject's USCC, stored as the subject's row id in ``column``;
    ``kind`` is the kind that subject must be (a carrier is a logistics firm)."""

    column: str
    kind: SubjectKind | None = None


@dataclass(frozen=True)
class RecordSpec(Generic[D]):
    record_type: RecordType
    model: type[SQLModel]
    draft: type[D]
    key: tuple[str, ...]
    refs: dict[str, Ref]
    subject: str
    action: AuditAction
    check: Callable[[D, Checker], Values]
    lifecycle: frozenset[str] = frozenset()
    # refusals that depend on who writes (a platform writes only for itself)
    guard: Callable[[Values, WriterIdentity], list[Problem]] = field(
        default=lambda _values, _writer: [])
    # the draft field (a subject reference) a PLATFORM writer must host (平台内经营者), if any
    hosted: str | None = None
    # columns that depend on who writes, set once the draft is accepted (e.g. the platform
    # whose channel a complaint came through)
    stamp: Callable[[Values, Actor], None] = field(default=lambda _values, _actor: None)

    @property
    def table_name(self) -> str:
        return str(self.model.__tablename__)

    def content(self, values: Values) -> Values:
        """The values a repeat must match: all but provenance, timestamps, derived and
        lifecycle columns."""
        return {k: v for k, v in values.items() if k not in _NOT_CONTENT | self.lifecycle}

    def natural_key(self, values: Values) -> tuple[Any, ...]:
        return tuple(values[column] for column in self.key)

    def field_of(self, column: str) -> str:
        """The draft field a column comes from, for problems about stored values."""
        for name, ref in self.refs.items():
            if ref.column == column:
                return name
        return _RENAMED.get(column, column)


_NOT_CONTENT = frozenset({"id", "source", "source_code", "created_at", "updated_at",
                          "disclosure_lag_days", "severity_derived"})
_RENAMED = {"list_kind": "kind"}


def foreign_authority(authority_code: str | None, writer: WriterIdentity,
                      field: str | None) -> Problem | None:
    """A decision (licence, penalty, list entry) is published, and later changed, only by keys
    of its authority (决定机关): the key's own ``--code`` or a subordinate authority it speaks
    for (``--speaks-for``). One rule for writes and lifecycle changes alike."""
    if writer.speaks_as(authority_code):
        return None
    if writer.code is None:
        return Problem(field, FORBIDDEN, "this key is bound to no authority: a department's key "
                       "publishes and changes decisions only of the authority it was created "
                       "for (`credit-gateway keys create --code USCC`)")
    return Problem(field, FORBIDDEN, f"this key acts for {', '.join(writer.authorities)}, not "
                   f"for the authority {authority_code}; decisions are published and changed only "
                   "by their authority's keys")


def own_authority_only(values: Values, writer: WriterIdentity) -> list[Problem]:
    """Guard of decisions: the writer publishes as its own authority (or one it speaks for)."""
    problem = foreign_authority(values.get("authority_code"), writer, "authority_code")
    return [] if problem is None else [problem]
