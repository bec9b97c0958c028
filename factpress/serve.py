"""`serve`: build, serve the site on loopback, rebuild on every save and reload open pages.

The server only ever answers from the last good build: a content error is printed in the
terminal and shown as a banner on every page, and the server keeps running. Files are served
from inside the output folder only (no traversal, no directory listings, no symbolic link
leading out). The live-reload poller is a `<script src>` added to pages as they are served,
from the server's own `/__factpress/` paths, so the page's Content-Security-Policy stays exactly
as published; the files on disk, which are what gets published, never contain it.
"""

from __future__ import annotations

import contextlib
import html
import http.server
import json
import mimetypes
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .errors import ContentError, UsageError, format_text
from .load import is_editor_leftover
from .pipeline import BuildOptions, build_site

RELOAD_PATH = "/__factpress/status"
#: What the poller asks for: the status without the error report, which a tab polls every 0.7 s and never reads
#: (the banner comes with the page); with thousands of errors, the report is megabytes.
BRIEF_QUERY = "brief"
#: The poller and the banner's style are files of their own, not inline, so that a page's
#: Content-Security-Policy allowing 'self' (as factpress's theme does) lets them run in the preview.
SCRIPT_PATH = "/__factpress/reload.js"
STYLE_PATH = "/__factpress/banner.css"
#: The page reloads when the preview's build, or the preview itself (stopped and started again), differs
#: from the one it was served by.
RELOAD_JS = (
    "(function(){var d=document.currentScript.dataset,v=Number(d.version),r=d.run;function poll(){"
    "fetch('" + RELOAD_PATH + "?" + BRIEF_QUERY + "',{cache:'no-store'}).then(function(r){return r.json()})"
    ".then(function(s){if(s.version!==v||s.run!==r){location.reload()}})"
    ".catch(function(){}).finally(function(){setTimeout(poll,700)})}poll()})();\n"
)
BANNER_ID = "factpress-build-error"
BANNER_CSS = (
    f"#{BANNER_ID}{{position:fixed;inset:auto 0 0 0;z-index:2147483647;max-height:50vh;overflow:auto;margin:0;"
    "background:#a40e26;color:#fff;font:14px/1.4 monospace;padding:1em;white-space:pre-wrap}\n"
)
ASSETS = {
    SCRIPT_PATH: ("text/javascript; charset=utf-8", RELOAD_JS.encode()),
    STYLE_PATH: ("text/css; charset=utf-8", BANNER_CSS.encode()),
}
#: Top-level names of a site project whose changes trigger a rebuild.
WATCHED_DIRS = ("content", "templates", "static", "fonts", "root")
WATCHED_FILES = ("claims.yaml", "claims.yml")
#: Endings of editors' passing files that load.is_editor_leftover does not name.
EDITORS_SUFFIXES = (".swx", ".tmp", "___jb_tmp___", "___jb_old___")
WATCH_TICK_MS = 250
#: How long a connection may stay silent before the preview closes it (see make_handler).
IDLE_SECONDS = 60.0
WATCH_READY_SECONDS = 5

Log = Callable[[str], None]


def _stderr(message: str) -> None:
    sys.stderr.write(message)
    sys.stderr.flush()


class BuildState:
    """The outcome of the latest build: a version that changes whenever what is served does, and any error.

    `run` tells this preview from an earlier one on the same port, whose builds were counted from 1 too.
    """

    def __init__(self) -> None:
        self.version = 0
        self.error = ""
        self.run = secrets.token_hex(8)
        self.lock = threading.Lock()

    def record(self, error: str, *, changed: bool = True) -> None:
        """Remember one build attempt; open pages reload when the version changes.

        A build that served the same site (changed False) with the same error, or none, leaves the
        version alone: saving a file unchanged, or an editor's autosave beside it, reloads no page.
        """
        with self.lock:
            if changed or error != self.error or self.version == 0:
                self.version += 1
            self.error = error

    def snapshot(self) -> tuple[int, str]:
        """The version and error, read together."""
        with self.lock:
            return self.version, self.error


def rebuild(options: BuildOptions, state: BuildState, log: Log = _stderr, *, first: bool = False) -> None:
    """Build once; on failure keep the last good site and remember the error for the banner.

    Warnings are printed as `build` prints them: a preview that builds is not one without mistakes.
    The first build raises a UsageError (an --out folder factpress may not replace): no edit mends that.
    """
    try:
        result = build_site(options)
    except ContentError as exc:
        report = format_text(exc.problems)
        log(report + _still_serving(options))
        state.record(report, changed=False)
        return
    except UsageError as exc:
        if first:
            raise
        log(f"{exc}\n" + _still_serving(options))
        state.record(f"{exc}\n", changed=False)
        return
    except Exception as exc:  # the server must not die of a bad edit
        log(f"build failed: {type(exc).__name__}: {exc}\n" + _still_serving(options))
        state.record(f"build failed: {type(exc).__name__}: {exc}\n", changed=False)
        return
    warnings = format_text(result.problems) if result.problems else ""
    log(f"{warnings}Built {result.pages} pages in {sum(result.timings.values()):.2f} s\n")
    state.record("", changed=result.changed)


def _still_serving(options: BuildOptions) -> str:
    """What the preview shows meanwhile: the last good build, or nothing yet."""
    if (options.out_dir / "index.html").exists():
        return "Still serving the last good build.\n"
    return "Nothing built yet: the preview shows these errors until they are fixed.\n"


def request_path(raw_target: str) -> str | None:
    """The decoded path of a request target (origin-form or absolute-form), or None if malformed."""
    if raw_target.startswith("/"):
        path = raw_target.split("?", 1)[0].split("#", 1)[0]
    elif raw_target.lower().startswith(("http://", "https://")):
        path = urlsplit(raw_target).path or "/"
    else:
        return None
    return unquote(path, errors="strict") if "%" in path else path


def resolve_request(folder: Path, raw_target: str) -> Path | None:
    """Map a request target to a file inside folder, or None: never a file outside it, never a listing."""
    try:
        path = request_path(raw_target)
    except UnicodeDecodeError:
        return None
    if path is None or "\\" in path or "\x00" in path:
        return None
    parts = [p for p in path.split("/") if p and p != "."]
    if ".." in parts or any(":" in p for p in parts):
        return None
    target = folder.joinpath(*parts)
    try:
        if target.is_dir():
            target = target / "index.html"
        target.resolve(strict=True).relative_to(folder.resolve())
    except (OSError, ValueError, RuntimeError):
        return None
    return target if target.is_file() else None


def folder_redirect(raw_target: str, target: Path) -> str | None:
    """Where to send `/claims/x` when it names a folder: `/claims/x/`, so relative links resolve.

    The query goes along (`/search?q=…` to `/search/?q=…`), as static hosts keep it.
    """
    path = request_path(raw_target) or "/"
    if path.endswith("/") or target.name != "index.html" or path.rsplit("/", 1)[-1] == "index.html":
        return None
    query = raw_target.split("#", 1)[0].partition("?")[2]
    location = quote("/" + "/".join(p for p in path.split("/") if p) + "/")
    return location + "?" + quote(query, safe=QUERY_SAFE) if query else location


#: What a query keeps as it is when redirected: its own punctuation and escapes, nothing that could end a header.
QUERY_SAFE = "!$%&'()*+,-./:;=?@_~"

TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript",
    ".mjs": "text/javascript", ".json": "application/json", ".xml": "application/xml",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".webp": "image/webp", ".ico": "image/x-icon", ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8", ".wasm": "application/wasm", ".webmanifest": "application/manifest+json",
}  # fmt: skip


#: Python's own table of file kinds, without the system's (which differs from one machine to the next).
KNOWN_TYPES = mimetypes.MimeTypes()


def guess_type(path: Path) -> str:
    """The Content-Type of a built file, as a static host gives it; unknown kinds (Pagefind's index) are plain bytes.

    Beyond the theme's own kinds, a site's files (a PDF, a GIF in static/) open in the browser, not as downloads.
    """
    suffix = path.suffix.lower()
    if suffix in TYPES:
        return TYPES[suffix]
    kind = KNOWN_TYPES.guess_type(path.name, strict=False)[0]
    if kind is None:
        return "application/octet-stream"
    return kind + "; charset=utf-8" if kind.startswith("text/") else kind


def banner(error: str, *, built: bool = True) -> str:
    """The error banner shown on every page while the last edit does not build (built: whether any edit did)."""
    if built:
        heading = "The last edit has errors; showing the last good build."
    else:
        heading = "The project has errors; nothing is built yet. This page reloads once they are fixed."
    return (
        f'<link rel="stylesheet" href="{STYLE_PATH}"><pre id="{BANNER_ID}" role="alert">'
        f"{heading}\n\n" + html.escape(error) + "</pre>"
    )


#: The page served while no build has succeeded: the banner and the poller are added to it.
NOTHING_BUILT = (
    b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>factpress preview</title></head>'
    b"<body><p>Nothing is built yet.</p></body></html>"
)


#: The page served when a rebuild swapped the requested file away as it was read; it reloads once that build is done.
REBUILDING = (
    b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>factpress preview</title></head>'
    b"<body><p>Rebuilding: this page reloads in a moment.</p></body></html>"
)


def inject(body: bytes, state: BuildState, *, built: bool = True) -> bytes:
    """Add the live-reload poller and, after a failed build, a banner with the errors."""
    version, error = state.snapshot()
    poller = f'<script src="{SCRIPT_PATH}" data-version="{version}" data-run="{state.run}"></script>'
    extra = (banner(error, built=built) if error else "") + poller
    index = body.rfind(b"</body>")
    if index == -1:
        return body + extra.encode()
    return body[:index] + extra.encode() + body[index:]


def make_handler(folder: Path, state: BuildState) -> type[http.server.BaseHTTPRequestHandler]:
    """A request handler answering from folder only, with the status endpoint for live reload."""

    class Handler(http.server.BaseHTTPRequestHandler):
        """Serves the built site with no caching, injecting live reload into HTML pages."""

        server_version = "factpress"
        sys_version = ""
        protocol_version = "HTTP/1.1"
        #: A connection that sends nothing for this long is closed (a phone off the Wi-Fi kept its thread for good);
        #: a tab's poller asks every 0.7 s.
        timeout = IDLE_SECONDS

        def log_message(self, format: str, *args: object) -> None:
            """Silence the per-request log, which would drown the build messages."""
            pass

        def do_HEAD(self) -> None:
            """Answer HEAD like GET, without the body."""
            self.respond(head=True)

        def do_GET(self) -> None:
            """Answer GET with the file, the reload status, or the 404 page."""
            self.respond(head=False)

        def respond(self, head: bool) -> None:
            """Answer from the built folder only: reload status, assets, files, folder redirects or 404."""
            path, _, query = self.path.partition("?")
            if path == RELOAD_PATH:
                version, error = state.snapshot()
                status = {"version": version, "run": state.run}
                if query != BRIEF_QUERY:  # (the whole report: for tools and tests)
                    status["error"] = error
                body = json.dumps(status).encode()
                return self.send(200, "application/json", body, head)
            if path in ASSETS:
                return self.send(200, *ASSETS[path], head)
            target = resolve_request(folder, self.path)
            status = 200
            if target is None:
                status, target = 404, resolve_request(folder, "/404.html")
                if target is None:  # nothing built yet: a page that shows the errors and reloads once fixed
                    return self.send(404, "text/html; charset=utf-8", inject(NOTHING_BUILT, state, built=False), head)
            elif location := folder_redirect(self.path, target):
                return self.redirect(location)
            try:
                body = target.read_bytes()
            except OSError:  # swapped away mid-request by a rebuild: a page that reloads once it is done
                return self.send(503, "text/html; charset=utf-8", inject(REBUILDING, state), head)
            ctype = guess_type(target)
            if ctype.startswith("text/html"):
                body = inject(body, state)
            self.send(status, ctype, body, head)

        def redirect(self, location: str) -> None:
            """A permanent redirect, e.g. /claims/x to /claims/x/ as static hosts do."""
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def send(self, status: int, ctype: str, body: bytes, head: bool) -> None:
            """Send a response that is never cached, so every reload shows the latest build."""
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if not head:
                self.wfile.write(body)

    return Handler


def is_editors_file(name: str) -> bool:
    """A file an editor writes beside the one it saves, which the build never reads.

    The leftovers `check` passes over (Emacs `#x.yaml#`, `x.yaml~`, Vim `x.yaml.swp`), and what
    lives only while saving: Emacs' lock `.#x.yaml`, Vim's `4913`, JetBrains' `x.yaml___jb_tmp___`.
    """
    return is_editor_leftover(name) or name.startswith(".#") or name == "4913" or name.endswith(EDITORS_SUFFIXES)


class PreviewServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server that can close the connections browsers keep open between requests.

    Closing the listening socket is not enough: a tab's poller keeps its connection, and the
    thread serving it would go on answering from a stopped preview.
    """

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.open: set[socket.socket] = set()
        self.open_lock = threading.Lock()
        self.closing = False

    def process_request_thread(self, request: socket.socket, client_address: object) -> None:
        """Serve one connection, keeping it in the set of open ones meanwhile (none once closing)."""
        with self.open_lock:
            if self.closing:  # accepted as the preview stopped: its thread started too late to be closed with the rest
                self.shutdown_request(request)
                return
            self.open.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self.open_lock:
                self.open.discard(request)

    def close_connections(self) -> None:
        """End every open connection: its thread's next read finds it closed and ends."""
        with self.open_lock:
            self.closing = True
            connections = list(self.open)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the other side
                connection.shutdown(socket.SHUT_RDWR)


def describe_changes(root: Path, changes: set[tuple[object, str]]) -> str:
    """The changed files, relative to the project, for the terminal: 'claims.yaml', 'content/a.yaml and 2 more'.

    An editor's passing temporary file (sed's `sedX4b2Qa`, gone by now and without an ending) is not named.
    """
    paths = {path for _change, path in changes if "." in Path(path).name or Path(path).exists()} or {
        path for _change, path in changes
    }
    names = sorted({Path(path).relative_to(root).as_posix() if Path(path).is_relative_to(root) else path
                    for path in paths})  # fmt: skip
    return names[0] + (f" and {len(names) - 1} more" if len(names) > 1 else "") if names else "A file"


class Preview:
    """The preview server: build, serve, watch and rebuild; start() and stop() it (port 0 picks a free one)."""

    def __init__(
        self,
        root: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        out: Path | None = None,
        search: bool = True,
        log: Log = _stderr,
    ) -> None:
        if not root.is_dir():
            raise UsageError(f"no such folder: {root}")
        self.root = root.resolve()
        self.host, self.port, self.out, self.search, self.log = host, port, out, search, log
        self.state = BuildState()
        self.stop_event = threading.Event()
        self.server: PreviewServer | None = None
        self.serving = False
        self.threads: list[threading.Thread] = []
        #: Each content folder watched in depth, with the token of the watcher in charge of it.
        self.watched: dict[Path, object] = {}
        self.temporary: Path | None = None
        #: Held while building, and while deciding which folders to watch.
        self.build_lock = threading.RLock()
        self.options = BuildOptions(self.root, out, None, drafts=True, search=search)

    @property
    def url(self) -> str:
        """The address the site answers on, e.g. http://127.0.0.1:8000/."""
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{shown}:{self.port}/"

    def start(self) -> str:
        """Bind, build once, then serve and watch in background threads; return the URL."""
        if self.options.out is None:  # never ROOT/site: a preview (drafts, local URLs) must not be published by mistake
            self.temporary = Path(tempfile.mkdtemp(prefix="factpress-preview-"))
            self.options.out = self.temporary / "site"
        server_class = PreviewServer
        if ":" in self.host:
            server_class = type("IPv6Server", (server_class,), {"address_family": socket.AF_INET6})
        try:
            self.server = server_class((self.host, self.port), make_handler(self.options.out_dir, self.state))
        except OSError:
            self.stop()
            raise
        self.port = self.server.server_address[1]
        self.options.base_url = self.url
        self.options.preview = True
        try:
            rebuild(self.options, self.state, self.log, first=True)
        except UsageError:
            self.stop()
            raise
        if not (self.options.out_dir / "index.html").exists():
            self.options.out_dir.mkdir(parents=True, exist_ok=True)
        self.serving = True
        self.spawn(self.server.serve_forever, 0.05)
        listening = []
        for folder, token in self.watch_targets():
            listening.append(threading.Event())
            self.spawn(self.watch, folder, token, listening[-1])
        for ready in listening:  # so that an edit made right after start() is seen (bounded wait)
            ready.wait(timeout=WATCH_READY_SECONDS)
        self.log(f"Serving {self.options.out_dir} at {self.url} (Ctrl-C to stop)\n")
        return self.url

    def spawn(self, target: Callable[..., None], *args: object) -> None:
        """Start a daemon thread and keep it, so stop() can wait for it."""
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self.threads.append(thread)

    def watch_targets(self) -> list[tuple[Path, object | None]]:
        """The project root itself (claims.yaml, new folders), and each content folder in depth, with its token."""
        for name in WATCHED_DIRS:
            if (self.root / name).is_dir():
                self.watched[self.root / name] = object()
        return [(self.root, None), *self.watched.items()]

    def watch_new_folders(self, changes: set[tuple[object, str]]) -> None:
        """A content, templates or static folder made after start is watched from then on.

        So is one removed and made again (`git checkout` of a branch without templates/, and back):
        the watcher of the old folder sees nothing of the new one, even when the system gives the
        new folder the old one's inode number. It is retired: it ends at its next tick.
        """
        from watchfiles import Change

        for change, path in changes:
            folder = Path(path)
            if change != Change.added or folder.parent != self.root or folder.name not in WATCHED_DIRS:
                continue
            if not folder.is_dir():
                continue
            token = object()
            with self.build_lock:
                self.watched[folder] = token
            listening = threading.Event()
            self.spawn(self.watch, folder, token, listening)
            listening.wait(timeout=WATCH_READY_SECONDS)  # so that the rebuild that follows misses no file written now

    def relevant(self, _change: object, path: str) -> bool:
        """Only the project's own inputs count: not the output folder, not editor swap files.

        A file is judged where it is, not where a symbolic link leads: a link added to content/ that leads
        out of the project is a change (the build refuses it), not something to ignore.
        """
        try:
            location = Path(path).parent.resolve() / Path(path).name
            rel = location.relative_to(self.root)
        except (ValueError, OSError):
            return False
        if not rel.parts or location.is_relative_to(self.options.out_dir):
            return False
        name = rel.name
        published_hidden = rel.parts[0] == "root"  # (root/ publishes .nojekyll, .well-known/: not editors' files)
        if (not published_hidden and any(p.startswith(".") for p in rel.parts)) or is_editors_file(name):
            return False
        return rel.parts[0] in WATCHED_DIRS or (len(rel.parts) == 1 and name in WATCHED_FILES)

    def watch(self, folder: Path, token: object | None, ready: threading.Event | None = None) -> None:
        """Rebuild whenever the content, claims, templates, static or root files change (debounced).

        token None: the project root, watched alone (not in depth). A content folder's watcher ends
        once that folder is gone, or another watcher took it over (watch_new_folders).
        """
        from watchfiles import watch as watch_changes

        ready = ready or threading.Event()
        recursive = token is not None
        try:
            for changes in watch_changes(
                folder,
                watch_filter=self.relevant,
                debounce=200,
                step=50,
                stop_event=self.stop_event,
                recursive=recursive,
                raise_interrupt=False,
                rust_timeout=WATCH_TICK_MS,
                yield_on_timeout=True,  # the first tick says the watcher is listening
            ):
                ready.set()
                if recursive and (self.watched.get(folder) is not token or not folder.is_dir()):
                    break
                if not changes:
                    continue
                if not recursive:
                    self.watch_new_folders(changes)
                self.log(f"{describe_changes(self.root, changes)} changed; rebuilding…\n")
                with self.build_lock:  # one build at a time: builds share a staging folder
                    rebuild(self.options, self.state, self.log)
        except Exception as exc:  # a vanished folder must not take the server down
            if not self.stop_event.is_set():
                self.log(f"watching {folder.name} stopped: {type(exc).__name__}: {exc}\n")
        finally:
            ready.set()
            if recursive:
                with self.build_lock:
                    if self.watched.get(folder) is token:
                        del self.watched[folder]

    def stop(self) -> None:
        """Stop serving and watching; wait (bounded) for the threads to end."""
        self.stop_event.set()
        if self.server is not None:
            if self.serving:  # (shutdown waits for a serve_forever loop: none runs before start() got there)
                self.server.shutdown()
            self.server.server_close()
            self.server.close_connections()
        for thread in self.threads:
            thread.join(timeout=5)
        self.threads.clear()
        if self.temporary is not None:
            shutil.rmtree(self.temporary, ignore_errors=True)
            self.temporary = None


def serve(
    root: Path, *, host: str = "127.0.0.1", port: int = 8000, out: Path | None = None, search: bool = True
) -> int:
    """Build, then serve and rebuild on changes until interrupted."""
    preview = Preview(root, host=host, port=port, out=out, search=search)
    try:
        preview.start()
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    try:
        with stopped_by_signals(preview.stop_event):
            preview.stop_event.wait()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
    return 0


@contextlib.contextmanager
def stopped_by_signals(stop: threading.Event) -> Iterator[None]:
    """End serve on SIGTERM (`kill`, an editor's task runner) and SIGHUP (the terminal closed) as on Ctrl-C.

    Python's default for those ends the process on the spot, leaving the temporary preview folder behind.
    """
    in_main_thread = threading.current_thread() is threading.main_thread()  # (only there may handlers be set)
    names = [name for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name) and in_main_thread]
    previous = {name: signal.signal(getattr(signal, name), lambda _signum, _frame: stop.set()) for name in names}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)
