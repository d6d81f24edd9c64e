"""``ResponseCacheStage``: the edge pipeline's response-cache stage (``gateway.pipeline``): an
anonymous APQ GET of a trusted document answered from the response cache before strawberry's
view (docs/CACHING.md, docs/PERFORMANCE.md).

The platforms' query windows send one request shape millions of times: an anonymous GET naming
a trusted document by its SHA-256 (``extensions.persistedQuery``), with variables. For exactly
that shape this stage builds the response-cache key (remembered per query string), does the one
look-up (``ResponseCache``: valid only while every tag version the entry was stored with is
current) and answers a hit with the headers the full path gives it: ``X-Cache: HIT``, ``ETag``,
public ``Cache-Control``, ``Vary``, ``304`` to a matching ``If-None-Match``.

It is a stage like the others, inside them: by the time a request gets here its size is
within the limits, it has been counted against the rate limit, its caller is known, and the
stages outside add what every answer gets (CORS, media type, metrics, statement count) to this
one as to any other. It adds nothing of theirs.

Anything else — a miss, a key holder, a document sent as text, an APQ-registered document, bad
JSON, a body on a GET, a streaming ``Accept`` — goes on to the full path (``CachingFlow``),
which counts the miss, answers or refuses.
"""

from __future__ import annotations

import json
from functools import lru_cache
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.auth import caller_of
from gateway.headers import first_values
from gateway.persisted.apq import PersistedQueries, PersistedQueryError, hash_of
from gateway.responses import http
from gateway.responses.keys import response_key
from gateway.responses.store import ResponseCache
from resolvers.domain.actors import Visibility

PATH = "/graphql"
# Accept values that ask strawberry for a streamed answer (multipart or server-sent events)
STREAMS = (b"multipart/mixed", b"text/event-stream")
# headers that take a request off this path: a key, or a body
NOT_HERE = (b"authorization", b"content-length", b"transfer-encoding")
KEYS_REMEMBERED = 4096  # query string → response-cache key, per process
REMEMBERED_LENGTH = 1024  # longer query strings are parsed every time, not kept


class ResponseCacheStage:
    def __init__(self, app: ASGIApp, *, responses: ResponseCache, persisted: PersistedQueries,
                 schema_version: str) -> None:
        self.app = app
        self.responses = responses
        self.persisted = persisted
        self.schema_version = schema_version
        self._key_of = lru_cache(maxsize=KEYS_REMEMBERED)(self._parsed_key)
        hit = http.answer_headers(cache="HIT", cacheable=True, public=True,
                                  ttl=responses.ttl, etag=None)
        self._hit_headers = [(name.lower().encode("latin-1"), value.encode("latin-1"))
                             for name, value in hit.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = first_values(scope) if scope["type"] == "http" else {}
        key = self._key(scope, headers) if self.responses.enabled else None
        hit = await self.responses.lookup(key, count_miss=False) if key is not None else None
        if hit is None:
            await self.app(scope, receive, send)
            return
        if http.matches(_text(headers.get(b"if-none-match")), hit.etag):
            await send(self._start(304, hit.etag))
            await send({"type": "http.response.body", "body": b""})
        else:
            await send(self._start(200, hit.etag, (b"content-type", b"application/json"),
                                   (b"content-length", str(len(hit.body)).encode("latin-1"))))
            await send({"type": "http.response.body", "body": hit.body})

    def _start(self, status: int, etag: str, *more: tuple[bytes, bytes]) -> Message:
        """The response start of a hit: the full path's caching headers (the same for every
        hit but the ``ETag``, encoded once) and ``more``."""
        return {"type": "http.response.start", "status": status,
                "headers": [*self._hit_headers, (b"etag", etag.encode("latin-1")), *more]}

    def _key(self, scope: Scope, headers: dict[bytes, bytes]) -> str | None:
        """The response-cache key of an anonymous APQ GET of a trusted document without a body;
        ``None`` for every other request."""
        if (scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != PATH
                or any(name in headers for name in NOT_HERE)
                or any(stream in headers.get(b"accept", b"") for stream in STREAMS)
                or caller_of(scope).visibility is not Visibility.PUBLIC):
            return None
        query_string: bytes = scope["query_string"]
        if len(query_string) > REMEMBERED_LENGTH:
            return self._parsed_key(query_string)
        # the query windows repeat a few thousand query strings: each is parsed once
        return self._key_of(query_string)

    def _parsed_key(self, query_string: bytes) -> str | None:
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
                                variables=variables)
        except (ValueError, AttributeError, RecursionError, PersistedQueryError):
            return None  # the full path explains what is wrong with it


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value is not None else None
