"""content/messages.yaml: a newsroom's own words for the theme's messages, over the shipped catalog.

A site in a language factpress ships no catalog for writes the theme's words there; a site in any
language may change single messages without overriding a template.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from factpress import cli
from factpress.i18n import theme_messages
from factpress.pipeline import BuildOptions, build_site

KOREAN = """\
messages:
  "Our verdict": "판정"
  "Fact-checks": "팩트체크"
  "%(num)d fact-check":
    other: "팩트체크 %(num)d건"
"""


def build(root: Path, out: Path) -> Path:
    build_site(BuildOptions(root, out, search=False))
    return out


def claim_page(out: Path) -> BeautifulSoup:
    page = next((out / "claims").glob("*/index.html"))
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def with_messages(root: Path, text: str, language: str = "") -> Path:
    """The project with this content/messages.yaml (and this site language, when given)."""
    if language:
        site = root / "content" / "site.yaml"
        site.write_text(site.read_text(encoding="utf-8").replace("language: en", f"language: {language}"))
    (root / "content" / "messages.yaml").write_text(text, encoding="utf-8")
    return root


def checked(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`check`'s exit status and report for the project."""
    status = cli.main(["check", "--root", str(root)])
    return status, capsys.readouterr().out


def test_a_site_in_a_language_without_a_catalog_gets_its_own_words(project, tmp_path: Path) -> None:
    root = with_messages(project("minimal"), KOREAN, "ko")
    out = build(root, tmp_path / "site")
    page = claim_page(out)
    assert page.html["lang"] == "ko"
    assert page.select_one(".verdict-label").get_text() == "판정"
    assert "팩트체크" in [a.get_text(strip=True) for a in page.select("nav.site-nav a")]
    assert "Skip to content" in page.get_text()  # a message it does not give stays English
    verdicts = (out / "verdicts" / "index.html").read_text(encoding="utf-8")
    assert "팩트체크 1건" in verdicts and "1 fact-check" not in verdicts


def test_changing_a_message_remakes_the_pages_that_show_it(project, tmp_path: Path) -> None:
    root = project("minimal")
    messages = root / "content" / "messages.yaml"
    messages.write_text('messages:\n  "Our verdict": "Our rating"\n', encoding="utf-8")
    out = build(root, tmp_path / "site")
    assert "Our rating" in claim_page(out).get_text() and "Our verdict" not in claim_page(out).get_text()
    messages.write_text('messages:\n  "Our verdict": "What we found"\n', encoding="utf-8")
    build(root, out)
    assert "What we found" in claim_page(out).get_text()


def test_messages_txt_lists_every_message_of_the_theme_and_the_search_script() -> None:
    from test_translations import theme_messages as used_by_the_theme

    singles, plurals = used_by_the_theme()
    listed = theme_messages()
    assert {m for m, plural in listed.items() if plural is None} == singles
    assert {m: p for m, p in listed.items() if p is not None} == plurals


def test_a_sites_message_is_text_never_markup(project, tmp_path: Path) -> None:
    root = project("minimal")
    hostile = "<script>alert(1)</script>"
    (root / "content" / "messages.yaml").write_text(
        f'messages:\n  "Our verdict": "{hostile}"\n  "Published by %(publisher)s": "{hostile} %(publisher)s"\n'
        f'  "Loading search…": "</script>{hostile}"\n',
        encoding="utf-8",
    )
    out = build(root, tmp_path / "site")
    page = claim_page(out)
    assert page.find("script", string="alert(1)") is None
    assert page.select_one(".verdict-label").get_text() == hostile  # shown as the characters written
    assert hostile in page.select_one(".publisher").get_text()
    search = (out / "search" / "index.html").read_text(encoding="utf-8")
    assert "</script><script>" not in search and "alert(1)" in search


def test_messages_the_pages_cannot_take_are_each_reported_at_their_line(project, capsys) -> None:
    root = project("minimal")
    messages = root / "content" / "messages.yaml"
    messages.write_text(
        'messages:\n  "Our verdict": "Our\\x0brating"\n  "Fact-checks": ["a"]\n  "%(num)d fact-check":\n'
        '    one: "%(num)d check"\n',
        encoding="utf-8",
    )
    assert cli.main(["check", "--root", str(root)]) == 1
    report = capsys.readouterr().out
    assert (
        "content/messages.yaml:2:18: error: 'Our\\x0brating' contains the invisible control character U+000B" in report
    )
    assert "content/messages.yaml:3:18: error: the message 'Fact-checks' must be text [wrong-type]" in report
    assert "content/messages.yaml:5:5: error: '%(num)d fact-check' needs its 'other' form [plural-forms]" in report
    messages.write_text("- Our verdict: Our rating\n", encoding="utf-8")
    assert cli.main(["check", "--root", str(root)]) == 1
    assert (
        "content/messages.yaml:1:1: error: content/messages.yaml must hold a mapping 'messages:'"
        in capsys.readouterr().out
    )


def test_a_message_of_invisible_fillers_alone_is_no_text(project, capsys) -> None:
    """A Hangul filler (U+3164) is a printable letter to Python but draws nothing: the label showed a blank."""
    text = 'messages:\n  "Our verdict": "\\u3164"\n  "%(num)d fact-check":\n    one: "\\u2800"\n    other: "%(num)d"\n'
    status, report = checked(with_messages(project("minimal"), text), capsys)
    assert status == 1
    assert "content/messages.yaml:2:18: error: the message 'Our verdict' must be text [wrong-type]" in report
    assert "content/messages.yaml:4:10: error: the form 'one' needs text [wrong-type]" in report


def test_a_translation_percent_cannot_fill_is_an_error_not_a_silent_english_page(project, capsys) -> None:
    text = (
        'messages:\n  "Checked %(date)s": "100% checked %(date)s"\n  "Our verdict": "100% sure"\n'
        '  "%(num)d fact-check":\n    one: "%(num)s check"\n    other: "%(num)d checks %"\n'
    )
    status, report = checked(with_messages(project("minimal"), text), capsys)
    assert status == 1
    assert "messages.yaml:2:23: error: '100% checked %(date)s' cannot be filled in: write %% for a percent" in report
    assert "messages.yaml:6:12: error: '%(num)d checks %' cannot be filled in" in report
    assert report.endswith("2 errors.\n")  # "100% sure" fills nothing, and %(num)s takes a count too


def test_a_count_without_a_form_the_language_uses_and_unnamed_values_are_reported(project, capsys) -> None:
    text = (
        'messages:\n  "%(num)d fact-check":\n    other: "%(num)d reviews"\n'
        '  "Published by %(publisher)s": "Published %s"\n  "Topics": "50 %% topics"\n'
    )
    status, report = checked(with_messages(project("minimal"), text), capsys)
    assert status == 1
    assert "messages.yaml:3:5: warning: '%(num)d fact-check' has no one form: counts that take it show" in report
    assert "messages.yaml:4:33: error: 'Published %s' cannot be filled in" in report
    assert "messages.yaml:5:13: warning: '50 %% topics' fills in no value, so its %% is shown as it is" in report


def test_a_partial_catalog_for_a_language_factpress_does_not_ship_says_how_much_stays_english(project, capsys) -> None:
    status, report = checked(with_messages(project("minimal"), 'messages:\n  "Our verdict": "판정"\n', "ko"), capsys)
    assert status == 0
    total = len(theme_messages())
    assert f"content/messages.yaml:2:3: warning: {total - 1} of the theme's {total} messages stay in English" in report
    assert "[untranslated-theme]" in report


def test_a_value_written_other_than_s_or_d_is_an_error(project, capsys) -> None:
    """%(num)i and %(date)r are Python's, not the theme's: the pages and the search script would show them raw."""
    text = (
        'messages:\n  "Checked %(date)s": "Checked %(date)r"\n'
        '  "%(num)d fact-check":\n    one: "%(num)i check"\n    other: "%(num)d checks"\n'
    )
    status, report = checked(with_messages(project("minimal"), text), capsys)
    assert status == 1
    assert "messages.yaml:2:23: error: 'Checked %(date)r' cannot be filled in" in report
    assert "messages.yaml:4:10: error: '%(num)i check' cannot be filled in" in report


def test_a_site_templates_messages_are_found_in_either_quotes(project, capsys) -> None:
    root = project("minimal")
    (root / "templates").mkdir()
    (root / "templates" / "extra.html").write_text(
        """{{ _('Our own note') }} {{ _("Say \\"hi\\"") }} {{ _( 'Third' ) }}""", encoding="utf-8"
    )
    (root / "content" / "messages.yaml").write_text(
        """messages:\n  "Our own note": "Notre note"\n  'Say "hi"': "Bonjour"\n  "Third": "Troisième"\n""",
        encoding="utf-8",
    )
    assert cli.main(["check", "--root", str(root)]) == 0
    assert "[unknown-message]" not in capsys.readouterr().out


@pytest.mark.parametrize(("language", "colon"), [("en", ": "), ("fr", "\u00a0: "), ("ja", "\uff1a")])
def test_a_correction_date_is_followed_by_the_languages_own_colon(project, tmp_path: Path, language, colon) -> None:
    root = project("full")
    site = root / "content" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("language: en", f"language: {language}"), "utf-8")
    out = build(root, tmp_path / "site")
    claim = BeautifulSoup((out / "claims/bridge-opened-on-time/index.html").read_text(encoding="utf-8"), "html.parser")
    correction = claim.select_one("#corrections-title").find_next("li")
    date = correction.select_one("time").get_text()
    assert correction.get_text().startswith(f"{date}{colon}Corrected the day of the opening.")
    log = BeautifulSoup((out / "corrections/index.html").read_text(encoding="utf-8"), "html.parser")
    entry = log.select_one(".corrections-log li p")
    assert entry.get_text() == f"{entry.select_one('time').get_text()}{colon}{entry.select_one('a').get_text()}"


def test_the_claimreview_data_feed_is_named_in_the_sites_language(project, tmp_path: Path) -> None:
    """/claimreview.json's name was English on every site ('Minimal Fact Check: fact-checks')."""
    import json

    root = project("minimal")
    site = root / "content" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("language: en", "language: de"), "utf-8")
    out = build(root, tmp_path / "de")
    assert json.loads((out / "claimreview.json").read_bytes())["name"] == "Minimal Fact Check: Faktenchecks"
    with_messages(root, 'messages:\n  "%(site)s: fact-checks": "Prüfungen von %(site)s"\n')
    build(root, out)
    assert json.loads((out / "claimreview.json").read_bytes())["name"] == "Prüfungen von Minimal Fact Check"
