"""`diff OLD NEW`: pages two builds add, remove and change, as text and as Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from factpress.cli import main
from factpress.diff import MARKDOWN_LIMIT, diff_builds, format_diff, page_url
from factpress.errors import UsageError
from factpress.pipeline import BuildOptions, build_site


def make_build(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def builds(tmp_path: Path) -> tuple[Path, Path]:
    """Two hand-made builds: one claim added, one removed, one changed, the search index rebuilt."""
    common = {"index.html": "home", "claims/same/index.html": "same", "feed.xml": "<feed/>"}
    old = make_build(
        tmp_path / "old",
        {
            **common,
            "claims/gone/index.html": "gone",
            "claims/edited/index.html": "before",
            "pagefind/index.pf_meta": "a",
            ".factpress": "marker",
        },
    )
    new = make_build(
        tmp_path / "new",
        {
            **common,
            "claims/fresh/index.html": "fresh",
            "claims/edited/index.html": "after",
            "cards/fresh.svg": "<svg/>",
            "pagefind/index.pf_meta": "b",
            ".factpress": "marker",
        },
    )
    return old, new


def test_added_removed_and_changed(builds) -> None:
    diff = diff_builds(*builds)
    assert diff.added == ["/cards/fresh.svg", "/claims/fresh/"]
    assert diff.removed == ["/claims/gone/"]
    assert diff.changed == ["/claims/edited/"]
    assert diff.unchanged == 3  # /, /claims/same/, /feed.xml: the search index and the marker are ignored


def test_text_report(builds, file_regression) -> None:
    file_regression.check(format_diff(diff_builds(*builds), "text"), extension=".txt")


def test_markdown_report(builds, file_regression) -> None:
    file_regression.check(format_diff(diff_builds(*builds), "markdown"), extension=".md")


def test_identical_builds(builds) -> None:
    old, _new = builds
    diff = diff_builds(old, old)
    assert (diff.added, diff.removed, diff.changed) == ([], [], [])
    assert format_diff(diff, "text") == "0 added, 0 removed, 0 changed, 5 unchanged\n"
    assert "No changes." in format_diff(diff, "markdown").splitlines()


def test_markdown_caps_long_lists(tmp_path: Path) -> None:
    old = make_build(tmp_path / "old", {"index.html": "x"})
    many = {f"claims/c{i:04}/index.html": "x" for i in range(MARKDOWN_LIMIT + 5)}
    new = make_build(tmp_path / "new", {"index.html": "x", **many})
    report = format_diff(diff_builds(old, new), "markdown")
    assert "- … and 5 more" in report.splitlines()
    assert sum(1 for line in report.splitlines() if line.startswith("- `")) == MARKDOWN_LIMIT


def test_odd_file_names_cannot_break_the_markdown(tmp_path: Path) -> None:
    old = make_build(tmp_path / "old", {})
    new = make_build(tmp_path / "new", {"static/a`b <img src=x>.txt": "x"})
    report = format_diff(diff_builds(old, new), "markdown")
    assert "- `/static/a%60b%20%3Cimg%20src%3Dx%3E.txt`" in report.splitlines()


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("index.html", "/"),
        ("claims/x/index.html", "/claims/x/"),
        ("feed.xml", "/feed.xml"),
        ("404.html", "/404.html"),
        ("oembed/x.json", "/oembed/x.json"),
    ],
)
def test_page_url(name: str, url: str) -> None:
    assert page_url(name) == url


def test_symbolic_links_are_not_followed(tmp_path: Path, builds) -> None:
    old, new = builds
    (tmp_path / "outside.txt").write_text("secret")
    (new / "leak.txt").symlink_to(tmp_path / "outside.txt")
    assert "/leak.txt" not in diff_builds(old, new).added


def test_missing_folder_is_a_usage_error(tmp_path: Path, builds) -> None:
    with pytest.raises(UsageError, match="no such build folder"):
        diff_builds(tmp_path / "nope", builds[1])


def test_command_line(builds, capsys) -> None:
    old, new = builds
    assert main(["diff", str(old), str(new), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### Site changes\n")
    assert main(["diff", str(old), str(old.parent / "missing")]) == 2
    assert "no such build folder" in capsys.readouterr().err


def test_two_real_builds(project, tmp_path: Path) -> None:
    """Edit a claim's summary and add a claim: the diff names both fact-check pages."""
    root = project("minimal")
    build_site(BuildOptions(root, tmp_path / "old", search=False))
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    edited = text.replace("The Gazette reports the same figure.", "The Gazette reports it too.")
    added = text.split("- id: bridge-cost", 1)[1].replace("The Gazette reports the same figure.", "Another.")
    claims.write_text(edited + "- id: bridge-cost-again" + added, encoding="utf-8")
    build_site(BuildOptions(root, tmp_path / "new", search=False))
    diff = diff_builds(tmp_path / "old", tmp_path / "new")
    assert "/claims/bridge-cost-again/" in diff.added
    assert "/claims/bridge-cost/" in diff.changed
    assert diff.removed == []
