"""Personal data of a subject (个人信息) as the caller may see it.

PUBLIC and PLATFORM callers get the masks of ``resolvers.domain.masking``; REGULATOR and
AUDITOR callers the stored values, and an AUDITOR's every such read is noted for the access
log (``Context.personal_reads``). Every resolver of a personal field goes through ``shown``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import strawberry
from strawberry import Parent
from strawberry.utils.str_converters import to_camel_case

from resolvers.context import Context, Info
from resolvers.data import models
from resolvers.domain import masking
from resolvers.domain.enums import IdType, Role, SubjectCategory
from resolvers.types.common import load_subject, row_id

# the names the access log gives the personal fields
NAME = "name"
PHONE = "phone"
REP_NAME = "legalRepresentative.name"
REP_ID_NUMBER = "legalRepresentative.idNumber"
# strawberry field metadata of a masked free-text field: (its column, its subject's column)
FREE_TEXT = "free_text"


def shown(info: Info, subject: models.Subject, field: str, value: str,
          mask: Callable[[str], str]) -> str:
    """``value`` for callers who see personal data (an auditor's read is noted), else masked."""
    return shown_to(info.context, subject, field, value, mask)


def shown_to(context: Context, subject: models.Subject, field: str, value: str,
             mask: Callable[[str], str], *, personal: Callable[[], bool] | None = None) -> str:
    """``shown`` for a request's ``context``: the one rule, for resolvers and compiled plans
    (``resolvers.plans``) alike. ``personal`` says whether ``value`` holds personal data at
    all (default: it does); it is asked only where the answer matters, an AUDITOR's read."""
    caller = context.caller
    if not caller.sees_personal_data:
        return mask(value)
    if caller.role is Role.AUDITOR and (personal is None or personal()):
        context.personal_reads.add(row_id(subject), field)
    return value


def _subject_name_mask(subject: models.Subject) -> Callable[[str], str]:
    def mask(name: str) -> str:
        return masking.mask_subject_name(
            name, person=subject.legal_rep_name,
            natural_person=subject.category is SubjectCategory.NATURAL_PERSON,
            legal_person=subject.category is SubjectCategory.LEGAL_PERSON)
    return mask


def subject_name(root: Parent[models.Subject], info: Info) -> str:
    return subject_name_of(root, info.context)


def subject_name_of(subject: models.Subject, context: Context) -> str:
    """The subject's name as ``context``'s caller may see it: masked where it holds a
    person's name; an AUDITOR's read noted only then (else it is no personal data)."""
    mask, name = _subject_name_mask(subject), subject.name
    return shown_to(context, subject, NAME, name, mask, personal=lambda: mask(name) != name)


def phone(root: Parent[models.Subject], info: Info) -> str:
    return phone_of(root, info.context)


def phone_of(subject: models.Subject, context: Context) -> str:
    """The subject's phone as ``context``'s caller may see it."""
    return shown_to(context, subject, PHONE, subject.phone, masking.mask_phone)


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


def personal_data(subject: models.Subject) -> masking.PersonalData:
    """What free text about ``subject`` must not show to PUBLIC and PLATFORM callers."""
    names = [subject.legal_rep_name]
    if subject.category is SubjectCategory.NATURAL_PERSON:
        names.append(subject.name)
    return masking.PersonalData(names=tuple(names), phones=(subject.phone,),
                                id_numbers=(subject.legal_rep_id_number,))


async def free_text(info: Info, value: str | None, subject_id: int, field: str) -> str | None:
    """Free text about the subject ``subject_id`` (facts, comments, complaint and commitment
    text): ID numbers, phones and the representative's name in it masked for PUBLIC and
    PLATFORM; an AUDITOR's read of text holding them is noted (as ``field``)."""
    if not value or _sees_all_text(info.context):
        return value
    subject: models.Subject = await load_subject(info, subject_id)
    return free_text_of(info.context, value, subject, field)


def _sees_all_text(context: Context) -> bool:
    """A regulator sees free text as stored, and its reads are not logged."""
    caller = context.caller
    return caller.sees_personal_data and caller.role is not Role.AUDITOR


def free_text_of(context: Context, value: str | None, subject: models.Subject, field: str
                 ) -> str | None:
    """``free_text`` once the record's ``subject`` is at hand (resolvers and plans alike)."""
    if not value or _sees_all_text(context):
        return value
    mask = masking.free_text_mask(personal_data(subject))
    if mask(value) == value:  # nothing personal in it
        return value
    return shown_to(context, subject, field, value, mask)


def free_text_name(model: type, column: str) -> str:
    """The access log's name of a free-text field: ``Type.field`` (``Penalty.facts``)."""
    return f"{model.__name__}.{to_camel_case(column)}"


def free_text_field(column: str, description: str, *, optional: bool = False,
                    subject: str = "subject_id") -> Any:
    """The field of a record's free-text ``column``, masked by ``free_text`` for the subject
    whose row id is in the record's column ``subject``; its access-log name is
    ``Type.field`` (``Penalty.facts``)."""
    async def resolve(root: Parent[Any], info: Info) -> str | None:
        return await free_text(info, getattr(root, column), getattr(root, subject),
                               free_text_name(type(root), column))

    resolve.__annotations__["return"] = str | None if optional else str
    # a compiled plan (resolvers.plans) finds the column, and its subject, in the metadata
    return strawberry.field(resolver=resolve, description=description,
                            metadata={FREE_TEXT: (column, subject)})


def note_name_search(info: Info, text: str, rows: Sequence[models.Subject]) -> None:
    """An AUDITOR's search whose text matched the name of a subject that holds a person's name
    (a natural person, or an individual business named after its operator) read that name:
    it goes to the access log, as reading the name would."""
    if info.context.caller.role is not Role.AUDITOR:
        return
    wanted = text.strip().casefold()
    for row in rows:
        mask = _subject_name_mask(row)
        if wanted in row.name.casefold() and mask(row.name) != row.name:
            info.context.personal_reads.add(row_id(row), NAME)
