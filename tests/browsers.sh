#!/usr/bin/env bash
# LossLab's browser tests in Firefox and WebKit (tests/browsers/): the built site in Debian's
# firefox-esr (puppeteer-core, WebDriver BiDi) and in WebKitGTK's MiniBrowser (WebKitWebDriver +
# selenium-webdriver, under Xvfb). Each suite also trains a reference run in headless Chromium,
# whose losses the other browser must reproduce exactly. It reuses the dist/ that tests/run.sh
# built (it builds nothing) and serves it the same way.
#   tests/browsers.sh                        both browsers
#   tests/browsers.sh firefox                one (firefox | webkit)
#   LOSSLAB_DIST=/path/to/dist tests/browsers.sh     another build
# Screenshots land in tests/out/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
source "$ROOT/tests/lib.sh"
cd "$ROOT"

suites=()
for arg in "$@"; do
  case "$arg" in
    firefox | webkit) suites+=("$ROOT/tests/browsers/$arg.test.mjs") ;;
    *) echo "usage: $0 [firefox] [webkit]" >&2; exit 2 ;;
  esac
done
((${#suites[@]})) || suites=("$ROOT/tests/browsers/firefox.test.mjs" "$ROOT/tests/browsers/webkit.test.mjs")

dist="${LOSSLAB_DIST:-$ROOT/dist}"
if [[ ! -f "$dist/index.html" ]]; then
  echo "[browsers] $dist/index.html is missing: build the site first (tests/run.sh or scripts/build.sh)" >&2
  exit 1
fi

install_node_deps
serve_dist "$dist"
echo "[browsers] serving $dist at $LOSSLAB_URL"
mkdir -p "$ROOT/tests/out"
# One suite at a time: each starts two browsers, and a small machine should not train in four.
node --test --test-concurrency=1 --test-reporter=spec "${suites[@]}"
