"""Every text argument has a declared, documented maximum length, refused above it with
``BAD_USER_INPUT`` (``argument``, ``maximum``) before any resolver or SQL runs."""

from __future__ import annotations

import re
import time
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLObjectType,
    get_named_type,
)

from federation.schema import build_schema
from resolvers.types.text import MAXIMUM
from tests.conftest import GraphQLClient

SCHEMA = build_schema()._schema
TEXT = {"String", "ID"}
# one document per declared text argument: the value travels as `$v`
SENDS = {
    "Query.subjects(after)": "query($v: String) { subjects(after: $v) { totalCount } }",
    "Query.subjects(filter.nameContains)":
        "query($v: String) { subjects(filter: {nameContains: $v}) { totalCount } }",
    "Query.subjects(filter.region)":
        "query($v: String) { subjects(filter: {region: $v}) { totalCount } }",
    "Query.searchSubjects(text)": "query($v: String!) { searchSubjects(text: $v) { uscc } }",
    "Query.node(id)": "query($v: ID!) { node(id: $v) { id } }",
    "Query.accessLog(after)": "query($v: String) { accessLog(after: $v) { totalCount } }",
    "Query.accessLog(auditor)": "query($v: String) { accessLog(auditor: $v) { totalCount } }",
    **{f"Subject.{relation}(after)": "query($v: String) { subjects(first: 1) { edges { node { "
                                     f"{relation}(after: $v) {{ totalCount }} }} }} }} }}"
       for relation in ("licenses", "penalties", "ratings", "commitments", "logisticsLinks",
                        "complaints", "listEntries", "history")},
    **{f"Mutation.{name}(id)": f'mutation($v: ID!) {{ {name}(id: $v{rest}) {{ id }} }}'
       for name, rest in (("setLicenseStatus", ", status: REVOKED"), ("repairCredit", ""),
                          ("addRatingFollowUp", ', text: "x"'),
                          ("setCommitmentStatus", ", status: FULFILLED"),
                          ("resolveComplaint", ', status: RESOLVED, resolution: "x"'),
                          ("liftListEntry", ', reason: "x"'))},
    "Query.subjects(before)": "query($v: String) { subjects(last: 1, before: $v) { totalCount } }",
    **{f"Query.{root}({argument})": f"query($v: String) {{ {root}({argument}: $v) {{ totalCount }} }}"
       for root in ("penalties", "licenses", "listEntries") for argument in ("after", "before")},
    **{f"Query.{root}(filter.{inner})":
       f"query($v: String) {{ {root}(filter: {{{inner}: $v}}) {{ totalCount }} }}"
       for root in ("penalties", "licenses", "listEntries")
       for inner in ("authorityCode", "region")},
    "Query.creditList(after)":
        "query($v: String) { creditList(kind: BLACK, after: $v) { totalCount } }",
    **{f"Query.creditList(filter.{inner})": "query($v: String) { creditList(kind: BLACK, "
                                            f"filter: {{{inner}: $v}}) {{ totalCount }} }}"
       for inner in ("authorityCode", "region")},
    "Query.listCandidates(after)": "query($v: String) { listCandidates(after: $v) { totalCount } }",
    "Query.regions(parent)": "query($v: String) { regions(parent: $v) { code } }",
    **{f"Query.stats(filter.{inner})": f"query($v: String) {{ stats(filter: {{{inner}: $v}}) "
                                       "{ subjects(by: KIND) { count } } }"
       for inner in ("nameContains", "region")},
    "Query.subjectsByAddress(address)":
        "query($v: String!) { subjectsByAddress(address: $v) { uscc } }",
    "Query.subjectsByPhone(phone)": "query($v: String!) { subjectsByPhone(phone: $v) { uscc } }",
    **{f"Query.subjectsByRepresentative({argument})":
       f"query($v: String) {{ subjectsByRepresentative({argument}: $v) {{ uscc }} }}"
       for argument in ("name", "idNumber")},
    "Mutation.reviewListCandidate(id)": 'mutation($v: ID!) { reviewListCandidate(id: $v, '
                                        'decision: REJECT, reason: "x") { __typename } }',
    "Mutation.reviewListCandidate(reason)": 'mutation($v: String!) { reviewListCandidate('
                                            'id: "x", decision: REJECT, reason: $v) '
                                            "{ __typename } }",
    "Mutation.addRatingFollowUp(text)":
        'mutation($v: String!) { addRatingFollowUp(id: "x", text: $v) { id } }',
    "Mutation.resolveComplaint(resolution)": 'mutation($v: String!) { resolveComplaint(id: "x", '
                                             "status: RESOLVED, resolution: $v) { id } }",
    "Mutation.liftListEntry(reason)":
        'mutation($v: String!) { liftListEntry(id: "x", reason: $v) { id } }',
}


def maximum_of(definition: GraphQLArgument | GraphQLInputField) -> int | None:
    own = definition.extensions.get("strawberry-definition")
    found = (getattr(own, "metadata", None) or {}).get(MAXIMUM)
    return found if isinstance(found, int) else None


def text_arguments() -> dict[str, tuple[str, int | None, str]]:
    """``Type.field(argument)`` (``filter.nameContains`` inside a read input) → the argument
    path, its declared maximum and its description, for every text argument of the schema.
    Write inputs (``…Input``) are checked against their columns (resolvers/writes/checks.py)."""
    found: dict[str, tuple[str, int | None, str]] = {}
    for type_name, kind in SCHEMA.type_map.items():
        if type_name.startswith("__") or not isinstance(kind, GraphQLObjectType):
            continue
        for field_name, field in kind.fields.items():
            for name, argument in field.args.items():
                named = get_named_type(argument.type)
                if named.name in TEXT:
                    found[f"{type_name}.{field_name}({name})"] = (
                        name, maximum_of(argument), argument.description or "")
                elif (isinstance(named, GraphQLInputObjectType)
                      and not named.name.endswith("Input")):
                    for inner_name, inner in named.fields.items():
                        if get_named_type(inner.type).name in TEXT:
                            path = f"{name}.{inner_name}"
                            found[f"{type_name}.{field_name}({path})"] = (
                                path, maximum_of(inner), inner.description or "")
    return found


def test_every_text_argument_declares_and_documents_its_maximum() -> None:
    undeclared = [where for where, (_, maximum, description) in text_arguments().items()
                  if maximum is None or f"At most {maximum} characters." not in description]
    assert undeclared == []
    assert set(text_arguments()) == set(SENDS)


def test_every_text_field_of_a_write_input_documents_its_maximum() -> None:
    # enforced by the write's own checks against the column (tests/writes/test_validation.py)
    fields = {f"{name}.{field_name}": field.description or ""
              for name, kind in SCHEMA.type_map.items()
              if isinstance(kind, GraphQLInputObjectType) and name.endswith("Input")
              for field_name, field in kind.fields.items()
              if get_named_type(field.type).name in TEXT}
    assert len(fields) > 30
    assert [f for f, d in fields.items() if not re.search(r"At most \d+ characters\.$", d)] == []


async def test_every_text_argument_refuses_one_character_more(client: GraphQLClient) -> None:
    for where, (argument, maximum, _) in text_arguments().items():
        assert maximum is not None
        body: dict[str, Any] = await client.post(SENDS[where], {"v": "9" * (maximum + 1)})
        [error] = body["errors"]
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument,
                                       "maximum": maximum}, where
        assert client.statements == 0, where
        body = await client.post(SENDS[where], {"v": "9" * maximum})
        codes = [e["extensions"]["code"] for e in body.get("errors", [])]
        assert all(e["extensions"].get("maximum") != maximum
                   for e in body.get("errors", [])), (where, codes)


async def test_a_long_name_filter_is_refused_at_once(client: GraphQLClient) -> None:
    query = ("query($v: String) { subjects(filter: {nameContains: $v}) "
             "{ totalCount edges { node { name } } } }")
    assert "errors" not in await client.post(query, {"v": "科" * 100})
    started = time.perf_counter()
    body = await client.post(query, {"v": "x" * 60_000})  # within the body limit
    elapsed = time.perf_counter() - started
    print(f"60,000 characters: answered in {elapsed:.3f} s: {str(body)[:200]}")
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "filter.nameContains",
                                   "maximum": 100}
    assert client.statements == 0
    # a literal is refused the same way
    literal = '{ subjects(filter: {nameContains: "' + "x" * 101 + '"}) { totalCount } }'
    [error] = (await client.post(literal))["errors"]
    assert error["extensions"]["argument"] == "filter.nameContains"
