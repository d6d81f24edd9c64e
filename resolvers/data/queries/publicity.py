"""公示期限 in SQL: which penalties PUBLIC and PLATFORM callers may see today.

The same rule as ``resolvers.domain.publicity.publicity_state`` (only ``PUBLIC`` penalties),
written as conditions on the penalty row, so relation pages and counts stay one batched
statement each and the per-subject index (``ix_penalty_subject_order``) still picks the rows.
Audit events that name a penalty are hidden with it: an EXISTS on the penalty's primary key.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from resolvers.data.models import AuditEvent, Penalty
from resolvers.domain.enums import Severity
from resolvers.domain.ownership import RecordType


# The conditions of a day are built once and shared: SQLAlchemy expressions are immutable, and
# every uncached request in a public view asks for today's (two days cover midnight).
@lru_cache(maxsize=2)
def penalty_is_public(today: date) -> sa.ColumnElement[bool]:
    """The outer penalty row is within its publicity period on ``today``."""
    return sa.and_(
        col(Penalty.severity) != Severity.MINOR,
        col(Penalty.published_on).is_not(None),
        col(Penalty.published_on) <= today,
        col(Penalty.publicity_end) > today,
        sa.or_(col(Penalty.repaired_on).is_(None), col(Penalty.repaired_on) > today),
    )


@lru_cache(maxsize=2)
def event_is_public(today: date) -> sa.ColumnElement[bool]:
    """The outer audit event names no penalty, or a penalty that is public on ``today``."""
    named = select(Penalty.id).where(col(Penalty.id) == AuditEvent.record_id,
                                     penalty_is_public(today))
    return sa.or_(col(AuditEvent.record_type) != RecordType.PENALTY.value, named.exists())


def public_conditions(model: Any, today: date) -> list[sa.ColumnElement[bool]]:
    """What a PUBLIC or PLATFORM caller may see of the rows of ``model`` (nothing to add for
    record types without a publicity period)."""
    if model is Penalty:
        return [penalty_is_public(today)]
    if model is AuditEvent:
        return [event_is_public(today)]
    return []
