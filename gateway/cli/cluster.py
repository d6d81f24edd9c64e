"""``credit-gateway cluster``: the distributed topology of docs/DEPLOYMENT.md on this machine."""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path
from types import FrameType

import click

from gateway.topology.cluster import ClusterOptions, LocalCluster
from gateway.topology.processes import StartupError


class _Stop(Exception):
    """SIGTERM or SIGINT arrived."""


@click.command()
@click.option("--replicas", type=click.IntRange(1, 8), default=2, show_default=True,
              help="Processes per subgraph (behind a round-robin balancer each).")
@click.option("--subjects", type=click.IntRange(1, 1_000_000), default=2000, show_default=True,
              help="Demo subjects seeded into the cluster's PostgreSQL.")
@click.option("--seed", type=int, default=1, show_default=True, help="Demo data seed.")
@click.option("--router-port", type=click.IntRange(1, 65535), default=4000, show_default=True,
              help="Port of the Hive Gateway router.")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=Path("data/cluster"), show_default=True,
              help="Working directory (databases, logs); emptied at every start.")
def cluster(replicas: int, subjects: int, seed: int, router_port: int, directory: Path) -> None:
    """Run PostgreSQL (primary + read replica), Redis, REPLICAS processes per subgraph and the
    Hive Gateway router on loopback until SIGTERM or Ctrl-C, then stop every piece."""
    stopping = threading.Event()

    def stop(_signal: int, _frame: FrameType | None) -> None:
        if not stopping.is_set():
            stopping.set()
            raise _Stop

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)
    local = LocalCluster(ClusterOptions(directory, replicas, subjects, seed, router_port))
    try:
        local.start()
        click.echo(json.dumps(local.describe(), indent=2))
        click.echo("cluster up; SIGTERM or Ctrl-C stops it")
        while not stopping.wait(3600):
            pass
    except _Stop:
        pass
    except StartupError as error:
        raise click.ClickException(str(error)) from error
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        local.stop()
        click.echo("cluster stopped")
