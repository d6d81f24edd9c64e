"""个人信息去标识化 — how personal data is masked for PUBLIC and PLATFORM callers.

Natural persons' ID numbers (证件号码), phone numbers and names are personal information
(《中华人民共和国个人信息保护法》, README "Policy documents"), never shown to the public.
The masks keep what lets a reader tell records apart or recognise a number they already know,
never enough to learn one:

- ID number: first 3 and last 4 characters, the rest ``*`` (``110***********1234``; the
  birth date and sequence are hidden); documents shorter than 11 characters keep 1 and 2.
- Phone: first 3 and last 4 digits, separators kept (``138****5678``, ``010-****5678``,
  ``400-***-4567``).
- Name of a person: the surname (one character, or a compound surname) and one ``*`` per
  further character (``张*``, ``欧阳**``).
"""

from __future__ import annotations

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
    the last 4 becomes ``*`` (a number of 7 digits or fewer is masked whole)."""
    digits = sum(c.isdigit() for c in value)
    if digits <= 7:
        return "".join(MASK if c.isdigit() else c for c in value)
    seen = 0
    out = []
    for c in value:
        if c.isdigit():
            seen += 1
            out.append(c if seen <= 3 or seen > digits - 4 else MASK)
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
    if legal_person or len(person) < 2 or person not in name:
        return name
    return name.replace(person, mask_person_name(person))


def holds_person_name(name: str, *, person: str, natural_person: bool,
                      legal_person: bool) -> bool:
    """Whether ``mask_subject_name`` changes the name (so reading it unmasked is a read of
    personal data)."""
    return mask_subject_name(name, person=person, natural_person=natural_person,
                             legal_person=legal_person) != name
