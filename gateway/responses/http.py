"""HTTP caching of ``/graphql`` GETs: a strong ``ETag``, ``Cache-Control``, ``Vary``, ``304``.

Only a GET of a query answered without errors is cacheable. It is ``public, max-age=<response
TTL>`` only when it was computed for the public view and the request carried no
``Authorization`` header; anything for a key holder or a non-public view is
``private, no-store``. Everything else (POSTs, mutations, errors) is ``no-store``. ``Vary:
Authorization, Origin, Accept`` always, so a shared cache never hands one caller's answer to
another, nor an ``application/json`` answer to a client that asked for
``application/graphql-response+json`` (``wants_graphql_response``).
"""

from __future__ import annotations

import hashlib

VARY = "Authorization, Origin, Accept"
GRAPHQL_RESPONSE = "application/graphql-response+json"
# the media types an answer of /graphql can take, and the ranges that cover them
_ANSWERS = frozenset({GRAPHQL_RESPONSE, "application/json", "application/*", "*/*"})


def wants_graphql_response(accept: str | None) -> bool:
    """Whether ``Accept`` prefers ``application/graphql-response+json`` to ``application/json``
    (GraphQL over HTTP): the range with the highest ``q`` among those that cover an answer
    wins, the first listed among equals (RFC 9110 §12.5.1). No ``Accept``, ``*/*`` or
    ``application/json`` first: ``application/json``, as before the spec."""
    if not accept or GRAPHQL_RESPONSE not in accept.lower():
        return False
    best, best_q = "", -1.0
    for item in accept.lower().split(","):
        media, *parameters = (part.strip() for part in item.split(";"))
        q = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media in _ANSWERS and q > best_q:
            best, best_q = media, q
    return best == GRAPHQL_RESPONSE and best_q > 0


def etag_of(body: bytes) -> str:
    """A strong validator: the SHA-256 of the exact bytes (first 128 bits)."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """``If-None-Match`` names ``etag`` (or is ``*``); comparison is weak, as RFC 9110 asks."""
    if not if_none_match:
        return False
    candidates = [tag.strip() for tag in if_none_match.split(",")]
    return "*" in candidates or any(tag.removeprefix("W/") == etag for tag in candidates)


def cache_control(*, cacheable: bool, public: bool, ttl: int) -> str:
    if not cacheable:
        return "no-store"
    return f"public, max-age={ttl}" if public else "private, no-store"


def answer_headers(*, cache: str, cacheable: bool, public: bool, ttl: int,
                   etag: str | None) -> dict[str, str]:
    """The caching headers of one ``/graphql`` answer (``X-Cache``: HIT, MISS or BYPASS)."""
    headers = {"X-Cache": cache, "Vary": VARY,
               "Cache-Control": cache_control(cacheable=cacheable, public=public, ttl=ttl)}
    if cacheable and etag is not None:
        headers["ETag"] = etag
    return headers
