"""信用报告 — the credit report of one subject: ``Query.creditReport(uscc)``.

The report is a GraphQL document (``REPORT_DOCUMENT``), one fragment per section, executed
through the same schema with the caller's context: what a role may see, masking and publicity
come from the resolvers every other query uses, never from the report. ``GET /report/{uscc}``
(gateway/report/) renders this JSON as a printable page.

The credit grade is the ``Grade`` fragment: the grade the caller's role is shown
(``Subject.creditGrade``), with each reason's rule, clause, effect and record.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from resolvers.context import Info
from resolvers.domain import grading, list_rules
from resolvers.errors import GatewayError, InternalError
from resolvers.personal_reads import PersonalReads
from resolvers.types.scalars import USCC, require_uscc

PAGE = 50  # records per section; the report says when a section holds more

FRAGMENTS = """
fragment Grade on Subject {
  creditGrade { grade score computedAt ruleVersion reasons {
    rule title clause effect record { __typename ... on Penalty { decisionNumber }
      ... on License { decisionNumber } ... on ListEntry { kind } } } }
}
fragment Identity on Subject {
  uscc usccLegacy name kind category registeredOn status address phone
  region { code province name }
  legalRepresentative { name idType idNumber }
  verification { verified verifiedOn mark }
  listStatus
}
fragment Licences on Subject {
  licenses(first: $page) { totalCount edges { node {
    decisionNumber decisionTitle category certificateName licenseNumber content
    decisionDate validFrom validTo status authority publishedOn source sourceCode } } }
}
fragment Penalties on Subject {
  penalties(first: $page) { totalCount edges { node {
    decisionNumber violationType category content fine confiscated severity decisionDate
    publishedOn publicityEnd authority source sourceCode publicity { state publicUntil } } } }
}
fragment Lists on Subject {
  listEntries(first: $page) { totalCount edges { node {
    kind reason measures authority authorityCode validFrom validTo liftedOn inForce
    source sourceCode } } }
}
fragment Commitments on Subject {
  commitments(first: $page) { totalCount edges { node {
    kind text committedOn status statusOn source sourceCode } } }
}
fragment Ratings on Subject {
  ratingSummary { count average positive neutral negative creditPoints }
}
fragment Logistics on Subject {
  carrierCreditClass { grade parcels emptyParcels emptyParcelRate }
  logisticsLinks(first: $page) { totalCount edges { node {
    carrier { uscc name } periodStart periodEnd parcels emptyParcels source sourceCode } } }
}
fragment Complaints on Subject {
  complaints(first: $page) { totalCount edges { node {
    channel reference summary filedOn status resolvedOn source sourceCode } } }
}
"""

REPORT_DOCUMENT = """
query CreditReportSections($uscc: USCC!, $page: Int!) {
  subject(uscc: $uscc) {
    ...Identity ...Grade ...Licences ...Penalties ...Lists ...Commitments ...Ratings ...Logistics
    ...Complaints
  }
}
""" + FRAGMENTS


async def credit_report(
    info: Info,
    uscc: Annotated[USCC, strawberry.argument(description="统一社会信用代码 of the subject.")],
) -> JSON | None:
    """The sections of the report as the caller may see them; null for an unknown subject."""
    # the sections run as their own operation on this request's loaders and caller; their
    # personal-data reads are logged by that operation (once), not again by this one
    code = require_uscc(uscc)  # INVALID_USCC (with the expected check character) at this field
    context = dataclasses.replace(info.context, personal_reads=PersonalReads())
    result = await info.schema.execute(REPORT_DOCUMENT, variable_values={
        "uscc": code, "page": PAGE}, context_value=context,
        operation_name="CreditReportSections")
    if result.errors:
        error = result.errors[0].original_error
        if isinstance(error, GatewayError):  # INVALID_USCC and the like, as the caller sent it
            raise error
        raise InternalError("the credit report could not be assembled") from error
    subject = (result.data or {}).get("subject")
    if subject is None:
        return None
    report: dict[str, Any] = {
        "generatedAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "today": info.context.today.isoformat(),
        "role": info.context.caller.role.value,
        "ruleVersions": {"grade": grading.RULE_VERSION, "lists": list_rules.RULES_VERSION},
        "sectionSize": PAGE,
        "subject": subject,
    }
    return cast("JSON", report)


@strawberry.type
class ReportQueries:
    credit_report: JSON | None = strawberry.field(
        resolver=credit_report,
        description="信用报告 — the credit report of one subject as JSON: identity and "
                    "verification, licences, penalties, list entries, commitments, rating "
                    "summary, logistics, complaints (each record with its source department "
                    "and dates; at most 50 per section, with the total), the time it was "
                    "generated and the rule versions; what the caller's role may see "
                    "(docs/CREDIT_LISTS.md, \"Credit report\"). Null for an unknown USCC. "
                    "Printable: `GET /report/{uscc}`.")
