"""``CreditGrade`` (信用等级) and ``Subject.creditGrade`` / ``Subject.supervisoryClass``.

The rules are ``resolvers.domain.grading`` (docs/CREDIT_GRADE.md); this module only shows a
grade the loaders computed, in the caller's view: PUBLIC and PLATFORM get the grade of what
they may see, REGULATOR and AUDITOR also the supervisory class (信用风险分类) from all records.
"""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from strawberry import Parent

from resolvers.context import Context, Info
from resolvers.data import models
from resolvers.domain.grading import RULE_VERSION, RULES, Letter, Reason, SubjectGrade
from resolvers.errors import ForbiddenError
from resolvers.types.common import row_id
from resolvers.types.node import Node

LETTER_TERMS: dict[Letter, str] = dict(zip(
    Letter, ("信用风险低（低风险）", "信用风险一般", "信用风险较高", "信用风险高（高风险）"), strict=True))
strawberry.enum(Letter, name="CreditGradeLetter",
                description="信用等级 — credit class, A (低风险) to D (高风险) (国市监信发〔2022〕6号).")
for _value in Letter.__strawberry_definition__.values:  # type: ignore[attr-defined]
    _value.description = LETTER_TERMS[Letter[_value.name]]


async def reason_record(root: Parent[CreditGradeReason], info: Info) -> Node | None:
    if root.source is None:
        return None
    record_type, record_id = root.source
    found: Node | None = await info.context.loaders.records[record_type].load(record_id)
    return found


@strawberry.type(description="信用等级依据 — one rule that moved the score, the policy clause it "
                             "implements and the record behind it.")
class CreditGradeReason:
    rule: str = strawberry.field(
        description="Rule id from the rule table (docs/CREDIT_GRADE.md), e.g. "
                    "`penalty.serious.recent`.")
    title: str = strawberry.field(
        description="The rule in a few words, zh-CN (一年内受到严重行政处罚): what a shop page "
                    "or a report shows.")
    summary: str = strawberry.field(
        description="When the rule applies, in English (the rule table's words).")
    clause: str = strawberry.field(
        description="The policy clause the rule implements, in words: document title + article.")
    effect: int = strawberry.field(
        description="Points added (+) or taken (−); a cap is a reason too.")
    record: Node | None = strawberry.field(
        resolver=reason_record,
        description="The record behind the reason (Penalty, ListEntry, Commitment, Complaint, "
                    "License), when there is one; null for a rule on a figure.")
    source: strawberry.Private[tuple[str, int] | None]


@strawberry.type(description="信用等级 — the grade of one view of a subject's records.")
class CreditGrade:
    grade: Letter = strawberry.field(description="A (低风险) B C D (高风险).")
    score: int = strawberry.field(description="0–100; A ≥ 90, B 70–89, C 40–69, D < 40.")
    computed_at: datetime = strawberry.field(description="When this grade was computed (UTC).")
    rule_version: str = strawberry.field(
        description="The version of the rule table in docs/CREDIT_GRADE.md.")
    reasons: list[CreditGradeReason] = strawberry.field(
        description="Every rule that moved the score, largest deduction first.")


def _shown(found: SubjectGrade | None) -> CreditGrade:
    assert found is not None  # a grade is computed for every stored subject
    return CreditGrade(
        grade=found.graded.letter, score=found.graded.score,
        computed_at=found.computed_at.astimezone(UTC), rule_version=RULE_VERSION,
        reasons=[_reason(r) for r in found.graded.reasons])


def _reason(reason: Reason) -> CreditGradeReason:
    rule = RULES[reason.rule]
    return CreditGradeReason(rule=reason.rule, title=rule.title, summary=rule.summary,
                             clause=reason.clause, effect=reason.effect, source=reason.record)


async def credit_grade_of(context: Context, subject: models.Subject) -> CreditGrade:
    """The subject's grade in the caller's view (the loaders' ``grades``: the public view for
    PUBLIC and PLATFORM) as ``CreditGrade`` shows it — for the resolver and compiled plans."""
    return _shown(await context.loaders.grades.load(row_id(subject)))


async def credit_grade(root: Parent[models.Subject], info: Info) -> CreditGrade:
    return await credit_grade_of(info.context, root)


async def supervisory_class(root: Parent[models.Subject], info: Info) -> CreditGrade | None:
    if not info.context.caller.sees_all_records:
        raise ForbiddenError("supervisoryClass (信用风险分类) is for REGULATOR and AUDITOR "
                             "callers only")
    return _shown(await info.context.loaders.supervisory_grades.load(row_id(root)))
