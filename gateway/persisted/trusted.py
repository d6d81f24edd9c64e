"""``TrustedDocuments``: the allow-list of documents anonymous callers may run in production.

Loaded once at start-up from ``CREDIT_GATEWAY_TRUSTED_DOCUMENTS`` (an Apollo persisted query
manifest; default ``gateway/trusted/manifest.json``). A manifest whose id is not the SHA-256
of its body, or of another format, stops the start-up: a wrong list must not half-work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from gateway.persisted.manifest import FORMAT, sha256


class ManifestError(ValueError):
    """The trusted-document manifest cannot be used."""


@dataclass(frozen=True)
class TrustedDocuments:
    bodies: dict[str, str]  # id (sha256 of the body) → body

    @classmethod
    def load(cls, path: Path) -> TrustedDocuments:
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ManifestError(f"trusted documents {path}: {error}") from error
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
                or manifest.get("version") != 1 or not isinstance(manifest.get("operations"), list):
            raise ManifestError(f"trusted documents {path}: not a version 1 {FORMAT}")
        bodies: dict[str, str] = {}
        for operation in manifest["operations"]:
            body = operation.get("body") if isinstance(operation, dict) else None
            if not isinstance(body, str) or operation.get("id") != sha256(body):
                raise ManifestError(f"trusted documents {path}: an operation's id is not the "
                                    "SHA-256 of its body")
            bodies[operation["id"]] = body
        return cls(bodies)

    def body(self, document_id: str) -> str | None:
        return self.bodies.get(document_id)

    def trusts(self, document: str) -> bool:
        return sha256(document) in self.bodies
