"""``CachedAnswers``: an anonymous APQ GET of a trusted document answered from the response
cache at the edge, before the other middlewares and strawberry's view (docs/CACHING.md,
docs/PERFORMANCE.md).

The platforms' query windows send one request shape millions of times: an anonymous GET naming
a trusted document by its SHA-256 (``extensions.persistedQuery``), with variables. For exactly
that shape this layer builds the response-cache key (remembered per query string), does the one
look-up (``ResponseCache``: valid only while every tag version the entry was stored with is
current) and answers a hit with the headers the full path gives it: ``X-Cache: HIT``, ``ETag``,
public ``Cache-Control``, ``304`` to a matching ``If-None-Match``.

It is the outermost middleware, so it applies to its requests what the edge middlewares would
(``Edge``), each through the same code: the query-string limit (longer ones go on, to be
refused), CORS for public origins (``readable_by``, ``Vary: Origin``; any other origin goes
on), the rate limit (``RateLimits.refusal``, counted once: only for a hit, since a miss goes on
and is counted there), ``X-SQL-Statements: 0`` outside production and the request metrics. It
is anonymous by construction: a request with ``Authorization`` goes on.

Anything else — a miss, a key holder, a document sent as text, an APQ-registered document, bad
JSON, a body on a GET, a streaming ``Accept`` or one preferring
``application/graphql-response+json`` (its answers are ``application/json``) — goes on to the
full path (``CachingFlow``), which counts the miss, answers or refuses.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.cors import is_public_origin, readable_by, vary_on_origin
from gateway.headers import first_values
from gateway.limits.rate import RateLimits
from gateway.middleware import HEADER as STATEMENTS_HEADER
from gateway.persisted.apq import PersistedQueries, PersistedQueryError, hash_of
from gateway.responses import http
from gateway.responses.http import wants_graphql_response
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


@dataclass(frozen=True)
class Edge:
    """What the edge middlewares would do to an anonymous GET (``gateway/app.py`` builds both
    from the same settings)."""

    public_origins: tuple[str, ...]
    max_query_string: int  # 0: no limit
    rate_limits: RateLimits
    expose_statements: bool  # X-SQL-Statements (outside production)
    observe: Callable[[str, float, int], None]  # request metrics: path, seconds, statements


class CachedAnswers:
    def __init__(self, app: ASGIApp, *, responses: ResponseCache, persisted: PersistedQueries,
                 schema_version: str, edge: Edge) -> None:
        self.app = app
        self.responses = responses
        self.persisted = persisted
        self.schema_version = schema_version
        self.edge = edge
        self._key_of = lru_cache(maxsize=KEYS_REMEMBERED)(self._parsed_key)
        hit = http.answer_headers(cache="HIT", cacheable=True, public=True,
                                  ttl=responses.ttl, etag=None)
        self._hit_headers = [(name.lower().encode("latin-1"), value.encode("latin-1"))
                             for name, value in hit.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        headers = first_values(scope) if scope["type"] == "http" else {}
        key = self._key(scope, headers) if self.responses.enabled else None
        hit = await self.responses.lookup(key, count_miss=False) if key is not None else None
        if hit is None:
            await self.app(scope, receive, send)
            return
        edge = self._edge_headers(headers)
        refused = await self.edge.rate_limits.refusal(scope)
        if refused is not None:
            refused.headers.update(edge)
            vary_on_origin(refused.headers)
            await refused(scope, receive, send)
        elif http.matches(_text(headers.get(b"if-none-match")), hit.etag):
            await send(self._start(304, hit.etag, edge))
            await send({"type": "http.response.body", "body": b""})
        else:
            await send(self._start(200, hit.etag, edge, {"content-type": "application/json",
                                                         "content-length": str(len(hit.body))}))
            await send({"type": "http.response.body", "body": hit.body})
        self.edge.observe(PATH, time.perf_counter() - started, 0)

    def _start(self, status: int, etag: str, *more: dict[str, str]) -> Message:
        """The response start of a hit: the full path's caching headers (the same for every
        hit but the ``ETag``, encoded once) and ``more``."""
        raw = [*self._hit_headers, (b"etag", etag.encode("latin-1"))]
        raw += [(name.lower().encode("latin-1"), value.encode("latin-1"))
                for added in more for name, value in added.items()]
        return {"type": "http.response.start", "status": status, "headers": raw}

    def _edge_headers(self, headers: dict[bytes, bytes]) -> dict[str, str]:
        """The headers the edge middlewares add: CORS for the page's (public) origin and, outside
        production, the statement count."""
        origin = _text(headers.get(b"origin"))
        added = readable_by(origin) if origin is not None else {}
        if self.edge.expose_statements:
            added[STATEMENTS_HEADER] = "0"
        return added

    def _key(self, scope: Scope, headers: dict[bytes, bytes]) -> str | None:
        """The response-cache key of an anonymous APQ GET of a trusted document, without a
        body, within the query-string limit, from no page or a public origin's page; ``None``
        for every other request."""
        if (scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != PATH
                or any(name in headers for name in NOT_HERE)
                or any(stream in headers.get(b"accept", b"") for stream in STREAMS)
                or wants_graphql_response(_text(headers.get(b"accept")))):
            return None
        origin = _text(headers.get(b"origin"))
        if origin is not None and not is_public_origin(origin, self.edge.public_origins):
            return None
        query_string: bytes = scope["query_string"]
        if self.edge.max_query_string and len(query_string) > self.edge.max_query_string:
            return None
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
