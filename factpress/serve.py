"""`serve`: build, serve the site on loopback, rebuild on every save and reload open pages.

The server only ever answers from the last good build: a content error is printed in the
terminal and shown as a banner on every page, and the server keeps running. Files are served
from inside the output folder only (no traversal, no directory listings).
"""

from __future__ import annotations

import html
import http.server
import json
import posixpath
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import ContentError, UsageError, format_text
from .pipeline import BuildOptions, build_site

RELOAD_PATH = "/__factpress/status"
RELOAD_SCRIPT = (
    "<script>(function(){var v=null;function poll(){fetch('" + RELOAD_PATH + "',{cache:'no-store'})"
    ".then(function(r){return r.json()}).then(function(s){if(v!==null&&s.version!==v){location.reload()}"
    "v=s.version}).catch(function(){}).finally(function(){setTimeout(poll,700)})}poll()})();</script>"
)


class BuildState:
    """The outcome of the latest build: a version that changes on each attempt, and any error."""

    def __init__(self) -> None:
        self.version = 0
        self.error = ""
        self.lock = threading.Lock()

    def record(self, error: str) -> None:
        with self.lock:
            self.version += 1
            self.error = error


def rebuild(options: BuildOptions, state: BuildState) -> None:
    """Build once; on failure keep the last good site and remember the error for the banner."""
    try:
        result = build_site(options)
    except ContentError as exc:
        report = format_text(exc.problems)
        sys.stderr.write(report + "Still serving the last good build.\n")
        state.record(report)
        return
    except Exception as exc:  # the server must not die of a bad edit
        sys.stderr.write(f"build failed: {type(exc).__name__}: {exc}\nStill serving the last good build.\n")
        state.record(f"build failed: {exc}")
        return
    sys.stderr.write(f"Rebuilt {result.pages} pages in {sum(result.timings.values()):.2f} s\n")
    state.record("")


def resolve_request(folder: Path, raw_path: str) -> Path | None:
    """Map a URL path to a file inside folder, or None: never a file outside it, never a listing."""
    path = posixpath.normpath(unquote(urlsplit(raw_path).path))
    parts = [p for p in path.split("/") if p and p not in (".", "..")]
    if any("\\" in p or "\x00" in p for p in parts):
        return None
    target = folder.joinpath(*parts)
    if target.is_dir():
        target = target / "index.html"
    try:
        target.resolve().relative_to(folder.resolve())
    except ValueError:
        return None
    return target if target.is_file() else None


def make_handler(folder: Path, state: BuildState) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "factpress"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            self.respond(head=True)

        def do_GET(self) -> None:
            self.respond(head=False)

        def respond(self, head: bool) -> None:
            if urlsplit(self.path).path == RELOAD_PATH:
                with state.lock:
                    body = json.dumps({"version": state.version, "error": state.error}).encode()
                return self.send(200, "application/json", body, head)
            target = resolve_request(folder, self.path)
            status = 200
            if target is None:
                status, target = 404, folder / "404.html"
                if not target.is_file():
                    return self.send(404, "text/plain; charset=utf-8", b"not found", head)
            body = target.read_bytes()
            ctype = guess_type(target)
            if ctype.startswith("text/html"):
                body = inject(body, state)
            self.send(status, ctype, body, head)

        def send(self, status: int, ctype: str, body: bytes, head: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(body)

    return Handler


TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript",
    ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml", ".png": "image/png",
    ".txt": "text/plain; charset=utf-8", ".wasm": "application/wasm", ".webmanifest": "application/manifest+json",
}  # fmt: skip


def guess_type(path: Path) -> str:
    name = path.name
    if (
        name.endswith(".pf_meta")
        or ".pf_" in name
        or name.endswith((".pagefind", ".pf_index", ".pf_fragment", ".pf_filter"))
    ):
        return "application/octet-stream"
    return TYPES.get(path.suffix, "application/octet-stream")


def inject(body: bytes, state: BuildState) -> bytes:
    """Add the live-reload poller and, after a failed build, a banner with the errors."""
    with state.lock:
        error = state.error
    extra = RELOAD_SCRIPT
    if error:
        extra = (
            '<div role="alert" style="position:fixed;inset:auto 0 0 0;z-index:99;max-height:50vh;overflow:auto;'
            'background:#cf222e;color:#fff;font:14px/1.4 monospace;padding:1em;white-space:pre-wrap">'
            "The last edit has errors; showing the last good build.\n\n" + html.escape(error) + "</div>" + extra
        )
    return body.replace(b"</body>", extra.encode() + b"</body>", 1)


def watch(root: Path, options: BuildOptions, state: BuildState) -> None:
    """Rebuild whenever the content, claims or templates change (watchfiles, debounced)."""
    from watchfiles import watch as watch_changes

    paths = [p for p in (root / "claims.yaml", root / "content", root / "templates", root / "static") if p.exists()]
    for _changes in watch_changes(*paths, debounce=200, step=50):
        rebuild(options, state)


def serve(
    root: Path, *, host: str = "127.0.0.1", port: int = 8000, out: Path | None = None, search: bool = True
) -> int:
    """Build, then serve and rebuild on changes until interrupted."""
    if not root.is_dir():
        raise UsageError(f"no such folder: {root}")
    shown_host = f"[{host}]" if ":" in host else host
    options = BuildOptions(root, out, f"http://{shown_host}:{port}/", drafts=True, search=search)
    state = BuildState()
    rebuild(options, state)
    if not (options.out_dir / "index.html").exists():
        sys.stderr.write("No build to serve yet; fix the errors above and save again.\n")
        options.out_dir.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer((host, port), make_handler(options.out_dir, state))
    threading.Thread(target=watch, args=(root.resolve(), options, state), daemon=True).start()
    sys.stderr.write(f"Serving {options.out_dir} at http://{shown_host}:{port}/ (Ctrl-C to stop)\n")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
