"""HTTP caching of ``/graphql`` GETs: a strong ``ETag``, ``Cache-Control``, ``Vary``, ``304``.

Only a GET of a query answered without errors is cacheable. It is ``public, max-age=<response
TTL>`` only when it was computed for the public view and the request carried no
``Authorization`` header; anything for a key holder or a non-public view is
``private, no-store``. Everything else (POSTs, mutations, errors) is ``no-store``. ``Vary:
Authorization, Origin`` always, so a shared cache never hands one caller's answer to another.
"""

from __future__ import annotations

import hashlib

VARY = "Authorization, Origin"


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
