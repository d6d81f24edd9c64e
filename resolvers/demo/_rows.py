"""Rows as the generator emits them: plain tuples in a fixed column order per table, with ids
and document serial numbers handed out in ordinal order (so they never depend on chunking)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

Value = str | int | bool | date | datetime | Decimal | None
Row = tuple[Value, ...]

_RECORD = ("id", "source", "source_code", "created_at", "updated_at")
_DECISION = ("subject_id", "decision_number", "content", "decision_date", "published_on",
             "authority", "authority_code", "remarks")

COLUMNS: dict[str, tuple[str, ...]] = {
    "subject": (*_RECORD, "uscc", "uscc_legacy", "name", "kind", "category", "region_code",
                "registered_on", "status", "legal_rep_name", "legal_rep_id_type",
                "legal_rep_id_number", "address", "phone", "verified", "verified_on",
                "verification_mark", "phone_key", "address_key"),
    "license": (*_RECORD, *_DECISION, "decision_title", "category", "certificate_name",
                "license_number", "valid_from", "valid_to", "status", "official_url",
                "disclosure_lag_days"),
    "penalty": (*_RECORD, *_DECISION, "violation_type", "facts", "legal_basis", "category",
                "fine", "confiscated", "suspended_license", "valid_until", "severity",
                "publicity_end", "repaired_on", "disclosure_lag_days", "severity_derived",
                "region_code"),
    "rating": (*_RECORD, "platform_id", "rater_id", "ratee_id", "order_reference", "score",
               "comment", "follow_up", "follow_up_on", "rated_on"),
    "commitment": (*_RECORD, "subject_id", "kind", "text", "committed_on", "status",
                   "status_on"),
    "complaint": (*_RECORD, "subject_id", "channel", "platform_code", "reference", "summary",
                  "filed_on", "status", "resolved_on", "resolution"),
    "logistics_link": (*_RECORD, "merchant_id", "carrier_id", "period_start", "period_end",
                       "parcels", "empty_parcels"),
    "list_entry": (*_RECORD, "subject_id", "list_kind", "reason", "measures", "authority",
                   "authority_code", "valid_from", "valid_to", "lifted_on", "lift_reason"),
}
TABLES: tuple[str, ...] = tuple(COLUMNS)
"""Parents first: the order rows are inserted in (and deleted in reverse)."""


class Sink:
    """Collects one chunk's rows and numbers them; the counters survive across chunks."""

    def __init__(self, serial_base: int = 0) -> None:
        self._next_id = dict.fromkeys(TABLES, 1)
        self._serials: dict[tuple[str, str], int] = {}
        # document numbers start after this, so records made apart from the dataset (an
        # export for the importer) never reuse a number the seeded dataset holds
        self._serial_base = serial_base
        self.rows: dict[str, list[Row]] = {table: [] for table in TABLES}

    def add(self, table: str, *values: Value) -> int:
        """Append a row (all columns after ``id``) and return the id it was given."""
        row_id = self._next_id[table]
        self._next_id[table] = row_id + 1
        self.rows[table].append((row_id, *values))
        return row_id

    def serial(self, authority_code: str, series: str) -> int:
        """The next number in an authority's document series (文号 / 许可证编号), from 1."""
        number = self._serials.get((authority_code, series), self._serial_base) + 1
        self._serials[(authority_code, series)] = number
        return number

    def take(self) -> dict[str, list[Row]]:
        """The rows collected since the last call, and an empty buffer for the next chunk."""
        rows = {table: found for table, found in self.rows.items() if found}
        self.rows = {table: [] for table in TABLES}
        return rows
