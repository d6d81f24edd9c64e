"""个人信息查询记录 of one request: which subjects' personal fields an AUDITOR read unmasked.

Resolvers note each read here (in memory, per request); once the operation has run, the
gateway's ``AccessLogExtension`` writes them in one batched insert (``access_log``), so a page
of 100 subjects with four personal fields costs one statement, not 400.
"""

from __future__ import annotations

from collections import defaultdict


class PersonalReads:
    """The personal fields read per subject row id during one request."""

    def __init__(self) -> None:
        self._fields: defaultdict[int, set[str]] = defaultdict(set)

    def add(self, subject_id: int, field: str) -> None:
        self._fields[subject_id].add(field)

    def by_subject(self) -> dict[int, list[str]]:
        """Subject row id → the personal fields read, sorted."""
        return {subject: sorted(fields) for subject, fields in self._fields.items()}

    def __bool__(self) -> bool:
        return bool(self._fields)
