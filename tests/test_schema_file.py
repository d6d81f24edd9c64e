"""``schema.graphql`` is the printed schema, it is what the server answers to introspection,
and every type and field is described."""

from __future__ import annotations

import difflib

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    build_ast_schema,
    build_client_schema,
    get_introspection_query,
    lexicographic_sort_schema,
    parse,
    print_schema,
)

from federation.schema import SCHEMA_FILE, build_schema, printed_schema
from tests.conftest import GraphQLClient


def test_checked_in_schema_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == printed_schema(), (
        "schema.graphql drifted from the code: run `credit-gateway schema > schema.graphql`")


async def test_checked_in_schema_is_what_the_server_introspects(client: GraphQLClient) -> None:
    # introspection carries no applied directives (`@cost` on a field), so both sides are
    # compared as graphql-core prints them: types, fields, arguments, defaults, descriptions
    # and directive definitions with their locations, in one (sorted) order
    query = get_introspection_query(descriptions=True, specified_by_url=True,
                                    directive_is_repeatable=True, schema_description=True,
                                    input_value_deprecation=True)
    served = print_schema(lexicographic_sort_schema(build_client_schema(
        await client.data(query))))  # type: ignore[arg-type]
    checked_in = print_schema(lexicographic_sort_schema(build_ast_schema(parse(
        SCHEMA_FILE.read_text(encoding="utf-8")))))
    drift = "".join(difflib.unified_diff(checked_in.splitlines(True), served.splitlines(True),
                                         "schema.graphql", "introspection"))
    print(drift)
    assert served == checked_in, drift


def test_every_type_field_and_argument_is_described() -> None:
    schema = build_schema()._schema
    missing: list[str] = []
    for name, kind in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not kind.description:
            missing.append(name)
        if isinstance(kind, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(kind, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in kind.values.items() if not value.description]
    assert missing == []
