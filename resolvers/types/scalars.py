"""The ``USCC`` scalar: 统一社会信用代码, checked by its GB 32100-2015 check character."""

from __future__ import annotations

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


def _parse(value: Any) -> uscc.Uscc:
    if not isinstance(value, str):
        raise InvalidUsccError(f"USCC must be a string, got {type(value).__name__}",
                               reason="type")
    try:
        return uscc.parse(value)
    except uscc.UsccError as error:
        raise InvalidUsccError(str(error), reason=error.reason) from error


def _parse_literal(node: ValueNode, _variables: dict[str, Any] | None = None) -> uscc.Uscc:
    if not isinstance(node, StringValueNode):
        raise InvalidUsccError("USCC must be a string literal", reason="type")
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


def require_uscc(value: Any, *, allow_legacy: bool = False) -> str:
    """The code of a parsed ``USCC`` argument, raising INVALID_USCC when its check character
    fails and the caller did not ask for legacy acceptance."""
    parsed = value if isinstance(value, uscc.Uscc) else _parse(value)
    try:
        return parsed.require(allow_legacy=allow_legacy)
    except uscc.UsccError as error:
        raise InvalidUsccError(str(error), reason=error.reason,
                               expectedCheckCharacter=error.expected_check) from error
