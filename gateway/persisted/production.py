"""Production hardening of the schema: no introspection, no field suggestions.

Introspection (``__schema``, ``__type``) is refused by graphql-core's
``NoSchemaIntrospectionCustomRule`` (``GRAPHQL_VALIDATION_FAILED``); suggestions ("Did you mean
…?") are cut from every error message, so the schema cannot be guessed field by field. Both
stay on in development. ``__typename`` stays allowed (clients need it), and a subgraph still
answers ``_service { sdl }`` for its router.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, SchemaExtension

SUGGESTION = re.compile(r"\s*Did you mean .*$", re.DOTALL)


class NoIntrospection(AddValidationRules):
    """``AddValidationRules`` as a class, so each request gets its own instance."""

    def __init__(self) -> None:
        super().__init__([NoSchemaIntrospectionCustomRule])


class HideSuggestions(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in getattr(result, "errors", None) or []:
            error.message = SUGGESTION.sub("", error.message)


def production_extensions(production: bool) -> list[type[SchemaExtension]]:
    return [NoIntrospection, HideSuggestions] if production else []
