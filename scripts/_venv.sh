# Sourced by scripts/demo and scripts/test: a project-local virtualenv with the package installed.
# pip runs only when the install is missing or pyproject.toml, the extras or the interpreter
# changed since the last one (a stamp in .venv holds their hash, as _node.sh does for npm), so a
# second scripts/demo starts at once. VENV (default .venv) and PYTHON choose another one.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x "$VENV/bin/python" ]; then
  echo "creating $VENV with $("$PYTHON" --version)"
  "$PYTHON" -m venv "$VENV"
fi
# the stamp: the hash of pyproject.toml and the interpreter, then the extras installed with them
# (an install with extras also serves a run that asks for none: scripts/test, then scripts/demo)
VENV_STAMP="$VENV/.credit-gateway-install"
VENV_HASH="$({ sha256sum pyproject.toml; "$VENV/bin/python" -VV; } | sha256sum | cut -d' ' -f1)"
installed="$(cat "$VENV_STAMP" 2>/dev/null || true)"
if [ "${installed%% *}" != "$VENV_HASH" ] || \
   { [ -n "${EXTRAS:-}" ] && [ "${installed#* }" != "${EXTRAS:-}" ]; }; then
  # pip's and setuptools' chatter goes to a log, shown only when the install fails
  LOG="$ROOT/$VENV/install.log"
  echo "installing the package into $VENV (pip install -e .${EXTRAS:-})"
  if ! { "$VENV/bin/python" -m pip install --upgrade pip && \
         "$VENV/bin/python" -m pip install -e ".${EXTRAS:-}"; } >"$LOG" 2>&1; then
    cat "$LOG" >&2; echo "install failed (log: $LOG)" >&2; exit 1
  fi
  echo "$VENV_HASH ${EXTRAS:-}" > "$VENV_STAMP"
fi
export PATH="$ROOT/$VENV/bin:$PATH"
