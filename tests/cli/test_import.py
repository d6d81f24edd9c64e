"""``credit-gateway import``: 双公示 files and the other record types, streamed in batches through
the write service — summary, rejects file with line numbers, nothing added by a re-run, a run
killed mid-way completed by the next, and two importers racing over one file."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import signal
import sys
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from gateway.cli.main import cli
from resolvers.data.database import Database
from resolvers.demo.exports import PENALTY_COLUMNS, penalty_export
from resolvers.domain.masking import mask_id_number
from tests.conftest import WRITE_SEED, WRITE_SUBJECTS, Backend, app_client, writer_client
from tests.roles import regulator_key

EXECUTABLE = Path(sys.executable).with_name("credit-gateway")


@cache
def _export(rows: int) -> tuple[dict[str, str], ...]:
    return tuple(penalty_export(WRITE_SUBJECTS, WRITE_SEED, rows))


def penalties(rows: int, tag: str) -> list[dict[str, str]]:
    """Valid penalty rows (CF_ columns) about the ``writable`` subjects; ``tag`` in every
    decision number keeps each test's rows apart from the others'."""
    return [{**row, "CF_WSH": row["CF_WSH"].replace("号", f"-{tag}号")} for row in _export(rows)]


def write_csv(path: Path, rows: Iterable[dict[str, str]], *, bom: bool = False,
              columns: Iterable[str] = PENALTY_COLUMNS) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows),
                    encoding="utf-8")
    return path


async def run(backend: Backend, *args: str | Path) -> Result:
    """``credit-gateway import ARGS`` in-process (in a thread: it runs its own event loop)."""
    return await asyncio.to_thread(CliRunner().invoke, cli, ["import", *map(str, args)],
                                   env=backend.env)


def summary(result: Result) -> dict[str, int]:
    assert result.exit_code == 0, result.output
    return {parts[0]: int(parts[1].replace(",", "")) for line in result.output.splitlines()
            if len(parts := line.split()) == 2 and parts[0] in
            ("read", "inserted", "unchanged", "conflicting", "rejected", "other_department")}


async def scalar(backend: Backend, sql: str, **params: Any) -> Any:
    database = Database(backend.database_url)
    try:
        async with database.engine.connect() as conn:
            return (await conn.execute(sa.text(sql), params)).scalar()
    finally:
        await database.dispose()


async def tagged(backend: Backend, tag: str) -> int:
    return int(await scalar(backend, "SELECT count(*) FROM penalty WHERE decision_number LIKE "
                                     ":tag", tag=f"%-{tag}号"))


def test_import_has_help() -> None:
    result = CliRunner().invoke(cli, ["import", "--help"])
    assert result.exit_code == 0
    for option in ("--department", "--rejects", "--batch-size", "--format"):
        assert option in result.output
    assert "penalties|licenses|ratings" in result.output


async def test_csv_with_bom_bad_rows_go_to_rejects_with_their_line(
    writable: Backend, tmp_path: Path
) -> None:
    rows = penalties(30, "bom")
    bad = [dict(rows[0], CF_JDRQ="2026-13-40"),                 # not a date
           dict(rows[1], CF_XDR_SHXYM="91330100716105852F"),    # no such subject
           dict(rows[2], CF_NR_FK="-3", CF_CFJGDM="914403001922038217"),
           dict(rows[3], CF_CFLB="当众训诫")]                     # not a category
    duplicate, conflicting = dict(rows[4]), dict(rows[5], CF_NR_FK="999")
    file = write_csv(tmp_path / "cf.csv", [*rows[6:], *bad, duplicate, rows[4], rows[5],
                                           conflicting], bom=True)

    result = await run(writable, "penalties", file, "--batch-size", "7")

    assert summary(result) == {"read": 32, "inserted": 26, "unchanged": 1, "conflicting": 1,
                               "rejected": 4}
    assert await tagged(writable, "bom") == 26
    with (tmp_path / "cf.csv.rejects.csv").open(encoding="utf-8") as found:
        rejects = {int(r["line"]): r for r in csv.DictReader(found)}
    # line 1 is the header: 24 good rows fill lines 2–25, the bad ones 26–29, then a row and
    # its repeat (30, 31), a row (32) and the same key with another fine (33)
    assert sorted(rejects) == [26, 27, 28, 29, 33]
    assert "CF_JDRQ" in rejects[26]["problems"]
    assert "UNKNOWN_SUBJECT" in rejects[27]["problems"]
    assert "CF_NR_FK" in rejects[28]["problems"]
    assert "INVALID_USCC" in rejects[28]["problems"]
    assert "CF_CFLB" in rejects[29]["problems"]
    assert rejects[33]["outcome"] == "conflicting"
    assert "CONFLICT" in rejects[33]["problems"]
    assert json.loads(rejects[33]["row"])["CF_NR_FK"] == "999"


async def test_re_running_adds_nothing_even_in_another_format(writable: Backend,
                                                              tmp_path: Path) -> None:
    rows = penalties(40, "again")
    csv_file = write_csv(tmp_path / "cf.csv", rows)
    first = summary(await run(writable, "penalties", csv_file))
    again = summary(await run(writable, "penalties", csv_file))
    as_jsonl = summary(await run(writable, "penalties",
                                 write_jsonl(tmp_path / "cf.jsonl", rows)))

    assert first["inserted"] == 40
    assert again == as_jsonl == {"read": 40, "inserted": 0, "unchanged": 40, "conflicting": 0,
                                 "rejected": 0}
    assert await tagged(writable, "again") == 40


async def test_the_run_is_the_actor_in_the_subjects_history(writable: Backend,
                                                             tmp_path: Path) -> None:
    rows = penalties(5, "actor")
    file = write_csv(tmp_path / "bureau-export.csv", rows)
    result = summary(await run(writable, "penalties", file, "--department", "COMMERCE"))
    assert result["inserted"] == 5
    query = """query($u: USCC!) { subject(uscc: $u) { history(first: 1) { edges { node {
        action source actor { ... on ImportRun { fileName department recordType rowsRead
        inserted finishedAt } } } } } } }"""
    # a regulator's key: the public does not see penalties past their publicity period
    async with writer_client(writable, await regulator_key(writable)) as client:
        data = await client.data(query, {"u": rows[-1]["CF_XDR_SHXYM"]})
    event = data["subject"]["history"]["edges"][0]["node"]
    assert event["action"] == "PENALTY_PUBLISHED"
    assert event["source"] == "COMMERCE"
    assert event["actor"]["fileName"] == "bureau-export.csv"
    assert event["actor"]["recordType"] == "PENALTY"
    assert (event["actor"]["rowsRead"], event["actor"]["inserted"]) == (5, 5)
    assert event["actor"]["finishedAt"] is not None


@pytest.mark.parametrize(("change", "message"), [
    ({"extra": "CF_WHATEVER", "strict": "--strict"}, "unknown column(s) CF_WHATEVER"),
    ({"drop": "CF_WSH"}, "missing column(s) CF_WSH"),
    ({"department": "PLATFORM"}, "PLATFORM does not supply Penalty records"),
    ({"encoding": "gbk"}, "is not UTF-8"),
])
async def test_unusable_files_are_refused_before_anything_is_written(
    writable: Backend, tmp_path: Path, change: dict[str, str], message: str
) -> None:
    rows = penalties(3, "refused")
    columns = [c for c in PENALTY_COLUMNS if c != change.get("drop")]
    if "extra" in change:
        columns.append(change["extra"])
    file = tmp_path / "cf.csv"
    with file.open("w", encoding=change.get("encoding", "utf-8"), newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    runs = await scalar(writable, "SELECT count(*) FROM import_run")

    result = await run(writable, "penalties", file,
                       *(["--department", change["department"]] if "department" in change else []),
                       *([change["strict"]] if "strict" in change else []))

    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert await scalar(writable, "SELECT count(*) FROM import_run") == runs
    assert await tagged(writable, "refused") == 0


async def test_other_record_types(writable: Backend, tmp_path: Path) -> None:
    async with app_client(writable) as client:
        data = await client.data("""{ m: subjects(first: 3, filter: {kind: MERCHANT}) {
            edges { node { uscc } } } c: subjects(first: 1, filter: {kind: LOGISTICS_FIRM}) {
            edges { node { uscc } } } p: subjects(first: 1, filter: {kind: PLATFORM}) {
            edges { node { uscc } } } }""")
    m = [e["node"]["uscc"] for e in data["m"]["edges"]]
    carrier, platform = data["c"]["edges"][0]["node"]["uscc"], data["p"]["edges"][0]["node"]["uscc"]
    files = {
        "ratings": [{"platform": platform, "rater": m[0], "ratee": m[1], "order_reference": "IMP-1",
                     "score": 4, "rated_on": "2026年10月3日", "follow_up": "不错",
                     "follow_up_on": "20261010"}],
        "commitments": [{"subject": m[0], "kind": "七日无理由退货", "text": "承诺七日无理由退货",
                         "committed_on": "2026-08-08", "status": "已履行",
                         "status_on": "2026-09-09"}],
        "logistics-links": [{"merchant": m[2], "carrier": carrier, "period_start": "2026-08-01",
                             "period_end": "2026-08-31", "parcels": 100, "empty_parcels": 2}],
        "complaints": [{"subject": m[1], "channel": "12315 市场监管投诉举报",
                        "reference": "IMP-12315-1", "summary": "虚假宣传", "filed_on": "2026-07-07"}],
        "list-entries": [{"subject": m[2], "kind": "BLACK", "reason": "刷单炒信",
                          "authority": "测试市发改委", "authority_code": "914403001922038216",
                          "valid_from": "2026-06-01"}],
        "licenses": [{"XK_XDR_SHXYM": m[0], "XK_WSH": "测许〔2026〕IMP1号", "XK_XKWS": "食品经营许可决定书",
                      "XK_XKLB": "普通", "XK_NR": "预包装食品销售", "XK_JDRQ": "2026-03-03",
                      "XK_YXQZ": "2026-03-03", "XK_YXQZI": "2031-03-02",
                      "XK_XKJG": "测试市市场监督管理局", "XK_XKJGDM": "914403001922038216",
                      "XK_ZT": "有效", "XK_GSRQ": "2026-03-05"}],
    }
    for record_type, rows in files.items():
        file = write_jsonl(tmp_path / f"{record_type}.jsonl", rows)
        first = summary(await run(writable, record_type, file))
        assert first["inserted"] == 1, (record_type, first)
        assert summary(await run(writable, record_type, file))["unchanged"] == 1, record_type


async def poll_run(backend: Backend, run_id: int | None) -> tuple[int, int, Any]:
    row = await scalar(backend, "SELECT id FROM import_run ORDER BY id DESC LIMIT 1")
    if row is None or (run_id is not None and row != run_id):
        return 0, 0, None
    database = Database(backend.database_url)
    try:
        async with database.engine.connect() as conn:
            found = (await conn.execute(sa.text(
                "SELECT id, inserted, finished_at FROM import_run WHERE id = :id"),
                {"id": row})).one()
    finally:
        await database.dispose()
    return int(found.id), int(found.inserted), found.finished_at


OTHER_SESSIONS = ("SELECT coalesce(array_agg(pid), '{}') FROM pg_stat_activity "
                  "WHERE datname = current_database() AND pid <> pg_backend_pid()")


async def other_sessions(backend: Backend) -> set[int]:
    """PostgreSQL backends on this database besides the asking one (none on SQLite)."""
    if backend.name == "sqlite":
        return set()
    return set(await scalar(backend, OTHER_SESSIONS))


async def until_gone(backend: Backend, known: set[int]) -> None:
    """Wait until a killed client's server sessions have ended: a COMMIT it sent just before
    the kill still lands, so the rows are only counted once its backends have exited."""
    for _ in range(200):  # up to 10 s
        if not await other_sessions(backend) - known:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the killed importer's database sessions did not end")


async def test_a_killed_import_run_again_ends_as_one_clean_import(
    writable: Backend, tmp_path: Path
) -> None:
    rows = penalties(1500, "killed")
    file = write_csv(tmp_path / "big.csv", rows)
    before = await scalar(writable, "SELECT max(id) FROM import_run") or 0
    known = await other_sessions(writable)
    child = await asyncio.create_subprocess_exec(
        str(EXECUTABLE), "import", "penalties", str(file), "--batch-size", "5", "--quiet",
        env={**os.environ, **writable.env}, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL)
    try:
        for _ in range(600):  # up to 30 s: wait until some batches are committed
            run_id, inserted, _ = await poll_run(writable, None)
            if run_id > before and inserted >= 50:
                break
            await asyncio.sleep(0.05)
        child.send_signal(signal.SIGKILL)  # no clean-up, no last commit: a crash
    finally:
        await child.wait()
    await until_gone(writable, known)
    run_id, inserted, finished = await poll_run(writable, None)
    assert run_id > before
    assert finished is None, "the import ended before it could be killed"
    assert 0 < inserted < len(rows)
    assert await tagged(writable, "killed") == inserted  # whole batches, nothing half-written

    again = summary(await run(writable, "penalties", file))

    assert again["inserted"] + again["unchanged"] == len(rows)
    assert again["unchanged"] == inserted
    assert await tagged(writable, "killed") == len(rows)
    stored = await scalar(writable, "SELECT count(DISTINCT authority_code || decision_number) "
                                    "FROM penalty WHERE decision_number LIKE '%-killed号'")
    assert stored == len({(r["CF_CFJGDM"], r["CF_WSH"]) for r in rows})
    events = await scalar(writable, "SELECT count(*) FROM audit_event e JOIN penalty p ON "
                                    "p.id = e.record_id AND e.record_type = 'Penalty' "
                                    "WHERE p.decision_number LIKE '%-killed号'")
    assert events == len(rows)  # one creation event per record, none twice


async def test_two_importers_racing_over_one_file_store_each_row_once(
    writable: Backend, tmp_path: Path
) -> None:
    rows = penalties(600, "race")
    file = write_csv(tmp_path / "race.csv", rows)
    env = {**os.environ, **writable.env}
    before = int(await scalar(writable, "SELECT coalesce(max(id), 0) FROM import_run"))
    async with both_started(writable, before):
        children = [await asyncio.create_subprocess_exec(
            str(EXECUTABLE), "import", "penalties", str(file), "--batch-size", "25", "--quiet",
            "--rejects", str(tmp_path / f"rejects-{n}.csv"), env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE) for n in range(2)]
    outputs = await asyncio.gather(*(child.communicate() for child in children))
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err.decode()
    counts = [{p[0]: int(p[1].replace(",", "")) for line in out.decode().splitlines()
               if len(p := line.split()) == 2 and p[0] in ("inserted", "unchanged")}
              for out, _ in outputs]

    assert await tagged(writable, "race") == len(rows)
    assert sum(c["inserted"] for c in counts) == len(rows)
    assert sum(c["unchanged"] for c in counts) == len(rows)
    if writable.name == "postgres":  # they did run side by side (else this would test nothing)
        database = Database(writable.database_url)
        try:
            async with database.engine.connect() as conn:
                (a, b) = (await conn.execute(sa.text(
                    "SELECT started_at, finished_at FROM import_run WHERE id > :before"),
                    {"before": before})).all()
        finally:
            await database.dispose()
        assert a.started_at < b.finished_at
        assert b.started_at < a.finished_at


@asynccontextmanager
async def both_started(backend: Backend, before: int) -> AsyncIterator[None]:
    """On PostgreSQL, hold every insert into ``penalty`` back until both importers have begun
    their runs, so that they race whatever the machine's load (two child processes can start
    over a second apart and one 600-row import take less). SQLite has one writer at a time:
    its importers take turns per batch and there is no interleaving to force."""
    if backend.name != "postgres":
        yield
        return
    database = Database(backend.database_url)
    try:
        async with database.engine.connect() as conn, conn.begin():
            await conn.execute(sa.text("LOCK TABLE penalty IN EXCLUSIVE MODE"))  # reads go on
            yield
            for _ in range(1200):
                started = await scalar(backend, "SELECT count(*) FROM import_run WHERE id > :b",
                                       b=before)
                if started == 2:
                    break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the importers did not both start within a minute")
    finally:
        await database.dispose()


def rejects_of(path: Path) -> dict[int, dict[str, str]]:
    with path.open(encoding="utf-8") as found:
        return {int(r["line"]): r for r in csv.DictReader(found)}


async def test_a_file_without_severity_derives_it_from_the_publicity_end(
    writable: Backend, tmp_path: Path
) -> None:
    """The national standard has no CF_YZCD: the severity is the one whose publicity period
    holds CF_GSJZQ − CF_JDRQ (stored as derived), else the --severity default."""
    rows = penalties(12, "derive")
    undated = dict(rows[-1], CF_GSJZQ="")  # no publicity end: only --severity can tell
    columns = [c for c in PENALTY_COLUMNS if c != "CF_YZCD"]
    file = write_csv(tmp_path / "cf.csv", [{c: r[c] for c in columns} for r in rows[:-1]]
                     + [{c: undated[c] for c in columns}], columns=columns)

    without_default = summary(await run(writable, "penalties", file))
    assert (without_default["inserted"], without_default["rejected"]) == (11, 1)
    assert "CF_YZCD" in rejects_of(tmp_path / "cf.csv.rejects.csv")[13]["problems"]
    with_default = summary(await run(writable, "penalties", file, "--severity", "SERIOUS"))
    assert (with_default["inserted"], with_default["unchanged"]) == (1, 11)

    database = Database(writable.database_url)
    try:
        async with database.engine.connect() as conn:
            stored = {r.decision_number: (r.severity, bool(r.severity_derived)) for r in (
                await conn.execute(sa.text(
                    "SELECT decision_number, severity, severity_derived FROM penalty "
                    "WHERE decision_number LIKE '%-derive号'"))).all()}
    finally:
        await database.dispose()
    terms = {"轻微": "MINOR", "一般": "GENERAL", "严重": "SERIOUS"}
    expected = {r["CF_WSH"]: (terms[r["CF_YZCD"]], True) for r in rows[:-1]}
    expected[undated["CF_WSH"]] = ("SERIOUS", True)
    assert stored == expected


async def test_unknown_columns_are_reported_and_ignored_unless_strict(
    writable: Backend, tmp_path: Path
) -> None:
    rows = [dict(r, CF_XZQH="440300", CF_YYZT="有效") for r in penalties(3, "unknown")]
    columns = [*PENALTY_COLUMNS, "CF_XZQH", "CF_YYZT"]
    file = write_csv(tmp_path / "cf.csv", rows, columns=columns)
    jsonl = write_jsonl(tmp_path / "cf.jsonl", [dict(penalties(1, "unknown")[0], CF_QT="x")])

    strict = await run(writable, "penalties", file, "--strict")
    assert strict.exit_code == 1
    assert "unknown column(s) CF_XZQH, CF_YYZT" in strict.output
    result = await run(writable, "penalties", file)
    assert summary(result)["inserted"] == 3
    assert "ignored column(s) CF_XZQH, CF_YYZT" in result.output
    as_jsonl = await run(writable, "penalties", jsonl)
    assert summary(as_jsonl)["unchanged"] == 1
    assert "ignored column(s) CF_QT" in as_jsonl.output
    assert summary(await run(writable, "penalties", jsonl, "--strict"))["rejected"] == 1


async def test_a_record_repeated_under_another_department_is_reported(
    writable: Backend, tmp_path: Path
) -> None:
    rows = penalties(3, "elsewhere")
    file = write_csv(tmp_path / "cf.csv", rows)
    assert summary(await run(writable, "penalties", file))["inserted"] == 3

    again = await run(writable, "penalties", file, "--department", "COMMERCE")

    assert summary(again) == {"read": 3, "inserted": 0, "unchanged": 0, "conflicting": 0,
                              "rejected": 0, "other_department": 3}
    rejects = rejects_of(tmp_path / "cf.csv.rejects.csv")
    assert sorted(rejects) == [2, 3, 4]
    assert rejects[2]["outcome"] == "other_department"
    assert "MARKET_REGULATION" in rejects[2]["problems"]
    assert "CONFLICT" in rejects[2]["problems"]


async def test_bad_cells_after_the_first_batch_reject_their_row(
    writable: Backend, tmp_path: Path
) -> None:
    """Bytes that are not UTF-8, NULs, lone surrogates and oversized cells past the first
    batch cost their row, not the run; the rejects file masks the ID numbers."""
    rows = penalties(10, "bytes")
    file = tmp_path / "cf.csv"
    write_csv(file, rows[:6])  # lines 2–7 good: the first batch (of 5) is clean
    with file.open("ab") as out:
        for n, row in enumerate(rows[6:]):
            cells = [row[c] for c in PENALTY_COLUMNS]
            buffer = io.StringIO()
            csv.writer(buffer).writerow(cells)
            line = buffer.getvalue().encode("utf-8")
            if n == 0:
                line = line.replace(row["CF_SY"].encode(), row["CF_SY"].encode("gbk"))
            elif n == 1:
                line = line.replace(row["CF_SY"].encode(), b"nul\x00here")
            elif n == 2:
                line = line.replace(row["CF_SY"].encode(), b"x" * 200_000)
            out.write(line)
    surrogate = tmp_path / "cf.jsonl"
    surrogate.write_text("".join(json.dumps(dict(r, CF_WSH=r["CF_WSH"] + "j")) + "\n"
                                 for r in rows[:5])
                         + json.dumps(dict(rows[5], CF_WSH=rows[5]["CF_WSH"] + "j",
                                           CF_SY="\ud800")) + "\n", encoding="utf-8")

    result = await run(writable, "penalties", file, "--batch-size", "5")
    as_jsonl = await run(writable, "penalties", surrogate, "--batch-size", "5")

    assert summary(result) == {"read": 10, "inserted": 7, "unchanged": 0, "conflicting": 0,
                               "rejected": 3}
    assert summary(as_jsonl)["rejected"] == 1
    rejects = rejects_of(tmp_path / "cf.csv.rejects.csv")
    assert sorted(rejects) == [8, 9, 10]
    assert "UTF-8" in rejects[8]["problems"]
    assert "NUL" in rejects[9]["problems"]
    assert "131,072" in rejects[10]["problems"]
    for number in (8, 9):
        given = rows[number - 2]["CF_FR_ZJHM"]
        assert json.loads(rejects[number]["row"])["CF_FR_ZJHM"] == mask_id_number(given) != given
    assert "surrogate" in rejects_of(tmp_path / "cf.jsonl.rejects.csv")[6]["problems"]
