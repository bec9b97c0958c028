"""Shared fixtures: the sample site built once per session, a loopback server, headless Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from factpress.pipeline import BuildOptions, build_site

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
CHROMIUM = Path(os.environ.get("FACTPRESS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_configure(config: pytest.Config) -> None:
    """Keep the suite hermetic: card and Markdown caches go to a fresh folder, not ~/.cache."""
    if "FACTPRESS_CACHE_DIR" not in os.environ:
        import tempfile

        os.environ["FACTPRESS_CACHE_DIR"] = tempfile.mkdtemp(prefix="factpress-test-cache-")


def missing_tool(message: str) -> None:
    """Skip loudly on a developer's machine; fail in CI, where every tool must be installed."""
    banner = f"\n{'!' * 70}\n!! {message}\n{'!' * 70}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: required tools must be installed by .ci/run)")
    print(banner)
    pytest.skip(message)


@pytest.fixture(scope="session")
def sample_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample site project (content, claims, templates, static), safe to build."""
    dest = tmp_path_factory.mktemp("sample") / "project"
    dest.mkdir()
    for name in ("content", "templates", "static"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "claims.yaml", dest / "claims.yaml")
    return dest


@pytest.fixture(scope="session")
def built_site(sample_root: Path) -> Path:
    """The sample site built once per session, search index included."""
    result = build_site(BuildOptions(sample_root, sample_root / "site"))
    return result.out


@pytest.fixture
def project(tmp_path: Path):
    """Copy a test site project from tests/sites/<name> into a temporary folder."""

    def copy(name: str) -> Path:
        dest = tmp_path / name.replace("/", "-")
        shutil.copytree(SITES / name, dest)
        return dest

    return copy


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".json": "application/json",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built sample site served on 127.0.0.1 (a random free port)."""
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (Playwright's own download is not used)."""
    if not CHROMIUM.exists():
        missing_tool(f"Chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("Playwright for Python is not installed: browser tests skipped")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def raw_project():
    """Build a RawProject in memory from the minimal site's text, some files replaced (None drops one).

    Validate and link tests use it to judge small hand-written inputs without touching the disk.
    """
    import hashlib

    from factpress.load import LoadedDoc, RawProject, RawSnapshot
    from factpress.yamlio import load_yaml

    minimal = SITES / "minimal"
    base = {p.relative_to(minimal).as_posix(): p.read_text() for p in minimal.rglob("*.yaml")}
    base_snapshots = {p.relative_to(minimal / "content").as_posix(): p.read_text() for p in minimal.rglob("*.txt")}

    def make(files: dict[str, str | None] | None = None, snapshots: dict[str, str] | None = None) -> RawProject:
        texts = {k: v for k, v in {**base, **(files or {})}.items() if v is not None}
        project = RawProject(root=Path("/in-memory"))
        for rel, text in sorted(texts.items()):
            data, found = load_yaml(text, rel)
            project.problems.extend(found)
            if rel == "claims.yaml" or rel.startswith("content/claims/"):
                project.claim_docs.append(LoadedDoc(rel, data))
            else:
                project.docs[Path(rel).stem] = LoadedDoc(rel, data)
        for name, text in {**base_snapshots, **(snapshots or {})}.items():
            digest = hashlib.sha256(text.encode()).hexdigest()
            project.snapshots[name] = RawSnapshot(f"content/{name}", text, digest)
        return project

    return make


@pytest.fixture(scope="session")
def built_test_site(tmp_path_factory: pytest.TempPathFactory):
    """Build tests/sites/<name> once per session (from a copy); None when that test site does not exist."""
    built: dict[str, Path | None] = {}

    def build(name: str) -> Path | None:
        if name not in built:
            if not (SITES / name / "content").is_dir():
                built[name] = None
            else:
                dest = tmp_path_factory.mktemp(f"site-{name}") / "project"
                shutil.copytree(SITES / name, dest)
                built[name] = build_site(BuildOptions(dest, dest / "site")).out
        return built[name]

    return build
