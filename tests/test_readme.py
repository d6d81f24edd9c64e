"""The README documents every setting the code reads, the two commands exist, and its
examples run as written against a seeded server."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from gateway.cli.main import cli
from gateway.settings import describe
from resolvers.domain import uscc
from tests.conftest import Backend, create_pg_database, drop_pg_database, writer_client

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_with_its_default() -> None:
    for variable, default, _ in describe():
        row = next((line for line in README.splitlines() if line.startswith(f"| `{variable}` ")),
                   None)
        assert row is not None, f"{variable} missing from README's Configuration table"
        assert (f"`{default}`" in row) if default else ("empty" in row)


def test_the_two_commands_exist_and_ci_runs_the_test_command() -> None:
    for script in ("scripts/demo", "scripts/test"):
        assert f"\n{script}\n" in README
        assert os.access(ROOT / script, os.X_OK)
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


DEMO_SEED = 1  # scripts/demo seeds with --seed 1: the examples name subjects of that dataset
DEMO_SUBJECTS = 40  # the generator is prefix-stable: these are the demo's first 40 subjects
NOT_RUN = {"scripts/demo": "installs, seeds and serves until stopped",
           "scripts/test": "runs the whole suite (this test among it)"}


def fenced(language: str) -> list[str]:
    """The bodies of README's code blocks in ``language``."""
    return re.findall(rf"^```{language}\n(.*?)^```$", README, flags=re.M | re.S)


def commands() -> list[str]:
    return [line.split("  #")[0].strip() for block in fenced("sh")
            for line in block.splitlines() if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="module")
async def demo(backend: Backend, tmp_path_factory: pytest.TempPathFactory
               ) -> AsyncIterator[Backend]:
    """A database seeded like ``scripts/demo`` (its seed, fewer subjects)."""
    from resolvers.data.database import Database
    from resolvers.data.migrate import upgrade
    from resolvers.demo.seeding import seed_database

    if backend.name == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('readme') / 'credit.sqlite3'}"
    else:
        url = await create_pg_database()
    try:
        await upgrade(url)
        database = Database(url)
        try:
            await seed_database(database, subjects=DEMO_SUBJECTS, seed=DEMO_SEED, progress=False)
        finally:
            await database.dispose()
        yield Backend(backend.name, url, backend.redis_url, f"{backend.cache_prefix}-readme")
    finally:
        if backend.name == "postgres":
            await drop_pg_database(url)


def test_every_uscc_in_the_readme_passes_its_check() -> None:
    codes = re.findall(r"(?<![0-9A-Z])[0-9A-HJ-NP-RTUW-Y]{18}(?![0-9A-Z])", README)
    assert len(codes) >= 2
    assert [c for c in codes if not uscc.is_valid(c)] == []


async def test_every_readme_example_runs_as_written(demo: Backend) -> None:
    """Every ```sh command (but the two that never return) and every ```graphql document,
    the mutation with the key the ```sh block creates: no errors, data for every field."""
    found = commands()
    assert {c for c in found if not c.startswith("credit-gateway ")} == set(NOT_RUN)
    key = None
    for command in found:
        if command in NOT_RUN:
            continue
        result = await asyncio.to_thread(CliRunner().invoke, cli, shlex.split(command)[1:],
                                         env=demo.env)
        assert result.exit_code == 0, (command, result.output)
        key = next(iter(re.findall(r"cgk_\S+", result.output)), key)
    documents = fenced("graphql")
    assert len(documents) >= 2
    for document in documents:
        writes = document.lstrip().startswith(("mutation", "#")) and "mutation" in document
        assert key is not None or not writes
        async with writer_client(demo, key if writes else None) as client:
            body = await client.post(document)
        assert "errors" not in body, (document, body["errors"])
        assert all(value is not None for value in body["data"].values()), body["data"]


async def test_the_showcase_subjects_cover_every_grade_as_the_readme_says(demo: Backend) -> None:
    """README: of the showcase subjects 1–7, 2, 3, 6, 7 are A, 1 is B, the counterfeiter 5 is
    C, the black-listed 4 is D — every class in the public view; and every black-listed
    subject of the demo is D (docs/DEMO_DATA.md)."""
    async with writer_client(demo, None) as client:
        body = await client.post("{ subjects(first: 40) { edges { node { listStatus "
                                 "creditGrade { grade reasons { rule } } } } } }")
    nodes = [edge["node"] for edge in body["data"]["subjects"]["edges"]]
    grades = {ordinal: nodes[ordinal - 1]["creditGrade"]["grade"] for ordinal in range(1, 8)}
    assert grades == {1: "B", 2: "A", 3: "A", 4: "D", 5: "C", 6: "A", 7: "A"}
    assert set(grades.values()) == {"A", "B", "C", "D"}
    assert [nodes[3]["listStatus"], nodes[4]["listStatus"]] == ["BLACK", "NONE"]
    assert {r["rule"] for r in nodes[4]["creditGrade"]["reasons"]} == {"penalty.serious.past"}
    assert all(n["creditGrade"]["grade"] == "D" for n in nodes if n["listStatus"] == "BLACK")
