"""Policy dates are Beijing dates: a penalty's publicity ends at midnight in China.

The clock can be moved, for the tests and the benchmark only: the setting
``CREDIT_GATEWAY_CLOCK_OFFSET`` (seconds, may be negative; ``create_app`` applies it with
``set_offset``) shifts every reading, and ``move`` shifts it further in a running process
(tests). Production leaves both alone (offset 0). The benchmark starts a server whose clock
reaches 00:00 Beijing a few seconds into its run (``bench/midnight.py``); the tests cross
midnight in-process.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")
OFFSET_VARIABLE = "CREDIT_GATEWAY_CLOCK_OFFSET"  # the setting (``gateway.settings``)

_offset = _configured = timedelta()


def now() -> datetime:
    """The time in Beijing, on the (possibly moved) clock."""
    return datetime.now(CHINA) + _offset


def today() -> date:
    return now().date()


def seconds_until(day: date) -> float:
    """Seconds from now until 00:00 Beijing of ``day`` (negative once it has begun)."""
    return (datetime.combine(day, time(), CHINA) - now()).total_seconds()


def set_offset(seconds: float) -> None:
    """The offset the process runs with (the setting); ``reset`` returns to it."""
    global _offset, _configured
    _offset = _configured = timedelta(seconds=seconds)


def move(by: timedelta) -> None:
    """Shift the clock of this process by ``by`` (tests only; ``reset`` undoes it)."""
    global _offset
    _offset += by


def reset() -> None:
    """Back to the offset the process was set to."""
    global _offset
    _offset = _configured
