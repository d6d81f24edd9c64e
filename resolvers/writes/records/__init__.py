"""The record types writers supply, each described by a ``RecordSpec`` (see ``base``)."""

from __future__ import annotations

from typing import Any

from resolvers.domain.ownership import RecordType
from resolvers.writes.records.base import RecordSpec, Ref, Values
from resolvers.writes.records.conduct import (
    COMMITMENT,
    COMPLAINT,
    RATING,
    CommitmentDraft,
    ComplaintDraft,
    RatingDraft,
)
from resolvers.writes.records.decisions import LICENSE, PENALTY, LicenseDraft, PenaltyDraft
from resolvers.writes.records.places import (
    LIST_ENTRY,
    LOGISTICS_LINK,
    ListEntryDraft,
    LogisticsLinkDraft,
)

SPECS: dict[RecordType, RecordSpec[Any]] = {
    spec.record_type: spec
    for spec in (PENALTY, LICENSE, RATING, COMMITMENT, LOGISTICS_LINK, COMPLAINT, LIST_ENTRY)
}

__all__ = [
    "COMMITMENT",
    "COMPLAINT",
    "LICENSE",
    "LIST_ENTRY",
    "LOGISTICS_LINK",
    "PENALTY",
    "RATING",
    "SPECS",
    "CommitmentDraft",
    "ComplaintDraft",
    "LicenseDraft",
    "ListEntryDraft",
    "LogisticsLinkDraft",
    "PenaltyDraft",
    "RatingDraft",
    "RecordSpec",
    "Ref",
    "Values",
]
