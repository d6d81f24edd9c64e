"""Document limits: field nesting depth, aliases and tokens, each with its own error code.

strawberry's ``QueryDepthLimiter`` and ``MaxAliasesLimiter`` report plain validation errors
(they would read as ``GRAPHQL_VALIDATION_FAILED``), so the depth and alias checks are
validation rules of ours that report ``QUERY_TOO_DEEP`` / ``TOO_MANY_ALIASES`` with
``maximum``. Tokens are capped as ``MaxTokensLimiter`` does, by graphql-core's parser
(``max_tokens``: lexing stops at the limit, so a huge document costs no more than the limit),
and the parser's syntax error is recoded ``TOO_MANY_TOKENS``.

Documents that parsed are remembered by their text (``RememberedDocuments``, one per app, read
in strawberry's public ``on_parse`` hook and by the view, so no remembered document is parsed twice): the
query windows send the same few documents all day, and parsing
the widget's was the largest cost of an uncached widget answer left (docs/PERFORMANCE.md,
"Profile of the uncached path"). A document that does not parse is never remembered, so its
error — ``TOO_MANY_TOKENS`` included — comes from strawberry's own parse every time, with its
code (strawberry's ``ParserCache`` parses inside the hook, where a syntax error loses it).

Introspection fields (``__schema``, ``__type``, ``__typename``) count like any other: the
default depth (15) is that of the introspection query GraphiQL sends. Both walks visit each
fragment once (``gateway.limits._walk.Fold``) within ``CREDIT_GATEWAY_MAX_VISITS``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    ValidationContext,
    ValidationRule,
    parse,
)
from strawberry.extensions import SchemaExtension

from gateway.limits._walk import Fold, TooComplex, fragments_of, operations_of
from gateway.settings import Settings

_TOKENS_MESSAGE = "Document contains more than"


class Depth(Fold[int, None]):
    """Levels of fields under a selection set (a root field alone is depth 1)."""

    def field(self, node: FieldNode, condition: str | None, context: None) -> int:
        return 1 + self.selections(node.selection_set, None)

    def combine(self, values: Iterable[int]) -> int:
        return max(values, default=0)


class Aliases(Fold[int, None]):
    """Aliased fields under a selection set, each fragment counted where it is spread."""

    def field(self, node: FieldNode, condition: str | None, context: None) -> int:
        return (node.alias is not None) + self.selections(node.selection_set, None)

    def combine(self, values: Iterable[int]) -> int:
        return sum(values)


def _rule(max_depth: int, max_aliases: int, max_visits: int) -> type[ValidationRule]:
    class DocumentLimitsRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            try:
                self.check(context)
            except TooComplex as refusal:
                context.report_error(refusal.error())

        @staticmethod
        def check(context: ValidationContext) -> None:
            fragments = fragments_of(context.document)
            depth, aliases = Depth(fragments, max_visits), Aliases(fragments, max_visits)
            for operation in operations_of(context.document):
                found = depth.selections(operation.selection_set, None)
                if max_depth and found > max_depth:
                    context.report_error(GraphQLError(
                        f"The operation nests fields {found} deep; at most {max_depth} allowed.",
                        operation, extensions={"code": "QUERY_TOO_DEEP", "maximum": max_depth,
                                               "depth": found}))
                found = aliases.selections(operation.selection_set, None)
                if max_aliases and found > max_aliases:
                    context.report_error(GraphQLError(
                        f"The operation uses {found} aliases; at most {max_aliases} allowed.",
                        operation, extensions={"code": "TOO_MANY_ALIASES",
                                               "maximum": max_aliases, "aliases": found}))

    return DocumentLimitsRule


def document_limits(settings: Settings, remembered: RememberedDocuments
                    ) -> type[SchemaExtension]:
    """The extension enforcing ``settings``' depth, alias and token limits; documents parsed
    are remembered in ``remembered`` (one per app: the view reads it too)."""
    max_depth, max_aliases = settings.max_depth, settings.max_aliases
    max_tokens = settings.max_tokens
    rule = _rule(max_depth, max_aliases, settings.max_visits)

    class DocumentLimits(SchemaExtension):
        def on_parse(self) -> Iterator[None]:
            context = self.execution_context
            if context.graphql_document is None and context.query is not None:
                context.graphql_document = remembered.get(context.query)
            yield
            if context.query is not None and context.graphql_document is not None:
                remembered.add(context.query, context.graphql_document)

        def on_operation(self) -> Iterator[None]:
            context = self.execution_context
            if max_tokens:
                context.parse_options["max_tokens"] = max_tokens
            if max_depth or max_aliases:
                context.validation_rules = (*context.validation_rules, rule)
            yield
            result: Any = context.result
            if max_tokens and result is not None and result.errors:
                result.errors = [_recoded(error, max_tokens) for error in result.errors]

    return DocumentLimits


class RememberedDocuments:
    """Parsed documents by their text, the least recently used forgotten first; documents over
    ``LONGEST`` characters are parsed each time (as ``RememberedValidation`` validates them)."""

    SIZE = 256
    LONGEST = 16_384

    def __init__(self) -> None:
        self._known: OrderedDict[str, DocumentNode] = OrderedDict()

    def get(self, query: str) -> DocumentNode | None:
        found = self._known.get(query)
        if found is not None:
            self._known.move_to_end(query)
        return found

    def parsed(self, query: str, max_tokens: int) -> DocumentNode | None:
        """``query`` parsed under the token limit, from memory or parsed now and remembered
        for strawberry's ``on_parse`` (above) to take: the view reads what an operation is
        before it runs (``gateway.responses.documents``) without a second parse. ``None`` when
        it does not parse: strawberry's own parse then reports why, with its code."""
        found = self.get(query)
        if found is None:
            try:
                found = parse(query, max_tokens=max_tokens or None)
            except GraphQLError:
                return None
            self.add(query, found)
        return found

    def add(self, query: str, document: DocumentNode) -> None:
        if len(query) > self.LONGEST or query in self._known:
            return
        self._known[query] = document
        if len(self._known) > self.SIZE:
            self._known.popitem(last=False)


def _recoded(error: GraphQLError, max_tokens: int) -> GraphQLError:
    if error.path is not None or _TOKENS_MESSAGE not in error.message:
        return error
    return GraphQLError(f"The document has more than {max_tokens} tokens.",
                        extensions={"code": "TOO_MANY_TOKENS", "maximum": max_tokens})
