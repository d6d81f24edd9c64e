"""Request headers read from the ASGI scope, one way for every layer.

A repeated header is read as its first value wherever one value is meant (``Authorization``,
``Origin``, ``If-None-Match``…), so that every stage of the edge — authentication, the rate
limit, CORS, the response cache — sees the same one: the key authenticated is the key counted.
The headers are read once per request (``first_values``, kept in the scope) however many
stages ask. Only a list-valued header (``X-Forwarded-For``) is read as all of its lines, joined
with commas as RFC 9110 §5.3 allows. ASGI servers give header names in lower case.
"""

from __future__ import annotations

from starlette.types import Scope

SCOPE_KEY = "credit_gateway.headers"  # the request's first values, by name, once read


def first_values(scope: Scope) -> dict[bytes, bytes]:
    """Each header's first value, by (lower-case) name: read on the first call for a request,
    then kept in its scope for every later stage."""
    found: dict[bytes, bytes] | None = scope.get(SCOPE_KEY)
    if found is None:
        found = {}
        for name, value in scope["headers"]:
            found.setdefault(name.lower(), value)
        scope[SCOPE_KEY] = found
    return found


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of the header ``name`` (lower case), as text."""
    value = first_values(scope).get(name)
    return None if value is None else value.decode("latin-1")


def joined(scope: Scope, name: bytes) -> str | None:
    """Every line of the list-valued header ``name``, as one comma-separated list."""
    values = [value.decode("latin-1") for key, value in scope["headers"] if key.lower() == name]
    return ", ".join(values) if values else None


def has_body(scope: Scope) -> bool:
    """Whether the request announces a body (``Content-Length`` or ``Transfer-Encoding``);
    without either an HTTP/1.1 request has none (RFC 9112 §6.3), so a stage that reads or
    times the body can pass it on as it is."""
    found = first_values(scope)
    return b"content-length" in found or b"transfer-encoding" in found
