#!/usr/bin/env python3
"""A small static server for LossLab's browser tests (python3's http.server, no dependencies).

    python3 tests/serve.py --root dist --port 8799                     # http://127.0.0.1:8799/
    python3 tests/serve.py --root dist --port 0 --prefix /courses/losslab/

Serves ROOT under PREFIX (a sub-path, as on a school server; anything outside it is a 404) with
the MIME types the site needs (application/wasm, text/javascript, text/markdown, application/gzip
without a Content-Encoding: the app unpacks .gz itself) and `Access-Control-Allow-Origin: *`
(a sandboxed, opaque-origin embed fetches the site's files cross-origin). `--port 0` picks a free
port. Once listening it prints one line, `serving ROOT at URL`, and flushes it.
"""

import argparse
import functools
import http.server
import sys
import urllib.parse

MIME = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".toml": "application/toml; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".gz": "application/gzip",
    ".zip": "application/zip",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}
    prefix = "/"
    quiet = False

    def _inside(self) -> bool:
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith(self.prefix):
            return True
        if self.prefix != "/" and path == self.prefix.rstrip("/"):
            # `/courses/losslab` → `/courses/losslab/`, as for any other folder.
            self.send_response(301)
            self.send_header("Location", self.prefix)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(404, f"outside {self.prefix}")
        return False

    def do_GET(self):
        if self._inside():
            super().do_GET()

    def do_HEAD(self):
        if self._inside():
            super().do_HEAD()

    def translate_path(self, path):
        split = urllib.parse.urlsplit(path)
        rest = split.path[len(self.prefix) :] if split.path.startswith(self.prefix) else split.path
        return super().translate_path("/" + rest.lstrip("/"))

    def guess_type(self, path):
        # By the last suffix only: `digits.csv.gz` is a gzip file, sent without Content-Encoding.
        suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
        return MIME.get(suffix) or super().guess_type(path)

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser closing its connections mid-transfer is no error worth a traceback.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", required=True, help="the folder to serve (e.g. dist)")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--prefix", default="/", help="the sub-path to serve ROOT under")
    parser.add_argument("--quiet", action="store_true", help="no request log")
    args = parser.parse_args()

    prefix = "/" + args.prefix.strip("/") + "/" if args.prefix.strip("/") else "/"
    handler = functools.partial(type("H", (Handler,), {"prefix": prefix, "quiet": args.quiet}), directory=args.root)
    with Server((args.bind, args.port), handler) as server:
        host, port = server.server_address[:2]
        print(f"serving {args.root} at http://{host}:{port}{prefix}", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
