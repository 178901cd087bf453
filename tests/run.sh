#!/usr/bin/env bash
# LossLab's browser tests: builds the site (scripts/build.sh), serves dist/ on a free loopback port and
# runs tests/e2e/ in headless Chromium (Debian's /usr/bin/chromium through playwright-core).
# tests/serve.py serves it (python3's http.server with the MIME types and CORS header the site needs;
# tests/lib.sh). Firefox and WebKit: tests/browsers.sh, on the dist/ this builds.
#   tests/run.sh                                   build, serve, run everything
#   LOSSLAB_SKIP_BUILD=1 tests/run.sh              reuse the existing dist/
#   LOSSLAB_SKIP_WEBGPU=1 tests/run.sh             skip the (slow, SwiftShader) WebGPU suite
#   tests/run.sh --test-name-pattern=relu          extra arguments go to `node --test`
# Screenshots land in tests/out/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
source "$ROOT/tests/lib.sh"
cd "$ROOT"

install_node_deps

if [[ "${LOSSLAB_SKIP_BUILD:-0}" != 1 ]]; then
  echo "[e2e] building the site (scripts/build.sh)"
  "$ROOT/scripts/build.sh" "$ROOT/dist"
fi
if [[ ! -f "$ROOT/dist/index.html" ]]; then
  echo "[e2e] $ROOT/dist/index.html is missing: build the site first (or unset LOSSLAB_SKIP_BUILD)" >&2
  exit 1
fi

serve_dist "$ROOT/dist"
echo "[e2e] serving dist/ at $LOSSLAB_URL"
mkdir -p "$ROOT/tests/out"
node --test --test-reporter=spec "$@" "$ROOT/tests/e2e/"
