# Shared by tests/run.sh (Chromium) and tests/browsers.sh (Firefox, WebKit); sourced, not run.
# Needs scripts/env.sh sourced first (ROOT).

# Node dependencies: installed from the lock, again only when the lock changes.
install_node_deps() {
  local lock="$ROOT/tests/package-lock.json"
  local stamp="$ROOT/tests/node_modules/.losslab-lock"
  if [[ ! -d "$ROOT/tests/node_modules" ]] || ! cmp -s "$lock" "$stamp"; then
    echo "[e2e] installing the test dependencies (npm ci)"
    npm ci --prefix "$ROOT/tests" --no-audit --no-fund --loglevel=error >/dev/null
    cp "$lock" "$stamp"
  fi
}

# serve_dist DIR: serves DIR with tests/serve.py (the MIME types and CORS header the site needs)
# on a free loopback port, waits until it answers, and exports LOSSLAB_URL. The server stops when
# the calling script exits (an EXIT trap).
serve_dist() {
  local dir="$1" port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  server_log="$(mktemp)"
  python3 "$ROOT/tests/serve.py" --root "$dir" --port "$port" --bind 127.0.0.1 >"$server_log" 2>&1 &
  server_pid=$!
  trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -f "$server_log"' EXIT

  LOSSLAB_URL="http://127.0.0.1:$port/"
  export LOSSLAB_URL
  for _ in $(seq 1 100); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "[e2e] the web server exited:" >&2
      cat "$server_log" >&2
      exit 1
    fi
    if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$LOSSLAB_URL" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "[e2e] $LOSSLAB_URL does not answer" >&2
  exit 1
}
