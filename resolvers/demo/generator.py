"""The demo dataset generator (演示数据): a deterministic merchant-credit graph.

``DemoGenerator(subjects=N, seed=S)`` yields the rows of every credit table in chunks of
subjects, in ordinal order: each subject (its id is its ordinal 1…N) and its records. The same
``(N, S)`` always gives byte-identical rows — whatever the chunk size, the backend or today's
date — because each subject's data is a function of ``(S, ordinal)`` alone (see ``_random``),
every date is anchored to ``REFERENCE_DATE``, and ids and document serial numbers are handed
out in ordinal order. Only the chunk being generated is in memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from resolvers.demo._calendar import REFERENCE_DATE
from resolvers.demo._conduct import add_commitments, add_complaints, add_ratings
from resolvers.demo._decisions import add_licences, add_penalties
from resolvers.demo._identity import MAX_SUBJECTS
from resolvers.demo._lists import add_list_entries
from resolvers.demo._logistics import add_links
from resolvers.demo._population import SUBJECT_STREAM, Population
from resolvers.demo._random import Stream, key
from resolvers.demo._rows import COLUMNS, TABLES, Row, Sink, Value
from resolvers.demo._subjects import add_subject

__all__ = [
    "COLUMNS",
    "MAX_SUBJECTS",
    "MIN_SUBJECTS",
    "REFERENCE_DATE",
    "TABLES",
    "Chunk",
    "DemoGenerator",
    "Row",
    "Value",
    "check_size",
]

MIN_SUBJECTS = 2  # a platform and a carrier (ordinals 1 and 2)


@dataclass(frozen=True, slots=True)
class Chunk:
    """The rows of ``subjects`` consecutive subjects and their records, to insert table by
    table in ``TABLES`` order."""

    subjects: int
    rows: dict[str, list[Row]]

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def check_size(subjects: int) -> None:
    """``ValueError`` unless ``MIN_SUBJECTS ≤ subjects ≤ MAX_SUBJECTS``."""
    if not MIN_SUBJECTS <= subjects <= MAX_SUBJECTS:
        raise ValueError(
            f"subjects must be between {MIN_SUBJECTS} and {MAX_SUBJECTS:,}, got {subjects}")


class DemoGenerator:
    """Streams the demo dataset of ``subjects`` subjects under ``seed``."""

    def __init__(self, *, subjects: int, seed: int) -> None:
        check_size(subjects)
        self.subjects = subjects
        self.seed = seed
        self.population = Population(subjects, seed)

    def chunks(self, batch_size: int) -> Iterator[Chunk]:
        """Every row, ``batch_size`` subjects at a time. Ids and serial numbers continue
        across chunks, so consume the iterator in order. A chunk's records may name subjects
        of later chunks (raters, carriers, platforms): the loader defers foreign keys."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        sink = Sink()
        draw = Stream()
        population = self.population
        for start in range(1, self.subjects + 1, batch_size):
            stop = min(start + batch_size, self.subjects + 1)
            for ordinal in range(start, stop):
                # one stream per subject: its profile, its row, then its records
                draw.reseed(key(self.seed, ordinal, SUBJECT_STREAM))
                profile = population.profile(ordinal, draw)
                add_subject(sink, population, profile, draw)
                add_licences(sink, profile, draw)
                add_penalties(sink, profile, draw)
                add_ratings(sink, population, profile, draw)
                add_commitments(sink, population, profile, draw)
                add_complaints(sink, population, profile, draw)
                add_links(sink, population, profile, draw)
                add_list_entries(sink, population, profile, draw)
            yield Chunk(stop - start, sink.take())

    def rows(self, batch_size: int = 5_000) -> Iterator[tuple[str, Row]]:
        """Every ``(table, row)`` in insertion order — for tests and small exports."""
        for chunk in self.chunks(batch_size):
            for table in TABLES:
                for row in chunk.rows.get(table, ()):
                    yield table, row
