# Shared settings for LossLab's scripts (sourced, not run).
# A build cache outside the clone, so fresh clones (and CI) reuse compiled dependencies.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/losslab-target}"
export PATH="$HOME/.cargo/bin:$PATH"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# Tool versions: trunk 0.22 needs a newer rustc than 1.95; wasm-bindgen-cli must match Cargo.lock.
TRUNK_VERSION=0.21.14
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}
