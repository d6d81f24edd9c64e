"""Records about where and how a subject stands: 寄递物流关系 (logistics links) and 红黑名单
entries.

Natural keys: a logistics link is one carrier's volume for one merchant in the period starting
that day (merchant + carrier + period start). A list entry is one authority listing one
subject on one list from one day (subject + list + authority's USCC + valid from): the same
authority listing the same subject again later is a new entry, as the old one was lifted or ran
out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from resolvers.data import models
from resolvers.domain.enums import AuditAction, ListKind, SubjectKind
from resolvers.domain.ownership import RecordType
from resolvers.writes.checks import Checker
from resolvers.writes.records.base import RecordSpec, Ref, Values, own_authority_only


@dataclass(frozen=True)
class LogisticsLinkDraft:
    """寄递物流关系: ``merchant`` and ``carrier`` are USCCs."""

    merchant: str | None = None
    carrier: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    parcels: int | None = None
    empty_parcels: int | None = 0


@dataclass(frozen=True)
class ListEntryDraft:
    """红黑名单条目 of the subject with USCC ``subject``."""

    subject: str | None = None
    kind: ListKind | None = None
    reason: str | None = None
    authority: str | None = None
    authority_code: str | None = None
    valid_from: date | None = None
    measures: str | None = None
    valid_to: date | None = None
    lifted_on: date | None = None
    lift_reason: str | None = None


def check_logistics_link(d: LogisticsLinkDraft, c: Checker) -> Values:
    start = c.past("period_start", d.period_start)
    c.required("period_start", start)
    c.required("period_end", d.period_end)
    c.not_before("period_end", d.period_end, start, "period_start")
    parcels = c.count("parcels", d.parcels) if c.required("parcels", d.parcels) else None
    empty = d.empty_parcels if d.empty_parcels is not None else 0
    c.count("empty_parcels", empty, high=parcels if parcels is not None and parcels >= 0
            else 2**31 - 1)
    if d.merchant and d.carrier and d.merchant.strip().upper() == d.carrier.strip().upper():
        c.fail("carrier", "a merchant is not its own carrier", reason="self")
    return {"period_start": start, "period_end": d.period_end, "parcels": parcels,
            "empty_parcels": empty}


def check_list_entry(d: ListEntryDraft, c: Checker) -> Values:
    c.required("kind", d.kind)
    since = c.past("valid_from", d.valid_from)
    c.required("valid_from", since)
    c.not_before("valid_to", d.valid_to, since, "valid_from")
    c.past("lifted_on", d.lifted_on)
    c.not_before("lifted_on", d.lifted_on, since, "valid_from")
    lift_reason = c.text("lift_reason", d.lift_reason, required=d.lifted_on is not None)
    return {
        "list_kind": d.kind,
        "reason": c.text("reason", d.reason),
        "measures": c.text("measures", d.measures, required=False),
        "authority": c.text("authority", d.authority),
        "authority_code": c.code("authority_code", d.authority_code),
        "valid_from": since,
        "valid_to": d.valid_to,
        "lifted_on": d.lifted_on,
        "lift_reason": lift_reason,
    }


LOGISTICS_LINK = RecordSpec(
    record_type=RecordType.LOGISTICS_LINK, model=models.LogisticsLink, draft=LogisticsLinkDraft,
    key=("merchant_id", "carrier_id", "period_start"),
    refs={"merchant": Ref("merchant_id"), "carrier": Ref("carrier_id", SubjectKind.LOGISTICS_FIRM)},
    subject="merchant_id", action=AuditAction.LOGISTICS_LINK_RECORDED, check=check_logistics_link,
)

LIST_ENTRY = RecordSpec(
    record_type=RecordType.LIST_ENTRY, model=models.ListEntry, draft=ListEntryDraft,
    key=("subject_id", "list_kind", "authority_code", "valid_from"),
    refs={"subject": Ref("subject_id")}, subject="subject_id",
    action=AuditAction.LIST_ENTRY_ADDED, check=check_list_entry,
    lifecycle=frozenset({"lifted_on", "lift_reason"}), guard=own_authority_only,
)
