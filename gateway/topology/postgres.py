"""A private PostgreSQL primary with a streaming read replica, for the local cluster.

Both live in directories of their own on free loopback ports with trust authentication, so
nothing touches the machine's own PostgreSQL. PostgreSQL refuses to run as root, so when the
cluster is started as root its servers run as the ``postgres`` user (``runuser``).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from gateway.topology.processes import StartupError, free_port

HBA = """local all all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
"""


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise StartupError(f"{name} is not installed: the local cluster needs PostgreSQL's "
                           "server tools (initdb, pg_ctl, pg_basebackup)")
    return found


def _as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _own(path: Path) -> None:
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(path, user.pw_uid, user.pw_gid)


def _run(argv: list[str], what: str) -> None:
    done = subprocess.run(_as_server_user(argv), capture_output=True, text=True, check=False,
                          timeout=120)
    if done.returncode != 0:
        raise StartupError(f"{what} failed:\n{done.stdout}{done.stderr}")


@dataclass
class Server:
    """One PostgreSQL server (primary or replica) in ``data`` on ``port``."""

    data: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        log = self.data.parent / f"{self.data.name}.log"
        log.touch()
        _own(log)
        _run([_tool("pg_ctl"), "-D", str(self.data), "-l", str(log), "-w", "-t", "60", "-o",
              f"-p {self.port} -h 127.0.0.1 -k {self.data}", "start"], f"starting {self.data.name}")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            _run([_tool("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
                 f"stopping {self.data.name}")


class PrimaryWithReplica:
    """``initdb`` a primary, start it, then clone a hot-standby replica streaming from it.

    Run as root, the servers' directories go to a temporary directory of the ``postgres``
    user (the cluster's own directory may sit where that user cannot reach)."""

    def __init__(self, directory: Path) -> None:
        self.private = os.geteuid() == 0
        self.directory = Path(tempfile.mkdtemp(prefix="credit-gateway-pg-")) if self.private \
            else directory
        self.primary = Server(self.directory / "pg-primary", free_port())
        self.replica = Server(self.directory / "pg-replica", free_port())

    def start_primary(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        _own(self.directory)
        _run([_tool("initdb"), "-D", str(self.primary.data), "-U", "postgres", "--auth=trust",
              "--encoding=UTF8", "--locale=C.UTF-8"], "initdb")
        (self.primary.data / "pg_hba.conf").write_text(HBA)
        with (self.primary.data / "postgresql.conf").open("a") as conf:
            conf.write("\nwal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n"
                       "fsync = off\nsynchronous_commit = off\n")
        self.primary.start()

    def start_replica(self) -> None:
        """Clone the primary as it is now (``pg_basebackup -R``: the clone follows it)."""
        _run([_tool("pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary.port), "-U",
              "postgres", "-D", str(self.replica.data), "-R", "-X", "stream", "-c", "fast"], "pg_basebackup")
        self.replica.start()

    def create_database(self, name: str) -> str:
        _run([_tool("psql"), "-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres", "-c",
              f'CREATE DATABASE "{name}"'], f"creating database {name}")
        return self.primary.url(name)

    def wait_replicated(self, database: str, table: str, timeout: float = 60) -> None:
        """Until the replica has the primary's rows of ``table`` (the replay caught up)."""
        deadline = time.monotonic() + timeout
        query = f"SELECT count(*) FROM {table}"
        want = self._scalar(self.primary, database, query)
        while self._scalar(self.replica, database, query) != want:
            if time.monotonic() > deadline:
                raise StartupError("the read replica did not catch up with the primary")
            time.sleep(0.2)

    @staticmethod
    def _scalar(server: Server, database: str, query: str) -> str:
        done = subprocess.run([_tool("psql"), "-h", "127.0.0.1", "-p", str(server.port), "-U",
                               "postgres", "-d", database, "-Atc", query],
                              capture_output=True, text=True, check=False, timeout=30)
        return done.stdout.strip() if done.returncode == 0 else ""

    def stop(self) -> None:
        for server in (self.replica, self.primary):
            server.stop()
        if self.private:
            shutil.rmtree(self.directory, ignore_errors=True)
