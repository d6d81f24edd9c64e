"""Federation tests need the npm packages (``npm ci``; ``scripts/test`` runs it): without them
they skip, and with ``CI=true`` they fail, like the PostgreSQL half of the suite."""

from __future__ import annotations

import shutil

import pytest

from federation.composition import NODE_MODULES
from tests.conftest import unavailable


@pytest.fixture(scope="session")
def npm_packages() -> None:
    if shutil.which("node") is None:
        unavailable("Node.js", FileNotFoundError("node"))
    if not (NODE_MODULES / ".bin" / "hive-gateway").exists():
        unavailable("npm packages", FileNotFoundError(f"{NODE_MODULES} (run npm ci)"))
