"""The load benchmark: its rows side by side from one run, driven by wrk.

    python -m bench.load [--subjects 2000] [--rounds 3] [--duration 10] [--connections 16] [--docs]

Seeds a dataset of its own (a PostgreSQL database created and dropped, a Redis key prefix
deleted afterwards; ``--backend sqlite`` uses a temporary SQLite file and the in-process cache),
starts one real server process per row (``credit-gateway serve``; ``python -m bench.bare`` for
the ceiling — the same ``uvicorn.run`` arguments), warms each up, then runs the rows in turn,
round after round, with wrk from a separate process, and prints one table of medians:

    (a) a bare starlette endpoint returning fixed bytes: the ceiling of this machine
    (b) the widget query from the response cache
    (c) the widget query, response cache off, entity cache warm
    (d) the dashboard query (20 subjects, every relation): batched loaders, no caches
    (e) the dashboard query through the naive loaders (CREDIT_GATEWAY_LOADERS=naive), no caches
    (f) the peer, PostGraphile 5 (bench/peer.py), asked the widget's question
    (g) PostGraphile 5 asked the dashboard's question

Before any load, the peer's answers are checked equal to the gateway's for the same subjects
(bench/peer.py normalises both); the targets print the ratios gateway / PostGraphile.

SQL statements per request come from each server's ``/metrics`` (the histogram's sum and count
before and after each round). ``--docs`` writes the plot to docs/performance.png and the
results block of docs/PERFORMANCE.md; ``--json`` and ``--plot`` write elsewhere.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import asyncpg
import redis.asyncio as aioredis
from prometheus_client.parser import text_string_to_metric_families

from bench import peer, report
from bench.statements import EVERYTHING
from bench.wrk import HttpRequest, Result, ensure_wrk, run, write_script
from gateway.settings import Settings, describe
from gateway.topology.processes import Child, StartupError, free_port, stop_all
from resolvers.domain.clock import today

ROOT = Path(__file__).resolve().parent.parent
EXECUTABLE = Path(sys.executable).with_name("credit-gateway")

# 信用查询窗口: the widget's trusted document (gateway/trusted), sent as the widget sends it —
# an APQ GET naming the document by its SHA-256, anonymous.
MANIFEST = ROOT / "gateway" / "trusted" / "manifest.json"
WIDGET_OPERATION = "CreditWidget"

# Every server: production mode (anonymous callers run trusted documents only, no GraphiQL,
# no X-SQL-Statements header), quiet logs, and the rate limits (docs/LIMITS.md) out of the
# way — wrk is one client address with one key.
COMMON_ENV = {"CREDIT_GATEWAY_ENV": "production", "CREDIT_GATEWAY_LOG_LEVEL": "warning",
              "CREDIT_GATEWAY_RATE_LIMIT_ANONYMOUS": "0", "CREDIT_GATEWAY_RATE_LIMIT_KEY": "0"}
RESPONSE_CACHE = "CREDIT_GATEWAY_RESPONSE_CACHE_TTL"
# Row (b) runs with the production defaults, the anonymous rate limit included: its window is
# counted for every request, at its default limit, per client address. wrk is one address, so
# the row's requests come through a trusted proxy (the benchmark) from CLIENTS addresses, each
# well under the limit at any throughput this machine reaches (2,000 × 600 per minute).
CLIENTS = 2000
PRODUCTION_LIMITS = {
    "CREDIT_GATEWAY_RATE_LIMIT_ANONYMOUS": str(
        Settings.model_fields["rate_limit_anonymous"].default),
    "CREDIT_GATEWAY_TRUSTED_PROXIES": "127.0.0.1/32"}
LONG_TTL = "3600"  # nothing cached expires during a run


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    query: str  # "widget" or "dashboard"
    env: dict[str, str]  # the gateway's settings for this row
    bare: bool = False  # row (a): bench.bare instead of the gateway
    needs: str = ""  # a setting this build must know for the row to be measured
    peer: bool = False  # PostGraphile (bench/peer.py) instead of the gateway
    clients: int = 0  # client addresses (X-Forwarded-For) the row's requests come from
    workers: int = 1  # ``serve --workers``: more than one, and its figures are wrk's


ROWS = (
    Row("a", "bare starlette endpoint, fixed bytes (ceiling)", "widget", {}, bare=True),
    Row("b", "widget query from the response cache, anonymous rate limit on", "widget",
        {RESPONSE_CACHE: LONG_TTL, "CREDIT_GATEWAY_CACHE_TTL": LONG_TTL, **PRODUCTION_LIMITS},
        needs=RESPONSE_CACHE, clients=CLIENTS),
    Row("c", "widget query, response cache off, entities warm", "widget",
        {RESPONSE_CACHE: "0", "CREDIT_GATEWAY_CACHE_TTL": LONG_TTL}),
    Row("d", "dashboard query, batched loaders, no caches", "dashboard",
        {RESPONSE_CACHE: "0", "CREDIT_GATEWAY_CACHE_TTL": "0"}),
    Row("e", "dashboard query, naive loaders, no caches", "dashboard",
        {RESPONSE_CACHE: "0", "CREDIT_GATEWAY_CACHE_TTL": "0", "CREDIT_GATEWAY_LOADERS": "naive"}),
    Row("f", "PostGraphile 5: widget query (one SQL statement)", "widget", {}, peer=True),
    Row("g", "PostGraphile 5: dashboard query (one SQL statement)", "dashboard", {}, peer=True),
    # do the uncached rows scale with the cores? (c) and (d) again, two uvicorn workers
    Row("h", "(c) with serve --workers 2", "widget",
        {RESPONSE_CACHE: "0", "CREDIT_GATEWAY_CACHE_TTL": LONG_TTL}, workers=2),
    Row("i", "(d) with serve --workers 2", "dashboard",
        {RESPONSE_CACHE: "0", "CREDIT_GATEWAY_CACHE_TTL": "0"}, workers=2),
    # (c) without compiled plans (docs/PERFORMANCE.md, "Compiled plans"): what they buy
    Row("j", "(c) with compiled plans off", "widget",
        {RESPONSE_CACHE: "0", "CREDIT_GATEWAY_CACHE_TTL": LONG_TTL, "CREDIT_GATEWAY_PLANS": "off"},
        needs="CREDIT_GATEWAY_PLANS"),
)


class Dataset:
    """The benchmark's own database and cache namespace, dropped afterwards."""

    def __init__(self, backend: str, admin_url: str, redis_url: str, workdir: Path,
                 prefix: str = "cg_bench") -> None:
        self.backend = backend
        self.admin_url = admin_url
        self.redis_url = redis_url if backend == "postgres" else ""
        self.prefix = f"cgbench-{uuid.uuid4().hex[:10]}"
        self.name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        self.url = (admin_url.rsplit("/", 1)[0] + "/" + self.name if backend == "postgres"
                    else f"sqlite:///{workdir / 'bench.sqlite3'}")
        self.created = False
        self.key = ""  # a market regulator's API key: the dashboard's caller

    def env(self, server: str) -> dict[str, str]:
        return {"DATABASE_URL": self.url, "DATABASE_READ_URL": "", "REDIS_URL": self.redis_url,
                "CREDIT_GATEWAY_CACHE_PREFIX": f"{self.prefix}-{server}"}

    def create(self, subjects: int, seed: int) -> float:
        started = time.perf_counter()
        if self.backend == "postgres":
            asyncio.run(self._admin(f'CREATE DATABASE "{self.name}"'))
        self.created = True
        env = {**self.env("seed"), "CREDIT_GATEWAY_LOG_LEVEL": "warning"}
        for argv in (["migrate"], ["seed", "--subjects", str(subjects), "--seed", str(seed),
                                   "--quiet"]):
            done = _run_cli(argv, env)
            if done.returncode != 0:
                raise SystemExit(f"credit-gateway {argv[0]} failed:\n{done.stdout}{done.stderr}")
        done = _run_cli(["keys", "create", "--name", "负载测试仪表盘", "--department",
                         "MARKET_REGULATION"], env)
        if done.returncode != 0:
            raise SystemExit(f"credit-gateway keys create failed:\n{done.stdout}{done.stderr}")
        self.key = done.stdout.split()[-1]
        return time.perf_counter() - started

    def install_peer(self) -> None:
        """The computed column the peer's widget query reads (``bench.peer``)."""
        asyncio.run(self._execute(peer.public_penalties_function()))

    async def _execute(self, statement: str) -> None:
        conn = await asyncpg.connect(peer.postgres_url(self.url), timeout=10)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    def drop(self) -> None:
        if self.backend != "postgres":
            return
        if self.created:
            asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        asyncio.run(self._drop_prefix())

    async def _admin(self, statement: str) -> None:
        conn = await asyncpg.connect(self.admin_url, timeout=10)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    async def _drop_prefix(self) -> None:
        client = aioredis.from_url(self.redis_url, socket_timeout=5)
        try:
            keys = [key async for key in client.scan_iter(match=f"{self.prefix}-*", count=1000)]
            for start in range(0, len(keys), 1000):
                await client.delete(*keys[start:start + 1000])
        finally:
            await client.aclose()

    def versions(self) -> tuple[str | None, str | None]:
        if self.backend != "postgres":
            return None, None

        async def ask() -> tuple[str, str]:
            conn = await asyncpg.connect(self.admin_url, timeout=10)
            try:
                postgres = str(await conn.fetchval("SHOW server_version"))
            finally:
                await conn.close()
            client = aioredis.from_url(self.redis_url, socket_timeout=5)
            try:
                info = await client.info("server")
            finally:
                await client.aclose()
            return postgres, str(info.get("redis_version", "?"))

        return asyncio.run(ask())


def _run_cli(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EXECUTABLE), *argv], env={**os.environ, **env}, cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=1800)


@dataclass
class Server:
    row: Row
    child: Child
    url: str


def start_servers(rows: list[Row], dataset: Dataset, log_dir: Path) -> list[Server]:
    servers = []
    for row in rows:
        port = free_port()
        if row.bare:
            argv = [sys.executable, "-m", "bench.bare", "--port", str(port)]
            env = dict(COMMON_ENV)
        elif row.peer:
            argv = peer.argv(dataset.url, port)
            env = {"NODE_ENV": "production"}
        else:
            argv = [str(EXECUTABLE), "serve", "--host", "127.0.0.1", "--port", str(port),
                    *(["--workers", str(row.workers)] if row.workers > 1 else [])]
            env = {**dataset.env(row.key), **COMMON_ENV, **row.env}
        child = Child.start(f"row-{row.key}", argv, log_dir=log_dir, env=env, cwd=ROOT)
        servers.append(Server(row, child, f"http://127.0.0.1:{port}"))
    try:
        for server in servers:
            if server.row.peer:
                wait_peer(server, timeout=120)
            else:
                server.child.wait_http(server.url + ("/" if server.row.bare else "/healthz"),
                                       timeout=120)
    except BaseException:  # the caller never gets them: stop every server started so far
        stop_all([server.child for server in servers])
        raise
    return servers


def wait_peer(server: Server, timeout: float) -> None:
    """Wait until PostGraphile answers a query (it answers GET with 405)."""
    deadline = time.monotonic() + timeout
    probe = HttpRequest("POST", "/graphql", json.dumps({"query": "{ __typename }"}))
    while True:
        if server.child.process.poll() is not None:
            raise StartupError(f"PostGraphile exited with {server.child.process.returncode}:\n"
                               f"{server.child.tail()}")
        try:
            if "data" in answer(server.url, probe):
                return
        except (OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            raise StartupError(f"PostGraphile did not answer within {timeout:.0f} s:\n"
                               f"{server.child.tail()}")
        time.sleep(0.2)


def keyed_post(key: str, query: str, variables: dict[str, Any]) -> HttpRequest:
    return HttpRequest("POST", "/graphql", json.dumps({"query": query, "variables": variables}),
                       (("Authorization", f"Bearer {key}"),))


def answer(url: str, item: HttpRequest) -> dict[str, Any]:
    http = urllib.request.Request(url + item.path, method=item.method,
                                  data=item.body.encode() if item.body else None,
                                  headers=dict(item.headers) | (
                                      {"Content-Type": "application/json"} if item.body else {}))
    with urllib.request.urlopen(http, timeout=60) as response:
        body: dict[str, Any] = json.loads(response.read())
    return body


def widget_subjects(url: str, key: str, count: int) -> list[str]:
    """USCCs of ``count`` merchants spread over the dataset (every fifth one)."""
    data = answer(url, keyed_post(key, "query($n: Int!) { subjects(filter: { kind: MERCHANT }, "
                                       "first: $n) { edges { node { uscc } } } }",
                                  {"n": min(100, count * 5)}))["data"]
    codes = [edge["node"]["uscc"] for edge in data["subjects"]["edges"]]
    step = max(1, len(codes) // count)
    return codes[::step][:count]


def widget_document() -> tuple[str, str]:
    """(operation name, SHA-256) of the widget's trusted document."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    operation = next(op for op in manifest["operations"] if op["name"] == WIDGET_OPERATION)
    return operation["name"], operation["id"]


def widget_query(uscc: str) -> str:
    """The query string of the widget's GET for one subject: its persisted document by hash,
    as the widget script sends it."""
    name, sha = widget_document()
    return urllib.parse.urlencode({
        "operationName": name, "variables": json.dumps({"uscc": uscc}, separators=(",", ":")),
        "extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha}},
                                 separators=(",", ":"))})


def requests_for(row: Row, subjects: list[str], key: str, dashboard: int) -> list[HttpRequest]:
    if row.peer:  # anonymous POSTs: PostGraphile has no keys and no persisted documents here
        if row.query == "widget":
            day = today()
            return [HttpRequest("POST", "/graphql", json.dumps({
                "query": peer.WIDGET, "variables": peer.widget_variables(uscc, day)}))
                for uscc in subjects]
        return [HttpRequest("POST", "/graphql", json.dumps({
            "query": peer.DASHBOARD, "variables": {"first": dashboard}}))]
    if row.query == "widget":
        gets = [HttpRequest("GET", "/graphql?" + widget_query(uscc)) for uscc in subjects]
        if not row.clients:
            return gets
        # the subjects in turn, each request from the next client address (10.x.y.z)
        return [dataclasses.replace(gets[n % len(gets)], headers=(
            ("X-Forwarded-For", f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"),))
            for n in range(max(row.clients, len(gets)))]
    return [keyed_post(key, EVERYTHING, {"first": dashboard})]


def check_answers(server: Server, requests: list[HttpRequest]) -> None:
    """Every request of the row answers 200 without GraphQL errors before any load."""
    for item in requests:
        try:
            body = answer(server.url, item)
        except urllib.error.HTTPError as error:
            raise SystemExit(f"row ({server.row.key}) answered {error.code}: "
                             f"{error.read()[:500]!r}") from error
        if "errors" in body:
            raise SystemExit(f"row ({server.row.key}) answered errors: {body['errors']}")


def check_peer(servers: list[Server], requests: dict[str, list[HttpRequest]]) -> str:
    """The peer returns the same data as the gateway for the same subjects (``bench.peer``'s
    normalisers), checked before any load; returns what was compared."""
    by_key = {server.row.key: server for server in servers}
    day = today()
    checked = []
    pairs = (("f", ("c", "b"), peer.normalise_gateway_widget, peer.normalise_peer_widget),
             ("g", ("d", "e"), peer.normalise_gateway_dashboard, peer.normalise_peer_dashboard))
    for theirs, ours, gateway_plain, peer_plain in pairs:
        gateway = next((by_key[key] for key in ours if key in by_key), None)
        if theirs not in by_key or gateway is None:
            continue
        differences: list[str] = []
        compared = 0
        # a row from many client addresses repeats its subjects: their first round compared
        mine_first = requests[gateway.row.key][:len(requests[theirs])]
        for mine, other in zip(mine_first, requests[theirs], strict=True):
            plain = gateway_plain(answer(gateway.url, mine))
            if plain is None or not plain:
                raise SystemExit(f"row ({gateway.row.key}) found nothing to compare: {mine.path}")
            differences += peer.compare(plain, peer_plain(answer(by_key[theirs].url, other),
                                                          day))
            compared += len(plain) if isinstance(plain, list) else 1
        if differences:
            raise SystemExit(f"PostGraphile ({theirs}) and the gateway ({gateway.row.key}) "
                             "answer different data:\n" + "\n".join(differences[:20]))
        checked.append(f"({theirs}) = ({gateway.row.key}) for {compared} subjects")
    return ", ".join(checked)


def sql_totals(server: Server) -> tuple[float, float]:
    """(statements, requests) of /graphql so far, from the server's /metrics histogram."""
    with urllib.request.urlopen(server.url + "/metrics", timeout=30) as response:
        text = response.read().decode()
    total = count = 0.0
    for family in text_string_to_metric_families(text):
        if family.name != "credit_gateway_sql_statements":
            continue
        for sample in family.samples:
            if sample.labels.get("path") != "/graphql":
                continue
            if sample.name.endswith("_sum"):
                total = sample.value
            elif sample.name.endswith("_count"):
                count = sample.value
    return total, count


def cpu_ticks(pid: int) -> int:
    """User + system CPU time of a process so far, in clock ticks (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def tree_ticks(pid: int) -> int:
    """``cpu_ticks`` of a process and its descendants (uvicorn's workers)."""
    total = cpu_ticks(pid)
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            total += sum(tree_ticks(int(child)) for child in task.read_text().split())
        except OSError:
            continue
    return total


def peak_rss_kib(pid: int) -> int | None:
    """Peak resident set size of a server (``VmHWM`` of /proc/PID/status), in KiB, with its
    child processes' (uvicorn's workers with ``--workers``); None without /proc."""
    return memory_kib(pid, "VmHWM")


def memory_kib(pid: int, field: str = "VmRSS") -> int | None:
    """``field`` of /proc/PID/status (KiB) summed over the process and its descendants."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    total = next((int(line.split()[1]) for line in status.splitlines()
                  if line.startswith(f"{field}:")), 0)
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children = task.read_text().split()
        except OSError:
            continue
        total += sum(memory_kib(int(child), field) or 0 for child in children)
    return total


def wait_idle(server: Server, timeout: float = 300) -> float:
    """Wait until the server process has used (almost) no CPU for half a second; returns the
    monotonic time its last busy moment ended."""
    pid = server.child.process.pid
    deadline = time.monotonic() + timeout
    busy_until = time.monotonic()
    try:
        last, quiet = tree_ticks(pid), 0
        while quiet < 5 and time.monotonic() < deadline:
            time.sleep(0.1)
            now = tree_ticks(pid)
            if now - last <= 1:
                quiet += 1
            else:
                quiet, busy_until = 0, time.monotonic()
            last = now
    except OSError:  # no /proc (or the process is gone): nothing to wait for
        pass
    return busy_until


def profile(wrk: str, server: Server, script: Path, args: argparse.Namespace) -> None:
    """One extra, unmeasured round under py-spy: collapsed stacks, a summary of the functions
    the server spent its samples in and a flame graph (``row-X.svg``) (``--profile DIR``)."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("no profile: py-spy is not installed (pip install -e '.[bench]')")
        return
    raw = args.profile / f"row-{server.row.key}.txt"
    seconds = max(2, round(args.duration))

    def record(output: Path, form: str, rate: int) -> subprocess.Popen[str]:
        return subprocess.Popen([spy, "record", "--pid", str(server.child.process.pid),
                                 "--duration", str(seconds), "--rate", str(rate), "--function",
                                 "--format", form, "--output", str(output), "--nonblocking"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    # the same round sampled twice: collapsed stacks for the summary, a flame graph to look at
    recorder = record(raw, "raw", 200)
    flames = record(args.profile / f"row-{server.row.key}.svg", "flamegraph", 50)
    run(wrk, server.url, script, seconds=seconds + 1, connections=args.connections,
        threads=args.threads)
    _, error = recorder.communicate(timeout=60)
    flames.communicate(timeout=60)
    wait_idle(server)
    if recorder.returncode != 0 or not raw.exists():
        print(f"no profile of ({server.row.key}): {error.strip()[-300:]}")
        return
    summary = report.suspect_shares(raw.read_text()) + "\n" + report.profile_summary(raw.read_text())
    (args.profile / f"row-{server.row.key}-summary.txt").write_text(summary, encoding="utf-8")
    print(f"profile of ({server.row.key}): {raw} (summary beside it)")


@contextmanager
def terminated_cleanly() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C, so servers stop and the dataset is dropped."""

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(143)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def measure(args: argparse.Namespace) -> int:
    wrk = ensure_wrk()
    known = {variable for variable, _, _ in describe()}
    workdir = Path(tempfile.mkdtemp(prefix="cg-bench-"))
    dataset = Dataset(args.backend, args.postgres_url, args.redis_url, workdir,
                      args.database_prefix)
    servers: list[Server] = []
    results = {row.key: report.RowResult(row.key, row.label) for row in ROWS}
    no_peer = peer.available(args.backend)
    for row in ROWS:
        if row.peer and no_peer:
            results[row.key].skipped = no_peer
        elif row.needs and row.needs not in known:
            results[row.key].skipped = f"this build has no {row.needs}"
        elif row.key not in args.rows:
            results[row.key].skipped = "not selected (--rows)"
    rows = [row for row in ROWS if not results[row.key].skipped]
    config = (f"{args.backend}, {args.subjects:,} subjects (seed {args.seed}), "
              f"wrk -t{args.threads} -c{args.connections}, {args.rounds} rounds × "
              f"{args.duration:g} s per row after {args.warmup:g} s warm-up, "
              f"{args.widget_subjects} widget subjects, dashboard of {args.dashboard_subjects}, "
              "one uvicorn process per row (two workers in (h) and (i)), one Node process per "
              "PostGraphile row")
    try:
        where = (f"database {dataset.name}, Redis prefix {dataset.prefix}-*"
                 if args.backend == "postgres" else f"{dataset.url}, in-process cache")
        print(f"seeding {args.subjects:,} subjects on {args.backend} ({where}) …", flush=True)
        seconds = dataset.create(args.subjects, args.seed)
        if any(row.peer for row in rows):
            dataset.install_peer()
        print(f"seeded in {seconds:.0f} s; starting {len(rows)} servers …", flush=True)
        info = report.machine(*dataset.versions(), wrk=wrk)
        servers = start_servers(rows, dataset, workdir)
        gateway = next(s for s in servers if not s.row.bare and not s.row.peer)
        subjects = widget_subjects(gateway.url, dataset.key, args.widget_subjects)
        scripts: dict[str, Path] = {}
        requests: dict[str, list[HttpRequest]] = {}
        for server in servers:
            requests[server.row.key] = requests_for(server.row, subjects, dataset.key,
                                                    args.dashboard_subjects)
            # each subject once: a row from many addresses repeats them
            check_answers(server, requests[server.row.key][:max(1, len(subjects))])
            scripts[server.row.key] = write_script(workdir / f"{server.row.key}.lua",
                                                   requests[server.row.key])
        checked = check_peer(servers, requests)
        if checked:
            print(f"PostGraphile answers the same data as the gateway: {checked}", flush=True)
        for server in servers:  # warm-up: caches, pools, first-request costs
            run(wrk, server.url, scripts[server.row.key], seconds=args.warmup,
                connections=args.connections, threads=args.threads)
            wait_idle(server)
        totals = {server.row.key: (0.0, 0.0) for server in servers}
        for number in range(1, args.rounds + 1):
            for server in servers:
                key = server.row.key
                # the ceiling and the peer have no /metrics, and each of several workers
                # its own: their figures are wrk's
                measured = not server.row.bare and not server.row.peer and server.row.workers == 1
                before = sql_totals(server) if measured else None
                started = time.monotonic()
                result: Result = run(wrk, server.url, scripts[key], seconds=args.duration,
                                     connections=args.connections, threads=args.threads)
                # requests wrk left in flight finish before the next row starts
                busy_until = wait_idle(server)
                if before is not None:
                    after = sql_totals(server)
                    served = after[1] - before[1]
                    totals[key] = (totals[key][0] + after[0] - before[0], totals[key][1] + served)
                    # throughput = requests the server completed / the time it was busy: wrk
                    # counts only answers inside its window, which misses most of a row whose
                    # requests take seconds
                    result = dataclasses.replace(
                        result, requests=int(served),
                        seconds=max(result.seconds, busy_until - started))
                results[key].rounds.append(result)
                rss = memory_kib(server.child.process.pid)  # flat over a long run, or a leak
                if rss is not None:
                    results[key].rss_kib.append(rss)
                print(f"round {number}/{args.rounds} ({key}): {report.rate(result.per_second)} "
                      f"req/s, p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms "
                      f"({result.in_window} answers in wrk's window)"
                      + (f", {result.errors} errors" if result.errors else ""), flush=True)
        for key, (statements, answered) in totals.items():
            if answered and key != "a":
                results[key].statements = statements / answered
        for server in servers:  # peak memory of the measured rounds
            memory = results[server.row.key]
            # VmHWM summed over the processes alive now: a child that ended since a round's
            # sample (Node's launcher) took its peak with it, so no sample may exceed the peak
            samples = (peak_rss_kib(server.child.process.pid), *memory.rss_kib)
            memory.peak_rss_kib = max((kib for kib in samples if kib is not None),
                                      default=None)
        if args.profile:
            args.profile.mkdir(parents=True, exist_ok=True)
            for server in servers:
                if not server.row.peer:  # py-spy profiles Python processes only
                    profile(wrk, server, scripts[server.row.key], args)
    finally:
        stop_all([server.child for server in servers])
        dataset.drop()
        if sys.exc_info()[0] is None:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"server logs kept in {workdir}", file=sys.stderr)
    ordered = [results[row.key] for row in ROWS]
    block = report.markdown(info, config, ordered)
    print()
    print(block)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "configuration": config,
                                         "database": dataset.name if args.backend == "postgres"
                                         else None, "cache_prefix": dataset.prefix,
                                         "rows": [row.as_json() for row in ordered]},
                                        ensure_ascii=False, indent=2), encoding="utf-8")
    plot_path = args.plot or (ROOT / "docs" / "performance.png" if args.docs else None)
    if plot_path is not None:
        if report.plot(plot_path, ordered, f"credit-gateway load benchmark — {config}"):
            print(f"plot: {plot_path}")
        else:
            print("no plot: matplotlib is not installed (pip install -e '.[bench]')")
    if args.docs:
        report.update_docs(ROOT / "docs" / "PERFORMANCE.md", block)
        print("results block of docs/PERFORMANCE.md updated")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres",
                        help="PostgreSQL + Redis (the real services) or SQLite + in-process cache")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL database to connect to for CREATE/DROP DATABASE")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10, help="seconds per row and round")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per row")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--widget-subjects", type=int, default=20,
                        help="different subjects the widget rows cycle through")
    parser.add_argument("--dashboard-subjects", type=int, default=20,
                        help="subjects on the dashboard rows' page")
    parser.add_argument("--database-prefix", default="cg_bench",
                        help="name prefix of the benchmark's own PostgreSQL database")
    parser.add_argument("--rows", default="abcdefghij",
                        help="the rows to run (letters, e.g. ab); the others are not measured")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="after the rounds, profile each row's server with py-spy for one "
                             "more (unmeasured) round and write the stacks and a summary here")
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    parser.add_argument("--plot", type=Path, help="write the plot (PNG) here")
    parser.add_argument("--docs", action="store_true",
                        help="write docs/performance.png and the results block of "
                             "docs/PERFORMANCE.md")
    args = parser.parse_args()
    with terminated_cleanly():
        sys.exit(measure(args))


if __name__ == "__main__":
    main()
