#!/usr/bin/env bash
# LossLab's browser tests: builds the site (scripts/build.sh), serves dist/ on a free loopback port and
# runs tests/e2e/ in headless Chromium (Debian's /usr/bin/chromium through playwright-core).
# tests/serve.py serves it (python3's http.server with the MIME types and CORS header the site needs).
#   tests/run.sh                                   build, serve, run everything
#   LOSSLAB_SKIP_BUILD=1 tests/run.sh              reuse the existing dist/
#   LOSSLAB_SKIP_WEBGPU=1 tests/run.sh             skip the (slow, SwiftShader) WebGPU suite
#   tests/run.sh --test-name-pattern=relu          extra arguments go to `node --test`
# Screenshots land in tests/out/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$ROOT"

# Node dependencies: installed from the lock, again only when the lock changes.
lock="$ROOT/tests/package-lock.json"
stamp="$ROOT/tests/node_modules/.losslab-lock"
if [[ ! -d "$ROOT/tests/node_modules" ]] || ! cmp -s "$lock" "$stamp"; then
  echo "[e2e] installing the test dependencies (npm ci)"
  npm ci --prefix "$ROOT/tests" --no-audit --no-fund --loglevel=error >/dev/null
  cp "$lock" "$stamp"
fi

if [[ "${LOSSLAB_SKIP_BUILD:-0}" != 1 ]]; then
  echo "[e2e] building the site (scripts/build.sh)"
  "$ROOT/scripts/build.sh" "$ROOT/dist"
fi
if [[ ! -f "$ROOT/dist/index.html" ]]; then
  echo "[e2e] $ROOT/dist/index.html is missing: build the site first (or unset LOSSLAB_SKIP_BUILD)" >&2
  exit 1
fi

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
server_log="$(mktemp)"
python3 "$ROOT/tests/serve.py" --root "$ROOT/dist" --port "$port" --bind 127.0.0.1 >"$server_log" 2>&1 &
server_pid=$!
cleanup() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -f "$server_log"
}
trap cleanup EXIT

url="http://127.0.0.1:$port/"
for _ in $(seq 1 100); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "[e2e] the web server exited:" >&2
    cat "$server_log" >&2
    exit 1
  fi
  if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$url" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$url" || {
  echo "[e2e] $url does not answer" >&2
  exit 1
}

echo "[e2e] serving dist/ at $url"
mkdir -p "$ROOT/tests/out"
status=0
LOSSLAB_URL="$url" node --test --test-reporter=spec "$@" "$ROOT/tests/e2e/" || status=$?
exit "$status"
