"""A round-robin TCP balancer: each new connection goes to the next replica that accepts it.

Stands in, on one machine, for what a deployment puts in front of a subgraph's replicas (a
Kubernetes Service, an L4 load balancer). It knows nothing of HTTP or GraphQL; a replica that
refuses connections is skipped until it accepts again.

    python -m gateway.topology.balancer --listen 127.0.0.1:4101 127.0.0.1:5101 127.0.0.1:5102
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import signal
from collections.abc import Sequence

Address = tuple[str, int]


def address(text: str) -> Address:
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


class RoundRobinBalancer:
    def __init__(self, replicas: Sequence[Address]) -> None:
        self.replicas = list(replicas)
        self._next = itertools.cycle(range(len(self.replicas)))

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        error: OSError | None = None
        for _ in self.replicas:
            host, port = self.replicas[next(self._next)]
            try:
                return await asyncio.open_connection(host, port)
            except OSError as refused:
                error = refused
        raise ConnectionError(f"no replica accepts connections: {error}")

    async def handle(self, client_reader: asyncio.StreamReader,
                     client_writer: asyncio.StreamWriter) -> None:
        try:
            replica_reader, replica_writer = await self._connect()
        except ConnectionError:
            client_writer.close()
            return
        await asyncio.gather(_pipe(client_reader, replica_writer),
                             _pipe(replica_reader, client_writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(ConnectionError, OSError):
            writer.close()


async def serve(listen: Address, replicas: Sequence[Address]) -> None:
    balancer = RoundRobinBalancer(replicas)
    server = await asyncio.start_server(balancer.handle, *listen)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=address, required=True, help="HOST:PORT to accept on")
    parser.add_argument("replicas", type=address, nargs="+", help="HOST:PORT of each replica")
    arguments = parser.parse_args(argv)
    asyncio.run(serve(arguments.listen, arguments.replicas))


if __name__ == "__main__":
    main()
