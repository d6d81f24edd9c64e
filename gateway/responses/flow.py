"""``CachingFlow``: one ``/graphql`` HTTP request through persisted documents, the response
cache and HTTP caching, around strawberry's execution (docs/CACHING.md).

1. the document: the request's own, or the one its ``extensions.persistedQuery`` names (APQ);
   anonymous callers in production may run trusted documents only (``gateway.persisted``),
   except through the federation router, which holds them to that list itself;
2. a query of a caller whose answers may be shared (not AUDITOR: each of its reads is logged)
   is looked up by key (document, operation, variables, visibility scope); a hit whose tag
   versions are all unchanged and whose calendar day has not come is answered from the cache
   (``X-Cache: HIT``); concurrent misses of one key compute once (``ResponseCache.join``);
3. otherwise it runs, with a ``TagRecorder`` in the loaders; a query answered without errors
   is stored with the versions of every tag it read and the first day the calendar changes
   it (``X-Cache: MISS``);
4. GETs get ``ETag`` and ``Cache-Control`` and answer ``304`` to a matching ``If-None-Match``.

Mutations, subscriptions over HTTP streams, the GraphiQL page and batches take strawberry's
own path (``X-Cache: BYPASS`` where a response is made here).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from strawberry import UNSET
from strawberry.http import GraphQLRequestData

from gateway.auth import caller_of
from gateway.persisted.apq import PersistedQueries, PersistedQueryError
from gateway.persisted.router import ROUTER_HEADER, RouterNotTrusted, RouterTrust
from gateway.planned import PlannedAnswers
from gateway.refusals import refusal
from gateway.responses import http
from gateway.responses.documents import Operation
from gateway.responses.keys import response_key
from gateway.responses.store import Cached, ResponseCache
from resolvers.cache import ALL_TAG, Cache
from resolvers.context import Context
from resolvers.domain.actors import Visibility
from resolvers.domain.enums import Role


class CachingFlow:
    """Mixin for strawberry's ASGI ``GraphQL`` (before it in the bases); the class using it
    sets the attributes below in its ``__init__``."""

    persisted: PersistedQueries
    responses: ResponseCache
    tag_cache: Cache
    schema_version: str
    production: bool
    router: RouterTrust
    operation_of: Callable[[str, object], Operation | None]  # ``known_operations``
    plans: PlannedAnswers

    def should_render_graphql_ide(self, request: Any) -> bool:
        # an APQ GET carries ``extensions`` and no ``query``: it is a request, not a browser
        return bool(super().should_render_graphql_ide(request)  # type: ignore[misc]
                    and request.query_params.get("extensions") is None)

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        # ``Any``: strawberry overloads ``run`` for HTTP requests and websockets
        view: Any = self
        if not isinstance(request, Request) or context is not UNSET:
            return await super().run(request, context, root_value)  # type: ignore[misc]
        adapter = view.request_adapter_class(request)
        if not view.is_request_allowed(adapter) or view.should_render_graphql_ide(adapter):
            return await super().run(request, context, root_value)  # type: ignore[misc]
        try:
            data = await view.parse_http_body(adapter)
        except json.JSONDecodeError as error:
            raise HTTPException(400, "Unable to parse request body as JSON") from error
        if not isinstance(data, GraphQLRequestData) or data.protocol != "http":
            return await super().run(request, context, root_value)  # type: ignore[misc]
        caller = caller_of(request.scope)
        try:
            restricted = self.production and caller.role is Role.PUBLIC \
                and not self.router.from_router(request.scope)
            document = await self.persisted.document(data.query, data.extensions,
                                                     restricted=restricted)
        except RouterNotTrusted:
            return refusal(403, "ROUTER_NOT_TRUSTED", f"The {ROUTER_HEADER} header does not "
                           "carry this service's CREDIT_GATEWAY_ROUTER_SECRET.",
                           headers={"Cache-Control": "no-store", "Vary": http.VARY})
        except PersistedQueryError as refused:
            return refusal(refused.status, refused.code, refused.message,
                           headers={"Cache-Control": "no-store", "Vary": http.VARY})
        data = dataclasses.replace(data, query=document)
        get = request.method == "GET"
        public = caller.visibility is Visibility.PUBLIC and "authorization" not in request.headers

        # parsed once (strawberry's on_parse takes the document from ``RememberedDocuments``)
        operation = (self.operation_of(document, data.operation_name)
                     if document is not None else None)
        key = None
        flight = None
        if (document is not None and self.responses.enabled
                and caller.visibility is not Visibility.AUDITOR):
            key = response_key(schema=self.schema_version, scope=caller.visibility.value,
                               document=document, operation_name=data.operation_name,
                               variables=data.variables)
            shared = operation is not None and operation.cacheable
            # a miss of a shared answer is counted by ``join``: once per computation
            hit = await self.responses.lookup(key, count_miss=not shared)
            if hit is None and shared:
                # concurrent misses of one key compute it once
                joined = await self.responses.join(key)
                hit, flight = (joined, None) if isinstance(joined, Cached) else (None, joined)
            if hit is not None:
                return self._answer(request, hit.body, hit.etag, status=200, cache="HIT",
                                    cacheable=get, public=public)
        try:
            return await self._computed(request, root_value, view, adapter, data, operation,
                                        key, get=get, public=public)
        finally:
            await self.responses.land(flight)

    async def _computed(self, request: Request, root_value: Any, view: Any, adapter: Any,
                        data: GraphQLRequestData, operation: Operation | None,
                        key: str | None, *, get: bool, public: bool) -> Response:
        """Execute the request; store a query's answer when it may be shared (``key``)."""
        sub_response = await view.get_sub_response(request)
        graphql_context: Context = await view.get_context(request, response=sub_response)
        loaders = graphql_context.loaders
        recorder = loaders.tags
        if recorder is not None and operation is not None:
            recorder.recording = key is not None and operation.cacheable
            # before any data is read: what the answer will be stored against, and whether a
            # list it shows changed within the replica lag
            await loaders.observe([ALL_TAG, *operation.list_tags])
        if recorder is not None and not recorder.recording:
            recorder = None
        root = await view.get_root_value(request) if root_value is UNSET else root_value
        # a compiled plan answers first when it has one (gateway/planned.py), else strawberry
        result = await self.plans.answer(graphql_context, data)
        if result is None:
            result = await view.execute_single(request=request, request_adapter=adapter,
                                               sub_response=sub_response, context=graphql_context,
                                               root_value=root, request_data=data)
            self.plans.learn(graphql_context, data, result)
        response_data = await view.process_result(request=request, result=result)
        encoded = view.encode_json(response_data)
        body = encoded if isinstance(encoded, bytes) else encoded.encode()
        succeeded = not result.errors and operation is not None and operation.is_query
        etag = http.etag_of(body)
        cache_state = "BYPASS"
        if recorder is not None:
            cache_state = "MISS"
            versions = await recorder.final() if succeeded else None
            if versions is not None:
                await self.responses.store(key or "", versions, etag, body,
                                           until=await loaders.calendar_boundary())
        response = self._answer(request, body, etag if succeeded else None,
                                status=sub_response.status_code or 200, cache=cache_state,
                                cacheable=get and succeeded, public=public)
        response.headers.raw.extend(sub_response.headers.raw)
        if sub_response.background:
            response.background = sub_response.background
        return response

    def _answer(self, request: Request, body: bytes, etag: str | None, *, status: int,
                cache: str, cacheable: bool, public: bool) -> Response:
        headers = http.answer_headers(cache=cache, cacheable=cacheable, public=public,
                                      ttl=self.responses.ttl, etag=etag)
        if "ETag" in headers and http.matches(request.headers.get("if-none-match"), etag or ""):
            return Response(status_code=304, headers=headers)
        return Response(body, status_code=status, headers=headers, media_type="application/json")
