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
# pip's and setuptools' chatter goes to a log, shown only when the install fails
LOG="$ROOT/.venv/install.log"
if ! { .venv/bin/python -m pip install --upgrade pip && \
       .venv/bin/python -m pip install -e ".${EXTRAS:-}"; } >"$LOG" 2>&1; then
  cat "$LOG" >&2; echo "install failed (log: $LOG)" >&2; exit 1
fi
export PATH="$ROOT/.venv/bin:$PATH"
