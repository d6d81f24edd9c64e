"""双公示 decisions as departments report them: 行政处罚 (penalties, CF_) and 行政许可
(licences, XK_). Natural key: the deciding authority's USCC and the decision number (文号),
which the authority never issues twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from resolvers.data import models
from resolvers.domain.enums import (
    AuditAction,
    LicenseCategory,
    LicenseStatus,
    PenaltyCategory,
    Severity,
)
from resolvers.domain.ownership import RecordType
from resolvers.domain.publicity import (
    PUBLICITY_MONTHS,
    publicity_window,
    severity_for_publicity,
)
from resolvers.domain.workdays import disclosure_lag
from resolvers.writes.checks import Checker
from resolvers.writes.records.base import RecordSpec, Ref, Values, own_authority_only


@dataclass(frozen=True)
class PenaltyDraft:
    """行政处罚 as reported; ``subject`` is the penalised subject's USCC (CF_XDR_SHXYM)."""

    subject: str | None = None
    decision_number: str | None = None
    violation_type: str | None = None
    facts: str | None = None
    legal_basis: str | None = None
    category: PenaltyCategory | None = None
    content: str | None = None
    severity: Severity | None = None
    decision_date: date | None = None
    authority: str | None = None
    authority_code: str | None = None
    fine: Decimal | None = None
    confiscated: Decimal | None = None
    suspended_license: str | None = None
    valid_until: date | None = None
    publicity_end: date | None = None
    published_on: date | None = None
    remarks: str | None = None
    source_code: str | None = None
    # the severity to assume when it is neither stated nor derivable (an import's --severity)
    severity_default: Severity | None = None


@dataclass(frozen=True)
class LicenseDraft:
    """行政许可 as reported; ``subject`` is the licensee's USCC (XK_XDR_SHXYM)."""

    subject: str | None = None
    decision_number: str | None = None
    decision_title: str | None = None
    category: LicenseCategory | None = None
    content: str | None = None
    decision_date: date | None = None
    valid_from: date | None = None
    authority: str | None = None
    authority_code: str | None = None
    certificate_name: str | None = None
    license_number: str | None = None
    valid_to: date | None = None
    status: LicenseStatus = LicenseStatus.VALID
    official_url: str | None = None
    published_on: date | None = None
    remarks: str | None = None
    source_code: str | None = None


def _decision(d: PenaltyDraft | LicenseDraft, c: Checker) -> Values:
    """The fields both kinds of decision share, and the disclosure lag (working days from
    decision to publication) stored with them."""
    decided = c.past("decision_date", d.decision_date)
    c.required("decision_date", decided)
    published = c.past("published_on", d.published_on)
    c.not_before("published_on", published, decided, "decision_date")
    return {
        "decision_number": c.text("decision_number", d.decision_number),
        "content": c.text("content", d.content),
        "decision_date": decided,
        "published_on": published,
        "disclosure_lag_days": disclosure_lag(decided, published) if decided else None,
        "authority": c.text("authority", d.authority),
        "authority_code": c.code("authority_code", d.authority_code),
        "remarks": c.text("remarks", d.remarks, required=False),
        "source_code": c.code("source_code", d.source_code, required=False),
    }


def check_penalty(d: PenaltyDraft, c: Checker) -> Values:
    values = _decision(d, c)
    decided = values["decision_date"]
    fine, confiscated = c.amount("fine", d.fine), c.amount("confiscated", d.confiscated)
    if d.category is PenaltyCategory.FINE and d.fine is None:
        c.fail("fine", "is required for a FINE penalty (罚款)", reason="required")
    if d.category is PenaltyCategory.CONFISCATION and d.confiscated is None:
        c.fail("confiscated", "is required for a CONFISCATION penalty (没收)", reason="required")
    c.not_before("valid_until", d.valid_until, decided, "decision_date")
    c.required("category", d.category)
    end = d.publicity_end
    severity, derived = _severity(d, decided, c)
    if severity is not None and decided is not None:
        low, high = publicity_window(decided, severity)
        shortest, longest = PUBLICITY_MONTHS[severity]
        c.within("publicity_end", end, low, high,
                 f"a {severity.value} penalty is public {shortest} to {longest} months")
        end = end or high  # without a stated end, the maximum period
    return values | {
        "violation_type": c.text("violation_type", d.violation_type),
        "facts": c.text("facts", d.facts),
        "legal_basis": c.text("legal_basis", d.legal_basis),
        "category": d.category,
        "fine": fine,
        "confiscated": confiscated,
        "suspended_license": c.text("suspended_license", d.suspended_license, required=False),
        "valid_until": d.valid_until,
        "severity": severity,
        "severity_derived": derived,
        "publicity_end": end,
    }


def _severity(d: PenaltyDraft, decided: date | None,
              c: Checker) -> tuple[Severity | None, bool]:
    """失信行为严重程度 as stated; else derived from the publicity end (the national 双公示
    standard has no severity field: the period 公示截止期 − 处罚决定日期 says it); else the
    writer's default. The second value says whether it was derived (not stated)."""
    if d.severity is not None:
        return d.severity, False
    if decided is not None and d.publicity_end is not None:
        derived = severity_for_publicity(decided, d.publicity_end)
        if derived is not None:
            return derived, True
    if d.severity_default is not None:
        return d.severity_default, True
    if decided is not None:  # without a decision date that is the problem to report
        why = ("the publicity end lies in no severity's period" if d.publicity_end is not None
               else "there is no publicity end to derive it from")
        c.fail("severity", f"is not stated and {why}", reason="underivable")
    return None, False


def check_license(d: LicenseDraft, c: Checker) -> Values:
    values = _decision(d, c)
    c.required("category", d.category)
    c.required("valid_from", d.valid_from)
    c.not_before("valid_to", d.valid_to, d.valid_from, "valid_from")
    url = c.text("official_url", d.official_url, required=False)
    if url is not None and not url.startswith(("https://", "http://")):
        c.fail("official_url", "must be an http(s):// address", reason="url")
    return values | {
        "decision_title": c.text("decision_title", d.decision_title),
        "category": d.category,
        "certificate_name": c.text("certificate_name", d.certificate_name, required=False),
        "license_number": c.text("license_number", d.license_number, required=False),
        "valid_from": d.valid_from,
        "valid_to": d.valid_to,
        "status": d.status,
        "official_url": url,
    }


PENALTY = RecordSpec(
    record_type=RecordType.PENALTY, model=models.Penalty, draft=PenaltyDraft,
    key=("authority_code", "decision_number"), refs={"subject": Ref("subject_id")},
    subject="subject_id", action=AuditAction.PENALTY_PUBLISHED, check=check_penalty,
    lifecycle=frozenset({"repaired_on"}), guard=own_authority_only,
)

LICENSE = RecordSpec(
    record_type=RecordType.LICENSE, model=models.License, draft=LicenseDraft,
    key=("authority_code", "decision_number"), refs={"subject": Ref("subject_id")},
    subject="subject_id", action=AuditAction.LICENSE_GRANTED, check=check_license,
    lifecycle=frozenset({"status"}), guard=own_authority_only,
)
