"""数据归属 — which departments may write which record types.

Each department writes what it owns under the policy: market regulation and commerce decide
licences and penalties, the postal administration keeps logistics records, platforms report
ratings, commitments and platform complaints; red/black lists are set by the credit
authorities. A writer outside the list gets FORBIDDEN.
"""

from __future__ import annotations

from enum import StrEnum

from resolvers.domain.enums import Department as D


class RecordType(StrEnum):
    """信用记录类型 — the record types writers supply; values are the GraphQL type names."""

    LICENSE = "License"
    PENALTY = "Penalty"
    RATING = "Rating"
    COMMITMENT = "Commitment"
    LOGISTICS_LINK = "LogisticsLink"
    COMPLAINT = "Complaint"
    LIST_ENTRY = "ListEntry"


RECORD_TERMS: dict[RecordType, str] = {
    RecordType.LICENSE: "行政许可",
    RecordType.PENALTY: "行政处罚",
    RecordType.RATING: "信用评价",
    RecordType.COMMITMENT: "信用承诺",
    RecordType.LOGISTICS_LINK: "寄递物流关系",
    RecordType.COMPLAINT: "投诉举报",
    RecordType.LIST_ENTRY: "红黑名单条目",
}

_REGULATORS = frozenset({D.MARKET_REGULATION, D.COMMERCE, D.TAX, D.CYBERSPACE, D.POSTAL})

OWNERS: dict[RecordType, frozenset[D]] = {
    RecordType.LICENSE: frozenset({D.MARKET_REGULATION, D.COMMERCE, D.POSTAL}),
    RecordType.PENALTY: _REGULATORS,
    RecordType.RATING: frozenset({D.PLATFORM}),
    RecordType.COMMITMENT: frozenset({D.PLATFORM, D.COMMERCE}),
    RecordType.LOGISTICS_LINK: frozenset({D.POSTAL}),
    RecordType.COMPLAINT: frozenset({D.PLATFORM, D.MARKET_REGULATION, D.COMMERCE}),
    RecordType.LIST_ENTRY: frozenset({D.DEVELOPMENT_REFORM, D.MARKET_REGULATION}),
}


def may_write(department: D, record_type: RecordType) -> bool:
    return department in OWNERS[record_type]
