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
# Sizes: each page's own files, and all that a first visit to index.html downloads (the service
# worker then stores every file it lists in FILES; the WebGPU build only once gpu.html is opened).
import gzip, json, re, sys
from pathlib import Path
root = Path(sys.argv[1])
gz = lambda f: len(gzip.compress(f.read_bytes(), 9))
for f in sorted(root.glob("*")):
    if f.is_file() and f.suffix in {".wasm", ".js", ".html", ".css"}:
        print(f"[build] {f.name:<32} {f.stat().st_size / 1e6:7.2f} MB  {gz(f) / 1e6:6.2f} MB gzip")
sw = (root / "sw.js").read_text()
files = json.loads(re.search(r"const FILES = (\[.*?\]);", sw, re.S).group(1))
lazy = json.loads(re.search(r"const LAZY = (\[.*?\]);", sw, re.S).group(1))
total = lambda names: sum(gz(root / n) for n in names if (root / n).is_file())
print(f"[build] first visit to index.html, service worker included: {total(files) / 1e6:.2f} MB gzip ({len(files)} files)")
print(f"[build] the WebGPU build on top, when gpu.html is opened: {total(lazy) / 1e6:.2f} MB gzip")
PY
