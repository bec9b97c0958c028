"""Control characters (PDF-to-text output, pasted text) never reach a page: HTML does not allow them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factpress.markup import render_markdown, without_controls
from factpress.pipeline import BuildOptions, build_site
from factpress.validate import unclosed_bidi

CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def test_each_control_character_becomes_one_space() -> None:
    assert without_controls("a\x00b\x0bc\x1bd\x7fe\x85f\tg\nh\ri") == "a b c d e f\tg\nh\ri"
    text = "nothing to do"
    assert without_controls(text) is text


def test_markdown_with_control_characters_renders_without_them() -> None:
    html = render_markdown("A line\x0bbreak from Word and an \x1b[1mescape\x00.")
    assert not CONTROLS.search(html)
    assert "A line break from Word" in html


def test_a_snapshot_full_of_control_characters_is_shown_without_them(project, tmp_path: Path) -> None:
    root = project("minimal")
    snapshot = root / "content" / "snapshots" / "gazette.txt"
    snapshot.write_text(
        "The new bridge\x0c opened\x00 on Saturday.\x1b\n\n"
        "The mayor said the bridge cost 12 million euros, less than planned.\x0b\n",
        "utf-8",
    )
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    html = (out / "sources" / "gazette" / "index.html").read_text(encoding="utf-8")
    assert not CONTROLS.search(html)
    assert "The new bridge  opened  on Saturday." in html
    assert re.search(r"<mark[^>]*>the bridge cost 12 million euros</mark>", html)  # the excerpt marked where it is


def test_noncharacters_are_kept_off_pages_as_controls_are(project, tmp_path: Path, capsys) -> None:
    from factpress import cli

    assert without_controls("a\ufffeb\ufdd0c\U0001ffffd") == "a b c d"
    root = project("minimal")
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("The Gazette reports the same figure.", '"The Gazette\\uFFFE reports."'), "utf-8")
    assert cli.main(["check", "--root", str(root)]) == 1
    report = capsys.readouterr().out
    assert "field 'summary' contains the noncharacter U+FFFE, which no page may hold [control-character]" in report
    snapshot = root / "content" / "snapshots" / "gazette.txt"
    claims.write_text(text, "utf-8")
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace("bridge", "bridge\ufdd0", 1), "utf-8")
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    assert "\ufdd0" not in (out / "sources" / "gazette" / "index.html").read_text(encoding="utf-8")


def test_characters_past_the_first_plane_are_kept_unless_noncharacters() -> None:
    text = "rare 𠀋, emoji 🙂, last \U0002fffe and \U0010ffff"
    assert without_controls(text) == "rare 𠀋, emoji 🙂, last   and  "


@pytest.mark.parametrize(
    ("text", "unclosed"),
    [
        ("The bridge cost 12 million euros.", None),
        ("cost \u202e12 million", "\u202e"),  # an override left open reorders what the page puts after the field
        ("cost \u202e21\u202c million", None),
        ("\u2067\u0645\u0631\u062d\u0628\u0627\u2069 said the mayor", None),  # an isolate sets Arabic apart
        ("\u2067\u0645\u0631\u062d\u0628\u0627 said the mayor", "\u2067"),
        ("\u202b\u2066x\u202c", "\u202b"),  # U+202C cannot close an embedding while an isolate inside it is open
        ("\u202b\u2066x\u2069\u202c", None),
        ("\u2066\u202bx\u2069", None),  # U+2069 closes the isolate and what it holds
        ("a\u202c\u2069b", None),  # closers with nothing open are harmless
    ],
)
def test_a_bidirectional_run_left_open_is_found(text: str, unclosed: str | None) -> None:
    assert unclosed_bidi(text) == unclosed


def test_a_field_that_leaves_a_right_to_left_override_open_cannot_reorder_the_page_title(project, capsys) -> None:
    """A claim ending in an open U+202E turned the title's '· Site name' round on every browser tab."""
    from factpress import cli

    root = project("minimal")
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("claim: The bridge cost 12 million euros.", 'claim: "The \\u202e12"'), "utf-8")
    assert cli.main(["check", "--root", str(root)]) == 1
    report = capsys.readouterr().out
    assert "claims.yaml:2:10: error: claim 'bridge-cost': field 'claim' opens U+202E RIGHT-TO-LEFT OVERRIDE" in report


def test_a_message_of_the_site_that_leaves_a_bidirectional_run_open_is_an_error(project, capsys) -> None:
    """content/messages.yaml's words sit inside the theme's lines ('By … · Published … · Updated …')."""
    from factpress import cli

    root = project("minimal")
    (root / "content" / "messages.yaml").write_text('messages:\n  "Our verdict": "Our \\u202everdict"\n', "utf-8")
    assert cli.main(["check", "--root", str(root)]) == 1
    assert capsys.readouterr().out.startswith(
        "content/messages.yaml:2:18: error: 'Our \\u202everdict' opens U+202E RIGHT-TO-LEFT OVERRIDE"
    )
