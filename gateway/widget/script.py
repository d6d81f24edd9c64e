"""``GET /widget.js``: the custom elements ``<credit-query-window>`` and ``<credit-badge>``.

The source (``widget.js`` beside this module) is plain ES2020, served as written but for one
thing: the ids of the trusted documents it sends, put in at start-up from
``gateway/trusted/*.graphql`` (the manifest's "as written" form, ``build_manifest``), so the
documents and the script cannot drift apart and the browser needs no SHA-256 of its own (Web
Crypto is missing on plain-HTTP pages).

The URL carries no version, so the answer may be kept a day and then used while revalidated
for a week (``ETag``, ``304`` to ``If-None-Match``); gzip-compressed once, for clients that
accept it. The script loads from any page (a classic ``<script>`` needs no CORS; the CORS
middleware covers ``type="module"``), and ``Cross-Origin-Resource-Policy: cross-origin`` lets
pages isolated with COEP load it too.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from gateway.persisted.manifest import TRUSTED_DIR, build_manifest, sha256

SOURCE = Path(__file__).with_name("widget.js")
PLACEHOLDER = "/*DOCUMENTS*/ {}"
# the operations widget.js sends (an operation missing from gateway/trusted/ stops the start-up)
OPERATIONS = ("CreditWidget", "CreditSuggestions", "CreditBadge")
CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=604800"


@dataclass(frozen=True)
class Script:
    body: bytes
    gzipped: bytes
    etag: str


def document_ids(names: tuple[str, ...] = OPERATIONS, sender: str = "widget.js",
                 directory: Path = TRUSTED_DIR) -> dict[str, str]:
    """Operation name → id of its trusted document as written (the first form listed), for
    the operations a page sends; one missing from ``directory`` stops the start-up."""
    ids: dict[str, str] = {}
    for operation in build_manifest(directory)["operations"]:
        ids.setdefault(operation["name"], operation["id"])
    missing = [name for name in names if name not in ids]
    if missing:
        raise ValueError(f"{sender} sends {missing}, which {directory} does not hold")
    return {name: ids[name] for name in names}


def render(directory: Path = TRUSTED_DIR) -> str:
    source = SOURCE.read_text(encoding="utf-8")
    ids = ", ".join(f'"{name}": "{digest}"' for name, digest in document_ids(directory=directory).items())
    assert PLACEHOLDER in source, f"{SOURCE} lost its {PLACEHOLDER}"
    return source.replace(PLACEHOLDER, "{" + ids + "}")


@cache
def script() -> Script:
    text = render()
    body = text.encode()
    # mtime=0: the same bytes on every start and every process, like the ETag
    return Script(body, gzip.compress(body, 9, mtime=0), f'"{sha256(text)[:32]}"')


async def widget_js(request: Request) -> Response:
    served = script()
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": served.etag, "Vary": "Accept-Encoding",
               "Cross-Origin-Resource-Policy": "cross-origin"}
    if served.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(served.gzipped, media_type="text/javascript; charset=utf-8",
                        headers={**headers, "Content-Encoding": "gzip"})
    return Response(served.body, media_type="text/javascript; charset=utf-8", headers=headers)
