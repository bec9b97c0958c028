"""Markdown rendering: ids written in Markdown cannot take the theme's own ids."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nh3
import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from promptly import promptly

from factpress import markup
from factpress.markup import ID_PREFIX, render_markdown, sanitise

THEME_IDS = ("main", "corrections", "evidence-1", "analysis-title", "site-search")


def ids_in(html: str) -> set[str]:
    return {tag["id"] for tag in BeautifulSoup(html, "html.parser").find_all(id=True)}


def test_heading_ids_are_prefixed_so_they_cannot_collide_with_the_theme() -> None:
    html = render_markdown("## Corrections\n\n## Evidence 1\n\n### Main\n")
    assert ids_in(html) == {f"{ID_PREFIX}corrections", f"{ID_PREFIX}evidence-1", f"{ID_PREFIX}main"}
    assert not ids_in(html) & set(THEME_IDS)


def test_raw_html_ids_are_prefixed_too() -> None:
    html = render_markdown('<h2 id="main">Hi</h2>\n\n<h3 id="site-search">x</h3>\n')
    assert ids_in(html) == {f"{ID_PREFIX}main", f"{ID_PREFIX}site-search"}


def test_links_to_a_heading_follow_its_prefixed_id() -> None:
    soup = BeautifulSoup(
        render_markdown("## Funding\n\nSee [funding](#funding) and [elsewhere](#other).\n"), "html.parser"
    )
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert hrefs == [f"#{ID_PREFIX}funding", "#other"]
    assert soup.find(id=f"{ID_PREFIX}funding").name == "h2"


def test_a_citation_still_points_at_the_evidence_list() -> None:
    soup = BeautifulSoup(render_markdown("As [the report](#src) says.", {"src": (2, "#evidence-2")}), "html.parser")
    link = soup.find("a")
    assert link["href"] == "#evidence-2"
    assert soup.find("sup").get_text() == "[2]"


def test_markdown_it_is_imported_only_when_markdown_is_rendered() -> None:
    """A build whose analyses all come from the Markdown cache should not pay for importing the parser."""
    script = (
        "import sys\n"
        "import factpress.cache, factpress.render\n"
        "assert 'markdown_it' not in sys.modules, 'imported with the modules'\n"
        "from factpress.markup import render_markdown\n"
        "assert render_markdown('# A') == '<h2 id=\"sec-a\">A</h2>\\n'\n"
        "assert 'markdown_it' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_an_nh3_without_cleaner_sanitises_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    html = '<h2 id="x" onclick="a()">hi <script>x</script><a href="javascript:x">l</a>'
    html += '<sup class="ref">1</sup><!--c--></h2>'
    expected = sanitise(html)
    assert expected == '<h2 id="sec-x">hi <a rel="noopener noreferrer">l</a><sup class="ref">1</sup></h2>'
    monkeypatch.delattr(nh3, "Cleaner", raising=False)
    markup._cleaner.cache_clear()
    try:
        assert sanitise(html) == expected
    finally:
        markup._cleaner.cache_clear()


def test_a_link_that_only_looks_like_a_path_on_this_site_loses_its_target() -> None:
    """`//host/x` and `/\\host/x` are taken by browsers to another host; a link elsewhere has a scheme."""
    html = render_markdown(
        '[md](//evil.example/y) <a href="/\\evil.example/x">raw</a> <a href=" //evil.example">sp</a> [ok](/about/)'
    )
    assert "evil.example" not in html
    assert '<a href="/about/"' in html


def test_what_the_sanitiser_will_drop_is_named_for_check() -> None:
    from factpress.markup import removed_markup

    assert removed_markup("Plain *text* with <em>em</em>, <abbr title='x'>a</abbr> and `<div>` in code.") == []
    [(offset, written, image)] = removed_markup("A chart: ![Chart](/static/chart.png).")
    assert (offset, written) == (9, "![") and image.startswith("images")
    [(offset, written, tags)] = removed_markup(
        '`<p>` and <em>x</em> <div>Note:</div> <iframe src="x"></iframe> <IMG src=y>'
    )
    assert (offset, written) == (21, "<div") and tags.startswith("HTML <div>, <iframe>, <img> is removed")


def test_readings_over_chinese_or_japanese_characters_are_kept() -> None:
    """Furigana (<ruby>, <rt>, <rp>) is ordinary in Japanese: check named it as removed, and the page lost it."""
    from factpress.markup import removed_markup

    text = "\u6771\u4eac\u306e<ruby>\u6f22\u5b57<rp>(</rp><rt>\u304b\u3093\u3058</rt><rp>)</rp></ruby>\u3002"
    assert removed_markup(text) == []
    html = render_markdown(text)
    assert "<ruby>\u6f22\u5b57<rp>(</rp><rt>\u304b\u3093\u3058</rt><rp>)</rp></ruby>" in html
    assert render_markdown('<ruby onclick="x()" class="verdict-badge">a<rt style="x">b</rt></ruby>') == (
        "<p><ruby>a<rt>b</rt></ruby></p>\n"
    )


def test_a_link_whose_host_mixes_alphabets_is_found_wherever_markdown_writes_it() -> None:
    """`[the Gazette](https://gazette.ex\u0430mple.com/)` (a Cyrillic a) reads as the Gazette's address in review."""
    from factpress.markup import lookalike_hosts

    text = (
        "[a](https://gazette.ex\u0430mple.com/x) <http://p\u03bflice.example> "
        'href="https://user@\u0440\u0430ypal.example:8/" '
        "[ok](https://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/) "
        "[ok](https://b\u00fccher.example/)\n\n[r]: https://\u0430b.example/"
    )
    found = [(text[offset : offset + len(host)], host) for offset, host, _message, _hint in lookalike_hosts(text)]
    assert [host for written, host in found if written == host] == [
        "gazette.ex\u0430mple.com",
        "p\u03bflice.example",
        "\u0440\u0430ypal.example",
        "\u0430b.example",
    ]
    assert lookalike_hosts("All ASCII: https://gazette.example.com/") == []


def test_autolinks_are_not_named_as_html_the_sanitiser_drops() -> None:
    """`<https://…>` and `<desk@x.org>` are links Markdown keeps: 'HTML <https>, <mailto> is removed' was wrong."""
    from factpress.markup import removed_markup

    text = "See <https://ok.example/a>, <mailto:desk@x.example> or <desk@x.example>."
    assert removed_markup(text) == []
    assert render_markdown(text).count("<a href=") == 3
    [(offset, written, tags)] = removed_markup("See <https://ok.example/a> and <form\naction=x>.")
    assert (offset, written) == (31, "<form") and tags.startswith("HTML <form> is removed")


def test_a_footnote_is_named_for_check_as_it_shows_as_typed() -> None:
    from factpress.markup import removed_markup

    [(offset, written, message)] = removed_markup("A note[^1].\n\n[^1]: Said on radio.")
    assert (offset, written) == (6, "[^") and message.startswith("footnotes ([^1]) are not supported")
    assert "[^1]" in render_markdown("A note[^1].")  # (what the warning says: no footnote plugin)
    assert removed_markup("Code `x[^1]` is code.") == []


def test_markup_a_page_loses_is_reported_at_its_line(project, capsys) -> None:
    from factpress import cli

    root = project("full")
    about = root / "content" / "pages" / "about.md"
    text = about.read_text(encoding="utf-8")
    about.write_text(text + "\nA video:\n\n  <script>alert(1)</script>\n", encoding="utf-8")
    assert cli.main(["check", "--root", str(root)]) == 0
    report = capsys.readouterr().out
    assert f"content/pages/about.md:{text.count(chr(10)) + 4}:3: warning: HTML <script> is removed" in report


@pytest.mark.parametrize(
    ("markdown", "base", "levels"),
    [
        ("# A\n\n## B\n\n# C", 2, ["h2", "h3", "h2"]),  # a page's body, under its h1
        ("# A\n\n#### B", 3, ["h3", "h4"]),  # an analysis, under "Analysis" (h2): no level skipped
        ("#### Only", 3, ["h3"]),
        ("## A\n\n### B", 2, ["h2", "h3"]),
        ("# 1\n## 2\n### 3\n#### 4\n##### 5", 3, ["h3", "h4", "h5", "h6", "h6"]),
    ],
)
def test_headings_start_at_the_level_the_page_gives_them_and_skip_none(markdown: str, base: int, levels) -> None:
    soup = BeautifulSoup(render_markdown(markdown, heading_base=base), "html.parser")
    assert [h.name for h in soup.find_all(re.compile(r"^h\d$"))] == levels


def test_an_analysis_heading_sits_under_the_analysis_heading(project, tmp_path: Path) -> None:
    from factpress.pipeline import BuildOptions, build_site

    root = project("minimal")
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("  analysis: ", "  analysis: |\n    # Background\n\n    "), "utf-8")
    build_site(BuildOptions(root, tmp_path / "out", search=False))
    page = BeautifulSoup((tmp_path / "out/claims/bridge-cost/index.html").read_text(encoding="utf-8"), "html.parser")
    heading = page.find(string="Background").parent
    assert heading.name == "h3" and heading.find_previous(re.compile("^h[1-6]$")).get_text() == "Analysis"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Call [the desk](tel:+4912345).", "tel:"),
        ("[x](javascript:alert(1))", "javascript:"),
        ("[x](ftp://files.example.org/a)", "ftp:"),
        ("See [the report](//example.org/report).", "//"),
    ],
)
def test_a_link_published_without_its_target_is_named(text: str, written: str) -> None:
    """The sanitiser keeps only http(s) and mailto targets: the others lost their link without a word."""
    from factpress.markup import removed_markup, render_markdown

    [(offset, found, message)] = removed_markup(text)
    assert (found, text[offset : offset + len(found)]) == (written, written)
    assert "published without its target" in message
    assert 'href="' not in render_markdown(text)  # (what the warning is about)


def test_links_the_sanitiser_keeps_are_not_named() -> None:
    from factpress.markup import removed_markup

    text = "[a](https://x.org/) [b](http://x.org/) [c](mailto:a@x.org) [d](#source) [e](/about/) [f](../x/) at 10:30"
    assert removed_markup(text) == []


def test_every_character_html_forbids_is_unprintable_so_printable_text_is_skipped() -> None:
    """forbidden_character skips text printable but for its line breaks and tabs: it must hold none."""
    forbidden_character = markup.forbidden_character
    every = [chr(code) for code in range(0x110000)]
    forbidden = [char for char in every if forbidden_character(f"a\n{char}\tb") == char]
    # C0 but tab and line breaks; DEL and C1; U+FDD0-FDEF; each plane's last two
    assert len(forbidden) == 29 + 33 + 32 + 34
    assert not any(char.isprintable() for char in forbidden)
    assert forbidden_character("line one\r\nline two\ttab") is None
    assert forbidden_character("line one\nline \x0b two") == "\x0b"


def test_a_line_break_between_chinese_or_japanese_characters_is_no_space() -> None:
    """A paragraph written over several lines: a browser shows each break as a space, which Chinese and
    Japanese do not write between words (`によると、 米類は`). Korean, written with spaces, keeps it."""
    html = render_markdown("統計局（[都統計局](#src)）によると、\n米類は上昇した。\n*強調*\nです。\nThe next\n行")  # noqa: RUF001
    text = BeautifulSoup(html, "html.parser").get_text()
    assert text == "統計局（都統計局）によると、米類は上昇した。強調です。\nThe next\n行\n"  # noqa: RUF001
    assert BeautifulSoup(render_markdown("한국어\n문장"), "html.parser").get_text() == "한국어\n문장\n"
    assert BeautifulSoup(render_markdown("a\nb"), "html.parser").get_text() == "a\nb\n"
    assert BeautifulSoup(render_markdown("見て👇\n🔗ここ"), "html.parser").get_text() == "見て👇\n🔗ここ\n"  # emoji


def test_the_quick_test_for_text_written_without_spaces_misses_none_of_its_characters() -> None:
    """markup passes by a text with no character in WIDE_SCRIPT: every character of such scripts must be in it."""
    from factpress.excerpts import written_without_spaces
    from factpress.markup import WIDE_SCRIPT

    below = [chr(c) for c in range(0x2E80) if not 0xD800 <= c < 0xE000 and written_without_spaces(chr(c))]
    assert below and all(WIDE_SCRIPT.match(ch) for ch in below)
    assert not WIDE_SCRIPT.search("“Quoted” — a dash, an ellipsis… and 1 000 €")


#: Markdown made for check to read again and again, and what each once cost (a few hundred KB took minutes).
SLOW_MARKDOWN = {
    "backticks": "`" * 300_000,  # each one opened a code span read to the end: 32 KB, 5 s
    "tildes": "~" * 1_000_000,  # a fence's last line tried from each shorter fence
    "comments left open": "<!--" * 150_000,  # each read to the end: 128 KB, 22 s
    "footnote marks left open": "[^" * 150_000,  # 128 KB, 30 s
    "images left open": "![" * 500_000,
    "a tag's blanks": "a <b" + " " * 300_000 + ">x</b>",  # each blank read to the '>': 32 KB, 4 s
}


@pytest.mark.parametrize("text", SLOW_MARKDOWN.values(), ids=SLOW_MARKDOWN.keys())
def test_markdown_made_to_be_read_again_and_again_is_read_once(text: str) -> None:
    with promptly():
        markup.removed_markup(text)
        markup.blanked_code(text)


#: Code spans as the regular expression factpress once used finds them: _code_spans finds the same in one pass.
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1", re.DOTALL)


@given(st.text(alphabet="``a\n", max_size=40))
def test_code_spans_are_found_where_the_pattern_finds_them(text: str) -> None:
    assert markup._code_spans(text) == [m.span() for m in CODE_SPAN.finditer(text)]


def test_only_what_code_and_comments_hold_is_blanked() -> None:
    shown = ["a", "`b`", "``c`d``", "```e``f```", "`g", "<!-- h -->", "<!-- i"]
    blanked = ["a", "   ", "       ", "          ", "`g", "          ", "<!-- i"]
    assert markup.blanked_code(" ".join(shown)) == " ".join(blanked)


def test_headings_alike_are_numbered_in_one_pass() -> None:
    """The anchors plugin counted from 1 again for every repeated heading: 20,000 alike took 27 s."""
    with promptly():
        ids = markup.heading_ids("## Update\n\n" * 20_000)
    assert ids == {"update", *(f"update-{n}" for n in range(1, 20_000))}
    html = render_markdown("## A\n\n## A 1\n\n## A\n\n### A\n")
    assert [h["id"] for h in BeautifulSoup(html, "html.parser").find_all(id=True)] == [
        f"{ID_PREFIX}{ident}" for ident in ("a", "a-1", "a-2", "a-3")
    ]
