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
# The credit report's page (tests/graphql/test_credit_report.py) is Chinese: without a CJK font
# Chromium draws every character as a box in its screenshot and PDF. WenQuanYi Micro Hei is
# Debian's smallest (about 5 MB).
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing fonts-wqy-microhei (apt-get) for the credit report's browser test"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei \
        >"$ROOT/.venv/apt-fonts.log" 2>&1; then
      cat "$ROOT/.venv/apt-fonts.log" >&2; echo "apt-get install fonts-wqy-microhei failed" >&2
    fi
  else
    echo "no Chinese font: the credit report's screenshot shows boxes (install fonts-wqy-microhei)" >&2
  fi
fi
