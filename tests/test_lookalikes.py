"""validate: an id or key holding a letter that only looks Latin, or an invisible character, says which.

A Ukrainian or Greek desk switches keyboard layouts all day, and a word processor pastes a
non-breaking hyphen or a zero-width space: `ivan-petrenko` with a Cyrillic i (U+0456) then "did you mean
'ivan-petrenko'?", which looks the same. The hint names the character, so the editor can fix it.
"""

from __future__ import annotations

import pytest
from test_validate import claims

from factpress import cli
from factpress.errors import lookalike_note
from factpress.validate import validate_project


def only_problem(raw_project, **changes: str):
    _site, problems = validate_project(raw_project({"claims.yaml": claims(**changes)}))
    (problem,) = problems
    return problem


@pytest.mark.parametrize(
    ("field", "value", "code", "named"),
    [
        ("claimant", "j\u0430ne-doe", "unknown-person", "U+0430 CYRILLIC SMALL LETTER A"),
        ("verdict", "tru\u0435", "unknown-verdict", "U+0435 CYRILLIC SMALL LETTER IE"),
        ("authors", "[d\u03bfsk]", "unknown-person", "U+03BF GREEK SMALL LETTER OMICRON"),
        ("claimant", "jane\u2011doe", "unknown-person", "U+2011 NON-BREAKING HYPHEN"),
        ("claimant", "jane-\u200bdoe", "unknown-person", "invisible U+200B ZERO WIDTH SPACE"),
        ("id", "bridge-c\u043est", "invalid-id", "U+043E CYRILLIC SMALL LETTER O"),
        ("topics", "[\uff45conomy]", "invalid-id", "U+FF45 FULLWIDTH LATIN SMALL LETTER E"),
    ],
)
def test_a_reference_or_id_that_only_looks_right_names_the_character(raw_project, field, value, code, named) -> None:
    problem = only_problem(raw_project, **{field: value})
    assert problem.code == code
    assert named in problem.hint


def test_the_character_is_named_before_the_suggestion_that_looks_the_same(raw_project) -> None:
    problem = only_problem(raw_project, claimant="j\u0430ne-doe")
    assert problem.hint.startswith("'j\u0430ne-doe' holds '\u0430' (U+0430 CYRILLIC SMALL LETTER A)")
    assert problem.hint.endswith("did you mean 'jane-doe'? (known: desk, jane-doe)")


@pytest.mark.parametrize("value", ["інфляція", "élise-dupré", "enflasyon-yüzde", "plain-ascii", "istanbul-köprü"])
def test_a_word_of_another_script_or_an_accent_is_left_to_the_usual_hint(value: str) -> None:
    assert lookalike_note(value) == ""


def test_a_hidden_character_alone_is_to_be_deleted() -> None:
    assert lookalike_note("nep\u200bravda").endswith("holds an invisible U+200B ZERO WIDTH SPACE: delete it")


def test_a_page_file_name_or_snapshot_path_that_only_looks_right_names_the_character(project, capsys) -> None:
    root = project("minimal")
    pages = root / "content" / "pages"
    pages.mkdir()
    (pages / "ab\u043eut.md").write_text("---\ntitle: About\n---\nWho we are.\n", encoding="utf-8")
    sources = root / "content" / "sources.yaml"
    sources.write_text(sources.read_text().replace("snapshots/gazette.txt", "snapshots/g\u0430zette.txt"))
    assert cli.main(["check", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "hint: 'ab\u043eut' holds '\u043e' (U+043E CYRILLIC SMALL LETTER O)" in out
    assert "retype it; rename it to 'about.md'" in out
    assert "hint: 'snapshots/g\u0430zette.txt' holds '\u0430' (U+0430 CYRILLIC SMALL LETTER A)" in out
    assert "retype it; did you mean 'snapshots/gazette.txt'?" in out


def test_a_space_that_is_not_one_is_named_as_a_space() -> None:
    assert lookalike_note("\u3000nav") == (
        "'\u3000nav' holds '\u3000' (U+3000 IDEOGRAPHIC SPACE), which only looks like a space: "
        "type an ordinary space, or none"
    )


@pytest.mark.parametrize(("field", "value"), [("topics", "[ab\uff0ccd]"), ("authors", "[desk\u3001jane-doe]")])
def test_two_ids_joined_by_a_full_width_comma_are_told_how_to_list_them(raw_project, field: str, value: str) -> None:
    """A Chinese or Japanese input method's comma makes one item of two: 'did you mean jane-doe?' misled."""
    problem = only_problem(raw_project, **{field: value})
    assert "does not separate a list's items in YAML, so this is one item: write [" in problem.hint
    assert "did you mean" not in problem.hint


def test_a_single_id_with_a_full_width_comma_is_not_told_to_make_a_list(raw_project) -> None:
    problem = only_problem(raw_project, claimant="jane\u3001doe")
    assert "list" not in problem.hint
