"""Relay ``Node``: every record has a global ID, ``base64("<Type>:<key>")``.

Subjects are keyed by their USCC, so a subject's global ID is the same in every deployment;
other records by their row id.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import strawberry
from strawberry import Parent

from resolvers.errors import InvalidIdError


@strawberry.interface(description="An object with a global ID (Relay 全局标识).")
class Node:
    id: strawberry.ID = strawberry.field(description="Global ID, opaque to clients.")


def to_global_id(type_name: str, key: str | int) -> strawberry.ID:
    return strawberry.ID(base64.b64encode(f"{type_name}:{key}".encode()).decode())


def from_global_id(global_id: str) -> tuple[str, str]:
    try:
        text = base64.b64decode(global_id.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise InvalidIdError(f"{global_id!r} is not a global ID") from error
    type_name, sep, key = text.partition(":")
    if not sep or not type_name or not key:
        raise InvalidIdError(f"{global_id!r} is not a global ID")
    return type_name, key


def record_id(root: Parent[Any]) -> strawberry.ID:
    """Global ID of a row-keyed record. Tables and GraphQL types share their names
    (``License`` is both), so the row's class names its type."""
    return to_global_id(type(root).__name__, root.id)


def id_field() -> Any:
    return strawberry.field(resolver=record_id, description="Global ID.")


def row_id_field(type_name: str) -> Any:
    """``id`` of a row-keyed type outside ``Node`` (the audit trail, the access log): the same
    global ID encoding, so client caches (Apollo ``InMemoryCache``, urql Graphcache) normalise
    its objects; ``node(id:)`` does not fetch them, their own fields keep their access rules."""

    def row_id(root: Parent[Any]) -> strawberry.ID:
        return to_global_id(type_name, root.id)

    return strawberry.field(resolver=row_id, description="Global ID, for client caches; not "
                                                         "fetchable by `node`.")
