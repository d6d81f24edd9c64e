"""Field checks every write runs, collecting problems rather than stopping at the first, so a
department learns everything wrong with a record in one answer.

Text limits come from the table's own columns (their length, or the maximum a TEXT column
declares: ``column_maximum``), so they cannot drift from the schema.
Dates are compared with "today" in Asia/Shanghai (``resolvers.domain.clock``): a decision dated
tomorrow in Beijing is a typing error, whatever the server's zone.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import SQLModel

from resolvers.data.models.base import column_maximum
from resolvers.domain import uscc
from resolvers.writes.problems import BAD_USER_INPUT, INVALID_USCC, Problem

MONEY_PLACES = 6
"""万元 with six places keeps the 分 (0.000001 万元 = 0.01 元); the column is NUMERIC(18, 6)."""
MONEY_LIMIT = Decimal(10) ** (18 - MONEY_PLACES)


class Checker:
    """Checks the fields of one record of ``model`` and keeps what is wrong."""

    def __init__(self, model: type[SQLModel], today: date) -> None:
        self.model = model
        self.today = today
        self.problems: list[Problem] = []

    def fail(self, field: str, message: str, code: str = BAD_USER_INPUT, **extra: Any) -> None:
        self.problems.append(Problem(field, code, message, extra))

    def failed(self, field: str) -> bool:
        return any(p.field == field for p in self.problems)

    def text(self, field: str, value: str | None, *, column: str | None = None,
             required: bool = True) -> str | None:
        """Trimmed text within the column's length; empty counts as missing."""
        text = value.strip() if value is not None else ""
        if not text:
            if required:
                self.fail(field, "is required", reason="required")
            return None
        length = column_maximum(self.model, column or field)
        if length is not None and len(text) > length:
            self.fail(field, f"has {len(text)} characters, at most {length} are allowed",
                      reason="length", maximum=length)
        return text

    def required(self, field: str, value: Any) -> bool:
        if value is None:
            self.fail(field, "is required", reason="required")
            return False
        return True

    def past(self, field: str, day: date | None) -> date | None:
        """A day that has already come (Beijing time): decisions are not dated ahead."""
        if day is not None and day > self.today:
            self.fail(field, f"{day} is in the future (today is {self.today} in Beijing)",
                      reason="future")
        return day

    def not_before(self, field: str, day: date | None, earliest: date | None,
                   other: str) -> None:
        if day is not None and earliest is not None and day < earliest:
            # the message gives the day; ``after`` names the field, in the caller's own words
            self.fail(field, f"{day} is before {earliest}", reason="order", after=other)

    def within(self, field: str, day: date | None, low: date, high: date, why: str) -> None:
        if day is not None and not low <= day <= high:
            self.fail(field, f"{day} is outside {low} … {high} ({why})", reason="range",
                      minimum=low.isoformat(), maximum=high.isoformat())

    def amount(self, field: str, value: Decimal | None) -> Decimal | None:
        """万元 amounts: finite, not negative, at most six decimals, fitting NUMERIC(18, 6)."""
        if value is None:
            return None
        if not value.is_finite():
            self.fail(field, "is not a number", reason="number")
            return None
        if value < 0:
            self.fail(field, f"{value} is negative", reason="negative")
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > MONEY_PLACES:
            self.fail(field, f"{value} has more than {MONEY_PLACES} decimals (万元 to the 分)",
                      reason="decimals", maximum=MONEY_PLACES)
        if abs(value) >= MONEY_LIMIT:
            self.fail(field, f"{value} 万元 is too large", reason="range")
        return value

    def count(self, field: str, value: int | None, *, low: int = 0,
              high: int = 2**31 - 1) -> int | None:
        if value is not None and not low <= value <= high:
            self.fail(field, f"{value} is outside {low} … {high}", reason="range",
                      minimum=low, maximum=high)
        return value

    def code(self, field: str, value: str | None, *, required: bool = True) -> str | None:
        """The USCC of an authority or source unit: a pilot-region legacy code is no excuse
        here, as authorities' codes are issued under the standard."""
        text = self.text(field, value, column="authority_code", required=required)
        if text is None:
            return None
        try:
            return uscc.validate(text)
        except uscc.UsccError as error:
            self.fail(field, str(error), INVALID_USCC, reason=error.reason,
                      **({"expectedCheckCharacter": error.expected_check}
                         if error.expected_check else {}))
            return None

    def subject_code(self, field: str, value: str | None, *, required: bool = True
                     ) -> uscc.Uscc | None:
        """A subject's USCC in length and alphabet; its check character is judged with the
        stored subject (a flagged legacy code of an existing subject is accepted)."""
        text = value.strip() if value is not None else ""
        if not text:
            if required:
                self.fail(field, "is required", reason="required")
            return None
        try:
            return uscc.parse(text)
        except uscc.UsccError as error:
            self.fail(field, str(error), INVALID_USCC, reason=error.reason)
            return None
