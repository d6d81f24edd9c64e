"""``CachedAnswers``: an anonymous APQ GET of a trusted document answered from the response
cache before strawberry's view (docs/PERFORMANCE.md, docs/CACHING.md).

The platforms' query windows send one request shape millions of times: an anonymous GET naming
a trusted document by its SHA-256 (``extensions.persistedQuery``), with variables. For exactly
that shape this layer builds the response-cache key, does the one look-up (``ResponseCache``:
the entry, valid only while every tag version it was stored with is current) and answers a hit
with the headers the full path gives it (``X-Cache: HIT``, ``ETag``, public ``Cache-Control``,
``304`` to a matching ``If-None-Match``). It sits inside the edge middlewares (CORS, limits,
authentication), so those hold for it as for every request.

Anything else — a miss, a key holder, a document sent as text, an untrusted hash, a variable
that is not JSON, a body on a GET — goes on to the full path (``CachingFlow``), which answers,
refuses or stores it.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.auth import header
from gateway.persisted.apq import PersistedQueries, PersistedQueryError, hash_of
from gateway.responses import http
from gateway.responses.keys import response_key
from gateway.responses.store import ResponseCache
from resolvers.domain import clock
from resolvers.domain.actors import Visibility

PATH = "/graphql"
# Accept values that ask strawberry for a streamed answer (multipart or server-sent events)
STREAMS = ("multipart/mixed", "text/event-stream")
KEYS_REMEMBERED = 4096  # query string → response-cache key, per process
REMEMBERED_LENGTH = 1024  # longer query strings are parsed every time, not kept


class CachedAnswers:
    def __init__(self, app: ASGIApp, *, responses: ResponseCache, persisted: PersistedQueries,
                 schema_version: str) -> None:
        self.app = app
        self.responses = responses
        self.persisted = persisted
        self.schema_version = schema_version
        self._key_of = lru_cache(maxsize=KEYS_REMEMBERED)(self._parsed_key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope) if self.responses.enabled else None
        hit = await self.responses.lookup(key, count_miss=False) if key is not None else None
        if hit is None:
            await self.app(scope, receive, send)
            return
        headers = http.answer_headers(cache="HIT", cacheable=True, public=True,
                                      ttl=self.responses.ttl, etag=hit.etag)
        if http.matches(header(scope, b"if-none-match"), hit.etag):
            await send({"type": "http.response.start", "status": 304,
                        "headers": _raw(headers)})
            await send({"type": "http.response.body", "body": b""})
            return
        headers["content-type"] = "application/json"
        headers["content-length"] = str(len(hit.body))
        await send({"type": "http.response.start", "status": 200, "headers": _raw(headers)})
        await send({"type": "http.response.body", "body": hit.body})

    def _key(self, scope: Scope) -> str | None:
        """The response-cache key of an anonymous APQ GET of a trusted document without a
        body; ``None`` for every other request."""
        if (scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != PATH
                or _has_any(scope, (b"authorization", b"content-length", b"transfer-encoding"))
                or any(stream in (header(scope, b"accept") or "") for stream in STREAMS)):
            return None
        query_string: bytes = scope["query_string"]
        if len(query_string) > REMEMBERED_LENGTH:
            return self._parsed_key(query_string, clock.today())
        # the query windows repeat a few thousand query strings: each is parsed once a day
        return self._key_of(query_string, clock.today())

    def _parsed_key(self, query_string: bytes, today: date) -> str | None:
        params = dict(parse_qsl(query_string.decode("latin-1"), keep_blank_values=True))
        if "query" in params or "extensions" not in params or params.get("variables") == "":
            return None
        try:
            extensions = json.loads(params["extensions"])
            variables = json.loads(params["variables"]) if "variables" in params else None
            digest = hash_of(extensions.get("persistedQuery"))
            document = self.persisted.trusted.body(digest)
            if document is None or not (variables is None or isinstance(variables, dict)):
                return None
            return response_key(schema=self.schema_version, scope=Visibility.PUBLIC.value,
                                document=document, operation_name=params.get("operationName"),
                                variables=variables, today=today)
        except (ValueError, AttributeError, RecursionError, PersistedQueryError):
            return None  # the full path explains what is wrong with it


def _has_any(scope: Scope, names: tuple[bytes, ...]) -> bool:
    return any(key in names for key, _ in scope["headers"])


def _raw(headers: dict[str, Any]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), str(value).encode("latin-1"))
            for name, value in headers.items()]
