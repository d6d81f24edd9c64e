"""``AccessLogExtension``: an AUDITOR's reads of unmasked personal data go to the access log.

Resolvers note what they revealed in ``Context.personal_reads`` (``resolvers.types.personal``);
once the operation has run, this extension writes one row per subject — who (the key's
writer and role), which personal fields, when, and which query (operation name and SHA-256 of
the document) — in one INSERT, on the primary, before the response leaves. If the log cannot
be written, the response is replaced by an error: unlogged personal data is never delivered.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension

from gateway.persisted.manifest import sha256
from resolvers.context import Context
from resolvers.data.models.base import utcnow
from resolvers.data.queries import access_log


class AccessLogExtension(SchemaExtension):
    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        if isinstance(context, Context):
            await write_access_log(context, self.execution_context.query or "",
                                   self.execution_context.operation_name)


async def write_access_log(context: Context, document: str, name: str | None) -> None:
    """One row per subject whose personal data ``context``'s caller read unmasked, if any:
    for strawberry's operations (above) and compiled plans (``gateway.planned``) alike."""
    if not context.personal_reads:
        return
    writer = context.caller.writer
    if writer is None:  # only key holders see personal data
        return
    digest = sha256(document)
    now = utcnow()
    rows = [{"at": now, "writer_id": writer.id, "role": context.caller.role,
             "subject_id": subject, "fields": ",".join(fields)[:500],
             "operation_name": name[:200] if name else None, "document_hash": digest}
            for subject, fields in sorted(context.personal_reads.by_subject().items())]
    async with context.database.session() as session:
        await access_log.insert(session, rows)
