"""The tables of the credit graph; importing this package registers every table."""

from resolvers.data.models.base import Record
from resolvers.data.models.brushing import BrushingEvidenceRow, BrushingRun, BrushingSuspectRow
from resolvers.data.models.conduct import Commitment, Complaint, Rating
from resolvers.data.models.decisions import License, Penalty
from resolvers.data.models.lists import ListCandidate, ListEntry
from resolvers.data.models.logistics import CarrierTie, LogisticsLink
from resolvers.data.models.subject import StoredGrade, Subject, SubjectCount
from resolvers.data.models.writes import AccessLog, AuditEvent, HostedSubject, ImportRun, Writer

__all__ = [
    "AccessLog",
    "AuditEvent",
    "BrushingEvidenceRow",
    "BrushingRun",
    "BrushingSuspectRow",
    "CarrierTie",
    "Commitment",
    "Complaint",
    "HostedSubject",
    "ImportRun",
    "License",
    "ListCandidate",
    "ListEntry",
    "LogisticsLink",
    "Penalty",
    "Rating",
    "Record",
    "StoredGrade",
    "Subject",
    "SubjectCount",
    "Writer",
]
