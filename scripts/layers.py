#!/usr/bin/env python3
"""Checks the app's layer rule: views -> actions -> state -> platform; nothing names a layer above it.

Every `crate::<layer>` path in a file under app/src/<layer>/ (in `use` lines and inline, grouped
`use crate::{a, b}` included) and every `super::` path that climbs out of its layer must name its
own layer or one below. The crate root (lib.rs, main.rs) wires the layers and is exempt.

  scripts/layers.py [APP_SRC]     check (default: app/src next to this script); exit 1 on a breach
  scripts/layers.py --self-test   show that a breach is caught
"""
import re
import sys
import tempfile
from pathlib import Path

LAYERS = ["platform", "state", "actions", "views"]
# What each layer may not use at all: state holds data and signals, not the browser or components;
# only views draw components.
FORBIDDEN = {
    "platform": [r"#\[component\]"],
    "state": [r"\bweb_sys\b", r"\bjs_sys\b", r"\bwasm_bindgen\b", r"#\[component\]"],
    "actions": [r"#\[component\]"],
}


def strip_comments(src):
    src = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
    return re.sub(r"//[^\n]*", "", src)


def crate_roots(src):
    """The first segment of every `crate::` path, with `crate::{a::b, c}` groups expanded."""
    names = []
    for m in re.finditer(r"\bcrate::(\{|\w+)", src):
        if m.group(1) != "{":
            names.append(m.group(1))
            continue
        depth, i, start = 1, m.end(), m.end()
        while i < len(src) and depth:
            depth += {"{": 1, "}": -1}.get(src[i], 0)
            i += 1
        group, depth, part = src[start : i - 1], 0, ""
        parts = []
        for ch in group:
            depth += {"{": 1, "}": -1}.get(ch, 0)
            if ch == "," and depth == 0:
                parts.append(part)
                part = ""
            else:
                part += ch
        parts.append(part)
        names += [re.match(r"\s*(\w*)", p).group(1) for p in parts if p.strip()]
    return names


def super_roots(src, depth_in_layer):
    """Layers named through `super::super::…` paths that climb above the file's layer folder."""
    names = []
    for m in re.finditer(r"\b((?:super::)+)(\w+)", src):
        ups = m.group(1).count("super::")
        if ups > depth_in_layer:
            names.append(m.group(2))
    return names


def check(app_src):
    app_src = Path(app_src)
    errors = []
    for f in sorted(app_src.rglob("*.rs")):
        rel = f.relative_to(app_src)
        if len(rel.parts) == 1:
            continue  # the crate root
        layer = rel.parts[0]
        if layer not in LAYERS:
            errors.append(f"{rel}: not in a layer folder ({', '.join(LAYERS)})")
            continue
        rank = LAYERS.index(layer)
        src = strip_comments(f.read_text(encoding="utf-8"))
        # A module's depth below its layer folder: `super::` climbs one level per segment
        # (mod.rs counts as its folder).
        depth = len(rel.parts) - 1 - (1 if rel.name == "mod.rs" else 0)
        for pattern in FORBIDDEN.get(layer, []):
            if re.search(pattern, src):
                errors.append(f"{rel}: a {layer} module uses `{pattern.strip(chr(92) + 'b')}`")
        for name in crate_roots(src) + super_roots(src, depth):
            if name in LAYERS and LAYERS.index(name) > rank:
                errors.append(f"{rel}: a {layer} module names `{name}`, a layer above it")
    return errors


def self_test():
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        for layer in LAYERS:
            (root / layer).mkdir()
        (root / "lib.rs").write_text("pub mod views;\n")
        (root / "state" / "ok.rs").write_text("use crate::platform::web;\n// crate::views in a comment\n")
        (root / "state" / "bad.rs").write_text("use crate::{platform::url, actions::run};\n")
        (root / "platform" / "bad.rs").write_text("fn f() { crate::state::lab(); }\n")
        (root / "state" / "web.rs").write_text("fn f() { web_sys::window(); }\n")
        (root / "actions" / "sub").mkdir()
        (root / "actions" / "sub" / "bad.rs").write_text("use super::super::super::views::app;\n")
        errors = check(root)
        want = {"state/bad.rs", "state/web.rs", "platform/bad.rs", "actions/sub/bad.rs"}
        got = {e.split(":")[0] for e in errors}
        assert got == want, f"self-test: caught {sorted(got)}, expected {sorted(want)}"
    print("[layers] self-test: breaches are caught")


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        sys.exit(0)
    src = sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "app" / "src"
    errs = check(src)
    for e in errs:
        print(f"[layers] {e}", file=sys.stderr)
    if errs:
        print(f"[layers] {len(errs)} breach(es) of views -> actions -> state -> platform", file=sys.stderr)
        sys.exit(1)
    print(f"[layers] app/src keeps views -> actions -> state -> platform")
