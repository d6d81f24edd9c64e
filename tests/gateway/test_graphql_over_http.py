"""GraphQL over HTTP (the GraphQL Foundation's spec): the ``graphql-http`` audit (npm, the
spec's reference implementation) run in Node against a real ``credit-gateway serve`` on a
seeded database; every audit must pass. ``application/graphql-response+json`` clients get the
spec's status codes (400 for a request that never executed), ``application/json`` clients
keep their 200s."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import UNLIMITED, Backend, serving

ROOT = Path(__file__).parents[2]
AUDIT = Path(__file__).with_name("graphql_http_audit.mjs")
EXPECTED = 61  # the audits of graphql-http 1.23.1 (package.json pins it)


@pytest.fixture(scope="module")
def server(seeded: Backend) -> Iterator[str]:
    with serving(seeded, env=UNLIMITED) as (url,):  # the audit sends its requests at once
        yield url


def test_the_graphql_http_audit_passes_every_audit(server: str) -> None:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "graphql-http").is_dir():
        pytest.skip("node or the npm package graphql-http is missing (scripts/_node.sh)")
    run = subprocess.run([node, str(AUDIT), f"{server}/graphql"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"graphql-http audit: {report['ok']} of {report['total']} passed")
    assert report["failures"] == [], json.dumps(report["failures"], indent=1)
    assert (report["ok"], report["total"]) == (EXPECTED, EXPECTED)
