"""Evidence a reader can follow: excerpt matching, text fragments, evidence lists and citations."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from factpress import cli
from factpress.excerpts import (
    EXACT_WORDS,
    closest_passage,
    excerpt_parts,
    excerpt_pieces,
    find_excerpt,
    fold,
    fragment_terms,
    paragraph_ranges,
)
from factpress.link import link_site, text_fragment
from factpress.load import load_project
from factpress.markup import render_markdown
from factpress.model import Span
from factpress.pipeline import BuildOptions, build_site, check_site
from factpress.validate import validate_project

SITES = Path(__file__).resolve().parent / "sites"
REPORT = (SITES / "evidence" / "content" / "snapshots" / "city-report.txt").read_text()


def found_text(excerpt: str, text: str) -> list[str] | None:
    """The original text of each part of an excerpt found in a snapshot."""
    spans = find_excerpt(excerpt, fold(text))
    return None if spans is None else [text[s.start : s.end] for s in spans]


# -- finding excerpts ------------------------------------------------------------------------------


def test_fold_forgives_what_copy_paste_changes_and_maps_back_to_the_original() -> None:
    folded = fold("It\u2019s  \u201cDone\u201d \u2014 n\u00b0\u00a01\u2026")
    assert folded.text == 'it\'s "done"-n° 1...'  # a dash takes the spaces by it
    assert [folded.original[i] for i in folded.origin[:5]] == ["I", "t", "\u2019", "s", " "]


def test_an_excerpt_is_found_whatever_its_typography() -> None:
    assert found_text("the council's own figures put the cost at 14 million euros - a difference", REPORT) == [
        "The council\u2019s own figures put the cost at 14 million euros \u2014 a difference"
    ]
    assert found_text("a bridge that does not exist", REPORT) is None


@pytest.mark.parametrize("ellipsis", ["…", "...", "[...]", "[…]", "(...)", " … ", "...."])
def test_an_ellipsis_skips_words_within_a_paragraph(ellipsis: str) -> None:
    excerpt = f"The mayor said the bridge cost{ellipsis}less than any bridge of its size"
    assert found_text(excerpt, REPORT) == ["The mayor said the bridge cost", "less than any bridge of its size"]
    assert excerpt_parts(excerpt) == ["the mayor said the bridge cost", "less than any bridge of its size"]


def test_an_ellipsis_does_not_skip_into_another_paragraph_or_backwards() -> None:
    assert found_text("The new bridge opened … the bridge cost 12 million euros", REPORT) is None
    assert found_text("less than any bridge … The mayor said", REPORT) is None
    # the same two parts do match in a later paragraph where both occur in order
    text = "A said x.\n\nA said y and then B.\n"
    assert found_text("A said … B", text) == ["A said", "B"]


def test_a_text_without_blank_lines_has_a_paragraph_per_line() -> None:
    transcript = "HOST: Good morning.\nMAYOR: The bridge cost 12 million euros.\n"
    assert paragraph_ranges(transcript) == ((0, 19), (20, 60))
    assert found_text("Good morning … The bridge cost", transcript) is None
    assert paragraph_ranges("One.\n\n  \nTwo.\n") == ((0, 4), (9, 13))


def test_a_common_first_word_with_a_missing_later_part_is_refused_quickly() -> None:
    # every 'a' is a candidate start; the missing part ends the search at once, not once per 'a'
    text = "a b " * 50_000
    assert find_excerpt("a … zebra", fold(text)) is None


# -- the closest passage, when an excerpt is not found ----------------------------------------------


def test_a_mistyped_excerpt_shows_the_closest_passage_and_what_differs() -> None:
    near = closest_passage("The mayor said the bridge cost 15 million Euros", fold(REPORT))
    assert near is not None
    assert near.passage == "The mayor said the bridge cost 12 million euros,"
    assert near.difference == "The mayor said the bridge cost [-15-] {+12+} million Euros"


def test_the_closest_passage_is_found_in_a_long_snapshot_of_near_identical_sentences() -> None:
    # 200 KB of sentences differing only in their numbers: the alignment must pick the right one
    sentences = [f"On day {n} the council spent {n * 7} thousand euros on the {n % 13}th bridge." for n in range(3000)]
    text = "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5))
    assert len(text) > 200_000
    near = closest_passage("On day 2718 the council spent 19026 thousand dollars on the 1th bridge.", fold(text))
    assert near is not None
    assert near.passage == "On day 2718 the council spent 19026 thousand euros on the 1th bridge."
    assert near.difference == "On day 2718 … spent 19026 thousand [-dollars-] {+euros+} on the 1th bridge."


def test_an_elided_excerpt_names_the_part_that_is_missing() -> None:
    near = closest_passage("The mayor said … less than any tunnel of its size", fold(REPORT))
    assert near is not None
    assert near.passage == "“less than any bridge of its size"
    assert near.difference == "part 2 of 2: less than any [-tunnel-] {+bridge+} of its size"


def test_parts_found_out_of_order_are_explained() -> None:
    near = closest_passage("less than any bridge … The mayor said", fold(REPORT))
    assert near is not None
    assert near.difference == "every part is in the snapshot, but not in this order"


def test_parts_in_order_across_lines_of_a_transcript_are_explained() -> None:
    transcript = "HOST: Was the bridge late?\nMAYOR: It opened on time.\nHOST: And the cost?\n"
    near = closest_passage("Was the bridge late? … It opened on time.", fold(transcript))
    assert near is not None
    assert near.difference == (
        "every part is in the snapshot in this order, but not within one paragraph (this snapshot has no blank"
        " lines: each line is one): an ellipsis skips words only inside a paragraph"
    )


def test_nothing_alike_gives_no_closest_passage() -> None:
    assert closest_passage("Xylophone quantum zebra marmalade", fold(REPORT)) is None
    assert closest_passage("…", fold(REPORT)) is None


def test_excerpt_pieces_keep_the_words_as_written() -> None:
    assert excerpt_pieces("  The Mayor\u2019s  figure [...] 12\u00a0million. ") == [
        "The Mayor\u2019s figure",
        "12 million.",
    ]


# -- text fragments ---------------------------------------------------------------------------------


def parse_directive(fragment: str) -> tuple[str, str, str]:
    """Parse `:~:text=[prefix-,]start[,end]` as the Text Fragments spec does: (prefix, start, end)."""
    assert fragment.startswith(":~:text=")
    tokens = fragment[len(":~:text=") :].split(",")
    assert all(re.fullmatch(r"(?:[A-Za-z0-9!$'()*+./:;=?@_~]|%[0-9A-F]{2})+-?", t.lstrip("-")) for t in tokens)
    prefix = unquote(tokens.pop(0)[:-1]) if tokens[0].endswith("-") else ""
    assert 1 <= len(tokens) <= 2
    return prefix, unquote(tokens[0]), unquote(tokens[1]) if len(tokens) == 2 else ""


def browser_match(text: str, fragment: str) -> tuple[int, int] | None:
    """Where a browser's (case-insensitive, first-match) search for the directive lands in a text."""
    folded = fold(text)
    prefix, start, end = (fold(term).text for term in parse_directive(fragment))
    at = folded.text.find(f"{prefix} {start}" if prefix else start)
    if at == -1:
        return None
    at += len(prefix) + 1 if prefix else 0
    stop = at + len(start)
    if end:
        found = folded.text.find(end, stop)
        if found == -1:
            return None
        stop = found + len(end)
    return folded.origin[at], folded.origin[stop - 1] + 1


def test_text_fragments_percent_encode_the_directive_syntax_and_everything_outside_unreserved() -> None:
    fragment = text_fragment("Fish & chips, well-done: 5€")
    assert fragment == ":~:text=Fish%20%26%20chips%2C%20well%2Ddone%3A%205%E2%82%AC"
    assert parse_directive(fragment) == ("", "Fish & chips, well-done: 5€", "")


def test_a_short_quote_is_one_exact_term_and_a_long_one_start_and_end() -> None:
    short = " ".join(f"w{i}" for i in range(EXACT_WORDS))
    assert text_fragment(short) == ":~:text=" + short.replace(" ", "%20")
    long = " ".join(f"w{i}" for i in range(EXACT_WORDS + 5))
    assert parse_directive(text_fragment(long)) == ("", "w0 w1 w2 w3", "w11 w12 w13 w14")


def test_an_elided_quote_runs_from_its_first_part_to_its_last() -> None:
    assert parse_directive(text_fragment("Fish and chips … were all sold out")) == (
        "",
        "Fish and chips",
        "were all sold out",
    )
    assert text_fragment("…") == ""


@pytest.mark.parametrize(
    "excerpt",
    [
        "The bridge cost less",  # short: exact
        "The council's own figures put the cost at 14 million euros - a difference the mayor did not explain.",
        "The mayor said the bridge cost … less than any bridge of its size",
        "14 million euros — a difference the mayor did not explain. Engineers said the steel came",  # two paragraphs
        "roads & clinics",
    ],
)
def test_a_fragment_built_from_the_snapshot_lands_on_the_excerpt(excerpt: str) -> None:
    folded = fold(REPORT)
    spans = find_excerpt(excerpt, folded)
    assert spans is not None
    fragment = text_fragment(excerpt, folded, spans)
    landed = browser_match(REPORT, fragment)
    assert landed is not None
    start, end = landed
    # the match covers the excerpt, widened at most to whole words
    assert start <= spans[0].start and end >= spans[-1].end
    assert len(REPORT[start:end]) - len(REPORT[spans[0].start : spans[-1].end]) <= 6
    prefix, first, last = parse_directive(fragment)
    for term in (prefix, first, last):  # each term stays within one paragraph (one block in a page)
        assert "\n" not in term


def test_fragment_terms_use_the_snapshot_characters_not_the_excerpt_as_typed() -> None:
    folded = fold(REPORT)
    spans = find_excerpt("the council's own figures", folded)
    terms = fragment_terms(folded, spans)
    assert terms is not None and terms.start == "The council\u2019s own figures"


def test_an_exact_quote_found_earlier_gets_a_prefix_to_land_on_the_right_one() -> None:
    text = "The bridge cost a lot. Engineers agreed: the bridge cost a lot.\n"
    folded = fold(text)
    second = text.rindex("the bridge")
    spans = (Span(second, second + len("the bridge cost a lot")),)
    fragment = text_fragment("the bridge cost a lot", folded, spans)
    assert parse_directive(fragment) == ("agreed:", "the bridge cost a lot", "")
    assert browser_match(text, fragment) == (second, second + 21)


def test_a_range_end_that_also_occurs_inside_the_quote_grows_until_it_is_the_last_one() -> None:
    text = "one two three four five six seven one two three four five six seven eight nine ten eleven\n"
    folded = fold(text)
    spans = find_excerpt(text.strip(), folded)
    fragment = text_fragment(text, folded, spans)
    assert browser_match(text, fragment) == (0, len(text.strip()))


def test_a_text_fragment_grows_to_so_many_words_at_most(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each word textStart grows by looks for it again from the snapshot's start: a 50,000-word excerpt whose
    words the snapshot gives earlier too took 11 s (its square's worth of words), more with a longer snapshot."""
    from factpress import excerpts

    looked_for: list[str] = []
    first_at = excerpts._first_at

    def counted(snapshot: excerpts.Folded, term: str, after: int) -> int:
        looked_for.append(term)
        return first_at(snapshot, term, after)

    monkeypatch.setattr(excerpts, "_first_at", counted)
    words = [f"w{n}" for n in range(6_000)]
    text = " ".join(words) + " zz.\n\n" + " ".join(words) + " yy.\n"
    folded = fold(text)
    terms = excerpts.fragment_terms(folded, find_excerpt(" ".join(words) + " yy", folded))
    assert terms is not None and len(terms.start.split()) == excerpts.MOST_RANGE_WORDS
    assert len(looked_for) <= excerpts.MOST_RANGE_WORDS + 1  # (not 3,000: half the excerpt)


def test_every_sample_evidence_fragment_lands_on_its_excerpt(sample_root: Path) -> None:
    site, _ = validate_project(load_project(sample_root))
    snapshots = {s.id: s.snapshot.text for s in site.sources}
    for claim in site.claims:
        for ev in claim.evidence:
            text = snapshots[ev.source]
            landed = browser_match(text, text_fragment(ev.excerpt, fold(text), ev.spans))
            assert landed is not None, (claim.id, ev.excerpt)
            assert landed[0] <= ev.spans[0].start and landed[1] >= ev.spans[-1].end, (claim.id, ev.excerpt)


def test_the_original_link_keeps_the_url_and_adds_the_directive(project) -> None:
    root = project("evidence")
    sources = (root / "content" / "sources.yaml").read_text()
    (root / "content" / "sources.yaml").write_text(
        sources.replace("bridge-report?id=7&lang=en", "bridge-report?id=7&lang=en#top", 1)
    )
    site, _ = check_site(root)
    library = link_site(site)
    evidence = library.claims_by_id["bridge-steel-late"].evidence[0]
    assert evidence.text_fragment_url == (
        "https://news.example.com/bridge-report?id=7&lang=en#top:~:text=one%20of%20them%2C%20a%20firm%20from%20the%20north%2C%20delivered%20late"
    )
    parts = urlsplit(evidence.text_fragment_url)
    assert (parts.query, parts.fragment.split(":~:")[0]) == ("id=7&lang=en", "top")
    no_url = library.claims_by_id["bridge-cost-12-million"].evidence[0]
    assert no_url.text_fragment_url == ""


# -- citations in the analysis ------------------------------------------------------------------------


def test_citations_become_numbered_references_to_the_evidence_list() -> None:
    html = render_markdown(
        "As [the report](#city-report) and [minutes](#council-minutes) and [elsewhere](#unknown) say.",
        {"city-report": (2, "#evidence-2")},
        "/checks/",
        {"city-report": "/checks/sources/city-report/", "council-minutes": "/checks/sources/council-minutes/"},
    )
    links = BeautifulSoup(html, "html.parser").find_all("a")
    assert [(a["href"], a.get("class")) for a in links] == [
        ("#evidence-2", ["cite"]),
        ("/checks/sources/council-minutes/", ["cite"]),  # cited but not quoted: its source page
        ("#unknown", None),
    ]
    assert [sup.text for sup in BeautifulSoup(html, "html.parser").find_all("sup", class_="ref")] == ["[2]"]


@pytest.fixture(scope="module")
def evidence_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/sites/evidence built once: overlapping, elided and cross-paragraph excerpts, a base path."""
    root = tmp_path_factory.mktemp("evidence") / "project"
    shutil.copytree(SITES / "evidence", root)
    return build_site(BuildOptions(root, root / "site", search=False)).out


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path.strip("/") / "index.html").read_text(), "html.parser")


def test_each_citation_number_matches_the_first_evidence_item_quoting_that_source(evidence_site: Path) -> None:
    soup = page(evidence_site, "claims/bridge-cost-12-million")
    cites = soup.find("div", class_="prose").find_all("a", class_="cite")
    cited = {"transcript": "radio-transcript", "City News": "city-report", "minutes": "council-minutes"}
    assert [a.text for a in cites] == list(cited)
    for a in cites[:2]:
        item = soup.find(id=a["href"].removeprefix("#"))
        number = item["id"].removeprefix("evidence-")
        assert a.find_next_sibling("sup").text == f"[{number}]"
        assert item.find("figcaption").find("a")["href"] == f"/checks/sources/{cited[a.text]}/"
    # the minutes are cited but not quoted: the citation links to their source page, unnumbered
    assert cites[2]["href"] == "/checks/sources/council-minutes/"
    assert cites[2].find_next_sibling("sup") is None


def test_the_evidence_section_snapshot(evidence_site: Path, file_regression) -> None:
    section = page(evidence_site, "claims/bridge-cost-12-million").find("section", class_="evidence")
    file_regression.check(section.prettify(), extension=".html")


def test_the_evidence_list_quotes_notes_and_links_each_excerpt(evidence_site: Path) -> None:
    soup = page(evidence_site, "claims/bridge-cost-12-million")
    items = soup.find("ol", class_="evidence-list").find_all("li", recursive=False)
    assert [li["id"] for li in items] == ["evidence-1", "evidence-2", "evidence-3", "evidence-4"]
    third = items[2]
    assert third.find("blockquote").text.strip() == "The mayor said the bridge cost … less than any bridge of its size"
    assert third.find("p", class_="note").text == "The mayor's comparison, with the figure elided."
    links = {a.text.split(" (")[0].strip(): a["href"] for a in third.find("p", class_="evidence-links").find_all("a")}
    assert links == {
        "See the excerpt in context": "/checks/sources/city-report/#excerpt-bridge-cost-12-million-3",
        "Open the original at the quoted words": "https://news.example.com/bridge-report?id=7&lang=en"
        "#:~:text=The%20mayor%20said%20the,bridge%20of%20its%20size",
        "Archived copy": "https://web.archive.example/2025/https://news.example.com/bridge-report",
    }
    first = items[0].find("p", class_="evidence-links")
    assert "Original address not recorded" in first.get_text(" ", strip=True)
    assert [a.text.split(" (")[0].strip() for a in first.find_all("a")] == ["See the excerpt in context"]


# -- `check` refuses an edited snapshot at the excerpt's own line ---------------------------------------


def test_editing_a_snapshot_fails_check_at_the_excerpts_line(
    sample_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "project"
    shutil.copytree(sample_root, root, ignore=shutil.ignore_patterns("site"))
    snapshot = root / "content" / "snapshots" / "001_3a0c7e29f9594f2f.txt"
    text = snapshot.read_text()
    assert "I cannot confirm or deny this" in text
    snapshot.write_text(text.replace("I cannot confirm or deny this", "I cannot confirm nor deny this"))
    claims = (root / "claims.yaml").read_text().splitlines()
    lines = [n for n, line in enumerate(claims, 1) if "excerpt: I cannot confirm or deny this" in line]
    assert lines

    status = cli.main(["check", "--root", str(root)])
    out = capsys.readouterr().out
    assert status == 1
    errors = [line for line in out.splitlines() if line.endswith("[excerpt-not-found]")]
    assert [int(line.split(":")[1]) for line in errors] == lines
    assert all(line.startswith(f"claims.yaml:{n}:") for line, n in zip(errors, lines, strict=True))
    details = [line.strip() for line in out.splitlines() if line.startswith("    ")]
    assert details.count('closest passage: ""I cannot confirm nor deny this, even if I wanted to..."') == 2
    assert "differs: I cannot confirm [-or-] {+nor+} deny this, even … I wanted to" in details
    assert "differs: part 1 of 2: I cannot confirm [-or-] {+nor+} deny this, even … I wanted to" in details


@pytest.mark.parametrize("quoted", ["«the bridge cost 12 million euros»", "“the bridge cost 12 million euros”"])
def test_an_excerpt_put_in_quotation_marks_is_told_to_drop_them(project, capsys, quoted: str) -> None:
    """The guide warns of it; the report used to show a 'differs' line that marked no difference."""
    root = project("minimal")
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("excerpt: the bridge cost 12 million euros", f"excerpt: {quoted}"), encoding="utf-8")
    assert cli.main(["check", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "[excerpt-not-found]" in out
    assert "hint: remove the quotation marks around the excerpt: the source has none there" in out
    assert "differs:" not in out


@pytest.mark.parametrize(
    ("snapshot", "quoted"),
    [
        ("Il a déclaré : « La France est le premier investisseur. » Puis", "« La France est le premier investisseur »"),
        ('He said: "The bridge cost 12 million euros." Then', '"The bridge cost 12 million euros"'),
    ],
)
def test_an_excerpt_quoted_where_the_source_quotes_it_with_other_punctuation_is_told_so(
    project, capsys, snapshot: str, quoted: str
) -> None:
    """The source has the marks, and a full stop inside them: 'the source has none there' was wrong."""
    root = project("minimal")
    (root / "content" / "snapshots" / "gazette.txt").write_text(snapshot + "\n", encoding="utf-8")
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(
        text.replace("excerpt: the bridge cost 12 million euros", f"excerpt: '{quoted}'"), encoding="utf-8"
    )
    assert cli.main(["check", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "the source has none there" not in out
    assert (
        "hint: the source quotes these words, with other punctuation by its quotation marks (see the closest"
        " passage): copy them with it, or leave the marks out"
    ) in out
