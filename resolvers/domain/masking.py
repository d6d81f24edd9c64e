"""个人信息去标识化 — how personal data is masked for PUBLIC and PLATFORM callers.

Natural persons' ID numbers (证件号码), phone numbers and names are personal information
(《中华人民共和国个人信息保护法》, README "Policy documents"), never shown to the public.
The masks keep what lets a reader tell records apart or recognise a number they already know,
never enough to learn one:

- ID number: first 3 and last 4 characters, the rest ``*`` (``110***********1234``; the
  birth date and sequence are hidden); documents shorter than 11 characters keep 1 and 2.
- Phone: first 3 and last 4 digits, separators kept (``138****5678``, ``010-****5678``,
  ``400-***-4567``); a number of 8 or 9 digits (a local number without its area code) keeps
  only its last 4 (``****5678``), one of 7 or fewer none.
- Name of a person: the surname (one character, or a compound surname) and one ``*`` per
  further character (``张*``, ``欧阳**``). An operator's name inside a business's name is found
  whatever its letter case (``Li Lei Studio`` / ``LI LEI``).
- Free text (penalty facts and content, rating comments, complaint text, commitment text):
  every ID number (18- or 15-digit, and the subject's representative's own), phone number
  (mobile, landline with area code, 400/800, and the subject's own) and the subject's
  representative's name (a natural person's own name too) is masked as above, in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

MASK = "*"

COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "令狐", "钟离", "澹台", "公冶", "太史", "端木", "申屠", "南宫",
    "西门", "闻人", "呼延", "独孤", "万俟", "百里", "东郭", "第五",
})
"""复姓 — two-character surnames kept whole by the name mask."""


def mask_id_number(value: str) -> str:
    """``110101199001011234`` → ``110***********1234``."""
    head, tail = (3, 4) if len(value) >= 11 else (1, 2)
    if len(value) <= head + tail:
        return MASK * len(value)
    return value[:head] + MASK * (len(value) - head - tail) + value[-tail:]


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``; separators stay, every digit between the first 3 and
    the last 4 becomes ``*``. At most 4 digits stay visible of a number of 8 or 9 digits
    (``6234-5678`` → ``****-5678``: 3 + 4 would leave one or two hidden), and a number of 7
    digits or fewer is masked whole."""
    digits = sum(c.isdigit() for c in value)
    if digits <= 7:
        return "".join(MASK if c.isdigit() else c for c in value)
    head = 0 if digits <= 9 else 3
    seen = 0
    out = []
    for c in value:
        if c.isdigit():
            seen += 1
            out.append(c if seen <= head or seen > digits - 4 else MASK)
        else:
            out.append(c)
    return "".join(out)


def mask_person_name(name: str) -> str:
    """``张三`` → ``张*``, ``欧阳娜娜`` → ``欧阳**``; a one-character name stays (it is a surname)."""
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + MASK * (len(name) - keep)


def mask_subject_name(name: str, *, person: str, natural_person: bool,
                      legal_person: bool) -> str:
    """A subject's name as the public sees it: a natural person's name masked whole; an
    individual business's name (字号) shown, but its operator's full name masked where it
    appears in it (``张三烧烤店`` → ``张*烧烤店``); a legal person's name as registered."""
    if natural_person:
        return mask_person_name(name)
    if legal_person or len(person.strip()) < 2:
        return name
    return _literal(person).sub(lambda found: mask_person_name(found.group()), name)


@lru_cache(maxsize=4096)
def _literal(text: str) -> re.Pattern[str]:
    """``text`` anywhere, whatever its letter case (pinyin and Latin names are written in
    either)."""
    return re.compile(re.escape(text.strip()), re.IGNORECASE)


def holds_person_name(name: str, *, person: str, natural_person: bool,
                      legal_person: bool) -> bool:
    """Whether ``mask_subject_name`` changes the name (so reading it unmasked is a read of
    personal data)."""
    return mask_subject_name(name, person=person, natural_person=natural_person,
                             legal_person=legal_person) != name


_ID_NUMBER = r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])"
_PHONE = "|".join((
    r"(?<![\d+])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)",  # mobile (+86 optional)
    r"(?<![\d+])\(?0\d{2,3}\)?[- ]?\d{3,4}[- ]?\d{4}(?!\d)",  # landline with area code
    r"(?<![\d+])[48]00[- ]?\d{3}[- ]?\d{4}(?!\d)",  # 400 / 800 service numbers
))


@dataclass(frozen=True)
class PersonalData:
    """What free text about one subject must not show: the names of persons (the
    representative's, a natural person's own), and its own phone and ID numbers, in whatever
    format they were stored; ID and phone numbers of anyone are found by their shape."""

    names: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    id_numbers: tuple[str, ...] = ()


@lru_cache(maxsize=4096)
def free_text_mask(personal: PersonalData) -> Callable[[str], str]:
    """The mask of free text about a subject: one pass, ID numbers before phones before
    names, so no part of a value is masked twice. Remembered per subject's data: a page of
    records about one subject compiles its pattern once."""
    ids = [_ID_NUMBER, *(re.escape(v.strip()) for v in _longest_first(personal.id_numbers))]
    phones = [*(_spaced_digits(v) for v in _longest_first(personal.phones)), _PHONE]
    names = [re.escape(v.strip()) for v in _longest_first(personal.names) if len(v.strip()) >= 2]
    pattern = re.compile("|".join(
        f"(?P<{group}>{'|'.join(parts)})"
        for group, parts in (("id", ids), ("phone", phones), ("name", names)) if parts),
        re.IGNORECASE)

    def masked(found: re.Match[str]) -> str:
        value = found.group()
        if found.lastgroup == "id":
            return mask_id_number(value)
        if found.lastgroup == "phone":
            return mask_phone(value)
        return mask_person_name(value)

    def mask(text: str) -> str:
        return pattern.sub(masked, text)
    return mask


def mask_free_text(text: str, personal: PersonalData) -> str:
    """``text`` as PUBLIC and PLATFORM callers see it (``free_text_mask``)."""
    return free_text_mask(personal)(text)


def _longest_first(values: Iterable[str]) -> list[str]:
    return sorted({v for v in values if v and v.strip()}, key=len, reverse=True)


def _spaced_digits(phone: str) -> str:
    """A stored phone's digits, with or without separators between them, not inside a longer
    number."""
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 5:
        return re.escape(phone.strip())
    return r"(?<!\d)" + r"[- ]?".join(digits) + r"(?!\d)"
