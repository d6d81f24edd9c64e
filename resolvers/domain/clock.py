"""Policy dates are Beijing dates: a penalty's publicity ends at midnight in China."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def today() -> date:
    return datetime.now(CHINA).date()
