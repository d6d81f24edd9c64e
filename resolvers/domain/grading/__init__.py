"""信用等级 — the explainable credit grade: the versioned rule table (``rules``) and the pure
functions that apply it to one view of a subject's records (``compute``)."""

from resolvers.domain.grading.compute import (
    CommitmentFact,
    ComplaintFact,
    EntryFact,
    Graded,
    PenaltyFact,
    Reason,
    SubjectFacts,
    SubjectGrade,
    grade_of,
    letter,
    next_change,
)
from resolvers.domain.grading.rules import BANDS, BASE_SCORE, RULE_VERSION, RULES, Letter, Rule

__all__ = ["BANDS", "BASE_SCORE", "RULES", "RULE_VERSION", "CommitmentFact", "ComplaintFact",
           "EntryFact", "Graded", "Letter", "PenaltyFact", "Reason", "Rule", "SubjectFacts", "SubjectGrade",
           "grade_of", "letter", "next_change"]
