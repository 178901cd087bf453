#!/usr/bin/env bash
# Installs what is missing, builds the playground and serves it on http://127.0.0.1:8080/
# (PORT=... to change). Rebuilds on change while it runs.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh" --app
port="${PORT:-8080}"
echo "LossLab: http://127.0.0.1:$port/"
exec trunk serve --release --address 127.0.0.1 --port "$port"
