"""docs/CLIENTS.md: every object type a client cache stores has an ``id``, or is a value type
documented with the cache policy a client needs."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import GraphQLNonNull, GraphQLObjectType, GraphQLScalarType

from federation.schema import build_schema

DOC = Path(__file__).resolve().parent.parent / "docs" / "CLIENTS.md"
ROOTS = {"Query", "Mutation"}
AUDIT_TYPES = {"AuditEvent", "Writer", "ImportRun", "AccessLogEntry"}


def documented_value_types() -> set[str]:
    section = DOC.read_text(encoding="utf-8").split("## Value types", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE))


def test_every_object_type_has_an_id_or_a_documented_cache_policy() -> None:
    schema = build_schema()._schema
    objects = {name: t for name, t in schema.type_map.items()
               if isinstance(t, GraphQLObjectType) and not name.startswith("__")
               and name not in ROOTS and not name.endswith(("Connection", "Edge"))}
    with_id = set()
    for name, kind in objects.items():
        field = kind.fields.get("id")
        if field is not None:
            assert isinstance(field.type, GraphQLNonNull), name
            assert isinstance(field.type.of_type, GraphQLScalarType), name
            assert field.type.of_type.name == "ID", name
            with_id.add(name)
    without_id = set(objects) - with_id
    print("value types:", sorted(without_id))
    assert with_id >= AUDIT_TYPES
    assert without_id == documented_value_types()
