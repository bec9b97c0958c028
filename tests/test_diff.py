"""`diff OLD NEW`: pages two builds add, remove and change, as text and as Markdown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from factpress.cli import main
from factpress.diff import MARKDOWN_MAX_CHARS, diff_builds, format_diff, format_markdown, page_url
from factpress.errors import UsageError
from factpress.pipeline import MARKER, BuildOptions, build_site


def make_build(folder: Path, files: dict[str, str], marker: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**({MARKER: "marker"} if marker else {}), **files}.items():
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


def test_identical_builds(builds, tmp_path: Path) -> None:
    old, _new = builds
    copy = make_build(tmp_path / "copy", {p.relative_to(old).as_posix(): p.read_text() for p in old.rglob("*.*")})
    diff = diff_builds(old, copy)
    assert (diff.added, diff.removed, diff.changed) == ([], [], [])
    assert format_diff(diff, "text") == "0 added, 0 removed, 0 changed, 5 unchanged\n"
    assert "No changes." in format_diff(diff, "markdown").splitlines()


def renamed_builds(tmp_path: Path, count: int) -> tuple[Path, Path]:
    """`count` fact-checks with 100-character ids, all renamed (the sweep's 69,207-character case, and more)."""
    ids = [f"claim-{i:03}-" + "mayor-said-the-bridge-cost-" * 4 for i in range(count)]

    def build(name: str, prefix: str) -> Path:
        files = {}
        for i in ids:
            for page in (
                "claims/{}/index.html",
                "embed/{}/index.html",
                "oembed/{}.json",
                "cards/{}.png",
                "cards/{}.svg",
            ):
                files[page.format(prefix + i)] = prefix + i
        return make_build(tmp_path / name, {**files, "index.html": name})

    return build("old", ""), build("new", "the-")


def listed(report: str) -> tuple[list[str], int, int]:
    """A Markdown report's list items shown, how many its lists say they leave out, and how many its last line says."""
    lines = report.splitlines()
    shown = [line for line in lines if line.startswith("- ") and not line.startswith("- … and ")]
    more = sum(int(line.split()[3]) for line in lines if line.startswith("- … and "))
    note = int(lines[-1][1:].split()[0]) if "left out" in lines[-1] else 0
    return shown, more, note


def test_markdown_stays_within_the_comment_limit(tmp_path: Path) -> None:
    diff = diff_builds(*renamed_builds(tmp_path, 120))
    report = format_diff(diff, "markdown")
    assert len(format_markdown(diff, limit=10**9)) > MARKDOWN_MAX_CHARS  # without the cap it would not fit
    assert len(report) <= MARKDOWN_MAX_CHARS
    assert "600 added, 600 removed, 1 changed, 0 unchanged" in report.splitlines()
    shown, more, note = listed(report)
    assert len(shown) + more == 600 + 600 + 1 and note == more
    assert report.splitlines()[-1].startswith(f"_{more} lines left out to stay within GitHub's comment limit;")


@pytest.mark.parametrize("cut_by", [1, 150, 300, 450])
def test_markdown_cut_keeps_lists_in_order(tmp_path: Path, cut_by: int) -> None:
    """Lists keep their order; each cut list says how many it leaves out, and the last line how many in all."""
    pages = {f"claims/c{i:02}/index.html": "old" for i in range(40)}
    old = make_build(tmp_path / "old", dict(list(pages.items())[:30]))
    new = make_build(tmp_path / "new", {name: "new" for name in list(pages)[10:]})  # 10 removed, 20 changed, 10 added
    diff = diff_builds(old, new)
    full = format_markdown(diff, limit=10**9)
    all_items, _, _ = listed(full)
    limit = len(full) - cut_by
    cut = format_markdown(diff, limit=limit)
    assert len(cut) <= limit
    shown, more, note = listed(cut)
    assert shown == all_items[: len(shown)]
    assert len(shown) + more == len(all_items) and note == more > 0
    assert cut.startswith(full[: full.index("<details>")])  # the counts are never cut


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


# Only two different factpress builds can be compared


def test_missing_folder_is_a_usage_error(tmp_path: Path, builds) -> None:
    with pytest.raises(UsageError, match="no such build folder"):
        diff_builds(tmp_path / "nope", builds[1])


def test_a_file_is_not_a_folder(builds) -> None:
    old, new = builds
    with pytest.raises(UsageError, match=r"feed\.xml is not a folder"):
        diff_builds(old, new / "feed.xml")


def test_a_folder_without_the_marker_is_not_a_build(tmp_path: Path, builds) -> None:
    project = make_build(tmp_path / "project", {"claims.yaml": "[]", "content/site.yaml": "title: x"}, marker=False)
    with pytest.raises(UsageError, match=r"project is not a factpress build \(it has no \.factpress file\)"):
        diff_builds(project, builds[1])


def test_the_same_folder_twice(builds) -> None:
    old, _new = builds
    with pytest.raises(UsageError, match="are the same folder"):
        diff_builds(old, old)
    link = old.parent / "link"
    link.symlink_to(old)
    with pytest.raises(UsageError, match="are the same folder"):
        diff_builds(link, old)


def test_an_unreadable_file_is_a_usage_error(builds, monkeypatch) -> None:
    def refuse(self: Path) -> bytes:
        raise OSError(22, "Invalid argument", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(UsageError, match=r"cannot read .*: Invalid argument"):
        diff_builds(*builds)


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_command_line_refuses_what_is_not_a_build(builds, tmp_path: Path, capsys) -> None:
    old, new = builds
    for args, message in [
        (["/proc/self", str(new)], "/proc/self is not a factpress build"),
        ([str(tmp_path), str(new)], f"{tmp_path} is not a factpress build"),
        ([str(new), str(new)], "are the same folder"),
        ([str(old / "feed.xml"), str(new)], "feed.xml is not a folder"),
    ]:
        assert main(["diff", *args]) == 2
        err = capsys.readouterr().err
        assert err.startswith("build.py: error: ") and message in err and "Traceback" not in err


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
