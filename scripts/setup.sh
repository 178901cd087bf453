#!/usr/bin/env bash
# Installs what LossLab needs and is missing: the wasm32 target, trunk, a wasm-bindgen-cli that
# matches Cargo.lock, binaryen (wasm-opt) and the browsers the tests drive. Idempotent and quiet
# when everything is there. Usage: scripts/setup.sh [--app] [--browser]
#   (none)     the wasm32 target (enough for the engine's tests and wasm check)
#   --app      also trunk, wasm-bindgen-cli and binaryen (to build the site)
#   --browser  also Node.js, Chromium, Firefox ESR and WebKitGTK's WebDriver with Xvfb (to run
#              the browser tests; their npm packages come from tests/package-lock.json)
set -euo pipefail
source "$(dirname "$0")/env.sh"
want_app=false want_browser=false
for arg in "$@"; do
  case "$arg" in
    --app) want_app=true ;;
    --browser) want_app=true want_browser=true ;;
    *) echo "usage: $0 [--app] [--browser]" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

$want_app || exit 0

apt_missing=()
command -v wasm-opt >/dev/null || apt_missing+=(binaryen)
if $want_browser; then
  command -v chromium >/dev/null || apt_missing+=(chromium)
  command -v node >/dev/null || apt_missing+=(nodejs npm)
  # Firefox and WebKit (tests/browsers.sh): Debian's packages, so no driver is ever downloaded.
  # webkit2gtk-driver brings WebKitWebDriver and, through libwebkit2gtk, the MiniBrowser it
  # drives; MiniBrowser has no headless mode, hence Xvfb.
  command -v firefox-esr >/dev/null || apt_missing+=(firefox-esr)
  command -v WebKitWebDriver >/dev/null || apt_missing+=(webkit2gtk-driver)
  command -v Xvfb >/dev/null || apt_missing+=(xvfb)
  # A Chinese font, so that screenshots of the zh pages can be read (browsers elsewhere have one).
  fc-list :lang=zh 2>/dev/null | grep -q . || apt_missing+=(fonts-noto-cjk)
fi
if ((${#apt_missing[@]})); then
  say "installing ${apt_missing[*]} (Debian packages)"
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

# The tools are built without their release profiles' fat LTO and single codegen unit: trunk's
# took 13.4 minutes on a new 2-core machine, a quarter of the cold CI; they only start cargo,
# wasm-bindgen and wasm-opt, so their own speed does not show.
tool_build=(
  env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false
)
if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
  say "building trunk $TRUNK_VERSION (once; this takes a while)"
  "${tool_build[@]}" cargo install --locked "trunk@$TRUNK_VERSION"
fi

wb="$(wasm_bindgen_version)"
if [[ -n "$wb" && "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wb" ]]; then
  say "building wasm-bindgen-cli $wb (once)"
  # --locked first; if a crate it locked has since been yanked, resolve afresh.
  "${tool_build[@]}" cargo install --locked "wasm-bindgen-cli@$wb" ||
    "${tool_build[@]}" cargo install "wasm-bindgen-cli@$wb"
fi
