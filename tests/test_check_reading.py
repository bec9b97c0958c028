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
