#!/usr/bin/env bash
# Runs every LossLab test: formatting, lints, the engine's tests, the wasm build check, and
# (once the app exists) the browser tests in headless Chromium, then in Firefox and WebKit.
# Installs what is missing first.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "setup"
if [[ -d "$ROOT/app" ]]; then "$ROOT/scripts/setup.sh" --browser; else "$ROOT/scripts/setup.sh"; fi

step "format, lints and the app's layers"
cargo fmt --all -- --check
if [[ -d "$ROOT/app" ]]; then
  python3 "$ROOT/scripts/layers.py" --self-test
  python3 "$ROOT/scripts/layers.py"
fi
cargo clippy -p engine --all-targets -- -D warnings
if [[ -d "$ROOT/app" ]]; then
  # The app only runs in the browser: lint it for the wasm target (the CPU build; the WebGPU
  # build differs by one cfg branch and is compiled by the release build below).
  cargo clippy -p app --target wasm32-unknown-unknown -- -D warnings
fi

step "engine tests (native, CPU backend)"
cargo test -p engine --lib --tests

if [[ -d "$ROOT/app" ]]; then
  step "app tests (native: the URL rules, run status, a knob's new config)"
  cargo test -p app --lib
fi

step "engine builds for wasm32, with WebGPU (lints its fused WebGPU path)"
cargo clippy -p engine --features webgpu --target wasm32-unknown-unknown -- -D warnings

if [[ -d "$ROOT/app" && -f "$ROOT/tests/run.sh" ]]; then
  step "browser tests (headless Chromium)"
  "$ROOT/tests/run.sh"
fi

if [[ -d "$ROOT/app" && -f "$ROOT/tests/browsers.sh" ]]; then
  # On the dist/ the Chromium step just built: a few minutes per browser.
  step "browser tests (Firefox and WebKit)"
  "$ROOT/tests/browsers.sh"
fi
