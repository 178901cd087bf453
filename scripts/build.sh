#!/usr/bin/env bash
# Builds the release site into dist/ (or the folder given): index.html with the CPU build of the
# app (small: it loads and trains first) and gpu.html with the WebGPU build next to it, sharing
# the lessons, texts and data; then the service worker for both (scripts/sw.py).
#   scripts/build.sh [OUT_DIR]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

out="${1:-$ROOT/dist}"
gpu="$(mktemp -d)"
trap 'rm -rf "$gpu"' EXIT

echo "[build] WebGPU build (gpu.html)"
LOSSLAB_NO_SW=1 trunk build gpu.html --release --dist "$gpu"
echo "[build] CPU build (index.html) into $out"
trunk build --release --dist "$out"
# Trunk names its page index.html and empties its dist folder on each build: the WebGPU page
# joins the CPU build afterwards, as gpu.html with its own app files (hashed names).
cp "$gpu/index.html" "$out/gpu.html"
cp "$gpu"/app-*.js "$gpu"/app-*_bg.wasm "$out"/
python3 "$ROOT/scripts/sw.py" "$out"
python3 - "$out" <<'PY'
import gzip, sys
from pathlib import Path
root = Path(sys.argv[1])
for f in sorted(root.glob("*")):
    if f.is_file() and f.suffix in {".wasm", ".js", ".html", ".css"}:
        raw = f.read_bytes()
        print(f"[build] {f.name:<32} {len(raw) / 1e6:7.2f} MB  {len(gzip.compress(raw, 9)) / 1e6:6.2f} MB gzip")
PY
