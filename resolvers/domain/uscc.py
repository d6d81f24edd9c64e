"""统一社会信用代码 (USCC) — GB 32100-2015 validation.

python-stdnum's ``stdnum.cn.uscc`` supplies the check-character arithmetic. Its ``validate``
also demands eight leading digits, which wrongly rejects codes whose registration authority is a
letter (A, N, Y, G, …), so the format rules are checked here and only ``calc_check_digit`` is
borrowed. Codes issued in pilot regions before the standard may fail the check yet be legal;
they pass only when the caller asks for legacy acceptance explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from stdnum.cn import uscc as _stdnum_uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LENGTH = 18
_FORBIDDEN = set("IOSVZ")


class UsccError(ValueError):
    """A string that is not a USCC; ``reason`` is one of ``length``, ``alphabet``, ``check``."""

    def __init__(self, reason: str, message: str, expected_check: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.expected_check = expected_check


@dataclass(frozen=True, slots=True)
class Uscc:
    """A USCC that has the right length and alphabet; ``check_ok`` tells whether its
    18th character matches GB 32100-2015. ``legacy`` codes failed the check but were
    accepted explicitly as pilot-region codes issued before the standard."""

    code: str
    check_ok: bool

    @property
    def expected_check(self) -> str:
        return check_character(self.code[:17])

    def require(self, *, allow_legacy: bool = False) -> str:
        """Return the code, or raise ``UsccError`` when its check fails and legacy is not allowed."""
        if self.check_ok or allow_legacy:
            return self.code
        expected = self.expected_check
        raise UsccError(
            "check",
            f"USCC {self.code} has check character {self.code[-1]!r}, but GB 32100-2015 "
            f"requires {expected!r}",
            expected_check=expected,
        )


def normalize(raw: str) -> str:
    """Strip separators and spaces and upper-case, as departments' exports vary."""
    return _stdnum_uscc.compact(raw)


def check_character(body: str) -> str:
    """The 18th character for the first 17 characters ``body``."""
    return str(_stdnum_uscc.calc_check_digit(body))


@lru_cache(maxsize=1 << 16)
def parse(raw: str) -> Uscc:
    """Check length and alphabet (raising ``UsccError``) and compute the check result.
    Cached: a bulk import names the same subjects and authorities over and over, and the
    check arithmetic costs more than the rest of a row's checks together."""
    code = normalize(raw)
    if len(code) != LENGTH:
        raise UsccError(
            "length", f"USCC must have {LENGTH} characters, got {len(code)} in {raw!r}"
        )
    bad = [c for c in code if c not in ALPHABET]
    if bad:
        hint = " (I, O, S, V and Z are never used)" if _FORBIDDEN.intersection(bad) else ""
        raise UsccError(
            "alphabet",
            f"USCC {code!r} contains {''.join(dict.fromkeys(bad))!r}, outside the GB 32100-2015 "
            f"alphabet 0-9 and A-Y{hint}",
        )
    return Uscc(code=code, check_ok=code[-1] == check_character(code[:17]))


def validate(raw: str, *, allow_legacy: bool = False) -> str:
    """The normalized code, or ``UsccError`` naming what is wrong."""
    return parse(raw).require(allow_legacy=allow_legacy)


def is_valid(raw: str) -> bool:
    try:
        validate(raw)
    except UsccError:
        return False
    return True


def region_code(code: str) -> str:
    """The GB/T 2260 division code embedded at positions 3–8."""
    return code[2:8]


def organisation_check(body8: str) -> str:
    """GB 11714 organisation-code check character for the 8-character body."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(ALPHABET.index(c) * w for c, w in zip(body8, weights, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def build(authority: str, org_type: str, region: str, org_body: str) -> str:
    """Assemble a valid USCC from its parts (registration authority, organisation type,
    six-digit division code, eight-character GB 11714 body)."""
    body17 = authority + org_type + region + org_body + organisation_check(org_body)
    return body17 + check_character(body17)
