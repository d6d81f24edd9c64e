"""Slow clients: a request head or body that does not arrive within
``CREDIT_GATEWAY_READ_TIMEOUT`` seconds does not hold a connection open. Raw sockets against a
real ``credit-gateway serve`` (uvicorn), since only a real server has connections to hold."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.conftest import Backend, serving

TIMEOUT = 1  # seconds, CREDIT_GATEWAY_READ_TIMEOUT of the server under test
CLOSED_WITHIN = TIMEOUT + 2.0  # what the assertions allow (a busy machine)
BODY = b'{"query": "{ __typename }"}'


@pytest.fixture(scope="module")
def server(migrated: Backend) -> Iterator[tuple[str, int]]:
    with serving(migrated, env={"CREDIT_GATEWAY_READ_TIMEOUT": str(TIMEOUT)}) as (url,):
        parts = urlsplit(url)
        assert parts.hostname is not None
        assert parts.port is not None
        yield parts.hostname, parts.port


def head(length: int) -> bytes:
    return (f"POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()


def read_until_closed(sock: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took;
    fails when it still holds the connection after ``CLOSED_WITHIN`` seconds."""
    started = time.monotonic()
    sock.settimeout(CLOSED_WITHIN)
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except TimeoutError:
        pytest.fail(f"the server still holds the connection after {CLOSED_WITHIN} s "
                    f"(received {received!r})")
    except ConnectionResetError:
        pass
    return received, time.monotonic() - started


def answer(sock: socket.socket) -> bytes:
    """The response to ``BODY``'s request, read whole (the connection stays open)."""
    sock.settimeout(5)
    received = b""
    while b'{"data":{"__typename":"Query"}}' not in received:
        chunk = sock.recv(65536)
        assert chunk, received
        received += chunk
    return received


def test_a_half_sent_head_is_closed_with_408(server: tuple[str, int]) -> None:
    with socket.create_connection(server) as sock:
        sock.sendall(b"POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Le")
        received, elapsed = read_until_closed(sock)
    assert received.startswith(b"HTTP/1.1 408 "), received
    assert elapsed >= TIMEOUT - 0.2


def test_a_connection_that_sends_nothing_is_closed(server: tuple[str, int]) -> None:
    with socket.create_connection(server) as sock:
        received, elapsed = read_until_closed(sock)
    assert received == b""
    assert elapsed >= TIMEOUT - 0.2


def test_a_half_sent_body_is_408_and_closed(server: tuple[str, int]) -> None:
    with socket.create_connection(server) as sock:
        sock.sendall(head(len(BODY)) + BODY[:10])
        received, elapsed = read_until_closed(sock)
    assert received.startswith(b"HTTP/1.1 408 "), received
    assert b"REQUEST_TIMEOUT" in received
    assert b"connection: close" in received.lower()
    assert elapsed >= TIMEOUT - 0.2


def test_a_slow_head_after_a_first_request_is_closed(server: tuple[str, int]) -> None:
    """Keep-alive: the next request's head is bounded too, once its first byte came."""
    with socket.create_connection(server) as sock:
        sock.sendall(head(len(BODY)) + BODY)
        first = answer(sock)
        assert first.startswith(b"HTTP/1.1 200 "), first
        sock.sendall(b"P")
        received, _ = read_until_closed(sock)
    assert received.startswith(b"HTTP/1.1 408 "), received


def test_a_body_in_parts_within_the_timeout_is_answered(server: tuple[str, int]) -> None:
    with socket.create_connection(server) as sock:
        sock.sendall(head(len(BODY)) + BODY[:10])
        time.sleep(TIMEOUT / 3)
        sock.sendall(BODY[10:])
        answered = answer(sock)
    assert answered.startswith(b"HTTP/1.1 200 "), answered
