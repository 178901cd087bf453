#!/usr/bin/env bash
# LossLab's offline (classroom) build: the release site in dist-offline/ and the same folder
# zipped as losslab-offline.zip. Everything the page needs is inside (app, lessons, data sets,
# UI texts; fonts are the system's, icons are inline): served by any static web server under any
# sub-path, it makes no request to another host, and after one visit its service worker (sw.js)
# keeps it working without a network. See "Classroom (offline) build" in the README.
#   scripts/offline.sh            build, check, zip
#   LOSSLAB_SKIP_BUILD=1 scripts/offline.sh    check and zip an existing dist-offline/
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

out="$ROOT/dist-offline"
zip_file="$ROOT/losslab-offline.zip"

if [[ "${LOSSLAB_SKIP_BUILD:-0}" != 1 ]]; then
  "$ROOT/scripts/setup.sh" --app
  echo "[offline] building the site (scripts/build.sh) into dist-offline/"
  "$ROOT/scripts/build.sh" "$out"
fi
for f in index.html sw.js; do
  if [[ ! -f "$out/$f" ]]; then
    echo "[offline] $out/$f is missing: the build failed (or unset LOSSLAB_SKIP_BUILD)" >&2
    exit 1
  fi
done
if ! grep -q '^const FILES = ' "$out/sw.js"; then
  echo "[offline] $out/sw.js caches nothing (a trunk serve build?): rebuild without LOSSLAB_SKIP_BUILD" >&2
  exit 1
fi

# Nothing may point off the machine: no absolute URL in what the browser loads, no web fonts.
python3 - "$out" <<'EOF'
import re, sys
from pathlib import Path

root = Path(sys.argv[1])
bad = []
# The wasm-bindgen glue names one URL in a comment (an MDN page; nothing fetches it).
allowed = {"https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Operators/typeof#description"}
for path in sorted(root.rglob("*")):
    if path.suffix not in {".html", ".js", ".css"}:
        continue
    text = path.read_text(encoding="utf-8", errors="replace")
    rel = path.relative_to(root)
    for m in re.finditer(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s"'`)<>]*""", text):
        if m.group(0) not in allowed:
            bad.append(f"{rel}: {m.group(0)}")
    for m in re.finditer(r"""\b(?:src|href)\s*=\s*["']?\s*/(?!/)""", text):
        bad.append(f"{rel}: root-absolute path: {text[m.start():m.start() + 60]!r}")
    if path.suffix == ".css":
        for m in re.finditer(r"@import|@font-face|url\(\s*['\"]?(?!data:)", text):
            bad.append(f"{rel}: {text[m.start():m.start() + 60]!r}")
if bad:
    print("[offline] the build refers to something outside itself:", *bad, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print("[offline] checked: no external or root-absolute URL in the built html/js/css")
EOF

# The zip holds one folder, losslab/, so that unpacking it never scatters files.
rm -f "$zip_file"
python3 - "$out" "$zip_file" <<'EOF'
import sys, zipfile
from pathlib import Path

src, dest = Path(sys.argv[1]), Path(sys.argv[2])
with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if path.is_file() and not any(p.startswith(".") for p in rel.parts):
            z.write(path, Path("losslab") / rel)
EOF

files="$(find "$out" -type f -not -path '*/.*' | wc -l)"
echo
echo "LossLab offline build"
echo "  folder: dist-offline/        $(du -sh --apparent-size "$out" | cut -f1)  ($files files)"
echo "  zip:    losslab-offline.zip  $(du -h --apparent-size "$zip_file" | cut -f1)  (unpacks to losslab/)"
echo
echo "Serve the folder with any static web server, under any path, e.g.:"
echo "  python3 -m http.server 8000 --directory dist-offline    # then open http://localhost:8000/"
echo "(Opening index.html directly as a file does not work: browsers block WebAssembly there.)"
