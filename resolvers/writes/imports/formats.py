"""File formats of the bulk importer: which column fills which draft field.

Penalties and licences come as departments export them for 双公示, with the national field
codes as column names (``CF_WSH``, ``XK_XKBH`` …, listed in docs/IMPORT.md); two local extensions carry
what the standard leaves out: ``CF_YZCD`` / the severity a penalty's publicity period depends
on, and ``CF_GSRQ`` / ``XK_GSRQ``, the day it was published (公示日期). Columns describing the
subject (name, category, legal representative and his ID number) are accepted and not stored:
the subject is found by its USCC and keeps those itself — and an ID number is personal data.
The other record types use the draft's own field names as columns (docs/IMPORT.md).
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from resolvers.domain import clock
from resolvers.domain.ownership import RecordType
from resolvers.writes.checks import Checker
from resolvers.writes.imports import parsers as p
from resolvers.writes.problems import BAD_USER_INPUT, Problem
from resolvers.writes.records import SPECS, RecordSpec


@dataclass(frozen=True)
class Column:
    field: str
    parse: p.Parser


@dataclass(frozen=True)
class FileFormat:
    """The columns of one record type's files: each column's draft field and parser, the
    columns read but not stored, and the columns a file must have."""

    name: str  # as typed on the command line
    spec: RecordSpec[Any]
    columns: dict[str, Column]
    ignored: frozenset[str] = frozenset()
    id_numbers: frozenset[str] = frozenset()  # 证件号码 columns: masked wherever shown

    @property
    def known(self) -> frozenset[str]:
        """Every column of the format: stored or read and not stored."""
        return frozenset(self.columns) | self.ignored

    @property
    def required(self) -> list[str]:
        """Columns a file must have: those of the fields an empty draft is refused for (the
        record's own checks say which), so the rule lives in one place."""
        checker = Checker(self.spec.model, clock.today())
        self.spec.check(self.spec.draft(), checker)
        for name in self.spec.refs:
            checker.subject_code(name, None)
        needed = {p.field for p in checker.problems if p.extra.get("reason") == "required"}
        return [c for c, col in self.columns.items() if col.field in needed]

    def column_of(self, field: str) -> str:
        return next((c for c, col in self.columns.items() if col.field == field), field)

    def draft(self, row: dict[str, str | None],
              defaults: dict[str, Any] | None = None) -> tuple[Any, list[Problem]]:
        """The draft a row describes, or the problems of its cells (column names as fields);
        ``defaults`` are draft fields no column gives (a penalty's ``severity_default``)."""
        values: dict[str, Any] = dict(defaults or {})
        problems: list[Problem] = []
        for name, raw in row.items():
            column = self.columns.get(name)
            text = raw.strip() if raw is not None else ""
            if column is None or not text:
                continue
            try:
                values[column.field] = column.parse(text)
            except ValueError as error:
                problems.append(Problem(name, BAD_USER_INPUT, str(error), {"reason": "format"}))
        return (None if problems else self.spec.draft(**values)), problems


def _parser(hint: Any) -> p.Parser:
    """The parser of a draft field, by its type (``date | None`` → a date, an enum → …)."""
    kind = next(k for k in typing.get_args(hint) or (hint,) if k is not type(None))
    if isinstance(kind, type) and issubclass(kind, Enum):
        return p.member(kind)
    return {date: p.day, int: p.integer, Decimal: p.decimal}.get(kind, p.text)


def _format(name: str, record_type: RecordType, columns: dict[str, str] | None = None,
            prefix: str = "", ignored: tuple[str, ...] = (),
            id_numbers: tuple[str, ...] = ()) -> FileFormat:
    """A format whose columns are ``prefix + code`` for the fields ``columns`` maps them to,
    or (no ``columns``) the draft's own field names; each parsed by its field's type."""
    spec = SPECS[record_type]
    hints = typing.get_type_hints(spec.draft)
    fields = columns or {f.name: f.name for f in dataclasses.fields(spec.draft)}
    return FileFormat(name, spec,
                      {prefix + code: Column(field, _parser(hints[field]))
                       for code, field in fields.items()},
                      frozenset(prefix + code for code in ignored),
                      frozenset(prefix + code for code in id_numbers))


# Who the decision concerns, as the standard describes them: read, never stored.
_ABOUT_SUBJECT = ("XDR_MC", "XDR_LB", "FRDB", "FR_ZJLX", "FR_ZJHM")
_ID_NUMBERS = ("FR_ZJHM",)  # the legal representative's 证件号码: personal data

PENALTIES = _format("penalties", RecordType.PENALTY, {
    "XDR_SHXYM": "subject", "WSH": "decision_number", "WFXW": "violation_type", "SY": "facts",
    "YJ": "legal_basis", "CFLB": "category", "NR": "content", "NR_FK": "fine",
    "NR_WFFF": "confiscated", "NR_ZKDX": "suspended_license", "JDRQ": "decision_date",
    "YXQ": "valid_until", "GSJZQ": "publicity_end", "CFJG": "authority",
    "CFJGDM": "authority_code", "SJLYDM": "source_code", "BZ": "remarks",
    "YZCD": "severity", "GSRQ": "published_on",  # local extensions
}, "CF_", (*_ABOUT_SUBJECT, "SJLY"), _ID_NUMBERS)

LICENSES = _format("licenses", RecordType.LICENSE, {
    "XDR_SHXYM": "subject", "WSH": "decision_number", "XKWS": "decision_title",
    "XKLB": "category", "XKZS": "certificate_name", "XKBH": "license_number", "NR": "content",
    "JDRQ": "decision_date", "YXQZ": "valid_from", "YXQZI": "valid_to", "XKJG": "authority",
    "XKJGDM": "authority_code", "ZT": "status", "LYDWDM": "source_code", "BZ": "remarks",
    "GSRQ": "published_on", "GWLJ": "official_url",  # local extensions
}, "XK_", (*_ABOUT_SUBJECT, "LYDW"), _ID_NUMBERS)

RATINGS = _format("ratings", RecordType.RATING)
COMMITMENTS = _format("commitments", RecordType.COMMITMENT)
LOGISTICS_LINKS = _format("logistics-links", RecordType.LOGISTICS_LINK)
COMPLAINTS = _format("complaints", RecordType.COMPLAINT)
LIST_ENTRIES = _format("list-entries", RecordType.LIST_ENTRY)

FORMATS: dict[str, FileFormat] = {f.name: f for f in (
    PENALTIES, LICENSES, RATINGS, COMMITMENTS, LOGISTICS_LINKS, COMPLAINTS, LIST_ENTRIES)}
