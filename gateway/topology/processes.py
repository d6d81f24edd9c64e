"""Child processes of a local topology: started with their output in a log file, awaited until
they answer over HTTP, and stopped (SIGTERM, then SIGKILL) by their own process id."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


class StartupError(RuntimeError):
    """A child exited or did not answer in time; the message ends with its log."""


def free_port() -> int:
    """A loopback port nothing listens on now (the kernel's pick)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    @classmethod
    def start(cls, name: str, argv: Sequence[str], *, log_dir: Path,
              env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Child:
        log = log_dir / f"{name}.log"
        with log.open("ab") as out:
            # a session of its own, so a Ctrl-C at the terminal reaches the supervisor only
            process = subprocess.Popen(list(argv), stdout=out, stderr=subprocess.STDOUT,
                                       env={**os.environ, **(env or {})}, cwd=cwd,
                                       start_new_session=True)
        return cls(name, process, log)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_http(self, url: str, timeout: float = 60) -> None:
        """Wait until ``url`` answers 200 (a health or readiness endpoint)."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise StartupError(f"{self.name} exited with {self.process.returncode}:\n"
                                   f"{self.tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            if time.monotonic() > deadline:
                raise StartupError(f"{self.name} did not answer {url} within {timeout:.0f} s:\n"
                                   f"{self.tail()}")
            time.sleep(0.2)

    def stop(self, timeout: float = 10) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)


def stop_all(children: Sequence[Child]) -> None:
    """Stop children in reverse start order (the router before what it routes to)."""
    for child in reversed(children):
        child.stop()
