"""load: reading a project from disk, reporting only what stops a file being read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factpress import load
from factpress.errors import Location
from factpress.load import load_project, split_front_matter

SITES = Path(__file__).parent / "sites"


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    root = tmp_path / "minimal"
    shutil.copytree(SITES / "minimal", root)
    return root


def test_the_minimal_project_loads_without_problems(minimal: Path) -> None:
    raw = load_project(minimal)
    assert raw.problems == []
    assert sorted(raw.docs) == ["people", "site", "sources", "verdicts"]
    assert [d.path for d in raw.claim_docs] == ["claims.yaml"]
    assert list(raw.snapshots) == ["snapshots/gazette.txt"]
    assert raw.snapshots["snapshots/gazette.txt"].path == "content/snapshots/gazette.txt"


def test_claims_may_also_live_in_content_claims(minimal: Path) -> None:
    (minimal / "content/claims").mkdir()
    (minimal / "content/claims/b.yaml").write_text("[]\n")
    (minimal / "content/claims/a.yml").write_text("[]\n")
    (minimal / "content/claims/notes.txt").write_text("not a claims file\n")
    raw = load_project(minimal)
    assert [d.path for d in raw.claim_docs] == ["claims.yaml", "content/claims/a.yml", "content/claims/b.yaml"]


def test_invalid_utf8_names_the_file_line_and_column(minimal: Path) -> None:
    (minimal / "content/people.yaml").write_bytes(b"- {id: a, name: A}\n- {id: b, name: Jos\xe9}\n")
    raw = load_project(minimal)
    (problem,) = raw.problems
    assert (problem.code, problem.location) == ("invalid-utf8", Location("content/people.yaml", 2, 20))
    assert problem.message == "not valid UTF-8 (byte 0xe9)"
    assert raw.docs["people"].data is None


def test_a_byte_order_mark_and_windows_line_ends_are_accepted(minimal: Path) -> None:
    path = minimal / "content/people.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    raw = load_project(minimal)
    assert raw.problems == []
    assert raw.docs["people"].data[1].loc == Location("content/people.yaml", 2, 3)


def test_a_file_over_the_size_limit_is_refused(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limit = max(p.stat().st_size for p in minimal.rglob("*") if p.is_file())
    monkeypatch.setattr(load, "MAX_FILE_BYTES", limit)
    (minimal / "content/people.yaml").write_text("#" * limit + "\n")
    raw = load_project(minimal)
    assert [(p.code, str(p.location)) for p in raw.problems] == [("file-too-large", "content/people.yaml")]


@pytest.mark.parametrize(
    "name", ["../../outside.txt", "/etc/passwd", "snapshots/../../claims.yaml", "..\\..\\x.txt".replace("\\", "/")]
)
def test_a_snapshot_path_outside_content_is_refused(minimal: Path, name: str) -> None:
    (minimal.parent / "outside.txt").write_text("secret\n")
    sources = minimal / "content/sources.yaml"
    sources.write_text(sources.read_text().replace("snapshots/gazette.txt", f"'{name}'"))
    raw = load_project(minimal)
    assert [(p.code, p.location.line) for p in raw.problems] == [("unsafe-path", 6)]
    assert raw.snapshots == {}


def test_a_snapshot_symlink_out_of_content_is_refused(minimal: Path) -> None:
    (minimal.parent / "outside.txt").write_text("secret\n")
    (minimal / "content/snapshots/link.txt").symlink_to(minimal.parent / "outside.txt")
    sources = minimal / "content/sources.yaml"
    sources.write_text(sources.read_text().replace("snapshots/gazette.txt", "snapshots/link.txt"))
    raw = load_project(minimal)
    assert [p.code for p in raw.problems] == ["unsafe-path"]


def test_a_claims_file_linked_from_outside_the_project_is_refused(minimal: Path) -> None:
    (minimal.parent / "elsewhere.yaml").write_text("[]\n")
    (minimal / "content/claims").mkdir()
    (minimal / "content/claims/linked.yaml").symlink_to(minimal.parent / "elsewhere.yaml")
    raw = load_project(minimal)
    assert [(p.code, p.location.path) for p in raw.problems] == [("unsafe-path", "content/claims/linked.yaml")]


def test_a_missing_snapshot_is_reported_at_the_source(minimal: Path) -> None:
    (minimal / "content/snapshots/gazette.txt").unlink()
    raw = load_project(minimal)
    assert [(p.code, str(p.location)) for p in raw.problems] == [("missing-snapshot", "content/sources.yaml:6:13")]


def test_yaml_problems_carry_the_path_relative_to_the_root(minimal: Path) -> None:
    (minimal / "claims.yaml").write_text("- id: a\n  id: b\n")
    raw = load_project(minimal)
    assert [(p.code, str(p.location)) for p in raw.problems] == [("duplicate-key", "claims.yaml:2:3")]


# -- pages and front matter --------------------------------------------------------------------


def test_front_matter_is_split_from_the_body() -> None:
    front, body, line = split_front_matter("---\ntitle: About\nnav: 1\n---\n\n# Hello\n")
    assert front == "title: About\nnav: 1\n"
    assert body == "\n# Hello\n"
    assert line == 5


def test_a_rule_inside_the_body_is_not_the_end_of_front_matter() -> None:
    front, body, _ = split_front_matter("---\ntitle: T\n---x\n---\nBody\n---\nMore\n")
    assert front == "title: T\n---x\n"
    assert body == "Body\n---\nMore\n"


@pytest.mark.parametrize("text", ["# No front matter\n", "---\ntitle: never closed\n", "--- \ntitle: T\n---\n"])
def test_text_without_closed_front_matter_is_all_body(text: str) -> None:
    assert split_front_matter(text) == (None, text, 1)


def test_page_front_matter_positions_match_the_file(minimal: Path) -> None:
    (minimal / "content/pages").mkdir()
    (minimal / "content/pages/about.md").write_text("---\ntitle: About\ntitle: Again\n---\nBody.\n")
    raw = load_project(minimal)
    assert [(p.code, str(p.location)) for p in raw.problems] == [("duplicate-key", "content/pages/about.md:3:1")]
    (page,) = raw.pages
    assert (page.slug, page.body, page.body_line) == ("about", "Body.\n", 5)


def test_a_page_without_front_matter_is_reported(minimal: Path) -> None:
    (minimal / "content/pages").mkdir()
    (minimal / "content/pages/about.md").write_text("# About\n")
    raw = load_project(minimal)
    assert [(p.code, str(p.location)) for p in raw.problems] == [("page-front-matter", "content/pages/about.md:1:1")]


def test_front_matter_that_is_not_a_mapping(minimal: Path) -> None:
    (minimal / "content/pages").mkdir()
    (minimal / "content/pages/about.md").write_text("---\n- a list\n---\nBody\n")
    raw = load_project(minimal)
    assert [p.code for p in raw.problems] == ["page-front-matter"]


def test_templates_and_static_folders_are_found(minimal: Path) -> None:
    assert load_project(minimal).templates_dir is None
    (minimal / "templates").mkdir()
    (minimal / "static").mkdir()
    raw = load_project(minimal)
    assert (raw.templates_dir, raw.static_dir) == (minimal / "templates", minimal / "static")


def test_a_misspelt_snapshot_name_gets_a_suggestion(minimal: Path) -> None:
    sources = minimal / "content/sources.yaml"
    sources.write_text(sources.read_text().replace("snapshots/gazette.txt", "snapshots/gazete.txt"))
    (problem,) = load_project(minimal).problems
    assert problem.hint == "did you mean 'snapshots/gazette.txt'?"
    sources.write_text(sources.read_text().replace("snapshots/gazete.txt", "snapshots/radio.txt"))
    (problem,) = load_project(minimal).problems
    assert problem.hint == ""


def test_a_snapshot_name_in_another_unicode_form_says_why_it_is_not_found(minimal: Path) -> None:
    """A name saved with its accents decomposed (NFD, as macOS may) looks the same as the one in sources.yaml
    (NFC) but is another name on Linux: 'did you mean' repeated what the editor wrote."""
    snapshots = minimal / "content" / "snapshots"
    (snapshots / "gazette.txt").rename(snapshots / "gaze\u0301tte.txt")
    sources = minimal / "content/sources.yaml"
    sources.write_text(sources.read_text().replace("snapshots/gazette.txt", "snapshots/gaz\u00e9tte.txt"), "utf-8")
    (problem,) = load_project(minimal).problems
    assert problem.code == "missing-snapshot"
    assert problem.hint.startswith("a file of this name is there, but with its accents stored as separate characters")
    assert problem.hint.endswith("rename the file without accents ('gazette.txt') and write that name here")


@pytest.mark.parametrize(
    ("written", "code", "hint"),
    [
        (
            "content/snapshots/gazette.txt",
            "missing-snapshot",
            "snapshot paths are relative to content/: write 'snapshots/gazette.txt'",
        ),
        ("snapshots\\gazette.txt", "missing-snapshot", "write '/' between folders: 'snapshots/gazette.txt'"),
        ("'C:\\Users\\desk\\gazette.txt'", "unsafe-path", "write it relative to content/, e.g. snapshots/report.txt"),
        ("C:/Users/desk/gazette.txt", "unsafe-path", "write it relative to content/, e.g. snapshots/report.txt"),
    ],
)
def test_a_snapshot_path_written_from_elsewhere_is_told_how_to_write_it(
    minimal: Path, written: str, code: str, hint: str
) -> None:
    """Written from the project's root, with Windows backslashes, or as a path on the editor's own machine."""
    sources = minimal / "content/sources.yaml"
    sources.write_text(sources.read_text().replace("snapshots/gazette.txt", written))
    (problem,) = load_project(minimal).problems
    assert (problem.code, problem.hint) == (code, hint)


def test_snapshot_names_split_as_pathlib_splits_them() -> None:
    import itertools

    alphabet = ["a", ".", "..", "/", "\\", " ", "x.txt"]
    for size in range(1, 6):
        for parts in itertools.product(alphabet, repeat=size):
            name = "".join(parts)
            assert load._plain_parts(name) == Path(name).parts, name


def test_files_whose_names_differ_only_in_case_or_accents_are_an_error(minimal: Path) -> None:
    """Bridge.yaml beside bridge.yaml: a Mac or Windows checkout keeps one, so its editor checks another site."""
    claims = minimal / "content" / "claims"
    claims.mkdir()
    text = (minimal / "claims.yaml").read_text(encoding="utf-8")
    (claims / "bridge.yaml").write_text(text.replace("bridge-cost", "bridge-a"), encoding="utf-8")
    (claims / "Bridge.yaml").write_text(text.replace("bridge-cost", "bridge-b"), encoding="utf-8")
    (claims / "cafe\u0301.yaml").write_text(text.replace("bridge-cost", "bridge-c"), encoding="utf-8")
    (claims / "caf\u00e9.yaml").write_text(text.replace("bridge-cost", "bridge-d"), encoding="utf-8")
    clashes = [p for p in load_project(minimal).problems if p.code == "duplicate-file"]
    assert [p.location.path for p in clashes] == ["content/claims/bridge.yaml", "content/claims/caf\u00e9.yaml"]
    assert clashes[0].message == (
        "content/claims/bridge.yaml and content/claims/Bridge.yaml differ only in case or accents: "
        "macOS and Windows keep one file for both"
    )


@pytest.mark.parametrize("name", ["claims", "pages"])
def test_a_content_folder_written_as_a_file_says_so(minimal: Path, name: str) -> None:
    (minimal / "content" / name).write_text("- id: x\n", encoding="utf-8")
    [problem] = [p for p in load_project(minimal).problems if p.location.path == f"content/{name}"]
    assert problem.code == "unreadable-file"
    assert problem.message.startswith(f"content/{name} is a file, not a folder")
