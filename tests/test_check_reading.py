"""check reads the text as the page shows it: words that look like markup, links or numbers fool none of its rules.

Each test holds an ordinary thing a newsroom writes (Markdown shown as code, maths, a quoted
phishing address) that a rule read as something else, or a mistake a rule let through because of
how it searched.
"""

from __future__ import annotations

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
