"""``MutationsReadThePrimary``: queries read the replica, mutations read what they wrote.

With ``DATABASE_READ_URL`` set, the query path reads a streaming replica, which trails the
primary by its replication lag. A mutation answers with the record it just stored, so while a
mutation executes every read goes to the primary instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from resolvers.data.database import primary_reads


class MutationsReadThePrimary(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        if self.execution_context.operation_type is OperationType.MUTATION:
            with primary_reads():
                yield
        else:
            yield
