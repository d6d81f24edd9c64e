"""The supergraph: our subgraphs (and any platform's) composed by real composition libraries.

``compose`` hands the subgraph SDLs to ``compose.mjs``, which composes them with
``@theguild/federation-composition`` and checks them with ``@apollo/composition`` (npm packages
pinned in ``package.json``). ``federation/supergraph.graphql`` is the result for the default
loopback addresses (``credit-gateway compose`` writes it; a test fails when it drifts).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from graphql import build_schema, lexicographic_sort_schema, print_schema

from federation.ownership import SUBGRAPHS
from federation.subgraphs import subgraph_sdl

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve().parent / "compose.mjs"
SUPERGRAPH_FILE = Path(__file__).resolve().parent / "supergraph.graphql"
NODE_MODULES = ROOT / "node_modules"


class CompositionError(RuntimeError):
    """The composers refused the subgraphs (or could not run); the message lists why."""


@dataclass(frozen=True)
class Service:
    """One subgraph as a router sees it: a name, where it answers, and its SDL."""

    name: str
    url: str
    sdl: str


@dataclass(frozen=True)
class Composition:
    supergraph_sdl: str
    public_sdl: str  # the API schema clients see, by @theguild/federation-composition
    apollo_public_sdl: str  # the same, by @apollo/composition
    hints: list[str] = field(default_factory=list)


def default_url(name: str) -> str:
    return f"http://127.0.0.1:{SUBGRAPHS[name].port}/graphql"


def our_services(urls: Mapping[str, str] | None = None) -> list[Service]:
    """Our four subgraphs, at ``urls`` (by name) or their default loopback addresses."""
    urls = urls or {}
    return [Service(name, urls.get(name) or default_url(name), subgraph_sdl(name))
            for name in SUBGRAPHS]


def compose(services: Iterable[Service]) -> Composition:
    node = shutil.which("node")
    if node is None:
        raise CompositionError("node is not installed (Node.js 20 or later is needed)")
    if not (NODE_MODULES / "@theguild" / "federation-composition").is_dir():
        raise CompositionError(f"npm packages are missing: run `npm ci` in {ROOT}")
    payload = json.dumps([{"name": s.name, "url": s.url, "sdl": s.sdl} for s in services])
    run = subprocess.run([node, str(SCRIPT)], input=payload, capture_output=True, text=True,
                         cwd=ROOT, timeout=120, check=False)
    if run.returncode != 0:
        raise CompositionError(f"compose.mjs failed: {run.stderr.strip()}")
    result = json.loads(run.stdout)
    if result["errors"]:
        raise CompositionError("composition failed:\n" + "\n".join(result["errors"]))
    return Composition(result["supergraphSdl"], result["publicSdl"], result["apolloPublicSdl"],
                       result["hints"])


# Directives the embedded schema defines for its own SDL but a composed API schema leaves out
# (demand control is read by routers from the supergraph, not published to clients).
NOT_IN_API = frozenset({"cost", "listSize"})


def normalized(sdl: str) -> str:
    """SDL in a canonical form (types, fields, arguments, values sorted), for comparison."""
    schema = build_schema(sdl)
    schema.directives = tuple(d for d in schema.directives if d.name not in NOT_IN_API)
    return print_schema(lexicographic_sort_schema(schema))


def supergraph_text(composition: Composition) -> str:
    return composition.supergraph_sdl.rstrip("\n") + "\n"


def fetch_sdl(url: str, timeout: float = 10) -> str:
    """A running subgraph's SDL, as a router reads it: ``{ _service { sdl } }``."""
    request = urllib.request.Request(url, data=json.dumps({"query": "{ _service { sdl } }"}).encode(),
                                     headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = json.load(response)
    except (OSError, ValueError) as error:
        raise CompositionError(f"{url} did not answer _service {{ sdl }}: {error}") from error
    try:
        sdl: str = body["data"]["_service"]["sdl"]
    except (KeyError, TypeError) as error:
        raise CompositionError(f"{url} is not a federation subgraph: {body}") from error
    return sdl
