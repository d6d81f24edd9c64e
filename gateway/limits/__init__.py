"""Abuse limits (防滥用限制): what one request may ask of the gateway, refused with a typed error.

One module per kind of limit: ``document`` (depth, aliases, tokens), ``cost`` (static cost by
``@cost`` / ``@listSize``), ``text`` (each text argument's declared maximum length), ``body``
(request body and query-string size) and ``rate`` (a sliding-window rate limit per key or client
address). docs/LIMITS.md lists every limit, its default, its variable and its error code.
"""

from __future__ import annotations

from strawberry.extensions import SchemaExtension

from gateway.limits.cost import cost_limit
from gateway.limits.document import RememberedDocuments, document_limits
from gateway.settings import Settings


def limit_extensions(settings: Settings, documents: RememberedDocuments
                     ) -> list[type[SchemaExtension]]:
    """The schema extensions enforcing the document and cost limits of ``settings``
    (documents parsed are remembered in ``documents``)."""
    return [document_limits(settings, documents), cost_limit(settings)]
