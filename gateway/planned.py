"""``PlannedAnswers``: the edge's stage that answers a query with a compiled plan, if it has one.

It sits where strawberry would execute the request — after authentication, the persisted
document, the response cache's look-up and the request's ``Context`` — and hands back an
``ExecutionResult`` like strawberry's, so what follows (error coding, the response cache's
store, ETag) is the same for both. ``None`` means strawberry answers.

A document is compiled (``resolvers.plans.Compiler``) only once strawberry has answered it,
for the same role, without any error: it then passed parsing, validation and every document
limit, and the role may read every field it selects. The limits that read the variables (a
page size, a cursor's length: the cost and text limits, ``VariableLimits``) are asked again
for each request a plan answers; a refusal is strawberry's to report. An AUDITOR's unmasked reads go to
the access log as after strawberry's execution; if the log cannot be written, strawberry
answers instead (and refuses the same way). ``CREDIT_GATEWAY_PLANS=off`` turns the stage off;
SQLite deployments never use it (docs/PERFORMANCE.md, "Compiled plans").
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql import DocumentNode, GraphQLError, parse
from prometheus_client import Counter
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from federation.schema import core_schema
from gateway.access_log import write_access_log
from gateway.limits.cost import VariableLimits
from gateway.metrics import Metrics
from gateway.settings import Settings
from resolvers.context import Context
from resolvers.domain.enums import Role
from resolvers.plans import Compiler, NoPlan, Plan

MAX_DOCUMENTS = 256  # (document, operation, role) remembered, compiled or not, least recent out

Key = tuple[str, str | None, Role]


MAX_VARIABLES = 32  # variable sets per plan whose limits' verdict is remembered


@dataclass(frozen=True)
class Armed:
    """A compiled document: its plan, its parsed document (for the variables' limits) and the
    verdicts of those limits for the variable sets it was last asked with (the limits are a
    function of the document and the variables: a dashboard asks with the same few)."""

    plan: Plan
    document: DocumentNode
    verdicts: OrderedDict[str, bool] = field(default_factory=OrderedDict)

    @property
    def operation_name(self) -> str | None:
        """The name of the document's one operation, as strawberry's execution knows it
        when the request names none (the access log records it)."""
        operation = self.document.definitions[0]
        name = getattr(operation, "name", None)
        return None if name is None else str(name.value)


class PlannedAnswers:
    def __init__(self, schema: strawberry.Schema, settings: Settings, metrics: Metrics, *,
                 postgres: bool) -> None:
        self.enabled = settings.plans_on and postgres
        self._compiler = Compiler(schema, default_page_size=settings.default_page_size,
                                  max_page_size=settings.max_page_size)
        self._schema = schema
        self._limits = VariableLimits(settings)
        self._plans: OrderedDict[Key, Armed | None] = OrderedDict()
        self._answered = Counter("credit_gateway_planned_answers",
                                 "Queries answered by a compiled plan instead of strawberry.",
                                 registry=metrics.registry)

    def _key(self, context: Context, data: GraphQLRequestData) -> Key | None:
        # an operation name that is not a string (a JSON object or array sent as one) is
        # strawberry's to refuse with its 400: it is no key either
        if not self.enabled or data.query is None or not isinstance(
                data.operation_name, str | None):
            return None
        return (data.query, data.operation_name, context.caller.role)

    async def answer(self, context: Context, data: GraphQLRequestData) -> ExecutionResult | None:
        """The result of the request's plan, or ``None`` for strawberry to execute it."""
        key = self._key(context, data)
        armed = self._plans.get(key) if key is not None else None
        if armed is None or data.query is None:
            return None
        variables = data.variables or {}
        if self._refused(armed, data.operation_name, variables):
            return None
        try:
            answer = await armed.plan.run(context, variables)
        except NoPlan:
            return None
        except Exception:
            return None
        try:
            await write_access_log(context, data.query,
                                   data.operation_name or armed.operation_name)
        except Exception:
            return None
        self._answered.inc()
        return ExecutionResult(data=answer, errors=None)

    def learn(self, context: Context, data: GraphQLRequestData, result: ExecutionResult) -> None:
        """Compile a document strawberry answered without errors for this role (once)."""
        key = self._key(context, data)
        if key is None or data.query is None or result.errors or key in self._plans:
            return
        if len(self._plans) >= MAX_DOCUMENTS:
            self._plans.popitem(last=False)
        document = parse(data.query)
        plan = self._compiler.compile(document, data.operation_name)
        self._plans[key] = None if plan is None else Armed(plan, document)

    def _refused(self, armed: Armed, operation_name: str | None,
                 variables: dict[str, Any]) -> bool:
        try:
            key = json.dumps(variables, sort_keys=True, separators=(",", ":"))
        except (TypeError, ValueError):  # not JSON's: asked, not remembered
            key = None
        verdict = armed.verdicts.get(key) if key is not None else None
        if verdict is None:
            errors: list[GraphQLError] = self._limits.errors(
                core_schema(self._schema), armed.document, operation_name, variables)
            verdict = bool(errors)
            if key is not None:
                if len(armed.verdicts) >= MAX_VARIABLES:
                    armed.verdicts.popitem(last=False)
                armed.verdicts[key] = verdict
        return verdict
