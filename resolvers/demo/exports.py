"""Department exports (双公示 files) of the demo dataset, for the bulk importer.

``penalty_export(subjects, seed, rows)`` yields penalty decisions in the national CF_ columns
about the subjects of the demo dataset ``(subjects, seed)`` — the file a market-regulation
bureau would hand over, valid row by row. The penalties come from the generator's own rules
(``add_penalties``: violations, severities, amounts, authorities, publication lags), drawn
from streams of their own, round after round over the subjects until there are ``rows`` of
them; their document numbers start at ``SERIAL_BASE`` so they never collide with the
penalties the seeded dataset already holds. The same arguments give the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from resolvers.demo._decisions import add_penalties
from resolvers.demo._population import Population
from resolvers.demo._random import Stream, key
from resolvers.demo._rows import COLUMNS, Sink
from resolvers.demo.generator import DemoGenerator
from resolvers.domain.enums import TERMS, Department, IdType, PenaltyCategory, Severity, SubjectCategory

SERIAL_BASE = 1_000_000
EXPORT_STREAM = 1_000  # stream numbers of the export rounds: far from the generator's own

PENALTY_COLUMNS = (
    "CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_FRDB", "CF_FR_ZJLX", "CF_FR_ZJHM", "CF_WSH",
    "CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB", "CF_NR", "CF_NR_FK", "CF_NR_WFFF", "CF_NR_ZKDX",
    "CF_JDRQ", "CF_YXQ", "CF_GSJZQ", "CF_CFJG", "CF_CFJGDM", "CF_SJLY", "CF_SJLYDM", "CF_BZ",
    "CF_YZCD", "CF_GSRQ",
)


@dataclass(frozen=True, slots=True)
class _Identity:
    uscc: str
    name: str
    category: str
    rep_name: str
    rep_id_type: str
    rep_id_number: str


def _identities(subjects: int, seed: int) -> dict[int, _Identity]:
    columns = COLUMNS["subject"]
    at = {name: columns.index(name) for name in columns}
    found = {}
    for table, row in DemoGenerator(subjects=subjects, seed=seed).rows():
        if table == "subject":
            cell = {name: str(row[i]) for name, i in at.items()}
            found[int(cell["id"])] = _Identity(
                cell["uscc"], cell["name"], TERMS[SubjectCategory(cell["category"])],
                cell["legal_rep_name"], TERMS[IdType(cell["legal_rep_id_type"])],
                cell["legal_rep_id_number"])
    return found


def _text(value: Any) -> str:
    """A cell as an export writes it: empty for nothing, ISO 8601 for a day."""
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def penalty_export(subjects: int, seed: int, rows: int) -> Iterator[dict[str, str]]:
    """``rows`` valid penalty rows (CF_ columns as text) about the demo dataset's subjects."""
    who = _identities(subjects, seed)
    population = Population(subjects, seed)
    sink, draw = Sink(serial_base=SERIAL_BASE), Stream()
    at = {name: i for i, name in enumerate(COLUMNS["penalty"])}
    produced, round_ = 0, 0
    while produced < rows:
        round_ += 1
        for ordinal in range(1, subjects + 1):
            profile = population.profile(ordinal)
            add_penalties(sink, profile, draw.reseed(key(seed, ordinal, EXPORT_STREAM + round_)))
            for row in sink.take().get("penalty", []):
                subject = who[int(str(row[at["subject_id"]]))]
                yield {
                    "CF_XDR_MC": subject.name, "CF_XDR_LB": subject.category,
                    "CF_XDR_SHXYM": subject.uscc, "CF_FRDB": subject.rep_name,
                    "CF_FR_ZJLX": subject.rep_id_type, "CF_FR_ZJHM": subject.rep_id_number,
                    "CF_WSH": _text(row[at["decision_number"]]),
                    "CF_WFXW": _text(row[at["violation_type"]]), "CF_SY": _text(row[at["facts"]]),
                    "CF_YJ": _text(row[at["legal_basis"]]),
                    "CF_CFLB": TERMS[PenaltyCategory(str(row[at["category"]]))].split("、")[0],
                    "CF_NR": _text(row[at["content"]]), "CF_NR_FK": _text(row[at["fine"]]),
                    "CF_NR_WFFF": _text(row[at["confiscated"]]),
                    "CF_NR_ZKDX": _text(row[at["suspended_license"]]),
                    "CF_JDRQ": _text(row[at["decision_date"]]),
                    "CF_YXQ": _text(row[at["valid_until"]]),
                    "CF_GSJZQ": _text(row[at["publicity_end"]]),
                    "CF_CFJG": _text(row[at["authority"]]),
                    "CF_CFJGDM": _text(row[at["authority_code"]]),
                    "CF_SJLY": TERMS[Department(str(row[at["source"]]))],
                    "CF_SJLYDM": _text(row[at["source_code"]]), "CF_BZ": "",
                    "CF_YZCD": TERMS[Severity(str(row[at["severity"]]))].split("（")[0],
                    "CF_GSRQ": _text(row[at["published_on"]]),
                }
                produced += 1
                if produced == rows:
                    return
