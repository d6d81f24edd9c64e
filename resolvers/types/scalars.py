"""The ``USCC`` scalar: 统一社会信用代码, checked by its GB 32100-2015 check character."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NewType

import strawberry
from graphql import StringValueNode, ValueNode

from resolvers.domain import uscc
from resolvers.errors import InvalidUsccError

USCC = NewType("USCC", str)

USCC_DESCRIPTION = (
    "统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters from "
    "0-9 and A-Y without I, O, S, V, Z; the 18th is a check character. Input is normalised "
    "(spaces and dashes removed, upper-cased). A wrong length or alphabet is rejected with "
    "INVALID_USCC; a wrong check character is rejected too, unless the field offers "
    "`allowLegacy: true` for pilot-region codes issued before the standard."
)


@dataclass(frozen=True)
class MalformedUscc:
    """An argument that is not a USCC (wrong type, length or alphabet). Coercion keeps it
    instead of failing, so the field reading it answers INVALID_USCC at its path — the same
    error shape as a failed check character, which only the field can judge (``allowLegacy``),
    whether the value came as a variable or in the document."""

    message: str
    reason: str


def _parse(value: Any) -> uscc.Uscc | MalformedUscc:
    if not isinstance(value, str):
        return MalformedUscc(f"USCC must be a string, got {type(value).__name__}", "type")
    try:
        return uscc.parse(value)
    except uscc.UsccError as error:
        return MalformedUscc(str(error), error.reason)


def _parse_literal(node: ValueNode, _variables: dict[str, Any] | None = None
                   ) -> uscc.Uscc | MalformedUscc:
    if not isinstance(node, StringValueNode):
        return MalformedUscc("USCC must be a string literal", "type")
    return _parse(node.value)


def _serialize(value: Any) -> str:
    return value.code if isinstance(value, uscc.Uscc) else str(value)


USCC_SCALAR = strawberry.scalar(
    name="USCC",
    description=USCC_DESCRIPTION,
    serialize=_serialize,
    parse_value=_parse,
    parse_literal=_parse_literal,
)

SCALARS: dict[object, Any] = {USCC: USCC_SCALAR}


LEGACY_HINT = ("; a pilot-region code issued before the standard is accepted only with "
               "allowLegacy: true")


def require_uscc(value: Any, *, allow_legacy: bool = False, offers_legacy: bool = False) -> str:
    """The code of a ``USCC`` argument, raising INVALID_USCC when it is malformed or its check
    character fails and the caller did not ask for legacy acceptance; the message suggests
    ``allowLegacy`` only where the field ``offers_legacy``."""
    parsed = value if isinstance(value, (uscc.Uscc, MalformedUscc)) else _parse(value)
    if isinstance(parsed, MalformedUscc):
        raise InvalidUsccError(parsed.message, reason=parsed.reason)
    try:
        return parsed.require(allow_legacy=allow_legacy)
    except uscc.UsccError as error:
        raise InvalidUsccError(str(error) + (LEGACY_HINT if offers_legacy else ""),
                               reason=error.reason,
                               expectedCheckCharacter=error.expected_check) from error
