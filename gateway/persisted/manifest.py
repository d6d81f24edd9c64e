"""The trusted-document manifest, built from ``gateway/trusted/*.graphql``.

Apollo's persisted query manifest format: ``{"format": "apollo-persisted-query-manifest",
"version": 1, "operations": [{"id", "name", "type", "body"}]}``, the id being the SHA-256 of
the body. A body is its file's text without comment lines and surrounding blank space, so a
client sends exactly the manifest's ``body`` (or its ``id`` as an APQ hash).

Each document is listed twice: as written, and in the form normalised clients send. Apollo
Client's ``InMemoryCache`` and urql's ``cacheExchange`` (their defaults) add ``__typename`` to
every selection set below the operation's root before printing and hashing the document, so
that form (printed like graphql-js ``print``) is what their persisted-query links send
(docs/CLIENTS.md; ``tests/clients`` runs both clients against a production server).

``python -m gateway.persisted.manifest`` rewrites ``gateway/trusted/manifest.json``;
``--check`` fails when it is not current (a test runs the check).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    NameNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    Visitor,
    parse,
    print_ast,
    visit,
)

TRUSTED_DIR = Path(__file__).resolve().parent.parent / "trusted"
MANIFEST = TRUSTED_DIR / "manifest.json"
FORMAT = "apollo-persisted-query-manifest"


def sha256(text: str) -> str:
    """A document's id: the hex SHA-256 of its text, as APQ and the manifest name it (the
    response cache and the access log identify documents by it too)."""
    return hashlib.sha256(text.encode()).hexdigest()


def body_of(path: Path) -> str:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if not line.lstrip().startswith("#")]
    return "\n".join(lines).strip()


class _AddTypename(Visitor):
    """Apollo Client's ``addTypenameToDocument`` and urql's ``formatDocument``: every selection
    set but an operation's root gets a trailing ``__typename`` unless it selects one."""

    def enter_selection_set(self, node: SelectionSetNode, _key: object, parent: object,
                            *_: object) -> SelectionSetNode | None:
        if isinstance(parent, OperationDefinitionNode) or any(
                isinstance(s, FieldNode) and s.alias is None and s.name.value == "__typename"
                for s in node.selections):
            return None
        typename = FieldNode(name=NameNode(value="__typename"), arguments=(), directives=())
        return SelectionSetNode(selections=(*node.selections, typename))


def with_typename(body: str) -> str:
    """The document as Apollo Client and urql send it with their default caches."""
    document: Node = visit(parse(body, no_location=True), _AddTypename())
    assert isinstance(document, DocumentNode)
    return print_ast(document)


def build_manifest(directory: Path = TRUSTED_DIR) -> dict[str, Any]:
    operations = []
    for path in sorted(directory.glob("*.graphql")):
        body = body_of(path)
        definitions = [d for d in parse(body).definitions
                       if isinstance(d, OperationDefinitionNode)]
        if len(definitions) != 1 or definitions[0].name is None:
            raise ValueError(f"{path.name} must hold exactly one named operation")
        operation = definitions[0]
        assert operation.name is not None
        for form in dict.fromkeys([body, with_typename(body)]):  # as written, then as sent
            operations.append({"id": sha256(form), "name": operation.name.value,
                               "type": operation.operation.value, "body": form})
    return {"format": FORMAT, "version": 1, "operations": operations}


def render(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    current = render(build_manifest())
    if "--check" in argv:
        if not MANIFEST.exists() or MANIFEST.read_text(encoding="utf-8") != current:
            print(f"{MANIFEST} is not current: run python -m gateway.persisted.manifest",
                  file=sys.stderr)
            return 1
        return 0
    MANIFEST.write_text(current, encoding="utf-8")
    print(f"wrote {MANIFEST}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
