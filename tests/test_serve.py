"""The preview server: answers on loopback, never serves a file outside the site, rebuilds and survives bad edits."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from factpress import serve
from factpress.serve import BANNER_ID, RELOAD_PATH, SCRIPT_PATH, STYLE_PATH, Preview, resolve_request

SITES = Path(__file__).resolve().parent / "sites"
SECRET = "top-secret-marker-7f3a"
WAIT_SECONDS = 30  # an upper bound for a rebuild on a busy machine, never a performance assertion


@pytest.fixture
def preview(project, tmp_path: Path) -> Iterator[Preview]:
    """The minimal site served on a free loopback port, with a secret file beside the output folder."""
    root = project("minimal")
    (tmp_path / "secret.txt").write_text(SECRET)
    (root / "secret.txt").write_text(SECRET)
    lines: list[str] = []
    server = Preview(root, port=0, out=tmp_path / "out", search=False, log=lines.append)
    server.lines = lines  # type: ignore[attr-defined]
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def shared_preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One server for the read-only tests (traversal attempts): each request is judged on its own."""
    base = tmp_path_factory.mktemp("shared")
    root = base / "minimal"
    shutil.copytree(SITES / "minimal", root)
    (base / "secret.txt").write_text(SECRET)
    (root / "secret.txt").write_text(SECRET)
    server = Preview(root, port=0, out=base / "out", search=False, log=lambda _line: None)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def raw_get(preview: Preview, target: str, method: str = "GET") -> tuple[int, bytes]:
    """Send a request line exactly as written (no client-side normalising) and read the reply."""
    with socket.create_connection(("127.0.0.1", preview.port), timeout=10) as conn:
        conn.sendall(f"{method} {target} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode("latin-1"))
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    reply = b"".join(chunks)
    head, _, body = reply.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def get(preview: Preview, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def status(preview: Preview) -> dict:
    code, _headers, body = get(preview, RELOAD_PATH)
    assert code == 200
    return json.loads(body)


def edit_until_rebuilt(preview: Preview, path: Path, text: str, until: Callable[[dict], bool] = bool) -> dict:
    """Write the file, then poll the status endpoint until a new build is recorded that satisfies `until` (bounded).

    The file is written again every second, in case the watcher missed it. One save may be seen as
    two changes (truncate, write), hence `until`: the build of the final text, not a half-way one.
    """
    before = status(preview)["version"]
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        path.write_text(text, encoding="utf-8")
        retry = time.monotonic() + 1
        while time.monotonic() < min(retry, deadline):
            now = status(preview)
            if now["version"] > before and until(now):
                return now
            time.sleep(0.05)
    pytest.fail(f"no rebuild within {WAIT_SECONDS} s after editing {path.name}")


def built_after(preview: Preview, line: str, start: int = 0) -> bool:
    """Whether the log holds `line` (from index start on), followed by the end of that build."""
    lines: list[str] = preview.lines  # type: ignore[attr-defined]
    if line not in lines[start:]:
        return False
    after = lines[lines.index(line, start) + 1 :]
    return any(entry.startswith("Built ") or "Still serving" in entry for entry in after)


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll a condition until it holds (bounded), for what no version number says."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {WAIT_SECONDS} s: {what}")
        time.sleep(0.05)


def page(preview: Preview, path: str) -> BeautifulSoup:
    code, _headers, body = get(preview, path)
    assert code == 200, path
    return BeautifulSoup(body, "html.parser")


def summary_of(soup: BeautifulSoup) -> str:
    return soup.get_text(" ", strip=True)


def test_answers_on_loopback_only_by_default(preview: Preview) -> None:
    assert preview.server is not None
    assert preview.server.server_address[0] == "127.0.0.1"
    assert preview.url == f"http://127.0.0.1:{preview.port}/"
    soup = page(preview, "/")
    assert soup.find("h1") is not None or soup.find("main") is not None


def outward_address() -> str | None:
    """This machine's address on its network (no packet is sent), or None without one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.254", 9))  # TEST-NET-1: routing only, never reached
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_not_reachable_from_the_network_by_default(preview: Preview) -> None:
    address = outward_address()
    if address is None:
        pytest.skip("this machine has no network address besides loopback")
    with pytest.raises(OSError), socket.create_connection((address, preview.port), timeout=5):
        pass


def test_host_option_opens_it_to_the_network(project, tmp_path: Path) -> None:
    address = outward_address()
    if address is None:
        pytest.skip("this machine has no network address besides loopback")
    server = Preview(project("minimal"), host="0.0.0.0", port=0, out=tmp_path / "out", search=False, log=print)
    server.start()
    try:
        with socket.create_connection((address, server.port), timeout=5) as conn:
            conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
            assert conn.recv(12).startswith(b"HTTP/1.")
    finally:
        server.stop()


def test_serves_claim_page_and_redirects_folder_without_slash(preview: Preview) -> None:
    soup = page(preview, "/claims/bridge-cost/")
    assert "The bridge cost 12 million euros." in soup.get_text()
    code, headers, _body = get(preview, "/claims/bridge-cost")
    assert code == 301
    assert headers["Location"] == "/claims/bridge-cost/"


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/search?q=peskov+calls", "/search/?q=peskov+calls"),
        ("/claims/bridge-cost?utm_source=x&b=%C3%A9", "/claims/bridge-cost/?utm_source=x&b=%C3%A9"),
        ("http://localhost/search?q=a", "/search/?q=a"),
        ("/search?q=\x01\xff", "/search/?q=%01%C3%BF"),
    ],
)
def test_a_folder_redirect_keeps_the_query(shared_preview: Preview, target: str, location: str) -> None:
    """`/search?q=…` typed or linked without the slash keeps its query, as static hosts keep it."""
    with socket.create_connection(("127.0.0.1", shared_preview.port), timeout=10) as conn:
        conn.sendall(f"GET {target} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode("latin-1"))
        head = conn.recv(65536).split(b"\r\n\r\n", 1)[0].decode("latin-1")
    assert head.split(" ", 2)[1] == "301"
    assert f"\r\nLocation: {location}\r\n" in head + "\r\n"


def test_live_reload_script_is_served_but_not_published(preview: Preview) -> None:
    soup = page(preview, "/")
    poller = soup.find("script", src=SCRIPT_PATH)
    assert poller is not None and poller["data-version"] == "1"
    code, headers, body = get(preview, SCRIPT_PATH)
    assert code == 200 and headers["Content-Type"].startswith("text/javascript")
    assert RELOAD_PATH in body.decode()
    on_disk = BeautifulSoup((preview.options.out_dir / "index.html").read_bytes(), "html.parser")
    assert on_disk.find("script", src=SCRIPT_PATH) is None
    assert status(preview) == {"version": 1, "error": "", "run": poller["data-run"]}


def test_the_poller_asks_for_the_status_without_the_error_report(preview: Preview) -> None:
    """A tab polls every 0.7 s and reads only the build and run: thousands of errors were megabytes a poll."""
    claims = preview.root / "claims.yaml"
    bad = claims.read_text(encoding="utf-8").replace("  verdict: true\n", "  verdict: nope\n")
    state = edit_until_rebuilt(preview, claims, bad, lambda s: "unknown verdict 'nope'" in s["error"])
    _code, _headers, script = get(preview, SCRIPT_PATH)
    polled = re.search(r"fetch\('([^']+)'", script.decode()).group(1)
    code, _headers, body = get(preview, polled)
    assert code == 200 and json.loads(body) == {"version": state["version"], "run": state["run"]}


def test_the_page_policy_is_served_unchanged(preview: Preview) -> None:
    """The preview adds no inline script or style, so it needs no change to a Content-Security-Policy."""
    served = page(preview, "/claims/bridge-cost/")
    on_disk = BeautifulSoup((preview.options.out_dir / "claims/bridge-cost/index.html").read_bytes(), "html.parser")
    policy = {"http-equiv": "Content-Security-Policy"}
    assert [str(m) for m in served.find_all("meta", attrs=policy)] == [
        str(m) for m in on_disk.find_all("meta", attrs=policy)
    ]
    injected = served.find_all("script")[len(on_disk.find_all("script")) :]
    assert [s.get("src") for s in injected] == [SCRIPT_PATH]
    assert all(not (s.string or "").strip() for s in injected)


def test_head_and_unknown_path(preview: Preview) -> None:
    code, body = raw_get(preview, "/", method="HEAD")
    assert (code, body) == (200, b"")
    code, _body = raw_get(preview, "/no/such/page/")
    assert code == 404


TRAVERSALS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/claims/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/..%2Fsecret.txt",
    "/%2e%2e%2fsecret.txt",
    "/..%5csecret.txt",
    "/%5c..%5csecret.txt",
    "/..\\secret.txt",
    "/%252e%252e/secret.txt",
    "//secret.txt",
    "/.%2e/secret.txt",
    "http://localhost/../secret.txt",
    "/secret.txt%00.html",
    "/%c0%ae%c0%ae/secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_never_serves_a_file_outside_the_site(shared_preview: Preview, target: str) -> None:
    code, body = raw_get(shared_preview, target)
    assert SECRET.encode() not in body
    assert code in (400, 404)


def test_refuses_absolute_file_system_paths(shared_preview: Preview) -> None:
    base = shared_preview.root.parent
    for target in (f"{base}/secret.txt", "/etc/passwd", f"/{base}/secret.txt", f"{shared_preview.root}/secret.txt"):
        code, body = raw_get(shared_preview, target)
        assert code == 404
        assert SECRET.encode() not in body
        assert b"root:" not in body


def test_refuses_symbolic_links_leading_out_of_the_site(preview: Preview, tmp_path: Path) -> None:
    out = preview.options.out_dir
    (out / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (out / "leakdir").symlink_to(tmp_path, target_is_directory=True)
    for target in ("/leak.txt", "/leakdir/secret.txt", "/leakdir/"):
        code, body = raw_get(preview, target)
        assert code == 404, target
        assert SECRET.encode() not in body


def test_no_directory_listing(preview: Preview) -> None:
    folder = preview.options.out_dir / "bare"
    folder.mkdir()
    (folder / "listed-file-name.txt").write_text("x")
    code, body = raw_get(preview, "/bare/")
    assert code == 404
    assert b"listed-file-name" not in body


@pytest.mark.parametrize(
    "target",
    ["/", "/claims/x/", "/a/./b", "/index.html", "http://localhost/claims/x/?q=1#f"],
)
def test_resolve_request_inside(tmp_path: Path, target: str) -> None:
    for name in ("index.html", "claims/x/index.html", "a/b/index.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("ok")
    found = resolve_request(tmp_path, target)
    assert found is not None
    assert found.resolve().is_relative_to(tmp_path.resolve())


@pytest.mark.parametrize("target", ["", "*", "../x", "/C:/x", "/a/%ff", "/a/%00"])
def test_resolve_request_refuses_malformed(tmp_path: Path, target: str) -> None:
    assert resolve_request(tmp_path, target) is None


def test_rebuilds_after_an_edit(preview: Preview) -> None:
    claims = preview.root / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    assert "The Gazette reports the same figure." in text
    edited = text.replace("The Gazette reports the same figure.", "Edited summary.")
    state = edit_until_rebuilt(preview, claims, edited, lambda s: s["error"] == "")
    assert state["error"] == ""
    assert "Edited summary." in page(preview, "/claims/bridge-cost/").get_text()
    lines: list[str] = preview.lines  # type: ignore[attr-defined]
    changed = lines.index("claims.yaml changed; rebuilding…\n")
    assert any(line.startswith("Built ") for line in lines[changed:])


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (lambda t: t.replace("  verdict: true\n", "  verdict: [true\n"), "claims.yaml:"),
        (lambda t: t.replace("  verdict: true\n", "  verdict: mostly-ture\n"), "unknown verdict 'mostly-ture'"),
    ],
    ids=["yaml-syntax-error", "unknown-verdict"],
)
def test_survives_a_broken_edit_and_recovers(preview: Preview, broken, expected: str) -> None:
    claims = preview.root / "claims.yaml"
    good = claims.read_text(encoding="utf-8")
    bad = broken(good.replace("The Gazette reports the same figure.", "Never published."))
    assert bad != good

    state = edit_until_rebuilt(preview, claims, bad, lambda s: expected in s["error"])
    assert expected in state["error"]
    soup = page(preview, "/claims/bridge-cost/")
    alert = soup.find(id=BANNER_ID)
    assert alert is not None and alert.get("role") == "alert" and alert.get("style") is None
    assert soup.find("link", href=STYLE_PATH) is not None
    assert expected in alert.get_text()
    assert "The Gazette reports the same figure." in soup.get_text()  # the last good build
    assert "Never published." not in soup.get_text()
    assert any(expected in line for line in preview.lines)  # type: ignore[attr-defined]
    assert any("Still serving the last good build." in line for line in preview.lines)  # type: ignore[attr-defined]

    fixed = good.replace("The Gazette reports the same figure.", "Fixed.")
    state = edit_until_rebuilt(preview, claims, fixed, lambda s: s["error"] == "")
    assert state["error"] == ""
    soup = page(preview, "/claims/bridge-cost/")
    assert soup.find(id=BANNER_ID) is None
    assert "Fixed." in soup.get_text()


def test_banner_escapes_the_error_text(preview: Preview) -> None:
    claims = preview.root / "claims.yaml"
    good = claims.read_text(encoding="utf-8")
    hostile = good.replace("  verdict: true\n", "  verdict: <script>x</script>\n")
    edit_until_rebuilt(preview, claims, hostile, lambda s: "<script>x</script>" in s["error"])
    soup = page(preview, "/")
    alert = soup.find(id=BANNER_ID)
    assert alert is not None
    assert alert.find("script") is None
    assert "<script>x</script>" in alert.get_text()


def test_starts_without_a_good_build_and_serves_once_fixed(project, tmp_path: Path) -> None:
    root = project("minimal")
    claims = root / "claims.yaml"
    good = claims.read_text(encoding="utf-8")
    claims.write_text(good.replace("  verdict: true\n", "  verdict: nope\n"), encoding="utf-8")
    lines: list[str] = []
    server = Preview(root, port=0, out=tmp_path / "out", search=False, log=lines.append)
    server.start()
    try:
        assert any("Nothing built yet" in line for line in lines)
        assert not any("last good build" in line for line in lines)  # there is none
        code, body = raw_get(server, "/")
        soup = BeautifulSoup(body, "html.parser")
        assert code == 404 and "unknown verdict 'nope'" in soup.find(id=BANNER_ID).get_text()
        assert "last good build" not in soup.get_text()  # the page says what the terminal says: there is none
        assert soup.find("script", src=SCRIPT_PATH) is not None  # so the page reloads once the edit is fixed
        assert "unknown verdict 'nope'" in status(server)["error"]
        edit_until_rebuilt(server, claims, good, lambda s: s["error"] == "")
        assert status(server)["error"] == ""
        assert page(server, "/").find(id=BANNER_ID) is None
    finally:
        server.stop()


def test_warnings_are_printed_when_the_preview_builds(project, tmp_path: Path) -> None:
    root = project("minimal")
    (root / "content" / "claims").mkdir()
    (root / "content" / "claims" / "notes.txt").write_text("not content", encoding="utf-8")
    lines: list[str] = []
    server = Preview(root, port=0, out=tmp_path / "out", search=False, log=lines.append)
    server.start()
    try:
        built = next(line for line in lines if "Built " in line)
        assert "content/claims/notes.txt: warning: this file is not read" in built
    finally:
        server.stop()


def test_an_out_folder_factpress_did_not_build_is_refused_at_start(project, tmp_path: Path) -> None:
    from factpress.errors import UsageError

    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    server = Preview(project("minimal"), port=0, out=out, search=False, log=lambda _m: None)
    with pytest.raises(UsageError, match="not built by factpress"):
        server.start()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    with socket.socket() as probe:  # the port was released
        probe.bind(("127.0.0.1", server.port))


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_a_port_out_of_range_is_a_usage_error(port: str, capsys) -> None:
    from factpress import cli

    with pytest.raises(SystemExit) as exit_:
        cli.main(["serve", "--port", port])
    assert exit_.value.code == 2 and "is not a port number" in capsys.readouterr().err


def test_an_editors_passing_temporary_file_is_not_named(tmp_path: Path) -> None:
    from factpress.serve import describe_changes

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "people.yaml").write_text("[]\n", encoding="utf-8")
    changes = {(1, str(tmp_path / "content" / "sedQXwQSY")), (2, str(tmp_path / "content" / "people.yaml"))}
    assert describe_changes(tmp_path, changes) == "content/people.yaml"
    assert describe_changes(tmp_path, {(3, str(tmp_path / "claims.yaml"))}) == "claims.yaml"  # deleted: named


def test_a_watcher_ignores_the_output_folder(preview: Preview) -> None:
    out = preview.options.out_dir
    assert not preview.relevant(None, str(out / "index.html"))
    assert preview.relevant(None, str(preview.root / "claims.yaml"))
    assert preview.relevant(None, str(preview.root / "content" / "people.yaml"))
    assert not preview.relevant(None, str(preview.root / "content" / ".people.yaml.swp"))
    assert not preview.relevant(None, str(preview.root / "secret.txt"))


def test_a_link_leading_out_of_the_project_is_a_change(preview: Preview, tmp_path: Path) -> None:
    """`ln -s ~/notes.yaml content/claims/` must rebuild, so the preview shows the error CI will give."""
    outside = tmp_path / "notes.yaml"
    outside.write_text("- id: x\n", encoding="utf-8")
    link = preview.root / "content" / "claims" / "notes.yaml"
    link.parent.mkdir(exist_ok=True)
    link.symlink_to(outside)
    assert preview.relevant(None, str(link))


def test_port_in_use_is_a_usage_error(preview: Preview) -> None:
    from factpress.errors import UsageError
    from factpress.serve import serve

    with pytest.raises(UsageError, match="cannot listen"):
        serve(preview.root, port=preview.port, out=preview.options.out_dir.parent / "other", search=False)


def test_stop_releases_the_port(project, tmp_path: Path) -> None:
    server = Preview(project("minimal"), port=0, out=tmp_path / "out", search=False, log=lambda _m: None)
    server.start()
    port, threads = server.port, list(server.threads)
    assert len(threads) >= 2
    server.stop()
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
    assert not any(t.is_alive() for t in threads)
    assert os.path.isdir(tmp_path / "out")


@pytest.mark.browser
def test_open_page_reloads_after_an_edit_and_shows_the_banner(preview: Preview, browser) -> None:
    """In Chromium: the injected poller reloads the open page after a rebuild, with or without errors."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(f"{preview.url}claims/bridge-cost/")
        claims = preview.root / "claims.yaml"
        good = claims.read_text(encoding="utf-8")
        live = good.replace("The Gazette reports the same figure.", "Seen live.")
        edit_until_rebuilt(preview, claims, live, lambda s: s["error"] == "")
        tab.wait_for_function("() => document.body.innerText.includes('Seen live.')", timeout=WAIT_SECONDS * 1000)
        typo = live.replace("  verdict: true\n", "  verdict: mostly-ture\n")
        edit_until_rebuilt(preview, claims, typo, lambda s: "mostly-ture" in s["error"])
        banner = tab.wait_for_selector(f"#{BANNER_ID}", timeout=WAIT_SECONDS * 1000)
        assert banner is not None and "unknown verdict 'mostly-ture'" in banner.inner_text()
        assert "Seen live." in tab.inner_text("body")  # still the last good build
    finally:
        context.close()


def test_a_folder_created_after_start_is_watched(preview: Preview) -> None:
    static = preview.root / "static"
    assert not static.exists()
    start = len(preview.lines)  # type: ignore[attr-defined]
    static.mkdir()
    wait_for(lambda: static in preview.watched, "static/ watched")
    wait_for(lambda: built_after(preview, "static changed; rebuilding…\n", start), "a rebuild once static/ is made")
    edit_until_rebuilt(preview, static / "note.txt", "hello from static\n")
    code, _headers, body = get(preview, "/static/note.txt")
    assert (code, body) == (200, b"hello from static\n")


def test_by_default_the_preview_is_built_outside_the_project_and_removed(project) -> None:
    """A preview has drafts and local URLs: it never lands in ROOT/site, where it could be published."""
    root = project("minimal")
    server = Preview(root, port=0, search=False, log=lambda _line: None)
    server.start()
    try:
        out = server.options.out_dir
        assert not out.is_relative_to(root)
        assert (out / "index.html").is_file()
        assert raw_get(server, "/")[0] == 200
    finally:
        server.stop()
    assert not (root / "site").exists()
    assert not out.exists()


def test_a_port_in_use_leaves_no_temporary_folder(shared_preview: Preview, project) -> None:
    server = Preview(project("minimal"), port=shared_preview.port, search=False, log=lambda _line: None)
    with pytest.raises(OSError):
        server.start()
    assert server.temporary is None


def test_a_folder_removed_and_made_again_is_still_watched(project, tmp_path: Path) -> None:
    """`git checkout` of a branch without templates/ removes the folder; switching back makes a new one.

    Edits in the new folder must rebuild as before. The folder's removal and creation are changes
    the project's root notices too, rebuilt a few times at most: so several edits in a row must
    each show, which no leftover rebuild of those can satisfy.
    """
    root = project("minimal")
    templates = root / "templates"
    templates.mkdir()
    (templates / "README.md").write_text("The site's own templates.\n", encoding="utf-8")
    server = Preview(root, port=0, out=tmp_path / "out", search=False, log=lambda _line: None)
    server.start()
    try:
        shutil.rmtree(templates)
        templates.mkdir()

        def shows(marker: str) -> Callable[[dict], bool]:
            return lambda _status: page(server, "/").find("meta", attrs={"name": "own", "content": marker}) is not None

        for round_ in range(5):
            marker = f"edit-{round_}"
            own = '{% extends "theme/base.html" %}{% block site_head %}<meta name="own" content="' + marker + '">'
            edit_until_rebuilt(server, templates / "base.html", own + "{% endblock %}", shows(marker))
    finally:
        server.stop()


def test_stop_closes_the_connections_browsers_keep_open(project, tmp_path: Path) -> None:
    """A browser keeps its connection open between requests: once stopped, the preview answers none of them.

    Else the tab's poller goes on reading the stopped preview's state (and its deleted folder),
    and never meets the preview started after it on the same port.
    """
    server = Preview(project("minimal"), port=0, out=tmp_path / "out", search=False, log=lambda _line: None)
    server.start()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("GET", RELOAD_PATH)
        response = conn.getresponse()
        assert response.status == 200 and not response.will_close
        response.read()
        server.stop()
        with pytest.raises(OSError):  # (http.client's RemoteDisconnected is one)
            conn.request("GET", RELOAD_PATH)
            conn.getresponse()
    finally:
        conn.close()
        server.stop()


def test_a_page_of_an_earlier_run_is_told_apart(project, tmp_path: Path) -> None:
    """Two runs of `serve` both start at build 1: what a page of the first carries differs from the second's status."""
    root = project("minimal")
    pollers, statuses = [], []
    for run in ("one", "two"):
        server = Preview(root, port=0, out=tmp_path / run, search=False, log=lambda _line: None)
        server.start()
        try:
            pollers.append(page(server, "/").find("script", src=SCRIPT_PATH))
            statuses.append(status(server))
        finally:
            server.stop()
    assert statuses[0]["version"] == statuses[1]["version"] == 1
    assert statuses[0]["run"] == pollers[0]["data-run"] != statuses[1]["run"] == pollers[1]["data-run"]


@pytest.mark.browser
def test_an_open_page_reloads_when_the_preview_is_started_again(project, tmp_path: Path, browser) -> None:
    """Stop the preview, edit (or `git pull`), start it again on the same port: the open tab shows the edit."""
    root = project("minimal")
    first = Preview(root, port=0, out=tmp_path / "one", search=False, log=lambda _line: None)
    first.start()
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(f"{first.url}claims/bridge-cost/")
        tab.wait_for_function("() => document.body.innerText.includes('The Gazette reports the same figure.')")
        first.stop()
        claims = root / "claims.yaml"
        edited = claims.read_text(encoding="utf-8").replace("The Gazette reports the same figure.", "Edited meanwhile.")
        claims.write_text(edited, encoding="utf-8")
        second = Preview(root, port=first.port, out=tmp_path / "two", search=False, log=lambda _line: None)
        second.start()
        try:
            tab.wait_for_function(
                "() => document.body.innerText.includes('Edited meanwhile.')", timeout=WAIT_SECONDS * 1000
            )
        finally:
            second.stop()
    finally:
        context.close()
        first.stop()


def test_a_save_that_changes_nothing_reloads_no_page(preview: Preview) -> None:
    """Saving a file as it was (a habit, a format-on-save that finds nothing) rebuilds, but open pages stay.

    The next real edit reloads them once: the same save, then that edit, count one new version.
    """
    claims = preview.root / "claims.yaml"
    before = status(preview)["version"]
    start = len(preview.lines)  # type: ignore[attr-defined]
    claims.write_text(claims.read_text(encoding="utf-8"), encoding="utf-8")
    wait_for(lambda: built_after(preview, "claims.yaml changed; rebuilding…\n", start), "the rebuild of the same text")
    edited = claims.read_text(encoding="utf-8").replace("The Gazette reports the same figure.", "Really edited.")
    edit_until_rebuilt(preview, claims, edited, lambda s: s["error"] == "")
    assert "Really edited." in page(preview, "/claims/bridge-cost/").get_text()
    assert status(preview)["version"] == before + 1


def test_the_same_mistake_saved_again_reloads_no_page(preview: Preview) -> None:
    """An autosave of a file with the same mistake shows the same banner over the same build: no reload."""
    claims = preview.root / "claims.yaml"
    good = claims.read_text(encoding="utf-8")
    before = status(preview)["version"]
    typo = good.replace("  verdict: true\n", "  verdict: mostly-ture\n")
    edit_until_rebuilt(preview, claims, typo, lambda s: "mostly-ture" in s["error"])
    start = len(preview.lines)  # type: ignore[attr-defined]
    claims.write_text(typo, encoding="utf-8")
    wait_for(lambda: built_after(preview, "claims.yaml changed; rebuilding…\n", start), "the rebuild of the same text")
    edit_until_rebuilt(preview, claims, good, lambda s: s["error"] == "")
    assert status(preview)["version"] == before + 2


@pytest.mark.parametrize(
    "name",
    [
        "#people.yaml#",  # Emacs autosave
        ".#people.yaml",  # Emacs lock
        "people.yaml~",  # Emacs and Vim backup
        ".people.yaml.swp",  # Vim swap
        "people.yaml.swo",  # Vim's second swap, kept beside the file
        "4913",  # Vim's test of the folder
        "people.yaml___jb_tmp___",  # JetBrains' safe write
        "people.yaml___jb_old___",
    ],
)
def test_an_editors_own_files_rebuild_nothing(preview: Preview, name: str) -> None:
    """What an editor keeps beside the file it saves is never read by the build: no rebuild, no line in the terminal."""
    for folder in ("content", "content/claims", "templates", "static"):
        assert not preview.relevant(None, str(preview.root / folder / name)), f"{folder}/{name}"
    assert preview.relevant(None, str(preview.root / "content" / "claims" / "#1.yaml"))


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_the_preview_folder_is_removed_when_serve_is_ended_otherwise(project, name: str) -> None:
    """Closing the terminal (SIGHUP) or `kill` (SIGTERM, as task runners stop a task) ends serve as Ctrl-C does.

    Its temporary folder, with drafts in it, is removed rather than left behind each time.
    """
    import queue
    import signal
    import subprocess
    import sys
    import threading

    if not hasattr(signal, name):
        pytest.skip(f"no {name} on this system")
    build_py = Path(__file__).resolve().parent.parent / "build.py"
    command = [sys.executable, str(build_py), "serve", "--root", str(project("minimal")), "--port", "0", "--no-search"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True).start()  # type: ignore[union-attr]
    folder = None
    try:
        line = ""
        while not line.startswith("Serving "):
            line = lines.get(timeout=WAIT_SECONDS)
        folder = Path(line.removeprefix("Serving ").rsplit(" at ", 1)[0]).parent
        assert folder.is_dir() and folder.name.startswith("factpress-preview-")
        process.send_signal(getattr(signal, name))
        assert process.wait(timeout=WAIT_SECONDS) == 0
        assert not folder.exists()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if folder is not None:  # what a failure left
            shutil.rmtree(folder, ignore_errors=True)


def test_a_sites_own_files_are_served_as_what_they_are(project, tmp_path: Path) -> None:
    """A PDF or an image in static/ (a court ruling, a chart) opens in the browser as published, not as a download."""
    root = project("minimal")
    (root / "static").mkdir()
    kinds = {"ruling.pdf": "application/pdf", "chart.gif": "image/gif", "data.csv": "text/csv", "clip.mp4": "video/mp4"}
    for name in kinds:
        (root / "static" / name).write_bytes(b"data")
    server = Preview(root, port=0, out=tmp_path / "out", search=False, log=lambda _line: None)
    server.start()
    try:
        for name, kind in kinds.items():
            code, headers, body = get(server, f"/static/{name}")
            assert (code, body) == (200, b"data")
            assert headers["Content-Type"].split(";")[0] == kind, name
    finally:
        server.stop()


def test_unknown_kinds_stay_plain_bytes() -> None:
    from factpress.serve import guess_type

    assert guess_type(Path("pagefind/index/en_1a2b.pf_index")) == "application/octet-stream"
    assert guess_type(Path("claims/x/index.html")) == "text/html; charset=utf-8"
    assert guess_type(Path("static/figures.CSV")) == "text/csv; charset=utf-8"


def test_a_connection_accepted_as_the_preview_stops_is_closed_unanswered(project, tmp_path: Path) -> None:
    """A connection whose thread starts after stop() closed the others is closed too, unanswered."""
    server = Preview(project("minimal"), port=0, out=tmp_path / "out", search=False, log=lambda _line: None)
    server.start()
    assert server.server is not None
    ours, theirs = socket.socketpair()
    try:
        server.stop()
        ours.sendall(b"GET /__factpress/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        ours.settimeout(10)
        server.server.process_request_thread(theirs, ("127.0.0.1", 0))  # as the thread of a late connection would
        try:
            reply = ours.recv(65536)
        except ConnectionResetError:  # closed with the request unread: as unanswered
            reply = b""
        assert reply == b""
    finally:
        ours.close()
        theirs.close()


def test_a_page_swapped_away_mid_request_reloads_once_rebuilt(preview: Preview, monkeypatch) -> None:
    """A page a rebuild removes between finding and reading it is answered 503, and that answer reloads by itself.

    (Reading is made to fail here: the instant of a real swap cannot be chosen.)
    """

    def swapped_away(self: Path) -> bytes:
        raise FileNotFoundError(2, "No such file or directory", str(self))

    monkeypatch.setattr(Path, "read_bytes", swapped_away)
    code, body = raw_get(preview, "/claims/bridge-cost/")
    monkeypatch.undo()
    assert code == 503
    soup = BeautifulSoup(body, "html.parser")
    poller = soup.find("script", src=SCRIPT_PATH)
    assert poller is not None and poller["data-version"] == str(status(preview)["version"])


def test_a_connection_that_stays_silent_is_closed(project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A phone that drops off the Wi-Fi (serve --host 0.0.0.0) mid-connection kept a thread waiting for good."""
    monkeypatch.setattr(serve, "IDLE_SECONDS", 0.5)
    server = Preview(project("minimal"), port=0, out=tmp_path / "out", search=False, log=lambda _line: None)
    server.start()
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as silent:
            silent.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # (a request cut off: the rest never comes)
            assert silent.recv(1) == b""  # closed by the preview, well before this socket's own 10 s
    finally:
        server.stop()
