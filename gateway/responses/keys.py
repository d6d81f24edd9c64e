"""The key of a cached response.

``response:<schema>:<scope>:<sha256>`` under the deployment prefix and shape version
(``Cache`` namespaces every key), where ``<schema>`` is a fingerprint of the served schema (a
deploy with another schema never reads old answers), ``<scope>`` the caller's visibility
(``public`` for PUBLIC and PLATFORM, ``regulator``), and the hash covers the SHA-256 of the
document, the operation name and the variables as canonical JSON (sorted keys). Not the day:
an answer expires on the first day the calendar changes it, which the entry records
(``gateway.responses.store``), so answers do not all expire at midnight.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from gateway.persisted.manifest import sha256


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def response_key(*, schema: str, scope: str, document: str, operation_name: str | None,
                 variables: dict[str, Any] | None) -> str:
    canonical = json.dumps(
        [sha256(document), operation_name, variables or {}],
        sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    return f"response:{schema}:{scope}:{digest}"
