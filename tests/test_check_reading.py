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
