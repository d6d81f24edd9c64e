# Sourced by scripts/test (after _venv.sh, from the repository root): Debian's chromium for the
# headless-browser tests of GraphiQL (tests/gateway/test_graphiql.py) and of the widget
# (tests/widget, through Playwright's executable_path: no browser download), installed with
# apt-get when missing and run as root; otherwise those tests skip (or fail with CI=true).
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium (apt-get) for the browser tests"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
        >"$ROOT/.venv/apt-chromium.log" 2>&1; then
      cat "$ROOT/.venv/apt-chromium.log" >&2; echo "apt-get install chromium failed" >&2; exit 1
    fi
  else
    echo "chromium is missing: the browser tests skip (install Debian's chromium)" >&2
  fi
fi
