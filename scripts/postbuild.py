#!/usr/bin/env python3
"""Finishes a Trunk build of LossLab: Trunk's post_build hook (TRUNK_STAGING_DIR), or by hand
`python3 scripts/postbuild.py DIR`.

1. Shrinks every `*_bg.wasm` with Debian's `wasm-opt` (binaryen 108), then repairs the one thing
   that version gets wrong: it rewrites the export `__wbindgen_externrefs` to point at table 0
   (the function table) instead of the externref table, and the page then fails with
   "WebAssembly.Table.set(): Argument 1 is invalid". The export is set back to the externref
   table, and the `integrity` hashes in the HTML are updated to the new file.
2. Adds a Content-Security-Policy <meta> to each page (written by its first script, see add_csp):
   scripts only from the site plus Trunk's inline loader (by its sha256), `wasm-unsafe-eval` for
   WebAssembly, nothing from other hosts.
3. Writes the service worker (scripts/sw.py), unless LOSSLAB_NO_SW=1.

`LOSSLAB_WASM_OPT=0` skips step 1 (quicker builds while developing).
"""

import base64
import json
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sw  # noqa: E402

WASM_OPT_FLAGS = [
    "-Oz",
    "--enable-reference-types",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
    "--enable-simd",
]

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {hashes}; style-src 'self'; "
    # plotters measures chart labels with a <span style="..."> it adds to the page.
    "style-src-attr 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; frame-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'none'"
)


def leb(b: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        x = b[i]
        i += 1
        value |= (x & 0x7F) << shift
        shift += 7
        if x < 0x80:
            return value, i


def externref_table(b: bytes, body: int) -> int | None:
    """Index of the first externref (0x6f) table defined in the table section at `body`."""
    count, i = leb(b, body)
    for index in range(count):
        if b[i] == 0x6F:
            return index
        flags = b[i + 1]
        i += 2
        _, i = leb(b, i)  # minimum
        if flags & 1:
            _, i = leb(b, i)  # maximum
    return None


def fix_externref_export(path: Path) -> bool:
    """Points `__wbindgen_externrefs` back at the externref table; True if it changed."""
    b = bytearray(path.read_bytes())
    i, table, changed = 8, None, False
    while i < len(b):
        section = b[i]
        size, body = leb(b, i + 1)
        if section == 4:
            table = externref_table(b, body)
        if section == 7 and table is not None:
            count, j = leb(b, body)
            for _ in range(count):
                n, j = leb(b, j)
                name = b[j : j + n].decode()
                j += n
                kind = b[j]
                at = j + 1
                index, j = leb(b, at)
                # Single-byte index: rewriting it in place keeps every offset valid.
                if name == "__wbindgen_externrefs" and kind == 1 and index != table and j == at + 1:
                    b[at] = table
                    changed = True
        i = body + size
    if changed:
        path.write_bytes(b)
    return changed


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def optimize(root: Path, pages: list[Path]) -> None:
    for wasm in sorted(root.glob("*_bg.wasm")):
        old = sri(wasm.read_bytes())
        before = wasm.stat().st_size
        subprocess.run(["wasm-opt", *WASM_OPT_FLAGS, str(wasm), "-o", str(wasm)], check=True)
        fixed = fix_externref_export(wasm)
        new = sri(wasm.read_bytes())
        for page in pages:
            page.write_text(page.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        print(
            f"postbuild: wasm-opt {wasm.name}: {before / 1e6:.1f} -> {wasm.stat().st_size / 1e6:.1f} MB"
            + (" (externref export repaired)" if fixed else "")
        )


def add_csp(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    if "Content-Security-Policy" in html:
        return
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts
    )
    policy = json.dumps(CSP.format(hashes=hashes))
    # Written by the page's first script rather than as a static <meta>: in an opaque-origin
    # frame (`<iframe sandbox="allow-scripts">`) WebKit matches 'self' against nothing (WebKit
    # bug 316847) and would refuse the page's own files, so there 'self' gets the site's own
    # origin beside it, read from the address. Everywhere else the policy is exactly CSP.
    writer = (
        "<script>(function(){var c=" + policy + ";"
        "var o=self.origin==='null'&&/^https?:$/.test(location.protocol)?' '+location.origin:'';"
        "document.write('<meta http-equiv=\"Content-Security-Policy\" content=\"'"
        "+c.replace(/'self'/g,\"'self'\"+o)+'\" />')})()</script>"
    )
    html = html.replace('<meta charset="utf-8" />', '<meta charset="utf-8" />\n    ' + writer, 1)
    page.write_text(html, encoding="utf-8")


def main() -> int:
    arg = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR")
    if not arg:
        print("usage: scripts/postbuild.py DIR (or run as Trunk's post_build hook)", file=sys.stderr)
        return 2
    root = Path(arg)
    pages = sorted(root.glob("*.html"))
    if os.environ.get("LOSSLAB_WASM_OPT", "1") != "0":
        optimize(root, pages)
    for page in pages:
        add_csp(page)
    # scripts/build.sh sets it for the WebGPU build, whose page joins the CPU build later.
    if os.environ.get("LOSSLAB_NO_SW") == "1":
        return 0
    return sw.write(root)


if __name__ == "__main__":
    sys.exit(main())
