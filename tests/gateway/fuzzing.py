"""Generators of hostile requests for the property-based tests in ``test_fuzz.py``.

Documents are built from the schema itself, so every text argument of every root field (and
every text field of every input object) receives the hostile strings; raw bodies cover what
never reaches GraphQL (bytes, broken JSON, wrong shapes, odd content types).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    get_named_type,
)
from hypothesis import strategies as st

INJECTIONS = [
    "' OR '1'='1",
    "'; DROP TABLE subject; --",
    "\"; DELETE FROM penalty WHERE 1=1; --",
    "1; UPDATE subject SET name='x'",
    "%' UNION SELECT key_hash FROM writer --",
    "\\'; SELECT pg_sleep(5); --",
    "' AND 1=CAST((SELECT version()) AS int) --",
    "*) OR MATCH 'a*",  # FTS5 query syntax
    "%_%",
    "\x00",
    "😀" * 50,
    "９１３３０１００７１６１０５８５２Ｆ",  # full-width digits
    "<script>alert(1)</script>",
    "{{7*7}}",
    "\ud800",  # lone UTF-16 surrogates: sent as JSON escapes, not Unicode text
    "a\udfffb",
    "\ud83d",
    "x\x00y",
]
# numbers where a row id is read back (global IDs, cursors): non-ASCII digits, out of range
NUMBERS = ["²", "٣", "１２", "99999999999999999999", "2147483648", "-1", "0", "007", "1e3", " 1",
           "1"]
RECORD_TYPES = ["Subject", "License", "Penalty", "Rating", "Commitment", "LogisticsLink",
                "Complaint", "ListEntry", "Writer", ""]
LIST_KINDS = ["subjects", "licenses", "penalties", "ratings", "accessLog", "access_log", ""]

TEXT = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(max_size=300),
    st.integers(min_value=1_000, max_value=300_000).map(lambda n: "A" * n),
)


def _b64(text: str, *, urlsafe: bool = False) -> str:
    raw = text.encode("utf-8", "surrogatepass")
    return (base64.urlsafe_b64encode(raw).decode().rstrip("=") if urlsafe
            else base64.b64encode(raw).decode())


NUMBER = st.sampled_from(NUMBERS) | st.integers().map(str)
GLOBAL_IDS = st.builds(lambda kind, key: _b64(f"{kind}:{key}"), st.sampled_from(RECORD_TYPES),
                       NUMBER | TEXT)
CURSORS = st.builds(lambda kind, values: _b64("|".join(["v1", kind, *values]), urlsafe=True),
                    st.sampled_from(LIST_KINDS),
                    st.lists(NUMBER | st.sampled_from(["2024-01-01", "２０２４-01-01"]) | TEXT,
                             min_size=1, max_size=3))
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12,
)


def _unwrap(kind: Any) -> Any:
    while isinstance(kind, GraphQLNonNull | GraphQLList):
        kind = kind.of_type
    return kind


def value_for(kind: GraphQLInputType, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values that fit ``kind`` and values that do not (a wrong type now and then)."""
    if isinstance(kind, GraphQLNonNull):
        return value_for(kind.of_type, depth)
    if isinstance(kind, GraphQLList):
        return st.lists(value_for(kind.of_type, depth + 1), max_size=3)
    fitting: st.SearchStrategy[Any]
    if isinstance(kind, GraphQLEnumType):
        fitting = st.sampled_from(sorted(kind.values)) | TEXT
    elif isinstance(kind, GraphQLInputObjectType):
        if depth > 3:
            return st.just({})
        fitting = st.fixed_dictionaries(
            {}, optional={name: value_for(field.type, depth + 1)
                          for name, field in kind.fields.items()})
    elif isinstance(kind, GraphQLScalarType) and kind.name == "Int":
        fitting = st.integers(min_value=-(2**31), max_value=2**31 - 1)
    elif isinstance(kind, GraphQLScalarType) and kind.name == "Float":
        fitting = st.floats(allow_nan=False, allow_infinity=False)
    elif isinstance(kind, GraphQLScalarType) and kind.name == "Boolean":
        fitting = st.booleans()
    elif isinstance(kind, GraphQLScalarType) and kind.name == "ID":
        fitting = GLOBAL_IDS | TEXT
    else:  # String, ID, USCC, Date, Decimal, … — text is what an attacker controls
        fitting = TEXT
    return st.one_of(fitting, fitting, fitting, JSON_VALUE)


def _selection(field: GraphQLField) -> str:
    named = get_named_type(field.type)
    if isinstance(named, GraphQLObjectType):
        return " { __typename }"
    if hasattr(named, "types") or hasattr(named, "fields"):  # interfaces and unions
        return " { __typename }"
    return ""


def operations(schema: GraphQLSchema) -> list[tuple[str, str, GraphQLField]]:
    """(operation keyword, field name, field) of every root field that takes arguments."""
    roots = [("query", schema.query_type), ("mutation", schema.mutation_type)]
    return [(keyword, name, field) for keyword, root in roots if root is not None
            for name, field in root.fields.items() if field.args]


def documents(schema: GraphQLSchema) -> st.SearchStrategy[dict[str, Any]]:
    """Request bodies calling one root field with generated variables for all its arguments."""

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        keyword, name, field = draw(st.sampled_from(operations(schema)))
        definitions = ", ".join(f"${arg}: {kind.type}" for arg, kind in field.args.items())
        arguments = ", ".join(f"{arg}: ${arg}" for arg in field.args)
        query = f"{keyword} Fuzz({definitions}) {{ {name}({arguments}){_selection(field)} }}"
        variables = {arg: draw(CURSORS | TEXT if arg == "after" else value_for(kind.type))
                     for arg, kind in field.args.items()}
        operation = draw(st.sampled_from(["Fuzz", "Fuzz", "Fuzz", None]) | TEXT)
        return {"query": query, "variables": variables, "operationName": operation}

    return build()


def literal_documents(schema: GraphQLSchema) -> st.SearchStrategy[str]:
    """Hostile strings written into the document itself, as string literals of text arguments."""
    text_arguments = [(keyword, name, field, arg) for keyword, name, field in operations(schema)
                      for arg, kind in field.args.items()
                      if isinstance(_unwrap(kind.type), GraphQLScalarType)
                      and _unwrap(kind.type).name not in ("Int", "Float", "Boolean")]

    @st.composite
    def build(draw: st.DrawFn) -> str:
        keyword, name, field, arg = draw(st.sampled_from(text_arguments))
        # JSON string escapes are GraphQL string escapes; unescaped, non-ASCII text (a lone
        # surrogate too) stands in the document as itself
        literal = json.dumps(draw(TEXT), ensure_ascii=draw(st.booleans()))
        return f"{keyword} {{ {name}({arg}: {literal}){_selection(field)} }}"

    return build()


def nested_documents() -> st.SearchStrategy[str]:
    """Deep nesting, long alias lists, fragment cycles and plain garbage."""
    depth = st.integers(min_value=1, max_value=3_000)
    return st.one_of(
        depth.map(lambda n: "{" * n + "}" * n),
        depth.map(lambda n: "{ subjects { edges { node { " + "penalties { edges { node { "
                  "subject { " * (n % 60) + "uscc" + " } } }" * (n % 60) + " } } } }"),
        depth.map(lambda n: "{ " + " ".join(f"a{i}: __typename" for i in range(n)) + " }"),
        st.just("fragment F on Subject { ...F } { subjects { edges { node { ...F } } } }"),
        depth.map(lambda n: "query(" + ", ".join(f"$v{i}: Int" for i in range(n)) + ") { __typename }"),
        st.text(max_size=500),
    )


def raw_bodies() -> st.SearchStrategy[tuple[str, bytes]]:
    """(content type, body) pairs that are not a well-formed GraphQL request."""
    shapes = st.one_of(
        st.just(b""),
        st.binary(max_size=2_000),
        st.text(max_size=500).map(str.encode),
        JSON_VALUE.map(lambda value: json.dumps(value).encode()),
        st.dictionaries(st.sampled_from(["query", "variables", "operationName", "extensions"]),
                        JSON_VALUE, max_size=4).map(lambda value: json.dumps(value).encode()),
        st.just(b'{"query": "{ subjects { totalCount } }"'),  # truncated JSON
        st.integers(min_value=1, max_value=4_000).map(lambda n: b"[" * n + b"]" * n),
        st.integers(min_value=10_000, max_value=2_000_000).map(
            lambda n: json.dumps({"query": "{ __typename }", "variables": {"x": "A" * n}}).encode()),
    )
    content_types = st.sampled_from(["application/json", "text/plain", "application/graphql",
                                     "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
                                     "application/json; charset=gbk", ""])
    return st.tuples(content_types, shapes)


def widget_parameters(document_id: str) -> st.SearchStrategy[dict[str, str]]:
    """GET parameters naming a trusted document by its hash — the request shape answered from
    the response cache before strawberry's view — with hostile variables, operation names and
    extensions around it. Text is cut to 2,000 characters and nesting to 2,400 levels (past
    Python's recursion limit), so a URL's query stays under 64 KiB once escaped."""
    persisted = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": document_id}})
    nesting = st.integers(min_value=1, max_value=2_400)
    text = TEXT.map(lambda value: value[:2_000])
    variables = st.one_of(
        JSON_VALUE.map(lambda value: json.dumps(value)[:2_000]),
        st.dictionaries(st.just("uscc"), text, min_size=1).map(json.dumps),
        nesting.map(lambda n: '{"uscc":' + "[" * n + "]" * n + "}"),
        text,
        st.just(""),
    )
    extensions = st.one_of(
        st.just(persisted),
        nesting.map(lambda n: '{"persistedQuery":' + "[" * n + "]" * n + "}"),
        JSON_VALUE.map(lambda value: json.dumps({"persistedQuery": value})[:2_000]),
        text,
    )
    return st.fixed_dictionaries({"extensions": extensions},
                                 optional={"variables": variables, "operationName": text})
