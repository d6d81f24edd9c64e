"""The GraphQL endpoint: strawberry's ASGI app with a per-request ``Context``."""

from __future__ import annotations

import json
from typing import Any

import orjson
import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from gateway.auth import caller_of
from gateway.errors import coded_errors, is_request_error
from gateway.graphiql import graphiql_page
from gateway.http_errors import CodedHTTPErrors
from gateway.limits.document import RememberedDocuments
from gateway.metrics import MeteredCache
from gateway.persisted.apq import PersistedQueries
from gateway.persisted.router import RouterTrust
from gateway.persisted.trusted import TrustedDocuments
from gateway.planned import PlannedAnswers
from gateway.responses.documents import known_operations
from gateway.responses.flow import CachingFlow
from gateway.responses.keys import fingerprint
from gateway.responses.store import ResponseCache
from gateway.services import Services
from resolvers.context import Context
from resolvers.domain import clock
from resolvers.loaders import Loaders


class GraphQLEndpoint(CodedHTTPErrors, CachingFlow, GraphQL[Context, None]):
    """POST and GET at ``/graphql``; GraphiQL for browsers outside production; persisted
    documents, the response cache and HTTP caching (``CachingFlow``, docs/CACHING.md)."""

    def __init__(self, schema: strawberry.Schema, services: Services,
                 documents: RememberedDocuments) -> None:
        super().__init__(
            schema,
            graphql_ide=None if services.settings.production else "graphiql",
            allow_queries_via_get=True,
        )
        self.services = services
        settings = services.settings
        # responses and APQ documents are not entity rows: stored past the entity counters
        store = services.cache.inner if isinstance(services.cache, MeteredCache) else services.cache
        self.tag_cache = services.cache  # bumps count as response-layer purges
        self.responses = ResponseCache(store, services.metrics, settings.response_cache_ttl)
        self.persisted = PersistedQueries(store, settings.apq_ttl,
                                          TrustedDocuments.load(settings.trusted_documents_path))
        self.schema_version = fingerprint(str(schema))
        self.production = settings.production
        self.router = RouterTrust(settings.router_secret)
        # the schema's document limits remember parsed documents in ``documents`` too
        self.operation_of = known_operations(documents, settings.max_tokens)
        self.plans = PlannedAnswers(schema, settings, services.metrics,
                                    postgres=not services.database.is_sqlite)

    @property
    def graphql_ide_html(self) -> str:
        """GraphiQL with its assets served by the gateway, not a CDN (gateway/graphiql.py)."""
        return graphiql_page()

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket
                          ) -> Context:
        settings = self.services.settings
        today = clock.today()
        caller = caller_of(request.scope)
        return Context(
            database=self.services.database,
            loaders=Loaders(self.services.database, today,
                            cache=self.services.cache if settings.cache_ttl else None,
                            tag_cache=self.tag_cache, replica_lag_ms=settings.replica_lag_ms,
                            flight=self.services.flight, naive=settings.naive_loaders,
                            public_view=not caller.sees_all_records),
            today=today,
            default_page_size=settings.default_page_size,
            max_page_size=settings.max_page_size,
            caller=caller,
            carrier_scale=settings.carrier_classes,
        )

    async def process_result(self, request: Request, result: ExecutionResult
                             ) -> GraphQLHTTPResponse:
        """The answer of one result: every error coded, faults logged (``gateway.errors``);
        a request error (nothing executed) without a ``data`` key, noted on the request for
        its status (``CodedHTTPErrors``). strawberry's documented hook, which every result of
        every path passes through."""
        errors = coded_errors(result.errors or ())
        response: GraphQLHTTPResponse = {}
        if is_request_error(result.data, errors):
            request.state.request_error = True  # its status: gateway.media.REQUEST_ERROR
        else:
            response["data"] = result.data
        if errors:
            response["errors"] = [error.formatted for error in errors]
        if result.extensions:
            response["extensions"] = result.extensions
        return response

    def encode_json(self, data: Any) -> bytes:
        # orjson: UTF-8, compact (Chinese text stays readable, 30 % smaller than \\u escapes);
        # what it cannot write (an integer beyond 64 bits) goes through the standard library
        try:
            return orjson.dumps(data)
        except orjson.JSONEncodeError:
            return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
