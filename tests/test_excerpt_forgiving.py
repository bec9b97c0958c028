"""Three more things copy-paste and archiving change, forgiven through `check` and shown on the site.

A snapshot saved from a PDF breaks words at line ends (`govern-` / `ment`); a dash is typed as `--`
or `---`; a thousands separator is a no-break, narrow no-break or thin space. Each excerpt below
is typed as an editor would; `check` must accept it, the source page must highlight the snapshot's
own words, and the text fragment must land on them. A changed word must still fail.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from test_sources import marks_from

from factpress import cli
from factpress.excerpts import find_excerpt, fold
from factpress.link import text_fragment
from factpress.pipeline import BuildOptions, build_site

SITES = Path(__file__).resolve().parent / "sites"

#: A PDF's text as a snapshot: words broken at line ends (once with spaces left before the break,
#: once at a soft hyphen), a real compound broken there, spaced em dashes, hyphens typed as
#: dashes, and numbers grouped by no-break, narrow no-break and thin spaces.
REPORT = (
    "BUDGET REPORT 2025\n"
    "\n"
    "The minister said the govern-\n"
    "ment would cut the deficit by half, a well-\n"
    "known promise. Critics called it a long-  \n"
    "  term gamble and said pen\u00ad\n"
    "sions would pay for it.\n"
    "\n"
    "The deficit \u2014 the largest in a decade \u2014 fell to 1\u202f000\u202f000 euros, while "
    "2\u00a0500 nurses and 3\u2009000 teachers were hired.\n"
    "\n"
    "Asked twice, he said--and repeated---that costs\u2013benefits were balanced; 4 000 doctors agreed.\n"
)

#: (excerpt as typed, the snapshot's words it must highlight)
FORGIVEN = [
    ("the government would cut the deficit by half", "the govern-\nment would cut the deficit by half"),
    ("a well-known promise", "a well-\nknown promise"),
    ("a long-term gamble", "a long-  \n  term gamble"),
    ("said pensions would pay", "said pen\u00ad\nsions would pay"),
    (
        "The deficit -- the largest in a decade -- fell",
        "The deficit \u2014 the largest in a decade \u2014 fell",
    ),
    ("largest in a decade---fell", "largest in a decade \u2014 fell"),
    ("he said \u2014 and repeated \u2014 that", "he said--and repeated---that"),
    ("costs -- benefits", "costs\u2013benefits"),
    (
        "1 000 000 euros, while 2 500 nurses and 3 000 teachers",
        "1\u202f000\u202f000 euros, while 2\u00a0500 nurses and 3\u2009000 teachers",
    ),
    ("4\u00a0000 doctors agreed", "4 000 doctors agreed"),
]

CLAIM = """\
- id: budget-halved
  claim: The deficit will be cut by half.
  claimant: jane-doe
  claim_date: 2025-03
  appearances:
    - {{title: Budget speech, url: https://council.example.com/budget}}
  verdict: true
  summary: The report says so.
  analysis: The report says so ([report](#budget-pdf)).
  evidence:
{evidence}
  authors: [desk]
  published: 2025-03-06
"""

SOURCE = """\
- id: budget-pdf
  title: Budget report 2025
  publisher: The Treasury
  published: 2025-03-01
  url: https://treasury.example.com/budget-2025.pdf
  snapshot: snapshots/budget.txt
"""


def make_project(root: Path, excerpts: list[str]) -> Path:
    """The minimal site with the budget report as a second source, cited once per excerpt."""
    shutil.copytree(SITES / "minimal", root)
    (root / "content" / "snapshots" / "budget.txt").write_text(REPORT, encoding="utf-8")
    sources = root / "content" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + SOURCE, encoding="utf-8")
    items = "\n".join(
        f"    - source: budget-pdf\n      excerpt: {json.dumps(excerpt, ensure_ascii=False)}\n      note: Quoted."
        for excerpt in excerpts
    )
    claims = root / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8") + CLAIM.format(evidence=items), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("forgiving") / "project", [typed for typed, _ in FORGIVEN])
    return build_site(BuildOptions(root, root / "site", search=False)).out


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def rendered(text: str) -> tuple[str, list[int]]:
    """What a browser searches a page's text as (Chromium, tried): soft hyphens unseen, any run of white
    space (no-break, narrow, thin) one space, case ignored; and the offset in `text` of each character."""
    chars: list[str] = []
    where: list[int] = []
    for offset, char in enumerate(text):
        if char == "\u00ad":
            continue
        if char.isspace():
            if chars and chars[-1] == " ":
                continue
            char = " "
        chars.append(char.lower())
        where.append(offset)
    return "".join(chars), where


def landing(text: str, fragment: str) -> str:
    """The words of `text` a text directive (`prefix-,start,end`) lands on, as a browser finds them."""
    terms = fragment.removeprefix(":~:text=").split(",")
    prefix = unquote(terms.pop(0)[:-1]) if terms[0].endswith("-") else ""
    start, end = unquote(terms[0]), unquote(terms[1]) if len(terms) > 1 else ""
    searched, where = rendered(text)
    prefix, start = rendered(prefix)[0], rendered(start)[0]
    at = searched.find(f"{prefix} {start}") + len(prefix) + 1 if prefix else searched.find(start)
    assert at >= 0 and (not prefix or at > len(prefix)), fragment
    stop = at + len(start)
    if end:
        found = searched.find(rendered(end)[0], stop)
        assert found >= 0, fragment
        stop = found + len(rendered(end)[0])
    return text[where[at] : where[stop - 1] + 1]


def test_check_accepts_what_copy_paste_and_pdfs_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "project", [typed for typed, _ in FORGIVEN])
    assert cli.main(["check", "--root", str(root)]) == 0, capsys.readouterr().out


def test_an_excerpt_pasted_from_the_pdf_across_two_yaml_lines_is_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pasted as the PDF shows it, `govern-` ending a YAML line: YAML joins the lines with a space. It was
    found before (both texts read `govern- ment`); a broken word must be one after any white space, not
    only a line break, for it still to be."""
    root = make_project(tmp_path / "project", ["placeholder"])
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(
        text.replace('excerpt: "placeholder"', "excerpt: the minister said the govern-\n        ment would cut"),
        encoding="utf-8",
    )
    assert "govern-\n        ment" in claims.read_text(encoding="utf-8")
    assert cli.main(["check", "--root", str(root)]) == 0, capsys.readouterr().out


@pytest.mark.parametrize(("number", "typed", "words"), [(n, t, w) for n, (t, w) in enumerate(FORGIVEN, 1)])
def test_the_source_page_highlights_the_snapshots_own_words(site: Path, number: int, typed: str, words: str) -> None:
    soup = page(site, "sources/budget-pdf")
    anchor = soup.find(id=f"excerpt-budget-halved-{number}")
    assert anchor is not None, typed
    assert " ".join(marks_from(anchor).split()) == " ".join(words.split())


@pytest.mark.parametrize(("number", "typed", "words"), [(n, t, w) for n, (t, w) in enumerate(FORGIVEN, 1)])
def test_the_text_fragment_lands_on_the_snapshots_own_words(site: Path, number: int, typed: str, words: str) -> None:
    soup = page(site, "claims/budget-halved")
    item = soup.find(id=f"evidence-{number}")
    links = [a["href"] for a in item.find("p", class_="evidence-links").find_all("a")]
    [original] = [href for href in links if href.startswith("https://treasury.example.com/")]
    fragment = urlsplit(original).fragment
    assert fragment.startswith(":~:text=")
    landed = landing(REPORT, fragment)
    # the browser lands on the words, widened at most to whole words
    assert " ".join(words.split()).lower() in " ".join(landed.split()).lower(), (typed, fragment)
    assert len(landed) - len(words) <= 8, (typed, fragment, landed)


@pytest.mark.parametrize(
    ("typed", "differs"),
    [
        (
            "the government would cut the debt by half",
            "differs: the government would cut the [-debt-] {+deficit+} by half",
        ),
        ("the govern ment would cut", "differs: the [-govern ment-] {+govern-ment+} would cut"),
        ("said pen-sions would", "differs: in punctuation only: said [-pen-sions-] {+pensions+} would"),
        ("The deficit -- the biggest in a decade", "differs: The deficit -- the [-biggest-] {+largest+} in a decade"),
        ("The deficit\u2014the biggest", "differs: The deficit\u2014the [-biggest-] {+largest+}"),
        ("The deficit -- the largest -- in a decade", "differs: The deficit -- the largest [----] in a decade"),
        ("fell to 1,000,000 euros", "differs: fell to [-1,000,000-] {+1 000 000+} euros"),
        ("fell to 1.000.000 euros", "differs: fell to [-1.000.000-] {+1 000 000+} euros"),
        ("fell to 1000000 euros", "differs: fell to [-1000000-] {+1 000 000+} euros"),
        ("while 2 400 nurses", "differs: while 2 [-400-] {+500+} nurses"),
        ("he said--and insisted---that", "differs: he said--and [-insisted-] {+repeated+}"),
    ],
)
def test_a_changed_word_still_fails_with_a_sensible_closest_passage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], typed: str, differs: str
) -> None:
    root = make_project(tmp_path / "project", [typed])
    assert cli.main(["check", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "[excerpt-not-found]" in out
    assert differs in out, out


def test_a_quote_starting_with_a_lines_last_words_lands_on_them_by_a_prefix() -> None:
    """A PDF's text has no blank lines: each line is a paragraph, where a text directive's terms stop. A
    quote starting with a line's last words (`the govern-`) takes textStart from them alone, and the
    same words end an earlier line: a prefix makes the browser land on the quoted ones."""
    snapshot = (
        "The minister said that the govern-\n"
        "ment would cut the deficit by half this year and the govern-\n"
        "ment would also cut taxes for every family in the country.\n"
    )
    folded = fold(snapshot)
    spans = find_excerpt("the government would also cut taxes for every family", folded)
    assert spans is not None
    assert [snapshot[s.start : s.end] for s in spans] == ["the govern-\nment would also cut taxes for every family"]
    fragment = text_fragment("the government would also cut taxes for every family", folded, spans)
    assert fragment.startswith(":~:text=and-,the%20govern%2D,")
    assert landing(snapshot, fragment) == "the govern-\nment would also cut taxes for every family"
