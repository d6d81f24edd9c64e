"""Personal data of a subject (个人信息) as the caller may see it.

PUBLIC and PLATFORM callers get the masks of ``resolvers.domain.masking``; REGULATOR and
AUDITOR callers the stored values, and an AUDITOR's every such read is noted for the access
log (``Context.personal_reads``). Every resolver of a personal field goes through ``shown``.
"""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from strawberry import Parent

from resolvers.context import Info
from resolvers.data import models
from resolvers.domain import masking
from resolvers.domain.enums import IdType, Role, SubjectCategory
from resolvers.types.common import row_id

# the names the access log gives the personal fields
NAME = "name"
PHONE = "phone"
REP_NAME = "legalRepresentative.name"
REP_ID_NUMBER = "legalRepresentative.idNumber"


def shown(info: Info, subject: models.Subject, field: str, value: str,
          mask: Callable[[str], str]) -> str:
    """``value`` for callers who see personal data (an auditor's read is noted), else masked."""
    caller = info.context.caller
    if not caller.sees_personal_data:
        return mask(value)
    if caller.role is Role.AUDITOR:
        info.context.personal_reads.add(row_id(subject), field)
    return value


def _subject_name_mask(subject: models.Subject) -> Callable[[str], str]:
    def mask(name: str) -> str:
        return masking.mask_subject_name(
            name, person=subject.legal_rep_name,
            natural_person=subject.category is SubjectCategory.NATURAL_PERSON,
            legal_person=subject.category is SubjectCategory.LEGAL_PERSON)
    return mask


def subject_name(root: Parent[models.Subject], info: Info) -> str:
    mask = _subject_name_mask(root)
    if mask(root.name) == root.name:  # no person's name in it: not personal data
        return root.name
    return shown(info, root, NAME, root.name, mask)


def phone(root: Parent[models.Subject], info: Info) -> str:
    return shown(info, root, PHONE, root.phone, masking.mask_phone)


def _rep_name(root: Parent[LegalRepresentative], info: Info) -> str:
    return shown(info, root.subject, REP_NAME, root.subject.legal_rep_name,
                 masking.mask_person_name)


def _rep_id_type(root: Parent[LegalRepresentative]) -> IdType:
    return root.subject.legal_rep_id_type


def _rep_id_number(root: Parent[LegalRepresentative], info: Info) -> str:
    return shown(info, root.subject, REP_ID_NUMBER, root.subject.legal_rep_id_number,
                 masking.mask_id_number)


@strawberry.type(description="法定代表人 / 经营者 — the subject's legal representative (FRDB). "
                             "Name and ID number are personal data: masked for PUBLIC and "
                             "PLATFORM callers.")
class LegalRepresentative:
    subject: strawberry.Private[models.Subject]
    name: str = strawberry.field(
        resolver=_rep_name,
        description="姓名 (FRDB); masked (`张*`, `欧阳**`) for PUBLIC and PLATFORM callers.")
    id_type: IdType = strawberry.field(resolver=_rep_id_type, description="证件类型 (FR_ZJLX).")
    id_number: str = strawberry.field(
        resolver=_rep_id_number,
        description="证件号码 (FR_ZJHM) — personal data; masked (`110***********1234`) for "
                    "PUBLIC and PLATFORM callers.")


def legal_representative(root: Parent[models.Subject]) -> LegalRepresentative:
    return LegalRepresentative(subject=root)
