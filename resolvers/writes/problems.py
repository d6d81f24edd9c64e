"""What can be wrong with a write, field by field, in words both a GraphQL client and an
import's rejects file can use.

A ``Problem`` names the field (the draft's own name: mutations turn it into the input path,
the importer into the 双公示 column), a stable code (docs/ERRORS.md) and a message. A write
with any problem writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

BAD_USER_INPUT = "BAD_USER_INPUT"
INVALID_USCC = "INVALID_USCC"
UNKNOWN_SUBJECT = "UNKNOWN_SUBJECT"
CONFLICT = "CONFLICT"
FORBIDDEN = "FORBIDDEN"
NOT_FOUND = "NOT_FOUND"
REPAIR_TOO_EARLY = "REPAIR_TOO_EARLY"
PUBLICITY_ENDED = "PUBLICITY_ENDED"

NAMED = ("key", "fields")
"""Extras listing draft fields a message names through its ``{key}`` / ``{fields}``."""


@dataclass(frozen=True)
class Problem:
    """One reason a write was refused; ``field`` is ``None`` when it concerns the whole record
    (a conflict with a stored record, a record that does not exist)."""

    field: str | None
    code: str
    message: str
    extra: dict[str, Any] = dataclass_field(default_factory=dict, compare=False)

    def text(self, name: Callable[[str], str] = str) -> str:
        """The message naming fields in the caller's words: ``name`` turns a draft field into
        an input field (``authorityCode``) or a file's column (``CF_CFJGDM``). A message that
        names fields holds ``{key}`` / ``{fields}``, filled from the extras of those names."""
        message = self.message
        for placeholder in NAMED:
            if placeholder in self.extra:
                message = message.replace("{" + placeholder + "}",
                                          ", ".join(name(f) for f in self.extra[placeholder]))
        return message

    def describe(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{where}{self.text()} [{self.code}]"


class WriteRejected(Exception):
    """A write refused for the problems it carries; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.describe() for p in problems))
        self.problems = problems
