#!/usr/bin/env bash
# Installs what is missing, builds the playground and serves it on http://127.0.0.1:8080/
# (PORT=... to change). Run it again after a change to rebuild.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh" --app
port="${PORT:-8080}"
"$ROOT/scripts/build.sh" "$ROOT/dist"
echo "LossLab: http://127.0.0.1:$port/ (WebGPU build: http://127.0.0.1:$port/gpu.html)"
exec python3 "$ROOT/tests/serve.py" --root "$ROOT/dist" --port "$port" --bind 127.0.0.1
