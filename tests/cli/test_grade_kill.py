"""信用等级 across a crash: ``credit-gateway import`` killed with SIGKILL mid-run leaves grades
that agree exactly with the batches it committed — the grade derived from the records when
read, and the stored grade the dashboards count (each batch regrades its subjects in its own
transaction, so none falls behind) — and the next run completes them, including in a server
that had cached the grades before the import (docs/CREDIT_GRADE.md, "Crashes")."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from resolvers.domain import clock
from resolvers.domain.enums import Severity
from resolvers.domain.grading import PenaltyFact, SubjectFacts, grade_of
from tests.cli.test_import import (
    EXECUTABLE,
    other_sessions,
    penalties,
    poll_run,
    run,
    summary,
    until_gone,
    write_csv,
)
from tests.conftest import Backend, GraphQLClient, app_client, writable_database
from tests.roles import regulator_key

TAG = "gradekill"
SEVERITY = {"轻微": Severity.MINOR, "一般": Severity.GENERAL, "严重": Severity.SERIOUS}  # CF_YZCD
GRADES = """{ subjects(first: 40) { edges { node { uscc supervisoryClass { grade score
  reasons { rule effect record { id ... on Penalty { decisionNumber } } } } } } } }"""


async def named(client: GraphQLClient) -> dict[str, set[str]]:
    """USCC → decision numbers of this test's penalties the supervisory class counts (by the
    penalty rules; late disclosure may name a penalty too, but at most three)."""
    page = (await client.data(GRADES))["subjects"]["edges"]
    return {e["node"]["uscc"]: {r["record"]["decisionNumber"]
                                for r in e["node"]["supervisoryClass"]["reasons"]
                                if r["rule"].startswith("penalty.")
                                and TAG in r["record"]["decisionNumber"]}
            for e in page}


STORED = """{ stats { subjects(by: GRADE) { key count } }
  subjects(first: 40) { totalCount edges { node { creditGrade { grade } } } } }"""


async def stored_agrees(backend: Backend) -> dict[str, int]:
    """The stored grades counted by class are the grades ``creditGrade`` shows the public,
    subject by subject (the stored grade is the public view; a regulator's ``creditGrade``
    reads every record)."""
    async with app_client(backend) as anonymous:
        data = await anonymous.data(STORED)
    shown: dict[str, int] = {}
    for edge in data["subjects"]["edges"]:
        grade = edge["node"]["creditGrade"]["grade"]
        shown[grade] = shown.get(grade, 0) + 1
    assert data["subjects"]["totalCount"] == len(data["subjects"]["edges"])
    assert {g["key"]: g["count"] for g in data["stats"]["subjects"]} == shown
    return shown


def counted(rows: list[dict[str, Any]]) -> dict[str, set[str]]:
    """USCC → decision numbers of ``rows`` a grade counts today (by the rule table)."""
    today, found = clock.today(), dict[str, set[str]]()
    for number, row in enumerate(rows):
        fact = PenaltyFact(number, SEVERITY[row["CF_YZCD"]], date.fromisoformat(row["CF_JDRQ"]))
        if grade_of(SubjectFacts(penalties=(fact,)), today).reasons:
            found.setdefault(row["CF_XDR_SHXYM"], set()).add(row["CF_WSH"])
    return found


@pytest.fixture
async def writable(backend: Backend, tmp_path: Any) -> AsyncIterator[Backend]:
    """The ``writable`` subjects (the same generator, size and seed) in a database of this
    test's own: its 250 penalties fall on every subject, which would leave the session's
    shared ``writable`` data without the clean records other tests write about."""
    async with writable_database(backend, tmp_path, "kill") as own:
        yield own


@pytest.mark.slow
async def test_a_killed_import_leaves_grades_true_to_what_it_committed(
        writable: Backend, tmp_path: Any) -> None:
    rows = penalties(250, TAG)
    file = write_csv(tmp_path / "grades.csv", rows)
    key = await regulator_key(writable)
    before_run = (await poll_run(writable, None))[0]
    graded_before = await stored_agrees(writable)
    # a server sharing the importer's cache namespace, its grades cached before the import
    async with app_client(writable, cache_prefix=writable.cache_prefix) as server:
        server.http.headers["Authorization"] = f"Bearer {key}"
        assert not any((await named(server)).values())
        known = await other_sessions(writable)  # the server's pooled connections among them
        child = await asyncio.create_subprocess_exec(
            str(EXECUTABLE), "import", "penalties", str(file), "--batch-size", "5", "--quiet",
            env={**os.environ, **writable.env}, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL)
        try:
            for _ in range(600):  # up to 30 s: until some batches are committed
                run_id, inserted, _ = await poll_run(writable, None)
                if run_id > before_run and inserted >= 30:
                    break
                await asyncio.sleep(0.05)
            child.send_signal(signal.SIGKILL)
        finally:
            await child.wait()
        await until_gone(writable, known)
        _, inserted, finished = await poll_run(writable, None)
        assert finished is None, "the import ended before it could be killed"
        committed = rows[:inserted]  # whole batches in file order (test_import proves it)
        async with app_client(writable) as fresh:  # nothing cached: straight from the records
            fresh.http.headers["Authorization"] = f"Bearer {key}"
            after_kill = await named(fresh)
        await stored_agrees(writable)
        assert {u: s for u, s in after_kill.items() if s} == counted(committed)

        assert summary(await run(writable, "penalties", file))["inserted"] == len(rows) - inserted

        completed = await named(server)  # the server that had cached the old grades
    assert await stored_agrees(writable) != graded_before  # the import moved public grades
    assert {u: s for u, s in completed.items() if s} == counted(rows)
    assert sum(map(len, completed.values())) > sum(map(len, after_kill.values())) > 0
