"""``LocalFederation``: our four subgraphs as processes, the supergraph composed for their
addresses, and Hive Gateway routing to them — all on loopback.

With ``replicas > 1`` each subgraph runs as that many ``credit-gateway serve --subgraph``
processes behind a round-robin balancer (``gateway.topology.balancer``), which is the address
the supergraph names. ``extra`` composes in other subgraphs (a platform's) already running.
The router passes each client's address to the subgraphs in ``X-Forwarded-For``, and the
subgraphs trust the router's address (loopback here) for it, so their rate limits count
clients, not the router.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from federation.composition import ROOT, Service, compose, our_services, supergraph_text
from federation.ownership import SUBGRAPHS
from gateway.topology.processes import Child, free_port, stop_all

HIVE_GATEWAY = ROOT / "node_modules" / ".bin" / "hive-gateway"
ROUTER_CONFIG = ROOT / "federation" / "gateway.config.mjs"
HOST = "127.0.0.1"


def subgraph_argv(name: str, port: int) -> list[str]:
    return [sys.executable, "-m", "gateway", "serve", "--subgraph", name, "--host", HOST,
            "--port", str(port)]


def router_argv(supergraph: Path, port: int) -> list[str]:
    return [str(HIVE_GATEWAY), "supergraph", str(supergraph), "--config-path",
            str(ROUTER_CONFIG), "--host", HOST, "--port", str(port)]


def balancer_argv(port: int, replica_ports: Sequence[int]) -> list[str]:
    return [sys.executable, "-m", "gateway.topology.balancer", "--listen", f"{HOST}:{port}",
            *(f"{HOST}:{p}" for p in replica_ports)]


class LocalFederation:
    def __init__(self, *, env: Mapping[str, str], log_dir: Path, replicas: int = 1,
                 router_port: int | None = None, extra: Sequence[Service] = ()) -> None:
        self.env = dict(env)
        self.log_dir = log_dir
        self.replicas = replicas
        self.router_port = router_port or free_port()
        self.extra = list(extra)
        self.children: list[Child] = []
        self.subgraph_urls: dict[str, str] = {}
        self.supergraph = log_dir / "supergraph.graphql"

    @property
    def subgraph_env(self) -> dict[str, str]:
        """A subgraph's environment: it trusts the X-Forwarded-For of the router (and of the
        balancers, which pass bytes through) — their address, loopback — and nobody else's."""
        return {"CREDIT_GATEWAY_TRUSTED_PROXIES": HOST, **self.env}

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.router_port}/graphql"

    def start(self) -> LocalFederation:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._start_subgraphs()
            self.supergraph.write_text(supergraph_text(compose(
                [*our_services(self.subgraph_urls), *self.extra])), encoding="utf-8")
            router = self._spawn("router", router_argv(self.supergraph, self.router_port))
            router.wait_http(f"http://{HOST}:{self.router_port}/readiness")
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self, name: str, argv: list[str], env: Mapping[str, str] | None = None) -> Child:
        child = Child.start(name, argv, log_dir=self.log_dir, env=env or self.env, cwd=ROOT)
        self.children.append(child)
        return child

    def _start_subgraphs(self) -> None:
        # every process is started before any is awaited, so they boot side by side
        waits: list[tuple[Child, int]] = []
        for name in SUBGRAPHS:
            ports = [free_port() for _ in range(self.replicas)]
            for index, port in enumerate(ports, 1):
                waits.append((self._spawn(f"{name}-{index}", subgraph_argv(name, port),
                                          self.subgraph_env), port))
            if self.replicas == 1:
                front = ports[0]
            else:
                front = free_port()
                waits.append((self._spawn(f"{name}-balancer", balancer_argv(front, ports)),
                              front))
            self.subgraph_urls[name] = f"http://{HOST}:{front}/graphql"
        for child, port in waits:
            child.wait_http(f"http://{HOST}:{port}/healthz")

    def stop(self) -> None:
        stop_all(self.children)
        self.children.clear()

    def __enter__(self) -> LocalFederation:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()
