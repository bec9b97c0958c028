"""Careless editors' files: nothing is dropped without a word, and every problem is reported at its real place."""

from __future__ import annotations

from pathlib import Path

import pytest

from factpress.errors import Location
from factpress.load import load_project
from factpress.pipeline import BuildOptions, build_site
from factpress.yamlio import load_composed, load_yaml

SITES = Path(__file__).parent / "sites"


@pytest.fixture
def minimal(project) -> Path:
    return project("minimal")


def claim(ident: str, date: str = "2025-03") -> str:
    """A valid claims file of one claim, as the minimal site's, under another id."""
    text = (SITES / "minimal/claims.yaml").read_text(encoding="utf-8")
    return text.replace("id: bridge-cost", f"id: {ident}").replace("claim_date: 2025-03", f"claim_date: {date}")


# -- 1. claims and pages files that were silently left out ----------------------------------------


@pytest.mark.parametrize("name", ["other.YAML", "other.Yml", "other.yAmL"])
def test_a_claims_file_ending_in_any_case_is_read(minimal: Path, name: str) -> None:
    (minimal / "content/claims").mkdir()
    (minimal / "content/claims" / name).write_text(claim("other"), encoding="utf-8")
    raw = load_project(minimal)
    assert [d.path for d in raw.claim_docs] == ["claims.yaml", f"content/claims/{name}"]
    assert raw.problems == []


def test_claims_files_in_subfolders_are_read_in_sorted_order(minimal: Path) -> None:
    folder = minimal / "content/claims"
    for name in ("2025/b.yaml", "2025/a.yaml", "2024/z.yml", "c.yaml", "2025/old/x.yaml"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("[]\n", encoding="utf-8")
    raw = load_project(minimal)
    assert [d.path for d in raw.claim_docs] == [
        "claims.yaml",
        "content/claims/2024/z.yml",
        "content/claims/2025/a.yaml",
        "content/claims/2025/b.yaml",
        "content/claims/2025/old/x.yaml",
        "content/claims/c.yaml",
    ]
    assert raw.problems == []


def test_editor_backup_and_swap_files_are_passed_over_in_silence(minimal: Path) -> None:
    folder = minimal / "content/claims"
    folder.mkdir()
    (folder / "a.yaml").write_text(claim("a"), encoding="utf-8")
    for leftover in ("a.yaml~", "#a.yaml#", "a.yaml.swp", "a.yaml.swo"):
        (folder / leftover).write_text("- id: half-edited\n", encoding="utf-8")
    (folder / "notes.txt").write_text("still reported", encoding="utf-8")
    raw = load_project(minimal)
    assert [d.path for d in raw.claim_docs] == ["claims.yaml", "content/claims/a.yaml"]
    assert [(p.location.path, p.code) for p in raw.problems] == [("content/claims/notes.txt", "ignored-file")]


def test_a_root_claims_yml_is_read_like_claims_yaml(minimal: Path) -> None:
    (minimal / "claims.yaml").rename(minimal / "claims.yml")
    raw = load_project(minimal)
    assert [d.path for d in raw.claim_docs] == ["claims.yml"]
    assert raw.problems == []


def test_both_root_claims_files_are_an_error_naming_both(minimal: Path) -> None:
    (minimal / "claims.yml").write_text(claim("other"), encoding="utf-8")
    raw = load_project(minimal)
    (problem,) = raw.problems
    assert problem.is_error and problem.code == "duplicate-file"
    assert "claims.yaml" in problem.message and "claims.yml" in problem.message


@pytest.mark.parametrize("kind", ["people", "site", "messages"])
def test_a_content_file_written_both_as_yaml_and_yml_is_an_error(minimal: Path, kind: str) -> None:
    content = minimal / "content"
    if not (content / f"{kind}.yaml").exists():
        (content / f"{kind}.yaml").write_text("messages: {}\n", encoding="utf-8")
    (content / f"{kind}.yml").write_text("- oops\n", encoding="utf-8")
    raw = load_project(minimal)
    (problem,) = raw.problems
    assert problem.is_error and problem.code == "duplicate-file"
    assert problem.location.path == f"content/{kind}.yml"
    assert f"only content/{kind}.yaml would be read" in problem.message


@pytest.mark.parametrize("name", ["funding.markdown", "funding.MD", "funding.Markdown"])
def test_pages_ending_in_markdown_or_any_case_of_md_are_read(minimal: Path, name: str) -> None:
    (minimal / "content/pages").mkdir()
    (minimal / "content/pages" / name).write_text("---\ntitle: Funding\n---\nWho pays.\n", encoding="utf-8")
    raw = load_project(minimal)
    assert [(p.path, p.slug) for p in raw.pages] == [(f"content/pages/{name}", "funding")]
    assert raw.problems == []


def test_a_file_that_is_not_read_gets_a_warning_naming_it(minimal: Path) -> None:
    (minimal / "content/claims/2025").mkdir(parents=True)
    (minimal / "content/pages").mkdir()
    (minimal / "content/claims/notes.txt").write_text("to do\n", encoding="utf-8")
    (minimal / "content/claims/2025/b.yaml.txt").write_text("[]\n", encoding="utf-8")
    (minimal / "content/pages/about.txt").write_text("About\n", encoding="utf-8")
    (minimal / "content/claims/.hidden.swp").write_text("x\n", encoding="utf-8")
    (minimal / "content/pages/.DS_Store").write_text("x\n", encoding="utf-8")
    raw = load_project(minimal)
    found = {p.location.path: p for p in raw.problems}
    assert sorted(found) == ["content/claims/2025/b.yaml.txt", "content/claims/notes.txt", "content/pages/about.txt"]
    assert all(p.code == "ignored-file" and not p.is_error for p in found.values())
    assert "rename it to 'b.yaml'" in found["content/claims/2025/b.yaml.txt"].hint
    assert "'.md' or '.markdown'" in found["content/pages/about.txt"].message


def test_what_is_put_in_content_by_mistake_is_named_with_where_it_belongs(minimal: Path) -> None:
    """content/claims.yaml, content/page/, content/topic.yaml or a page beside them used to vanish without a word."""
    content = minimal / "content"
    (content / "claims.yaml").write_text(claim("other"), encoding="utf-8")
    (content / "topic.yaml").write_text("- {id: transport, name: Transport}\n", encoding="utf-8")
    (content / "page").mkdir()
    (content / "page" / "about.md").write_text("---\ntitle: About\n---\nUs.\n", encoding="utf-8")
    (content / "funding.md").write_text("---\ntitle: Funding\n---\nWho pays.\n", encoding="utf-8")
    (content / "site.yaml").rename(minimal / "site.yaml")
    hints = {p.location.path: (p.code, p.is_error, p.hint) for p in load_project(minimal).problems}
    assert hints == {
        "content/claims.yaml": (
            "ignored-file",
            False,
            "fact-checks go in claims.yaml at the project's root, or in files in content/claims/: move it",
        ),
        "content/topic.yaml": ("ignored-file", False, "did you mean content/topics.yaml? rename the file"),
        "content/page": ("ignored-file", False, "did you mean content/pages/? rename the folder"),
        "content/funding.md": (
            "ignored-file",
            False,
            "pages go in content/pages/: move it to content/pages/funding.md",
        ),
        "site.yaml": ("ignored-file", False, "move it into content/: content/site.yaml"),
    }


def test_a_content_file_or_folder_at_the_projects_root_is_named_even_beside_the_read_one(minimal: Path) -> None:
    """A site.yaml at the root beside content/'s may be the one being edited; a root pages/ is never read."""
    (minimal / "site.yaml").write_text((minimal / "content/site.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (minimal / "pages").mkdir()
    (minimal / "pages" / "about.md").write_text("---\ntitle: About\n---\nUs.\n", encoding="utf-8")
    hints = {p.location.path: (p.message, p.hint) for p in load_project(minimal).problems}
    assert hints == {
        "site.yaml": ("site.yaml is not read here: content/site.yaml is", "delete one of the two"),
        "pages": ("pages/ is not read here", "move it into content/: content/pages/"),
    }


def test_what_content_may_hold_besides_its_files_is_not_warned_of(minimal: Path) -> None:
    """A folder of snapshots under any name, a README, notes and images are the newsroom's business."""
    content = minimal / "content"
    (content / "snapshots").rename(content / "archive")
    sources = content / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("snapshots/", "archive/"), encoding="utf-8")
    (content / "archive" / "notes.md").write_text("Where each copy came from.\n", encoding="utf-8")
    (content / "README.md").write_text("How we work.\n", encoding="utf-8")
    (content / "photos").mkdir()
    (content / "photos" / "bridge.jpg").write_bytes(b"\xff\xd8")
    (content / ".DS_Store").write_bytes(b"x")
    assert load_project(minimal).problems == []


def test_a_linked_folder_in_content_claims_is_named_not_followed(minimal: Path) -> None:
    (minimal / "content/claims").mkdir()
    (minimal / "content/claims/loop").symlink_to(minimal / "content")
    raw = load_project(minimal)
    assert [d.path for d in raw.claim_docs] == ["claims.yaml"]
    (problem,) = raw.problems
    assert (problem.location.path, problem.code, problem.is_error) == ("content/claims/loop", "ignored-file", False)


def test_a_project_with_claims_in_a_subfolder_builds_their_pages(minimal: Path, tmp_path: Path) -> None:
    (minimal / "content/claims/2025").mkdir(parents=True)
    (minimal / "content/claims/2025/a.yaml").write_text(claim("other", "2025-04"), encoding="utf-8")
    for run in range(3):  # cold, then from the model cache, then after an edit (read chunk by chunk)
        if run == 2:
            path = minimal / "content/claims/2025/a.yaml"
            path.write_text(path.read_text(encoding="utf-8") + claim("third"), encoding="utf-8")
        out = build_site(BuildOptions(minimal, tmp_path / f"out{run}", search=False)).out
        assert (out / "claims/bridge-cost/index.html").is_file()
        assert (out / "claims/other/index.html").is_file()
        assert (out / "claims/third/index.html").is_file() == (run == 2)


# -- 2. control characters ------------------------------------------------------------------------


def test_a_control_character_is_reported_at_its_line_and_column_on_one_line() -> None:
    _, problems = load_yaml("- id: a\n  summary: one\x0btwo\n", "c.yaml")
    (problem,) = problems
    assert problem.location == Location("c.yaml", 2, 15)
    assert "\n" not in problem.message
    assert "U+000B (vertical tab)" in problem.message
    assert problem.hint.startswith("remove the invisible character U+000B (vertical tab) at this place")


@pytest.mark.parametrize(("char", "name"), [("\x00", "null"), ("\x1b", "escape"), ("\x01", "control character")])
def test_every_control_character_is_named(char: str, name: str) -> None:
    _, problems = load_composed(f"a: 1\nb: x{char}\n", "c.yaml")
    (problem,) = problems
    assert problem.location == Location("c.yaml", 2, 5)
    assert f"U+{ord(char):04X} ({name})" in problem.message


def test_a_control_character_in_page_front_matter_is_reported_where_it_is(minimal: Path) -> None:
    (minimal / "content/pages").mkdir()
    (minimal / "content/pages/about.md").write_text("---\ntitle: About\x0bus\n---\nText\n", encoding="utf-8")
    (problem,) = load_project(minimal).problems
    assert problem.location == Location("content/pages/about.md", 2, 13)
    assert "U+000B" in problem.message


# -- 3. characters PyYAML alone takes for line ends -------------------------------------------------


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_positions_after_a_unicode_line_separator_are_the_files(char: str) -> None:
    text = f'- id: a\n  claim: "one{char}two"\n  verdict: x\n- {{id: b, name: c{char}d, name: e}}\n'
    value, problems = load_yaml(text, "c.yaml")
    assert value.where(1) == Location("c.yaml", 4, 3)
    assert value[0].where("verdict") == Location("c.yaml", 3, 12)
    assert value[0].key_locs["verdict"] == Location("c.yaml", 3, 3)
    assert value[1].where("name") == Location("c.yaml", 4, 17)
    assert [(p.code, p.location) for p in problems] == [("duplicate-key", Location("c.yaml", 4, 22))]
    assert "first written at line 4" in problems[0].message


def test_positions_with_anchors_after_a_line_separator_are_the_files() -> None:
    value, _ = load_yaml('a: &x "one\u2028two"\nb: *x\nc: d\n', "c.yaml")
    assert value.where("c") == Location("c.yaml", 3, 4)


def test_a_syntax_error_after_a_line_separator_is_at_the_files_line_and_names_it() -> None:
    _, problems = load_yaml("- id: a\n  claim: The bridge cost\u2028 12 million\n  verdict: x\n", "c.yaml")
    (problem,) = problems
    assert problem.code == "yaml-syntax" and problem.location.line == 2
    assert "U+2028 (line separator)" in problem.hint


def test_a_claims_file_with_a_line_separator_reports_later_problems_at_their_line(minimal: Path) -> None:
    path = minimal / "claims.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("claim: The bridge cost 12 million euros.", 'claim: "The bridge\u2028cost"').replace(
        "verdict: true", "verdict: ture"
    )
    path.write_text(text, encoding="utf-8")
    raw = load_project(minimal)
    assert raw.problems == []
    entry = raw.claim_docs[0].data[0]
    assert entry.where("verdict") == Location("claims.yaml", 7, 12)


# -- 9. a ' #' that cuts a value short ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "kept"),
    [
        ("- id: true\n  colour: #1a7f37\n", (2, 11), "#1a7f37"),
        ("claim: The bridge cost 12 million euros #bridge\n", (1, 41), "The bridge cost 12 million euros #bridge"),
        ("- episode #12\n", (1, 11), "episode #12"),
    ],
)
def test_a_comment_right_after_a_value_is_a_warning(text: str, where: tuple[int, int], kept: str) -> None:
    _, problems = load_yaml(text, "c.yaml")
    (problem,) = problems
    assert (problem.code, problem.is_error) == ("yaml-comment", False)
    assert (problem.location.line, problem.location.col) == where
    assert problem.message == (
        "everything after ' #' is a YAML comment, not part of the value: put the value in quotes"
    )
    assert kept in problem.hint


@pytest.mark.parametrize(
    "text",
    [
        "# a comment\na: b\n",
        "a: b\n  # indented comment\n",
        "a: b   # a comment, as the editors' guide writes them\n",
        "a: 'quoted #1'\nb: \"x\" #note\n",
        "a: |\n  text #hashtag\n  ## heading\n",
        "a: https://example.org/#top\n",
        "list:  #items\n  - a\n",
    ],
)
def test_comments_that_cut_nothing_are_left_alone(text: str) -> None:
    assert load_yaml(text, "c.yaml")[1] == []


def test_comment_warnings_come_in_line_order_with_other_problems() -> None:
    _, problems = load_yaml("a: x #1\nb: 1\nb: 2\nc: y #2\n", "c.yaml")
    assert [(p.code, p.location.line) for p in problems] == [
        ("yaml-comment", 1),
        ("duplicate-key", 3),
        ("yaml-comment", 4),
    ]


def test_a_colour_cut_by_a_comment_is_reported_in_the_project(minimal: Path) -> None:
    path = minimal / "content/verdicts.yaml"
    path.write_text("- key: true\n  label: 'True'\n  rating: 2\n  colour: #1a7f37\n  # the scale\n", encoding="utf-8")
    (problem,) = [p for p in load_project(minimal).problems if p.code == "yaml-comment"]
    assert problem.location == Location("content/verdicts.yaml", 4, 11)


def test_the_loader_remembers_which_values_a_comment_took_whole() -> None:
    data, _ = load_yaml(
        "- key: true\n  colour: #1a7f37\n  label: a #b\n  meaning:   #x y \n  note: # a note\n", "c.yaml"
    )
    entry = data[0]
    assert [entry.cut_by_comment(k) for k in ("colour", "label", "meaning", "note", "key")] == [
        "#1a7f37",
        "",  # (cut short, not emptied: the warning says so)
        "#x y",
        "",  # a '# ' comment is meant
        "",
    ]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("related: [a, b #c]\n", (1, 16)),
        ("- {key: true, label: T, colour: #1a7f37}\n- {key: false}\n", (1, 33)),
    ],
)
def test_a_comment_that_eats_a_closing_bracket_is_named_at_its_place(text: str, where: tuple[int, int]) -> None:
    (problem,) = load_yaml(text, "c.yaml")[1]
    assert problem.code == "yaml-syntax"
    assert (problem.location.line, problem.location.col) == where
    assert problem.hint.startswith("everything after ' #' is a YAML comment")


# -- 12. common slips in plain words --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        (
            "- id: a\n  claim_date:2025-03-01\n  verdict: x\n",
            (2, 13),
            "put a space after the ':' (claim_date: 2025-03-01)",
        ),
        ("- id: a\n  claim_date:2025-03-01\n", (2, 13), "put a space after the ':'"),
        ("- id: a\n  verdict = misleading\n  x: y\n", (2, 3), "write 'verdict: misleading'"),
        ("- id: a\n  summary: one,\n  two.\n  x: y\n", (3, 3), "indented more than its field's name"),
        ("- id: a\n\xa0 claimant: j\n  x: y\n", (2, 1), "non-breaking space (U+00A0)"),
        ("- a\n---\n- b\n", (2, 1), "a line '---' starts a second YAML document"),
        ("- id: a\n  title: \u201cT\u00dc\u0130K: fiyatlar\u201d\n", (2, 15), "\u201c is a typographic quote mark"),
        ("- id: a\n  summary\uff1ax\n  verdict: b\n", (2, 10), "the colon after 'summary' is a full-width"),
        ('- id: a\n  summary: "He said ""no"" today"\n', (2, 22), 'write \\" for each quote mark inside "\u2026"'),
        ("title\uff1aabout\nnav: 1\n", (1, 6), "type a plain ':' and a space (title: \u2026)"),
        ("- id: a\n\u3000 claimant: j\n  x: y\n", (2, 1), "an ideographic space (U+3000)"),
        ("- {id: a, title: \u00abTitre : oui\u00bb}\n", (1, 25), "\u00ab is a typographic quote mark"),
        ("- id: a\n  title: \u201eDer Satz: ja\u201c\n", (2, 19), "between straight quotes"),
        # a mark inside the value opens none: the ': ' before it is the editor's own
        ("- id: a\n  summary: Er sagte: \u00bbja\u00ab\n", (2, 20), "a ': ' inside a value starts a new field"),
        ("- summary: \u201cA: b\u201d\n", (1, 14), "\u201c is a typographic quote mark"),
    ],
)
def test_common_slips_get_a_hint_in_plain_words_at_their_line(text: str, where: tuple[int, int], hint: str) -> None:
    (problem,) = load_yaml(text, "c.yaml")[1]
    assert problem.code == "yaml-syntax"
    assert (problem.location.line, problem.location.col) == where
    assert hint in problem.hint
    assert "while scanning" not in problem.hint


def test_a_snapshot_that_is_a_folder_or_a_pipe_says_so(minimal: Path) -> None:
    import os

    snapshot = minimal / "content" / "snapshots" / "gazette.txt"
    snapshot.unlink()
    snapshot.mkdir()
    [problem] = [p for p in load_project(minimal).problems if p.code == "unreadable-file"]
    assert "is a folder" in problem.message and problem.location.path == "content/sources.yaml"
    snapshot.rmdir()
    os.mkfifo(snapshot)
    [problem] = [p for p in load_project(minimal).problems if p.code == "unreadable-file"]
    assert "not a regular file" in problem.message


def test_a_linked_or_unreadable_folder_in_content_is_passed_over(minimal: Path) -> None:
    """A link looping back into content/ must not be walked; a folder that cannot be read must not stop the load."""
    (minimal / "content" / "loop").symlink_to(minimal / "content")
    locked = minimal / "content" / "locked"
    (locked / "inner").mkdir(parents=True)
    (locked / "inner" / "a.md").write_text("x\n", encoding="utf-8")
    (locked / "inner").chmod(0)
    try:
        problems = load_project(minimal).problems
    finally:
        (locked / "inner").chmod(0o755)
    assert [p.location.path for p in problems] in ([], ["content/locked"])  # (root reads any folder)


@pytest.mark.parametrize(
    ("first", "hint"),
    [
        ("\uff0d\uff0d\uff0d", "'\uff0d' (U+FF0D fullwidth hyphen-minus) is not a hyphen"),  # a Japanese IME
        ("\u30fc\u30fc\u30fc", "with the input method in half-width mode"),
        ("\u2014", "'\u2014' (U+2014 em dash) is not a hyphen: type '---', three '-', in a plain-text editor"),
        ("--- ", "the first line must be '---' alone, with no space before or after it"),
        ("----", "the first line must be exactly three hyphens, '---', not 4"),
        ("title: About", "start the file with '---', a line 'title: \u2026', and '---'"),
    ],
)
def test_a_front_matter_fence_that_is_not_three_hyphens_says_what_it_is(minimal: Path, first: str, hint: str) -> None:
    pages = minimal / "content" / "pages"
    pages.mkdir()
    (pages / "about.md").write_text(f"{first}\ntitle: About\n{first}\nWho we are.\n", encoding="utf-8")
    (problem,) = [p for p in load_project(minimal).problems if p.code == "page-front-matter"]
    assert hint in problem.hint


def test_a_snapshot_whose_file_name_is_in_another_unicode_form_says_so(minimal: Path) -> None:
    """A file saved on macOS names 'köprü.txt' in NFD: 'did you mean snapshots/köprü.txt?' looked the same."""
    import unicodedata

    snapshots = minimal / "content" / "snapshots"
    (snapshots / "gazette.txt").rename(snapshots / unicodedata.normalize("NFD", "gazette-k\u00f6pr\u00fc.txt"))
    sources = minimal / "content" / "sources.yaml"
    sources.write_text(sources.read_text().replace("gazette.txt", "gazette-k\u00f6pr\u00fc.txt"), encoding="utf-8")
    (problem,) = [p for p in load_project(minimal).problems if p.code == "missing-snapshot"]
    assert problem.hint.startswith("a file of this name is there, but with its accents stored as separate")
    assert "rename the file without accents ('gazette-kopru.txt')" in problem.hint


def test_a_line_of_text_with_a_full_width_colon_is_not_taken_for_a_field() -> None:
    """ "Q" and a full-width colon in a block of Japanese text are text; another mistake keeps its own hint."""
    text = "- id: a\n  analysis: |\n    Q\uff1a\u306a\u305c\n  topics: [a, b\n  x: y\n"
    (problem,) = load_yaml(text, "c.yaml")[1]
    assert "full-width" not in problem.hint
