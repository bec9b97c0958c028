"""check reads the text as the page shows it: words that look like markup, links or numbers fool none of its rules.

Each test holds an ordinary thing a newsroom writes (Markdown shown as code, maths, a quoted
phishing address) that a rule read as something else, or a mistake a rule let through because of
how it searched.
"""

from __future__ import annotations

import pytest
from test_validate import claims, problems_of


def block(*paragraphs: str) -> str:
    """An analysis written as a YAML block of these paragraphs."""
    return "|\n" + "\n\n".join(f"    {p}" for p in paragraphs)


# -- citations -------------------------------------------------------------------------------------


def test_a_citation_shown_as_code_cites_nothing(raw_project) -> None:
    """A fact-check explaining Markdown shows `[text](#source-id)` as code: no source is cited there."""
    analysis = block(
        "The mayor gave the figure ([Gazette](#gazette)). Cite a source as `[text](#source-id)`.",
        "```markdown\n    See [the report](#the-report).\n    ```",
    )
    assert problems_of(raw_project, {"claims.yaml": claims(analysis=analysis)}) == []


def test_a_link_to_a_heading_of_the_analysis_is_no_unknown_citation(raw_project) -> None:
    """`[our method](#method)` leads to the analysis's own '# Method' (the page links it as #sec-method)."""
    analysis = block("See [our method](#method) ([Gazette](#gazette)).", "# Method", "We asked the council.")
    assert problems_of(raw_project, {"claims.yaml": claims(analysis=analysis)}) == []


def test_a_link_to_no_heading_and_no_source_is_still_an_unknown_citation(raw_project) -> None:
    analysis = block("See [our method](#methods) ([Gazette](#gazette)).", "# Method", "Code: `[x](#gazete)`.")
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(analysis=analysis)})
    assert (problem.code, problem.location.line) == ("unknown-citation", 10)
    assert problem.message == "claim 'bridge-cost': analysis cites unknown source '#methods'"


def test_a_page_showing_the_embed_code_as_an_indented_code_block_is_not_judged_as_its_html(project, capsys) -> None:
    """A newsroom's 'republish our fact-checks' page shows the snippet indented, as code: check named its
    <iframe> as removed HTML and its example link as dead."""
    from factpress import cli

    root = project("minimal")
    (root / "content" / "pages").mkdir()
    page = (
        "---\ntitle: Republish our fact-checks\n---\n\nPaste this where the card should be:\n\n"
        '    <iframe src="https://minimal.example.org/embed/some-id/" width="550"></iframe>\n'
        '    <p><a href="/claims/some-id/">Read the fact-check</a></p>\n\n'
        "Then [see it](/claims/bridge-cost/).\n"
    )
    (root / "content" / "pages" / "republish.md").write_text(page, encoding="utf-8")
    assert cli.main(["check", "--root", str(root)]) == 0
    assert capsys.readouterr().out == "No problems found.\n"


def test_an_indented_line_that_continues_a_list_item_or_a_paragraph_is_still_read() -> None:
    from factpress.markup import blanked_code

    for text in ("1. See below.\n\n    [old](/claims/old/)", "See\n    [old](/claims/old/)"):
        assert blanked_code(text) == text


# -- addresses that only look like another site's ----------------------------------------------------

PHISHING = "https://p\u0430ypal.com/login"  # (U+0430, a Cyrillic a)


def test_a_quoted_phishing_address_is_no_link_to_refuse(raw_project) -> None:
    """A fact-check of a phishing message shows the address it used, as text or as code: nothing links it."""
    analysis = block(
        f"The message linked to {PHISHING}, shown as `{PHISHING}` in the reader's app ([Gazette](#gazette)).",
        f'```\n    <a href="{PHISHING}">Log in</a>\n    ```',
    )
    assert problems_of(raw_project, {"claims.yaml": claims(analysis=analysis)}) == []


def test_every_way_markdown_links_a_homograph_is_refused() -> None:
    from factpress.markup import lookalike_hosts

    linked = [
        f"[Pay]({PHISHING})",
        f"[Pay]( <{PHISHING}> )",
        f"[Pay][p]\n\n[p]: {PHISHING}",
        f"[Pay][p]\n\n[p]:\n  <{PHISHING}>",
        f"Go to <{PHISHING}>.",
        f'<a href="{PHISHING}">Pay</a>',
        f"<a HREF = '{PHISHING}'>Pay</a>",
        f"<a href={PHISHING}>Pay</a>",
    ]
    for text in linked:
        assert [host for _, host, _, _ in lookalike_hosts(text)] == ["p\u0430ypal.com"], text
    quoted = [f"It read {PHISHING} in blue.", f"`[Pay]({PHISHING})`", f'[Pay](https://paypal.com "not {PHISHING}")']
    for text in quoted:
        assert lookalike_hosts(text) == [], text


def test_a_bracketed_label_and_hashtag_in_full_width_is_no_citation_typed_wide(raw_project) -> None:
    """A Japanese post writes a label in brackets and a hashtag in parentheses, full-width ([please share] (#quake)):
    no citation typed in full-width mode, which the warning took it for; a real one is told its id in half-width."""
    post = "\uff3b\u62e1\u6563\u5e0c\u671b\uff3d\uff08\uff03\u5730\u9707\uff09"
    analysis = f'"The post read {post} ([Gazette](#gazette))."'
    assert problems_of(raw_project, {"claims.yaml": claims(analysis=analysis)}) == []
    wide = "\uff3bGazette\uff3d\uff08\uff03\uff47\uff41\uff5a\uff45\uff54\uff54\uff45\uff09"  # (letters too)
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(analysis=f'"See {wide}, [it](#gazette)."')})
    assert (problem.code, problem.hint) == ("full-width-markup", "type it in half-width: [Gazette](#gazette)")


# -- HTML the page drops ------------------------------------------------------------------------------


def test_maths_with_less_than_is_no_html_to_warn_of(raw_project) -> None:
    """`a < b` and `x<y holds` show as typed (Markdown reads a tag only as `<name ...>`): no 'HTML <b> is removed'."""
    analysis = block(
        "If turnout < half the voters, the vote fails ([Gazette](#gazette)).",
        "Costs rose while x<y holds, and 3 <4 too; a <video> would vanish.",
    )
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(analysis=analysis)})
    assert problem.code == "markup-removed"
    assert problem.message == "claim 'bridge-cost': analysis: HTML <video> is removed (only simple text markup is kept)"


@pytest.mark.parametrize(
    "text",
    [
        "If turnout < half the voters",
        "x<y holds, a<b",
        "x <\nfoo> z",
        "the <div element and the <video tag",
        "<video\n\nsrc=x>",
        "a <x\n\n> b",
    ],
)
def test_text_markdown_shows_as_typed_is_not_named_as_removed_html(text: str) -> None:
    from factpress.markup import removed_markup, render_markdown

    assert removed_markup(text) == []
    assert "&lt;" in render_markdown(text)  # (shown as typed, as check says by saying nothing)


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("1 <y> 2", "<y"),
        ("the <video src=x> clip", "<video"),
        ("<iframe\nsrc=x>", "<iframe"),
        ("<div\nfoo", "<div"),
        ("> - <section\n", "<section"),
        ("<video src='a b' muted/>", "<video"),
    ],
)
def test_html_markdown_hands_the_sanitiser_is_still_named(text: str, tag: str) -> None:
    from factpress.markup import removed_markup, render_markdown

    [(offset, written, message)] = removed_markup(text)
    assert written == tag and text[offset:].startswith(tag) and message.startswith(f"HTML {tag}>")
    assert tag not in render_markdown(text)


# -- excerpts: the source's words, not part of them ----------------------------------------------------

GAZETTE = (
    "The new bridge opened on Saturday morning.\n\n"
    "The mayor said the bridge cost 112 million euros, or 1.12 billion kroner. The council is unable to pay.\n"
)


@pytest.mark.parametrize(
    ("excerpt", "differs"),
    [
        ("12 million euros", "[-12-] {+112+} million euros"),  # a figure the source does not give
        ("able to pay", "[-able-] {+unable+} to pay"),  # the meaning turned round
        ("12 billion kroner", "[-12-] {+1.12+} billion kroner"),
        ("the bridge cost 11", "the bridge cost [-11-] {+112+}"),
        ("he new bridge … on Saturday", "[-he-] {+The+} new bridge"),  # (each part of an elided one too)
        ("The new bridge … on Satur", "[-Satur-] {+Saturday+}"),
    ],
)
def test_an_excerpt_found_only_inside_longer_words_is_not_found(raw_project, excerpt: str, differs: str) -> None:
    """str.find found '12 million euros' in '112 million euros': the page quoted a figure the source does not give."""
    evidence = f'\n    - {{source: gazette, excerpt: "{excerpt}", note: The figure.}}'
    text = claims(evidence=evidence)
    (problem,) = problems_of(raw_project, {"claims.yaml": text}, {"snapshots/gazette.txt": GAZETTE})
    assert problem.code == "excerpt-not-found"
    assert differs in problem.detail[1]


@pytest.mark.parametrize(
    "excerpt",
    [
        "112 million euros",
        "The mayor said the bridge cost 112",
        "1.12 billion",
        "unable to pay.",
        "bridge … Saturday",
        "cost 112 million euros, or 1.12",
        "1.12 billion kroner. The council",
    ],
)
def test_an_excerpt_of_whole_words_is_found(raw_project, excerpt: str) -> None:
    evidence = f'\n    - {{source: gazette, excerpt: "{excerpt}", note: The figure.}}'
    text = claims(evidence=evidence, analysis="The mayor gave the figure ([Gazette](#gazette)).")
    assert problems_of(raw_project, {"claims.yaml": text}, {"snapshots/gazette.txt": GAZETTE}) == []


def test_words_are_whole_where_a_footnote_mark_or_punctuation_follows_and_in_scripts_without_spaces() -> None:
    from factpress.excerpts import find_excerpt, fold

    def found(excerpt: str, text: str) -> list[str] | None:
        spans = find_excerpt(excerpt, fold(text))
        return None if spans is None else [text[s.start : s.end] for s in spans]

    assert found("12 million euros", "It cost 12 million euros3 in all.") == ["12 million euros"]  # a PDF's footnote
    assert found("economie", "sur l'économie, dit-il") is None  # (é is no e)
    assert found("économie", "sur l'économie, dit-il") == ["économie"]
    assert found("Ankara", "Ankara'n\u0131n b\u00fct\u00e7esi") == ["Ankara"]
    assert found("мост стоил 12", "Новый мост стоил 12,5 млн") is None
    assert found("мост стоил 12,5", "Новый мост стоил 12,5 млн") == ["мост стоил 12,5"]
    assert found("東京都の人口", "東京都の人口は増えた") == ["東京都の人口"]  # no spaces: no word to be inside
    # Arabic and Hebrew write 'and' and 'the' onto the word: a quote may leave the 'and' out
    assert found("الحكومة لم تعلق", "قال الوزير ذلك والحكومة لم تعلق.") == ["الحكومة لم تعلق"]
    assert found("הממשלה לא הגיבה", "השר אמר זאת והממשלה לא הגיבה.") == ["הממשלה לא הגיבה"]


def test_a_whole_word_place_after_a_part_word_one_is_the_one_found() -> None:
    from factpress.excerpts import find_excerpt, find_words, fold

    text = "The council is unable to pay. Later it was able to pay after all."
    (span,) = find_excerpt("able to pay", fold(text))
    assert text[span.start - 7 : span.end] == "it was able to pay"
    folded = fold("x 112 y 12 z").text
    assert find_words(folded, "12") == folded.index(" 12 ") + 1
    assert find_words(folded, "12", 0, folded.index(" 12 ") + 2) == -1  # (ending by `end`: not there)


# -- the pages the search index takes ------------------------------------------------------------------


def test_a_page_naming_the_search_mark_is_not_marked_for_the_index() -> None:
    from factpress.search import marked_for_index

    assert marked_for_index(b'<article class="factcheck" data-pagefind-body><h1>A</h1></article>')
    assert marked_for_index(b'<main\n  data-pagefind-body="">x</main>')
    assert not marked_for_index(b"<p>Only elements marked data-pagefind-body are indexed.</p>")
    assert not marked_for_index(b'<meta name="description" content="Search reads data-pagefind-body only">')
    assert not marked_for_index(b"<!-- data-pagefind-body --><p>x</p>")


def test_a_site_with_nothing_published_gets_no_index_of_its_listings_for_naming_the_mark(project, tmp_path) -> None:
    """With no page marked, Pagefind indexes every page (listings, the 404 page): the build writes an empty bundle
    instead. A page whose text named the mark was taken for a marked one."""
    from factpress.pipeline import BuildOptions, build_site

    root = project("minimal")
    claims_file = root / "claims.yaml"
    claims_file.write_text(claims_file.read_text(encoding="utf-8") + "  draft: true\n", encoding="utf-8")
    (root / "content" / "pages").mkdir()
    about = "---\ntitle: How search works\ndescription: It reads data-pagefind-body.\n---\n\n"
    (root / "content" / "pages" / "search-help.md").write_text(about + "Marked data-pagefind-body only.\n", "utf-8")
    result = build_site(BuildOptions(root, tmp_path / "out", search=True))
    assert result.indexed == 0
    assert "No published fact-checks yet" in (tmp_path / "out" / "pagefind" / "pagefind.js").read_text("utf-8")


def test_maths_markdown_reads_as_a_kept_tag_is_named_with_the_words_it_loses() -> None:
    """`if a<b and c>d` is `a` and a bold `d` on the page: 'b and c' vanished, and no warning said so."""
    from factpress.markup import removed_markup, render_markdown

    text = "It holds if a<b and c>d, as <b>bold</b> and <abbr title=x>A</abbr> do."
    [(offset, written, message)] = removed_markup(text)
    assert (offset, written) == (13, "<b")
    assert message.startswith("'<b and c>' is read as an HTML tag, so the words in it are not shown")
    assert "and c" not in render_markdown(text)  # (what the warning is about)


@pytest.mark.parametrize("text", ["The filter [^0-9] keeps the rest.", "Use [^a-z]+ or [^abc] instead."])
def test_a_regular_expressions_character_class_is_no_footnote(text: str) -> None:
    """A fact-check about code shows `[^0-9]` as typed, which is what it means: no 'footnotes are not supported'."""
    from factpress.markup import removed_markup

    assert removed_markup(text) == []


@pytest.mark.parametrize(
    ("text", "offset"), [("A note[^1].", 6), ("A note[^radio].\n\n[^radio]: Said on radio.", 6), ("[^a]: A note.", 0)]
)
def test_a_footnote_numbered_or_given_its_text_is_still_named(text: str, offset: int) -> None:
    from factpress.markup import removed_markup

    [(found, written, message)] = removed_markup(text)
    assert (found, written) == (offset, "[^") and message.startswith("footnotes ([^1]) are not supported")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Call [the desk][desk].\n\n[desk]: tel:+4412345", "tel:"),
        ("Call [the desk][desk].\n\n[desk]:\n  <tel:+4412345>", "tel:"),
        ("See [the report][r].\n\n[r]: //example.org/report", "//"),
        ("Call <tel:+4412345> any day.", "tel:"),
    ],
)
def test_a_link_written_as_a_reference_or_autolink_that_loses_its_target_is_named(text: str, written: str) -> None:
    """Only `[text](tel:…)` was named: the same link written as a reference or an autolink lost its target unsaid."""
    from factpress.markup import removed_markup, render_markdown

    [(offset, found, message)] = removed_markup(text)
    assert (found, text[offset : offset + len(found)]) == (written, written)
    assert "published without its target" in message
    assert 'href="' not in render_markdown(text)


def test_an_editors_note_in_an_html_comment_is_not_judged_as_published(raw_project) -> None:
    """The page leaves a comment out, links and all: an editor's note to self failed check with a dead link."""
    analysis = block(
        "The mayor gave the figure ([Gazette](#gazette)).",
        f"<!-- to do: link [the tunnel check](/claims/tunnel-cost/) once out, cite [it](#tunnel-report),\n"
        f'    embed <iframe src="https://video.example/x"></iframe>, and never [this]({PHISHING}) -->',
    )
    assert problems_of(raw_project, {"claims.yaml": claims(analysis=analysis)}) == []
    published = block("See [the tunnel check](/claims/tunnel-cost/) ([Gazette](#gazette)). <!-- a note -->")
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(analysis=published)})
    assert problem.code == "dead-link"


# -- Markdown in plain-text fields ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "summary",
    [
        "The post's link, \u201c[Claim your refund](https://refund.example/x)\u201d, leads to a fake form.",
        'It read "**URGENT**" in capitals.',
        "2 ** 10 is 1,024 and 2 ** 20 is 1,048,576.",
        "The field my__tax__rate holds it.",
    ],
)
def test_markdown_quoted_or_no_markdown_at_all_in_a_summary_is_not_warned_of(raw_project, summary: str) -> None:
    """A fact-check quotes a viral post's Markdown as the post showed it; `2 ** 10` and `a__b__c` are no bold."""
    text = claims(summary=f"'{summary}'" if '"' in summary else f'"{summary}"')
    assert problems_of(raw_project, {"claims.yaml": text}) == []


def test_markdown_written_to_format_a_summary_is_still_warned_of(raw_project) -> None:
    text = claims(summary='"Quoted \u201cfine\u201d, but **this** is bold."')
    (problem,) = problems_of(raw_project, {"claims.yaml": text})
    assert problem.code == "markdown-in-text" and "'**this**' shows as typed" in problem.message


# -- a site's own templates' output ---------------------------------------------------------------------


def test_a_card_wrapped_in_a_link_or_with_an_image_left_in_a_comment_is_drawn(project, capsys) -> None:
    """resvg fetches what it draws; an `<a href>` is followed by a reader, and a comment is not drawn at all."""
    from test_site_templates import CARD, build, with_templates

    inside = (
        '<a href="https://minimal.example.org/">'
        '<text x="20" y="60">{{ card.title }}</text></a>\n'
        '<!-- <image width="90" height="90" href="static/logo.svg"/>: the logo, once it is drawn -->'
    )
    root = with_templates(project("minimal"), {"card.svg": CARD.replace("{}", inside)})
    assert build(root, capsys) == (0, "")
    svg = (root / "site" / "cards" / "bridge-cost.svg").read_text(encoding="utf-8")
    assert '<a href="https://minimal.example.org/">' in svg
    assert (root / "site" / "cards" / "bridge-cost.png").read_bytes().startswith(b"\x89PNG")


# -- the judgements kept between runs -----------------------------------------------------------------


def test_every_module_that_judges_a_file_is_part_of_the_model_caches_code_version() -> None:
    """A kept judgement is reused while the code that made it is the same: markup.py, which names what a page drops
    (markup-removed, a homograph link), was not counted, so after an upgrade check repeated the old version's words
    until the claims file changed."""
    import ast
    from pathlib import Path

    from factpress import modelcache

    package = Path(modelcache.__file__).parent
    #: Imported by validate.py, but deciding only what is judged afresh on every run.
    every_run = {
        "fonts": "the cards' fonts (card_fonts)",
        "i18n": "content/messages.yaml (site_messages)",
        "sitelinks": "dead links (dead_links)",
        "digestsets": "which analyses link no page (a digest set of its own, versioned by sitelinks.py)",
    }
    imported = set()
    for node in ast.walk(ast.parse((package / "validate.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            imported |= {node.module} if node.module else {alias.name for alias in node.names}
    assert imported - set(every_run) <= set(modelcache._MODULES)
