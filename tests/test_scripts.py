"""The two commands' shared set-up (scripts/_venv.sh): a second start does not reinstall, and
no script writes to a fixed path outside the checkout."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# fixed places of the machine or the user it could write: /tmp, /var, /opt, /srv, /run, the home
# directory (reading the machine's own configuration, /etc, is not writing)
OUTSIDE = re.compile(r"""(?<![\w$.])(/tmp|/var|/opt|/srv|/run)/|~/|\$HOME\b|\$\{HOME\}""")


def test_no_script_writes_a_fixed_path_outside_the_checkout() -> None:
    found = []
    for path in sorted((ROOT / "scripts").iterdir()):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
            if OUTSIDE.search(code):
                found.append(f"scripts/{path.name}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def _source_venv(venv: str) -> tuple[float, str]:
    started = time.monotonic()
    run = subprocess.run(["bash", "-c", 'source scripts/_venv.sh && command -v credit-gateway'],
                         cwd=ROOT, env={**os.environ, "VENV": venv, "EXTRAS": ""},
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return time.monotonic() - started, run.stdout


def test_a_second_start_does_not_reinstall() -> None:
    venv = Path(sys.prefix)
    if not venv.is_relative_to(ROOT):
        pytest.skip("the suite does not run from a virtualenv inside the checkout")
    relative = str(venv.relative_to(ROOT))
    _source_venv(relative)  # installs only when this virtualenv's stamp is missing or stale
    seconds, output = _source_venv(relative)
    assert "installing" not in output
    assert output.strip().endswith(f"{relative}/bin/credit-gateway")
    assert seconds < 5, f"sourcing _venv.sh took {seconds:.1f} s"
