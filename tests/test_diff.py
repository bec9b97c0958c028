"""`diff OLD NEW`: fact-checks and pages two builds change, as text and as Markdown."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from factpress.cli import main
from factpress.diff import MARKDOWN_MAX_CHARS, diff_builds, format_diff, format_markdown, page_url, word_change
from factpress.errors import UsageError
from factpress.pipeline import MARKER, BuildOptions, build_site

VERDICTS = [
    {"key": "true", "label": "True"},
    {"key": "misleading", "label": "Misleading"},
    {"key": "false", "label": "False"},
    {"key": "unproven", "label": "Unproven"},
]


def make_build(folder: Path, files: dict[str, str], marker: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**({MARKER: "marker"} if marker else {}), **files}.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def correction(date: str, note: str, previous: str | None = None) -> dict[str, str | None]:
    return {"date": date, "note": note, "previous_verdict": previous}


def api(*claims: tuple[str, str, list[dict[str, str | None]]]) -> str:
    """An /api/claims.json with what diff reads of it: each claim's id, verdict and corrections."""
    return json.dumps(
        {
            "version": 1,
            "scale": {"verdicts": VERDICTS},
            "claims": [{"id": i, "verdict": {"key": v}, "corrections": c} for i, v, c in claims],
        }
    )


@pytest.fixture
def builds(tmp_path: Path) -> tuple[Path, Path]:
    """Two hand-made builds: one claim added, one removed, one changed, the search index rebuilt.

    In api/claims.json, `edited` goes from false to unproven with no correction, `fixed` from false to true
    with a correction that says so, and `same` gets a correction that keeps its verdict.
    """
    common = {"index.html": "home", "claims/same/index.html": "same", "feed.xml": "<feed/>"}
    old = make_build(
        tmp_path / "old",
        {
            **common,
            "claims/gone/index.html": "gone",
            "claims/edited/index.html": "before",
            "pagefind/index.pf_meta": "a",
            "api/claims.json": api(
                ("same", "true", []), ("gone", "false", []), ("edited", "false", []), ("fixed", "false", [])
            ),
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
            "api/claims.json": api(
                ("fresh", "misleading", []),
                ("same", "true", [correction("2025-03-10", "Spelled the *mayor's* name right.")]),
                ("edited", "unproven", []),
                ("fixed", "true", [correction("2025-03-11", "New figures.", "false")]),
            ),
        },
    )
    return old, new


def test_added_removed_and_changed(builds) -> None:
    diff = diff_builds(*builds)
    assert diff.added == ["/cards/fresh.svg", "/claims/fresh/"]
    assert diff.removed == ["/claims/gone/"]
    assert diff.changed == ["/api/claims.json", "/claims/edited/"]
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
    assert format_diff(diff, "text") == (
        "Fact-checks: 0 verdicts changed, 0 added, 0 removed, 0 corrections added\n"
        "Files: 0 added, 0 removed, 0 changed, 6 unchanged\n"
    )
    assert "No changes." in format_diff(diff, "markdown").splitlines()


# Fact-checks, from each build's api/claims.json


def test_verdict_changes_say_whether_a_correction_records_them(builds) -> None:
    report = format_diff(diff_builds(*builds), "text").splitlines()
    assert "~ edited: verdict changed from False to Unproven, with no correction saying so" in report
    assert "~ fixed: verdict changed from False to True, recorded by the correction of 2025-03-11" in report
    assert "Fact-checks: 2 verdicts changed (1 with no correction), 1 added, 1 removed, 2 corrections added" in report


def test_a_correction_that_names_another_previous_verdict(tmp_path: Path) -> None:
    old = make_build(tmp_path / "old", {"api/claims.json": api(("c", "false", []))})
    new = make_build(
        tmp_path / "new", {"api/claims.json": api(("c", "true", [correction("2025-01-02", "x", "misleading")]))}
    )
    report = format_diff(diff_builds(old, new), "text")
    assert (
        "verdict changed from False to True, but the correction of 2025-01-02 gives the previous verdict as Misleading"
        in report
    )


def test_each_build_s_own_labels(tmp_path: Path) -> None:
    """A verdict renamed in the scale keeps its old label for the old build."""
    old = make_build(tmp_path / "old", {"api/claims.json": api(("c", "false", []))})
    renamed = api(("c", "unproven", [])).replace('"label": "False"', '"label": "Wrong"')
    new = make_build(tmp_path / "new", {"api/claims.json": renamed})
    assert "verdict changed from False to Unproven" in format_diff(diff_builds(old, new), "text")


def test_a_verdict_relabelled_in_the_scale_is_a_warning_with_how_many_fact_checks_show_it(tmp_path: Path) -> None:
    """`label: "True"` on the key false turns every page rated False round while no fact-check's verdict changes."""
    old = make_build(tmp_path / "old", {"api/claims.json": api(("a", "false", []), ("b", "false", []))})
    turned = api(("a", "false", []), ("b", "false", [])).replace('"label": "False"', '"label": "True"')
    new = make_build(tmp_path / "new", {"api/claims.json": turned})
    diff = diff_builds(old, new)
    warning = 'Warning: the verdict \'false\' is now labelled "True" (it was "False"), on 2 published fact-checks.'
    assert warning in format_diff(diff, "text").splitlines()
    assert f"**{warning}**" in format_diff(diff, "markdown").splitlines()


def test_an_older_correction_does_not_record_a_new_change(tmp_path: Path) -> None:
    """Only a correction added between the builds can record the change: an old one was about an older change."""
    old_corrections = [correction("2024-01-01", "Earlier.", "true")]
    old = make_build(tmp_path / "old", {"api/claims.json": api(("c", "false", old_corrections))})
    new = make_build(tmp_path / "new", {"api/claims.json": api(("c", "unproven", old_corrections))})
    assert "with no correction saying so" in format_diff(diff_builds(old, new), "text")


def test_removed_fact_checks_warn_that_published_addresses_break(builds) -> None:
    text = format_diff(diff_builds(*builds), "text").splitlines()
    assert "- gone (/claims/gone/): fact-check removed" in text
    assert "+ fresh: fact-check added" in text
    warning = (
        "Warning: 1 published fact-check removed: its page, embed, oEmbed and card addresses now fail, "
        "breaking links and embeds on other sites."
    )
    assert warning in text
    assert f"**{warning}**" in format_diff(diff_builds(*builds), "markdown").splitlines()


def test_a_script_or_stylesheet_a_pull_request_adds_or_changes_is_a_warning(tmp_path: Path) -> None:
    """A project's static/copy.js replaces the theme's, and runs on every fact-check's page: the diff listed it
    among the changed files only. The verdicts' colours, written from the content, are no code to review."""
    common = {"static/style.css": "a{}", "static/copy.js": "copy()", "static/verdicts.css": ".v{color:#111}"}
    old = make_build(tmp_path / "old", common)
    new = make_build(
        tmp_path / "new",
        {**common, "static/copy.js": "alert(1)", "static/verdicts.css": ".v{color:#222}", "static/x_y.mjs": "x"},
    )
    diff = diff_builds(old, new)
    warning = (
        "Warning: 2 scripts or stylesheets added or changed (/static/x_y.mjs, /static/copy.js), which readers' "
        "browsers load with the pages: review as code."
    )
    assert warning in format_diff(diff, "text").splitlines()
    escaped = warning.replace("x_y", "x\\_y")  # (Markdown would read _ as emphasis)
    assert f"**{escaped}**" in format_diff(diff, "markdown").splitlines()
    unchanged = make_build(tmp_path / "same", {**common, "static/verdicts.css": ".v{color:#222}"})
    assert "Warning" not in format_diff(diff_builds(old, unchanged), "text")


def test_corrections_added_and_removed(tmp_path: Path) -> None:
    kept, dropped = correction("2025-01-01", "Kept."), correction("2025-01-02", "Dropped.")
    old = make_build(tmp_path / "old", {"api/claims.json": api(("c", "true", [kept, dropped]))})
    added = correction("2025-01-03", "A note\nover  two lines.")
    new = make_build(tmp_path / "new", {"api/claims.json": api(("c", "true", [kept, added]))})
    text = format_diff(diff_builds(old, new), "text").splitlines()
    assert "+ c: correction of 2025-01-03 added: A note over two lines." in text
    assert "- c: correction of 2025-01-02 removed: Dropped." in text
    assert "Fact-checks: 0 verdicts changed, 0 added, 0 removed, 1 correction added, 1 correction removed" in text


def test_editors_text_cannot_break_the_markdown(tmp_path: Path) -> None:
    old = make_build(tmp_path / "old", {"api/claims.json": api(("c", "true", []))})
    note = "See [this](https://x.example) `code` <b>bold</b> & *stars* </details>"
    new = make_build(tmp_path / "new", {"api/claims.json": api(("c", "true", [correction("2025-01-03", note)]))})
    report = format_diff(diff_builds(old, new), "markdown")
    escaped = "See \\[this\\](https\u200b://x.example) \\`code\\` \\<b\\>bold\\</b\\> \\& \\*stars\\* \\</details\\>"
    assert f"- **c**: correction of 2025-01-03 added: {escaped}" in report.splitlines()


def test_editors_text_cannot_mention_anyone_or_link_an_issue_in_the_comment(tmp_path: Path) -> None:
    """A note naming @everyone, @org/team, #12, org/repo#34 or GH-56 would notify people or link issues."""
    old = make_build(tmp_path / "old", {"api/claims.json": api(("c", "true", []))})
    note = "Thanks @everyone and @org/team, see #12, org/repo#34 and GH-56; mail desk@example.org, #hashtag"
    new = make_build(tmp_path / "new", {"api/claims.json": api(("c", "true", [correction("2025-01-03", note)]))})
    report = format_diff(diff_builds(old, new), "markdown")
    zw = "\u200b"
    shown = (
        f"Thanks @{zw}everyone and @{zw}org/team, see #{zw}12, org/repo#{zw}34 and GH{zw}-56;"
        " mail desk@example.org, #hashtag"
    )
    assert f"- **c**: correction of 2025-01-03 added: {shown}" in report.splitlines()
    assert report.replace(zw, "").count(note) == 1  # (the same text to the eye)


def test_an_address_in_editors_text_is_no_link_in_the_comment(tmp_path: Path) -> None:
    """GitHub links a bare https:// or www. address: a note quoting a phishing link would hand reviewers one."""
    old = make_build(tmp_path / "old", {"api/claims.json": api(("c", "true", []))})
    note = "The message linked https://p\u0430ypal.com/login and www.example.org; see HTTPS://x.org"
    new = make_build(tmp_path / "new", {"api/claims.json": api(("c", "true", [correction("2025-01-03", note)]))})
    report = format_diff(diff_builds(old, new), "markdown")
    zw = "\u200b"
    shown = f"The message linked https{zw}://p\u0430ypal.com/login and www{zw}.example.org; see HTTPS{zw}://x.org"
    assert f"- **c**: correction of 2025-01-03 added: {shown}" in report.splitlines()
    assert report.replace(zw, "").count(note) == 1


@pytest.mark.parametrize(
    ("claims_json", "reason"),
    [
        (None, "is missing"),
        ("{not json", "is not valid JSON"),
        ('{"claims": [{"id": "c"}]}', "is not in the shape docs/api.md describes"),
        ("[]", "is not in the shape docs/api.md describes"),
    ],
)
def test_without_readable_claims_only_files_are_compared(tmp_path: Path, claims_json: str | None, reason: str) -> None:
    old = make_build(tmp_path / "old", {"index.html": "a", "api/claims.json": api(("c", "true", []))})
    new = make_build(tmp_path / "new", {"index.html": "b", **({"api/claims.json": claims_json} if claims_json else {})})
    diff = diff_builds(old, new)
    assert diff.claims is None
    text = format_diff(diff, "text").splitlines()
    assert "~ /" in text
    assert text[-2] == f"Fact-checks not compared: {new / 'api/claims.json'} {reason}."
    assert "#### Fact-checks" not in format_diff(diff, "markdown")


def test_claims_json_is_not_read_through_a_symbolic_link(tmp_path: Path) -> None:
    old = make_build(tmp_path / "old", {"api/claims.json": api(("c", "true", []))})
    new = make_build(tmp_path / "new", {"api/.keep": ""})
    (new / "api/claims.json").symlink_to(tmp_path / "old/api/claims.json")
    assert diff_builds(old, new).claims is None


# The Markdown report stays within GitHub's comment limit


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
        claims = api(*[(prefix + i, "true", []) for i in ids])
        return make_build(tmp_path / name, {**files, "index.html": name, "api/claims.json": claims})

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
    lines = report.splitlines()
    assert len(format_markdown(diff, limit=10**9)) > MARKDOWN_MAX_CHARS  # without the cap it would not fit
    assert len(report) <= MARKDOWN_MAX_CHARS
    assert "Fact-checks: 0 verdicts changed, 120 added, 120 removed, 0 corrections added" in lines
    assert "Files: 600 added, 600 removed, 2 changed, 0 unchanged" in lines
    shown, more, note = listed(report)
    assert len(shown) + more == 240 + 600 + 600 + 2 and note == more
    assert lines[-1].startswith(f"_{more} lines left out to stay within GitHub's comment limit;")


@pytest.mark.parametrize("cut_by", [1, 150, 300, 450])
def test_markdown_cut_keeps_lists_in_order(tmp_path: Path, cut_by: int) -> None:
    """Fact-checks first, then lists in order; each cut list says how many it leaves out, the last line in all."""
    pages = {f"claims/c{i:02}/index.html": "old" for i in range(40)}
    old_claims, new_claims = (
        api(*[(f"v{i}", "true", []) for i in range(5)]),
        api(*[(f"v{i}", "false", []) for i in range(5)]),
    )
    old = make_build(tmp_path / "old", {**dict(list(pages.items())[:30]), "api/claims.json": old_claims})
    new = make_build(tmp_path / "new", {**{name: "new" for name in list(pages)[10:]}, "api/claims.json": new_claims})
    diff = diff_builds(old, new)
    full = format_markdown(diff, limit=10**9)
    all_items, _, _ = listed(full)
    limit = len(full) - cut_by
    cut = format_markdown(diff, limit=limit)
    assert len(cut) <= limit
    shown, more, note = listed(cut)
    assert shown == all_items[: len(shown)]
    assert len(shown) + more == len(all_items) and note == more > 0
    assert all_items[0].startswith("- **v0**: verdict changed")
    assert cut.startswith(full[: full.index("#### Fact-checks")])  # the counts are never cut


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
    def refuse(self: Path, *args: object, **kwargs: object) -> bytes:
        raise OSError(22, "Invalid argument", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr(Path, "open", refuse)  # (files are digested a piece at a time)
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
    """Edit a claim's summary, add a claim, then change a verdict with a correction: diff names each change."""
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
    assert diff.claims is not None and diff.claims.added == ["bridge-cost-again"]

    corrected = edited.replace("  verdict: true", "  verdict: false", 1).replace(
        "  published: 2025-03-05",
        "  published: 2025-03-05\n  corrections:\n"
        "    - {date: 2025-03-09, note: The council revised the figure., previous_verdict: true}",
        1,
    )
    claims.write_text(corrected, encoding="utf-8")
    build_site(BuildOptions(root, tmp_path / "newer", search=False))
    text = format_diff(diff_builds(tmp_path / "new", tmp_path / "newer"), "text").splitlines()
    assert "~ bridge-cost: verdict changed from True to False, recorded by the correction of 2025-03-09" in text
    assert "+ bridge-cost: correction of 2025-03-09 added: The council revised the figure." in text
    assert "- bridge-cost-again (/claims/bridge-cost-again/): fact-check removed" in text


def test_a_fact_check_renamed_with_an_alias_is_not_called_removed(project, tmp_path: Path) -> None:
    """Its old addresses still lead to it: no warning of broken links, a line saying it was renamed."""
    root = project("minimal")
    build_site(BuildOptions(root, tmp_path / "old", search=False))
    claims = root / "claims.yaml"
    renamed = claims.read_text(encoding="utf-8").replace("- id: bridge-cost", "- id: bridge-costs", 1)
    claims.write_text(renamed + "  aliases: [bridge-cost]\n", encoding="utf-8")
    build_site(BuildOptions(root, tmp_path / "new", search=False))
    diff = diff_builds(tmp_path / "old", tmp_path / "new")
    assert diff.claims is not None
    assert (diff.claims.removed, diff.claims.renamed, diff.claims.added) == ([], [("bridge-cost", "bridge-costs")], [])
    text = format_diff(diff, "text")
    renamed = "renamed to bridge-costs: its old addresses lead to the new ones (aliases)"
    assert f"~ bridge-cost (/claims/bridge-cost/): {renamed}" in text
    assert "Warning" not in text
    assert "1 renamed" in format_diff(diff, "markdown")


def test_a_rename_does_not_hide_a_verdict_change(project, tmp_path: Path) -> None:
    """A pull request renaming a fact-check (keeping its alias) and flipping its verdict: the change is still told."""
    root = project("minimal")
    build_site(BuildOptions(root, tmp_path / "old", search=False))
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8").replace("- id: bridge-cost", "- id: bridge-costs", 1)
    claims.write_text(text.replace("verdict: true", "verdict: false") + "  aliases: [bridge-cost]\n", encoding="utf-8")
    build_site(BuildOptions(root, tmp_path / "new", search=False))
    diff = diff_builds(tmp_path / "old", tmp_path / "new")
    lines = format_diff(diff, "text").splitlines()
    assert "~ bridge-costs: verdict changed from True to False, with no correction saying so" in lines
    assert "1 verdict changed (1 with no correction)" in format_diff(diff, "markdown")


def test_a_fact_check_removed_for_another_s_alias_says_which_and_its_verdict(project, tmp_path: Path) -> None:
    """Removing a fact-check and listing its id in another's `aliases` sends its readers and embeds to that one:
    no plain rename (the other was published already), and the verdict its embedded cards now show is named."""
    root = project("full")
    build_site(BuildOptions(root, tmp_path / "old", search=False))
    bridge = root / "content" / "claims" / "bridge.yaml"
    text = bridge.read_text(encoding="utf-8")
    bridge.write_text(text[: text.index("- id: bridge-opened-on-time")], encoding="utf-8")
    other = root / "content" / "claims" / "other.yaml"
    text = other.read_text(encoding="utf-8")
    other.write_text(text.replace("  related: [bridge-cost]\n", "  aliases: [bridge-opened-on-time]\n"), "utf-8")
    build_site(BuildOptions(root, tmp_path / "new", search=False))
    diff = diff_builds(tmp_path / "old", tmp_path / "new")
    assert diff.claims is not None
    assert (diff.claims.renamed, diff.claims.verdicts) == ([], [])
    assert diff.claims.merged == [("bridge-opened-on-time", "pont-deux-fois-plus-cher", "Unproven (it was False)")]
    assert (
        "- bridge-opened-on-time (/claims/bridge-opened-on-time/): fact-check removed: its addresses now lead to "
        "pont-deux-fois-plus-cher (an alias of it), which shows the verdict Unproven (it was False)"
    ) in format_diff(diff, "text").splitlines()


def test_ids_swapped_between_two_fact_checks_show_as_claims_reworded(project, tmp_path: Path) -> None:
    """Each address (and every card embedded elsewhere) now shows the other claim: with the same verdicts, diff said
    nothing of the fact-checks. Dropping an alias breaks its address, which is said too."""
    root = project("full")
    build_site(BuildOptions(root, tmp_path / "old", search=False))
    bridge = root / "content" / "claims" / "bridge.yaml"
    text = bridge.read_text(encoding="utf-8").replace("  aliases: [bridge-price]  # its id until 2025-03-08\n", "")
    text = text.replace("- id: bridge-cost\n", "- id: SWAP\n").replace(
        "- id: bridge-opened-on-time", "- id: bridge-cost"
    )
    text = text.replace("- id: SWAP\n", "- id: bridge-opened-on-time\n").replace(
        "verdict: false", "verdict: misleading"
    )
    bridge.write_text(text, encoding="utf-8")
    build_site(BuildOptions(root, tmp_path / "new", search=False))
    diff = diff_builds(tmp_path / "old", tmp_path / "new")
    lines = format_diff(diff, "text").splitlines()
    assert "~ bridge-cost: claim reworded: The bridge [-cost 12 million euros.-] {+opened on time.+}" in lines
    assert "~ bridge-opened-on-time: claim reworded: The bridge [-opened on time.-] {+cost 12 million euros.+}" in lines
    gone = "former address (alias) removed: links and embeds that use it now fail"
    assert f"- bridge-price (/claims/bridge-price/): {gone}" in lines
    assert "2 claims reworded, 2 with another claimant, 1 former address removed" in format_diff(diff, "markdown")


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        (
            "The bridge cost 12 million euros.",
            "The bridge cost 21 million euros.",
            "The bridge cost [-12-] {+21+} million euros.",
        ),
        ("a b c d e f g h i j", "a b c d X f g h i j", "… b c d [-e-] {+X+} f g h …"),
        ("a b c", "a b c d", "a b c {+d+}"),
        ("x a b c", "a b c", "[-x-] a b c"),
        ("same same", "same same same", "same same {+same+}"),
    ],
)
def test_a_reworded_claim_shows_the_words_that_changed(old: str, new: str, shown: str) -> None:
    assert word_change(old, new) == shown


def test_a_claim_put_in_someone_elses_mouth_is_named(project, tmp_path: Path) -> None:
    """Changing `claimant` attributes a published claim, and its verdict, to another person: diff said nothing."""
    root = project("full")
    build_site(BuildOptions(root, tmp_path / "old", search=False))
    bridge = root / "content" / "claims" / "bridge.yaml"
    text = bridge.read_text(encoding="utf-8")
    bridge.write_text(text.replace("  claimant: jane-doe", "  claimant: marie-dupont", 1), encoding="utf-8")
    build_site(BuildOptions(root, tmp_path / "new", search=False))
    diff = diff_builds(tmp_path / "old", tmp_path / "new")
    assert "~ bridge-cost: claimant changed from Jane Doe to Marie Dupont" in format_diff(diff, "text").splitlines()
    assert "1 with another claimant" in format_diff(diff, "markdown")


def test_a_change_of_the_sites_address_is_a_warning(tmp_path: Path) -> None:
    """base_url changed in a pull request: every canonical link and feed entry id moves; diff said '43 changed'."""

    def at(url: str) -> str:
        data = json.loads(api(("a", "true", [])))
        return json.dumps({**data, "site": {"title": "T", "url": url}})

    old = make_build(tmp_path / "old", {"api/claims.json": at("https://news.example/")})
    new = make_build(tmp_path / "new", {"api/claims.json": at("https://news-example.org/")})
    warning = (
        "Warning: the site's address changed from https://news.example/ to https://news-example.org/: every page's "
        "canonical link, the feeds' entry ids and the embed codes now name it."
    )
    assert warning in format_diff(diff_builds(old, new), "text").splitlines()
    same = make_build(tmp_path / "same", {"api/claims.json": at("https://news.example/"), "x.html": "x"})
    assert "Warning" not in format_diff(diff_builds(old, same), "text")
