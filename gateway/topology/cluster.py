"""``LocalCluster``: the distributed deployment of docs/DEPLOYMENT.md, on one machine.

PostgreSQL primary + streaming read replica, one Redis, ``replicas`` processes per subgraph
behind a round-robin balancer each, and Hive Gateway in front — every piece its own process
on loopback, stopped in reverse order.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from gateway.topology.federation import HOST, LocalFederation
from gateway.topology.postgres import PrimaryWithReplica
from gateway.topology.processes import Child, StartupError, free_port

DATABASE = "credit"


@dataclass(frozen=True)
class ClusterOptions:
    directory: Path
    replicas: int = 2
    subjects: int = 2000
    seed: int = 1
    router_port: int = 4000


def _wait_redis(port: int, child: Child, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            break
        try:
            with socket.create_connection((HOST, port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.1)
    raise StartupError(f"redis did not answer on port {port}:\n{child.tail()}")


class LocalCluster:
    def __init__(self, options: ClusterOptions) -> None:
        self.options = options
        self.directory = options.directory.resolve()
        self.logs = self.directory / "logs"
        self.postgres = PrimaryWithReplica(self.directory)
        self.redis: Child | None = None
        self.federation: LocalFederation | None = None
        self.env: dict[str, str] = {}

    def start(self) -> LocalCluster:
        if self.directory.exists():
            shutil.rmtree(self.directory)  # a cluster starts from nothing, every time
        self.logs.mkdir(parents=True)
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        self.postgres.start_primary()
        primary = self.postgres.create_database(DATABASE)
        self._cli("migrate", env={"DATABASE_URL": primary})
        self._cli("seed", "--subjects", str(self.options.subjects), "--seed",
                  str(self.options.seed), env={"DATABASE_URL": primary})
        self.postgres.start_replica()
        self.postgres.wait_replicated(DATABASE, "subject")
        redis_port = free_port()
        self.redis = Child.start("redis", ["redis-server", "--port", str(redis_port), "--bind",
                                           HOST, "--save", "", "--appendonly", "no", "--dir",
                                           str(self.directory)], log_dir=self.logs)
        _wait_redis(redis_port, self.redis)
        self.env = {"DATABASE_URL": primary,
                    "DATABASE_READ_URL": self.postgres.replica.url(DATABASE),
                    "REDIS_URL": f"redis://{HOST}:{redis_port}/0",
                    "CREDIT_GATEWAY_CACHE_PREFIX": "cluster"}
        self.federation = LocalFederation(env=self.env, log_dir=self.logs,
                                          replicas=self.options.replicas,
                                          router_port=self.options.router_port).start()
        (self.directory / "cluster.json").write_text(json.dumps(self.describe(), indent=2))

    def _cli(self, *args: str, env: dict[str, str]) -> None:
        log = self.logs / f"{args[0]}.log"
        with log.open("ab") as out:
            done = subprocess.run([sys.executable, "-m", "gateway", *args], stdout=out,
                                  stderr=subprocess.STDOUT, env={**os.environ, **env},
                                  check=False, timeout=600)
        if done.returncode != 0:
            raise StartupError(f"credit-gateway {args[0]} failed:\n{log.read_text()[-2000:]}")

    def describe(self) -> dict[str, object]:
        federation = self.federation
        return {
            "router": federation.url if federation else None,
            "subgraphs": federation.subgraph_urls if federation else {},
            "replicas_per_subgraph": self.options.replicas,
            "postgres_primary": self.env.get("DATABASE_URL"),
            "postgres_read_replica": self.env.get("DATABASE_READ_URL"),
            "redis": self.env.get("REDIS_URL"),
            "logs": str(self.logs),
        }

    def stop(self) -> None:
        """Router and subgraphs first, then Redis, then the replica and the primary."""
        (self.directory / "cluster.json").unlink(missing_ok=True)
        if self.federation is not None:
            self.federation.stop()
        if self.redis is not None:
            self.redis.stop()
        self.postgres.stop()
