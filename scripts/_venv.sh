# Sourced by scripts/demo and scripts/test: a project-local virtualenv with the package installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  echo "creating .venv with $("$PYTHON" --version)"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e ".${EXTRAS:-}" 2>&1 | grep -v -i "warning" || true
.venv/bin/python -c "import gateway" # fail loudly if the install did not take
export PATH="$ROOT/.venv/bin:$PATH"
