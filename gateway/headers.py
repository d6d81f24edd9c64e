"""Request headers read from the ASGI scope, one way for every layer.

A repeated header is read as its first value wherever one value is meant (``Authorization``,
``Origin``, ``If-None-Match``…), so that every layer — authentication, the rate limit, CORS,
the cached-answer path — sees the same one: the key authenticated is the key counted. Only a
list-valued header (``X-Forwarded-For``) is read as all of its lines, joined with commas as
RFC 9110 §5.3 allows. ASGI servers give header names in lower case.
"""

from __future__ import annotations

from starlette.types import Scope


def first_values(scope: Scope) -> dict[bytes, bytes]:
    """Each header's first value, by name."""
    found: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        found.setdefault(name.lower(), value)
    return found


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of the header ``name`` (lower case), as text."""
    for key, value in scope["headers"]:
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def joined(scope: Scope, name: bytes) -> str | None:
    """Every line of the list-valued header ``name``, as one comma-separated list."""
    values = [value.decode("latin-1") for key, value in scope["headers"] if key.lower() == name]
    return ", ".join(values) if values else None
