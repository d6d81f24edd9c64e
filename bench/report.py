"""What the load benchmark prints and writes: the machine, the table, the targets, the plot."""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.wrk import Result

RESULTS_START = "<!-- bench/load.py results: start -->"
RESULTS_END = "<!-- bench/load.py results: end -->"


@dataclass
class RowResult:
    """One row of the table: every round's wrk figures and the SQL statements per request."""

    key: str
    label: str
    rounds: list[Result] = field(default_factory=list)
    statements: float | None = None  # per request over the run; None: no SQL counted (row a)
    skipped: str = ""  # why the row was not measured
    peak_rss_kib: int | None = None  # the server's VmHWM (with its children) after the run
    rss_kib: list[int] = field(default_factory=list)  # its VmRSS after each round

    @property
    def per_second(self) -> float:
        return statistics.median(r.per_second for r in self.rounds) if self.rounds else 0.0

    @property
    def p50_ms(self) -> float | None:
        """Median over the rounds in which wrk saw answers; None when it saw none."""
        timed = [r.p50_ms for r in self.rounds if r.in_window]
        return statistics.median(timed) if timed else None

    @property
    def p99_ms(self) -> float | None:
        timed = [r.p99_ms for r in self.rounds if r.in_window]
        return statistics.median(timed) if timed else None

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.rounds)

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "skipped": self.skipped or None,
                "requests_per_second": round(self.per_second, 1),
                "p50_ms": None if self.p50_ms is None else round(self.p50_ms, 2),
                "p99_ms": None if self.p99_ms is None else round(self.p99_ms, 2),
                "sql_statements_per_request": (None if self.statements is None
                                               else round(self.statements, 2)),
                "errors": self.errors,
                "peak_rss_mib": (None if self.peak_rss_kib is None
                                 else round(self.peak_rss_kib / 1024, 1)),
                "rss_mib_after_rounds": [round(kib / 1024, 1) for kib in self.rss_kib],
                "rounds": [{"requests": r.requests, "seconds": round(r.seconds, 2),
                            "requests_per_second": round(r.per_second, 1),
                            "p50_ms": r.p50_ms, "p99_ms": r.p99_ms, "errors": r.errors,
                            "answers_in_wrk_window": r.in_window}
                           for r in self.rounds]}


@dataclass(frozen=True)
class Target:
    """``numerator`` req/s ≥ ``factor`` × ``denominator`` req/s."""

    numerator: str
    denominator: str
    factor: float

    def check(self, rows: dict[str, RowResult]) -> tuple[float | None, bool | None]:
        top, bottom = rows[self.numerator], rows[self.denominator]
        if top.skipped or bottom.skipped or not bottom.per_second:
            return None, None
        ratio = top.per_second / bottom.per_second
        return ratio, ratio >= self.factor

    def describe(self) -> str:
        goal = f"≥ {self.factor:.0%}" if self.factor < 1 else f"≥ {self.factor:g}×"
        return f"({self.numerator})/({self.denominator}) {goal}"


TARGETS = (Target("b", "a", 0.5), Target("d", "e", 3.0),
           # gateway / PostGraphile: uncached widget, uncached dashboard, cached widget
           Target("c", "f", 0.5), Target("d", "g", 0.3), Target("b", "f", 5.0),
           # two workers against one: the uncached rows scale with the cores
           Target("h", "c", 1.5), Target("i", "d", 1.5),
           # what compiled plans buy the uncached widget (no target: a measurement)
           Target("c", "j", 1.0))


def machine(postgres: str | None, redis: str | None, wrk: str) -> dict[str, str]:
    """What ran the benchmark, for the report."""
    cpu = "unknown CPU"
    try:
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = found.group(1).strip() if found else cpu
        memory = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        gib = f"{int(memory.group(1)) / 2**20:.0f} GiB" if memory else "?"
    except OSError:
        gib = "?"
    version = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
    import uvicorn

    info = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{cpu}, {os.cpu_count()} cores, {gib} RAM",
        "os": platform.platform(),
        "python": platform.python_version(),
        "uvicorn": uvicorn.__version__,
        "wrk": (version.stdout or version.stderr).splitlines()[0].split(" Copyright")[0]
        if (version.stdout or version.stderr) else "wrk",
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    if postgres:
        info["postgresql"] = postgres
    if redis:
        info["redis"] = redis
    return info


def rate(per_second: float) -> str:
    """Requests per second with the digits that matter (2,466 / 17.3 / 0.42)."""
    if per_second >= 100:
        return f"{per_second:,.0f}"
    return f"{per_second:.1f}" if per_second >= 10 else f"{per_second:.2f}"


def table(rows: Sequence[RowResult]) -> str:
    """The rows side by side as a Markdown table (medians over the rounds)."""
    lines = ["| row | what | req/s | p50 ms | p99 ms | SQL / request | errors | peak RSS MiB |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        if row.skipped:
            lines.append(f"| ({row.key}) | {row.label} | – | – | – | – | not measured: "
                         f"{row.skipped} | – |")
            continue
        sql = "–" if row.statements is None else f"{row.statements:.1f}"
        rss = "–" if row.peak_rss_kib is None else f"{row.peak_rss_kib / 1024:.0f}"
        lines.append(f"| ({row.key}) | {row.label} | {rate(row.per_second)} | "
                     f"{_ms(row.p50_ms)} | {_ms(row.p99_ms)} | {sql} | {row.errors} | {rss} |")
    return "\n".join(lines)


def memory(rows: Sequence[RowResult]) -> str:
    """Each server's resident memory after every round: flat over a long run, or it leaks."""
    lines = []
    for row in rows:
        if row.rss_kib:
            steps = " → ".join(f"{kib / 1024:.0f}" for kib in row.rss_kib)
            growth = (row.rss_kib[-1] - row.rss_kib[0]) / 1024
            lines.append(f"- ({row.key}): {steps} MiB ({growth:+.0f} MiB from the first round)")
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def targets(rows: dict[str, RowResult]) -> str:
    lines = []
    for target in TARGETS:
        ratio, met = target.check(rows)
        if ratio is None:
            lines.append(f"- {target.describe()}: not measured")
        else:
            shown = f"{ratio:.0%}" if target.factor < 1 else f"{ratio:.1f}×"
            lines.append(f"- {target.describe()}: {shown} — {'met' if met else 'NOT met'}")
    return "\n".join(lines)


def markdown(info: dict[str, str], config: str, rows: Sequence[RowResult]) -> str:
    by_key = {row.key: row for row in rows}
    facts = "\n".join(f"- {name}: {value}" for name, value in info.items())
    return (f"{facts}\n- configuration: {config}\n\n{table(rows)}\n\nTargets:\n\n"
            f"{targets(by_key)}\n\nResident memory (VmRSS) after each round:\n\n"
            f"{memory(rows)}\n")


def update_docs(path: Path, block: str) -> None:
    """Replace the results block of ``docs/PERFORMANCE.md`` (between the two markers)."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(RESULTS_START), text.index(RESULTS_END)
    path.write_text(f"{text[:start]}{RESULTS_START}\n{block}{text[end:]}", encoding="utf-8")


def plot(path: Path, rows: Sequence[RowResult], title: str) -> bool:
    """Throughput and latency per row as a PNG; False when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    measured = [row for row in rows if not row.skipped]
    names = [f"({row.key})" for row in measured]
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 5.2))
    bars = left.bar(names, [row.per_second for row in measured], color="#3b75af")
    left.bar_label(bars, labels=[rate(row.per_second) for row in measured], fontsize=8)
    left.set_yscale("log")
    left.set_ylabel("requests per second (log scale)")
    left.set_title("throughput (median of rounds)")
    width = 0.38
    positions = range(len(measured))
    right.bar([p - width / 2 for p in positions], [row.p50_ms or 0 for row in measured], width,
              label="p50", color="#519e3e")
    right.bar([p + width / 2 for p in positions], [row.p99_ms or 0 for row in measured], width,
              label="p99", color="#ef8636")
    right.set_xticks(list(positions), names)
    right.set_yscale("log")
    right.set_ylabel("latency, ms (log scale)")
    right.set_title("latency (median of rounds)")
    right.legend()
    legend = "\n".join(f"({row.key}) {row.label}" for row in measured)
    figure.suptitle(textwrap.fill(title, 130), fontsize=9)
    figure.text(0.02, 0.01, legend, ha="left", va="bottom", fontsize=8)
    figure.tight_layout(rect=(0, 0.05 + 0.035 * len(measured), 1, 0.93))
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


def profile_summary(raw: str, top: int = 40) -> str:
    """The functions a py-spy ``raw`` profile (collapsed stacks) spent its samples in: by own
    samples and by samples anywhere on the stack, as shares of all samples."""
    own: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        total += samples
        frames = stack.split(";")
        own[frames[-1]] += samples
        for frame in set(frames):
            anywhere[frame] += samples
    if not total:
        return "no samples\n"
    lines = [f"{total} samples", "", "own time:"]
    lines += [f"{n / total:6.1%}  {frame}" for frame, n in own.most_common(top)]
    lines += ["", "on the stack (inclusive):"]
    lines += [f"{n / total:6.1%}  {frame}" for frame, n in anywhere.most_common(top * 2)]
    return "\n".join(lines) + "\n"


# The suspected costs of the uncached path (docs/PERFORMANCE.md, "Profile of the uncached
# path"): each a regular expression over py-spy's frames ("function (file:line)").
SUSPECTS = (
    ("pool overflow churn: opening connections",
     r"_create_connection \(sqlalchemy/pool|__connect \(sqlalchemy/pool|_CompoundListener"
     r"|^connect \(asyncpg"),
    ("pool overflow churn: closing connections",
     r"_close_connection|^Connection\.close \(asyncpg|_terminate_graceful_close"),
    ("BEGIN per loader batch", r"Transaction\.start"),
    ("ROLLBACK per loader batch",
     r"^rollback \(sqlalchemy/dialects|Transaction\.rollback \(asyncpg|__rollback"),
    ("SQLAlchemy building statement columns", r"FromClause\.c \(|_populate_column_collection"
     r"|^Column\.__init__"),
    ("SQLAlchemy cache keys", r"_generate_cache_key"),
    ("settings parsed", r"gateway/settings\.py"),
    ("Loaders / DataLoaders built",
     r"^__init__ \(resolvers/loaders/registry\.py|^DataLoader\.__init__|^__init__ \(aiodataloader"),
    ("strawberry per-field wrapping",
     r"strawberry/extensions/|strawberry/schema/schema_converter\.py"),
    ("graphql-core parse", r"graphql/language/parser\.py"),
    ("asyncpg executing statements", r"_prepare_and_execute"),
)


def suspect_shares(raw: str) -> str:
    """The share of a py-spy ``raw`` profile's samples whose stack holds a frame matching each
    of ``SUSPECTS``."""
    stacks: list[tuple[list[str], int]] = []
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append((stack.split(";"), int(count)))
    total = sum(count for _, count in stacks)
    if not total:
        return "no samples\n"
    lines = ["suspects (share of samples with a matching frame on the stack):"]
    for name, pattern in SUSPECTS:
        found = re.compile(pattern)
        samples = sum(count for frames, count in stacks
                      if any(found.search(frame) for frame in frames))
        lines.append(f"{samples / total:6.1%}  {name}")
    return "\n".join(lines) + "\n"
