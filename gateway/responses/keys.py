"""The key of a cached response.

``response:<schema>:<scope>:<sha256>`` under the deployment prefix and shape version
(``Cache`` namespaces every key), where ``<schema>`` is a fingerprint of the served schema (a
deploy with another schema never reads old answers), ``<scope>`` the caller's visibility
(``public`` for PUBLIC and PLATFORM, ``regulator``), and the hash covers the SHA-256 of the
document, the operation name, the variables as canonical JSON (sorted keys) and the day in
Beijing (publicity periods end at midnight: a response never outlives its day).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from gateway.persisted.manifest import sha256


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def response_key(*, schema: str, scope: str, document: str, operation_name: str | None,
                 variables: dict[str, Any] | None, today: date) -> str:
    canonical = json.dumps(
        [sha256(document), operation_name, variables or {},
         today.isoformat()],
        sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    return f"response:{schema}:{scope}:{digest}"
