# Sourced by scripts/test, scripts/cluster and scripts/demo (after _venv.sh, from the repository
# root): the npm packages of package.json — the supergraph composers, Hive Gateway, GraphiQL's
# files (served by the gateway, no CDN), the client libraries of the tests and the load
# benchmark's peer (PostGraphile 5 with the Node 22 of the npm package `node`) — installed with
# `npm ci` when node_modules is missing or was installed from another package-lock.json.
NODE_STAMP="node_modules/.credit-gateway-lock"
NODE_LOCK="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat "$NODE_STAMP" 2>/dev/null)" != "$NODE_LOCK" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: no GraphiQL, federation tests skip (or fail with CI=true); install Node.js 20+" >&2
  else
    echo "installing npm packages (npm ci)"
    # npm's chatter (engine notes of optional Node 22 features) goes to a log, shown on failure
    if ! npm ci --no-audit --no-fund >"$ROOT/${VENV:-.venv}/npm.log" 2>&1; then
      cat "$ROOT/${VENV:-.venv}/npm.log" >&2; echo "npm ci failed (log: $ROOT/${VENV:-.venv}/npm.log)" >&2; exit 1
    fi
    echo "$NODE_LOCK" > "$NODE_STAMP"
  fi
fi
