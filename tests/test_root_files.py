"""A project's root/ folder: files published as they are at the site's root (CNAME, _headers, .well-known/...)."""

from __future__ import annotations

import hashlib
import shutil
import tracemalloc
from pathlib import Path

import pytest

from factpress import write
from factpress.cli import main
from factpress.fingerprints import file_digest
from factpress.pipeline import BuildOptions, build_site
from factpress.sitelinks import reserved_names, taken_root_names

ANALYSIS = "  analysis: The mayor gave the figure ([Gazette](#gazette)).\n"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(args)
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def put(root: Path, rel: str, text: str = "x\n") -> Path:
    """Write a file under the project's root/ folder (its folders made)."""
    path = root / "root" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def built(root: Path, **options: bool) -> Path:
    return build_site(BuildOptions(root, root / "site", search=options.get("search", False))).out


def published(out: Path) -> dict[str, str]:
    """The site's files that are not factpress's own pages: what root/ added, by path."""
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in out.rglob("*")
        if p.is_file() and p.relative_to(out).parts[0] in ("CNAME", "_headers", ".nojekyll", ".well-known", "docs")
    }


def test_every_file_of_root_is_published_at_its_path_dot_files_and_folders_included(project) -> None:
    root = project("minimal")
    put(root, "CNAME", "facts.example.org\n")
    put(root, ".nojekyll", "")
    put(root, "_headers", "/*\n  X-Frame-Options: DENY\n")
    put(root, ".well-known/security.txt", "Contact: mailto:security@example.org\n")
    put(root, "docs/deep/note.txt", "nested\n")
    out = built(root)
    assert published(out) == {
        "CNAME": "facts.example.org\n",
        ".nojekyll": "",
        "_headers": "/*\n  X-Frame-Options: DENY\n",
        ".well-known/security.txt": "Contact: mailto:security@example.org\n",
        "docs/deep/note.txt": "nested\n",
    }
    assert not (out / "root").exists()  # (not under /root/, nor under /static/)
    assert "CNAME" not in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "well-known" not in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_a_root_page_is_neither_in_the_sitemap_nor_in_the_search_index(project) -> None:
    """A search console's verification page is published, not shown to readers or search engines as a page."""
    root = project("minimal")
    indexed_without = build_site(BuildOptions(root, root / "site")).indexed
    put(root, "google0123456789.html", "<html><body data-pagefind-body>google-site-verification</body></html>\n")
    result = build_site(BuildOptions(root, root / "site"))
    assert (result.out / "google0123456789.html").is_file()
    assert "google0123456789" not in (result.out / "sitemap.xml").read_text(encoding="utf-8")
    assert result.indexed == indexed_without > 0


@pytest.mark.parametrize(
    ("rel", "reported", "message"),
    [
        (
            "index.html",
            "root/index.html",
            "factpress publishes the home page at /index.html: root/ cannot publish a file",
        ),
        ("Robots.txt", "root/Robots.txt", "the rules for search engines' crawlers at /robots.txt"),
        ("sitemap-2.xml", "root/sitemap-2.xml", "a part of the sitemap of a site too large for one at /sitemap-2.xml"),
        ("claims/extra.html", "root/claims", "the fact-checks' pages under /claims/: root/ cannot publish a folder"),
        ("static/logo.svg", "root/static", "the theme's style sheets, scripts and images"),
        ("pagefind/x.js", "root/pagefind", "the search index under /pagefind/"),
        ("about/team.html", "root/about", "the content page 'about' under /about/"),
        (".factpress", "root/.factpress", "its mark of a folder it built at /.factpress"),
    ],
)
def test_a_root_file_where_the_build_writes_is_a_reserved_name_error(project, capsys, rel, reported, message) -> None:
    root = project("minimal")
    (root / "content" / "pages").mkdir()
    (root / "content" / "pages" / "about.md").write_text("---\ntitle: About\n---\nWho we are.\n", encoding="utf-8")
    put(root, "CNAME")
    put(root, rel)
    for command in ("check", "build"):
        status, output = run_cli(
            [command, "--root", str(root), "--no-search"][: 3 if command == "check" else 4], capsys
        )
        assert status == 1
        errors = [line for line in output.splitlines() if "[reserved-name]" in line]
        assert len(errors) == 1, output
        assert errors[0].startswith(f"{reported}: error: ")
        assert message in errors[0]
    assert not (root / "site").exists()


def test_every_name_the_build_writes_at_the_top_is_reserved_and_says_what_is_there(project) -> None:
    """Names come from the code's own lists (sitelinks, write); each has its own description, not a generic one."""
    names = reserved_names(["about"])
    assert {"index.html", "404.html", "feed.xml", "claims", "static", "pagefind", "api", "about"} <= set(names)
    assert all(what != "files of the site" for what, _ in names.values())
    for mark in (write.MARKER, write.INCOMPLETE):
        assert [name for name, *_ in taken_root_names([mark], [])] == [mark]
    assert taken_root_names(["CNAME", ".well-known/security.txt", "favicon.ico", "claims.txt"], []) == []


def test_a_rebuild_publishes_what_root_holds_now_added_changed_or_removed(project) -> None:
    root = project("minimal")
    put(root, "CNAME", "old.example.org\n")
    put(root, ".well-known/security.txt", "Contact: a\n")
    out = built(root)
    assert published(out) == {"CNAME": "old.example.org\n", ".well-known/security.txt": "Contact: a\n"}
    put(root, "CNAME", "new.example.org\n")
    (root / "root" / ".well-known" / "security.txt").unlink()
    put(root, "_headers", "/*\n")
    out = built(root)
    assert published(out) == {"CNAME": "new.example.org\n", "_headers": "/*\n"}
    assert not (out / ".well-known").exists()  # (its folder, left empty, goes too)
    out = built(root)  # a rebuild with nothing changed keeps them
    assert published(out) == {"CNAME": "new.example.org\n", "_headers": "/*\n"}
    shutil.rmtree(root / "root")
    assert published(built(root)) == {}


def test_a_root_file_linked_out_of_the_project_is_refused_as_in_static(project, tmp_path: Path, capsys) -> None:
    root = project("minimal")
    secret = tmp_path / "outside" / "id_rsa"
    secret.parent.mkdir()
    secret.write_text("TOP SECRET KEY\n", encoding="utf-8")
    put(root, "CNAME")
    (root / "root" / ".well-known").mkdir()
    (root / "root" / ".well-known" / "key").symlink_to(secret)
    (root / "root" / "outside").symlink_to(secret.parent, target_is_directory=True)
    status, output = run_cli(["build", "--root", str(root), "--no-search"], capsys)
    assert status == 1
    assert "root/.well-known/key: error: root file links outside the project [unsafe-path]" in output
    assert "root/outside: error: root file links outside the project [unsafe-path]" in output
    assert "TOP SECRET" not in output
    assert not (root / "site").exists()


def test_root_itself_linked_out_of_the_project_is_refused(project, tmp_path: Path, capsys) -> None:
    root = project("minimal")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "id_rsa").write_text("TOP SECRET KEY\n", encoding="utf-8")
    (root / "root").symlink_to(outside, target_is_directory=True)
    status, output = run_cli(["build", "--root", str(root), "--no-search"], capsys)
    assert status == 1
    assert "root: error: root file links outside the project [unsafe-path]" in output
    assert not (root / "site").exists()


def test_a_link_to_a_root_file_is_not_a_dead_link(project, capsys) -> None:
    root = project("minimal")
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    assert ANALYSIS in text
    links = "[report](/.well-known/security.txt), [icon](/favicon.ico), [help](/help/), [none](/static/none.txt)"
    claims.write_text(text.replace(ANALYSIS, ANALYSIS.rstrip("\n") + f" {links}\n"), encoding="utf-8")
    status, output = run_cli(["check", "--root", str(root)], capsys)
    assert "[dead-link]" in output  # (the same links without root/: /static/none.txt is dead)
    assert ".well-known/security.txt" in output
    put(root, ".well-known/security.txt")
    put(root, "favicon.ico")
    put(root, "help/index.html")
    status, output = run_cli(["check", "--root", str(root)], capsys)
    dead = [line for line in output.splitlines() if "[dead-link]" in line]
    assert len(dead) == 1
    assert "/static/none.txt" in dead[0]
    assert status == 1


def test_a_logo_in_root_is_a_file_the_site_publishes(project, capsys) -> None:
    root = project("minimal")
    site = root / "content" / "site.yaml"
    text = site.read_text(encoding="utf-8")
    old = "url: https://minimal.example.org/}"
    assert old in text
    site.write_text(text.replace(old, "url: https://minimal.example.org/, logo: /favicon.ico}"), encoding="utf-8")
    status, output = run_cli(["check", "--root", str(root)], capsys)
    assert "favicon.ico" in output
    put(root, "favicon.ico")
    status, output = run_cli(["check", "--root", str(root)], capsys)
    assert "favicon.ico" not in output
    assert status == 0


def test_the_preview_serves_root_files_and_rebuilds_when_one_changes(project, tmp_path: Path) -> None:
    from test_serve import edit_until_rebuilt, get

    from factpress.serve import Preview

    root = project("minimal")
    security = put(root, ".well-known/security.txt", "Contact: a\n")
    preview = Preview(root, port=0, out=tmp_path / "out", search=False, log=lambda _line: None)
    preview.start()
    try:
        assert get(preview, "/.well-known/security.txt")[::2] == (200, b"Contact: a\n")
        assert not preview.relevant(None, str(root / "root" / ".well-known" / ".security.txt.swp"))
        edit_until_rebuilt(preview, security, "Contact: b\n", lambda s: s["error"] == "")
        assert get(preview, "/.well-known/security.txt")[::2] == (200, b"Contact: b\n")
    finally:
        preview.stop()


def test_what_editors_and_operating_systems_leave_beside_files_is_not_published(project) -> None:
    """A Mac's .DS_Store, Vim's swap file or Emacs' backup in static/ or root/ went out with the site."""
    root = project("minimal")
    junk = [".DS_Store", "._logo.svg", "Thumbs.db", "desktop.ini", "site.css~", ".site.css.swp", "#site.css#", ".#a"]
    (root / "static").mkdir()
    for name in junk:
        (root / "static" / name).write_text("x", encoding="utf-8")
        put(root, f"docs/{name}")
    (root / "static" / "site.css").write_text("body {}", encoding="utf-8")
    put(root, ".well-known/security.txt", "Contact: mailto:security@example.org\n")
    out = built(root)
    assert (out / "static" / "site.css").is_file() and (out / ".well-known" / "security.txt").is_file()
    left = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.name in junk]
    assert left == []


def test_a_large_file_to_publish_is_fingerprinted_without_being_held_whole(tmp_path: Path) -> None:
    """Each file of static/ and root/ was read whole to fingerprint it: a 2 GB video held 2 GB of memory."""
    video = tmp_path / "video.mp4"
    with video.open("wb") as handle:
        for _ in range(64):
            handle.write(bytes(range(256)) * 4096)  # 64 MiB in all
    tracemalloc.start()
    try:
        digest = file_digest(video)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert digest == hashlib.blake2b(video.read_bytes(), digest_size=16).hexdigest()
    assert peak < 8 * 2**20
