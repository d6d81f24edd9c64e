"""wrk (Debian's package) as the load generator: installed when missing, driven by a generated
Lua script that cycles through a list of requests, its figures read back as one JSON line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "install Debian's package: sudo apt-get install wrk"

# ``done`` runs once at the end in wrk's main thread; latencies are in microseconds.
LUA = """
local requests = {
%(requests)s
}
local i = 0
request = function()
  i = i %% #requests + 1
  return requests[i]
end
init = function(args)
  local built = {}
  for n, r in ipairs(requests) do
    built[n] = wrk.format(r[1], r[2], r[4], r[3])
  end
  requests = built
end
done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'WRK-RESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, '
    .. '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass(frozen=True)
class HttpRequest:
    method: str  # GET or POST
    path: str  # with its query string
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Result:
    """One wrk run: throughput, latency percentiles (ms) and failed requests."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx answers, timeouts, socket errors
    in_window: int = 0  # answers wrk saw inside its window (the latencies are theirs)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def ensure_wrk() -> str:
    """The path of ``wrk``; installed with apt-get (as root) when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: installing Debian's package (apt-get install wrk)", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-q", "wrk"]
        if subprocess.run(install, env=env, check=False).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, check=False)
            subprocess.run(install, env=env, check=False)
        found = shutil.which("wrk")
        if found:
            return found
    raise SystemExit(f"wrk is needed to drive the load: {INSTALL_HINT}")


def _lua_string(text: str) -> str:
    level = "="
    while f"]{level}]" in text:
        level += "="
    return f"[{level}[{text}]{level}]"


def write_script(path: Path, requests: Sequence[HttpRequest]) -> Path:
    def headers(request: HttpRequest) -> str:
        pairs = [("Content-Type", "application/json")] if request.body else []
        pairs += list(request.headers)
        return "{" + ", ".join(f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in pairs) + "}"

    entries = ",\n".join(f"  {{{_lua_string(r.method)}, {_lua_string(r.path)}, "
                         f"{_lua_string(r.body) if r.body else 'nil'}, {headers(r)}}}"
                         for r in requests)
    path.write_text(LUA % {"requests": entries}, encoding="utf-8")
    return path


def run(wrk: str, base_url: str, script: Path, *, seconds: float, connections: int,
        threads: int) -> Result:
    """Drive ``base_url`` for ``seconds`` with ``connections`` kept-alive connections."""
    argv = [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
            "--timeout", "30s", "-s", str(script), base_url]
    done = subprocess.run(argv, capture_output=True, text=True, check=False,
                          timeout=seconds + 60)
    line = next((line for line in done.stdout.splitlines() if line.startswith("WRK-RESULT ")),
                None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    figures = json.loads(line.removeprefix("WRK-RESULT "))
    errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Result(requests=figures["requests"], seconds=figures["duration_us"] / 1e6,
                  p50_ms=figures["p50_us"] / 1000, p99_ms=figures["p99_us"] / 1000,
                  errors=errors, in_window=figures["requests"])
