"""Source pages and the sources index: every excerpt highlighted in place, every evidence link landing."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from promptly import promptly

from factpress.link import link_site
from factpress.load import load_project
from factpress.pipeline import BuildOptions, build_site, check_site
from factpress.segments import joined_line_breaks, source_paragraphs

SITES = Path(__file__).resolve().parent / "sites"


def read_page(site: Path, url_path: str) -> BeautifulSoup:
    """The built page behind a site path such as /checks/sources/x/ (base path stripped by the caller)."""
    return BeautifulSoup((site / url_path.strip("/") / "index.html").read_text(), "html.parser")


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def evidence_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sources") / "project"
    shutil.copytree(SITES / "evidence", root)
    return root


@pytest.fixture(scope="module")
def evidence_site(evidence_root: Path) -> Path:
    """tests/sites/evidence built once (base path /checks/): overlaps, ellipses, no-url sources."""
    return build_site(BuildOptions(evidence_root, evidence_root / "site", search=False)).out


def source_page(site: Path, source_id: str) -> BeautifulSoup:
    return read_page(site, f"sources/{source_id}")


def facts(soup: BeautifulSoup) -> dict[str, str]:
    dl = soup.find("dl", class_="source-facts")
    return {dt.text: squash(dt.find_next_sibling("dd").text) for dt in dl.find_all("dt")}


# -- the header ---------------------------------------------------------------------------------------


def test_a_source_header_names_publisher_dates_addresses_and_digest(evidence_site: Path, evidence_root: Path) -> None:
    soup = source_page(evidence_site, "city-report")
    digest = hashlib.sha256((evidence_root / "content/snapshots/city-report.txt").read_bytes()).hexdigest()
    assert soup.find("h1").text == "Bridge costs: the full report"
    assert facts(soup) == {
        "Publisher": "City News",
        "Published": "1 March 2025",
        "Archived": "2 March 2025",
        "Original": "https://news.example.com/bridge-report?id=7&lang=en",
        "Archived copy": "https://web.archive.example/2025/https://news.example.com/bridge-report",
        "SHA-256 of the archived text": digest,
    }
    dl = soup.find("dl", class_="source-facts")
    assert [a["href"] for a in dl.find_all("a")] == [
        "https://news.example.com/bridge-report?id=7&lang=en",
        "https://web.archive.example/2025/https://news.example.com/bridge-report",
    ]
    assert [t["datetime"] for t in dl.find_all("time")] == ["2025-03-01", "2025-03-02"]


def test_a_source_without_an_address_or_publisher_says_so_plainly(evidence_site: Path) -> None:
    minutes = facts(source_page(evidence_site, "council-minutes"))
    assert (minutes["Original"], minutes["Published"]) == ("Original address not recorded", "Date not recorded")
    assert "Archived copy" not in minutes
    assert facts(source_page(evidence_site, "radio-transcript"))["Publisher"] == "Not named in the archived text"


@pytest.mark.parametrize(("language", "shown"), [("en", "June 2019"), ("fr", "juin 2019")])
def test_a_source_known_only_by_its_month_shows_the_month(project, tmp_path: Path, language: str, shown: str) -> None:
    """The page says the month; the API keeps `published` a full date (null here) and gives the month beside it."""
    import json

    root = project("minimal")
    sources = root / "content" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("2025-03-01", "2019-06"), encoding="utf-8")
    site_yaml = root / "content" / "site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8").replace("language: en", f"language: {language}"), encoding="utf-8"
    )
    build_site(BuildOptions(root, tmp_path / "out", search=False))
    dl = source_page(tmp_path / "out", "gazette").find("dl", class_="source-facts")
    assert [(t.text, t["datetime"]) for t in dl.find_all("time")] == [(shown, "2019-06")]
    [source] = json.loads((tmp_path / "out" / "api" / "claims.json").read_text())["claims"][0]["sources"]
    assert (source["published"], source["published_as_known"]) == (None, "2019-06")


def test_the_digest_is_of_the_files_bytes_not_the_decoded_text(project) -> None:
    root = project("evidence")
    snapshot = root / "content" / "snapshots" / "radio-transcript.txt"
    raw = b"\xef\xbb\xbf" + snapshot.read_bytes().replace(b"\n", b"\r\n")  # BOM and CRLF: the text is unchanged
    snapshot.write_bytes(raw)
    loaded = load_project(root).snapshots["snapshots/radio-transcript.txt"]
    assert loaded.sha256 == hashlib.sha256(raw).hexdigest()
    assert loaded.sha256 != hashlib.sha256(loaded.text.encode()).hexdigest()


def test_every_sample_snapshot_digest_matches_its_file(sample_root: Path, built_site: Path) -> None:
    site, _ = check_site(sample_root)
    for source in site.sources:
        expected = hashlib.sha256(
            (sample_root / "content" / source.snapshot.path.removeprefix("content/")).read_bytes()
        )
        assert source.snapshot.sha256 == expected.hexdigest()
        shown = source_page(built_site, source.id).find("code", class_="digest").text
        assert shown == expected.hexdigest()


# -- excerpts highlighted in place ----------------------------------------------------------------------


def marks_from(anchor: Tag) -> str:
    """The highlighted text from an excerpt's anchor to the next unmarked text (overlaps included)."""
    node = anchor if anchor.name == "mark" else anchor.find_next_sibling("mark")
    text = ""
    while isinstance(node, Tag) and node.name in ("mark", "a", "span"):
        if node.name == "mark":
            text += node.text
        node = node.next_sibling
    return text


def test_every_sample_excerpt_is_highlighted_on_its_source_page(sample_root: Path, built_site: Path) -> None:
    site, _ = check_site(sample_root)
    library = link_site(site)
    checked = 0
    for claim in library.claims:
        for ev in claim.evidence:
            snapshot = ev.source.source.snapshot.text
            soup = source_page(built_site, ev.source.id)
            for index, span in enumerate(ev.evidence.spans):
                anchor_id = ev.anchor if index == 0 else f"{ev.anchor}_{index + 1}"
                anchor = soup.find(id=anchor_id)
                assert anchor is not None, anchor_id
                assert anchor.name == "mark" or (anchor.name == "span" and anchor.find_next_sibling("mark"))
                assert anchor.find_parent("div", class_="snapshot") is not None
                assert squash(marks_from(anchor)).startswith(squash(snapshot[span.start : span.end]))
                checked += 1
            assert soup.find("a", class_="mark-ref", href=f"{claim.url}#evidence-{ev.number}") is not None
    assert checked >= sum(len(c.evidence) for c in library.claims) > 0


def test_every_evidence_link_lands_on_an_element_that_exists(built_site: Path) -> None:
    """Parse every claim page, follow each evidence link, find its target id; and back again."""
    claim_pages = sorted((built_site / "claims").glob("*/index.html"))
    assert claim_pages
    followed = 0
    for path in claim_pages:
        soup = BeautifulSoup(path.read_text(), "html.parser")
        for item in soup.find("ol", class_="evidence-list").find_all("li", recursive=False):
            context = item.find("p", class_="evidence-links").find("a")
            parts = urlsplit(context["href"])
            target = read_page(built_site, parts.path)
            landed = target.find(id=parts.fragment)
            assert landed is not None and landed.name in ("mark", "span"), context["href"]
            # the highlight links back to this evidence item, which exists
            back = target.find("a", class_="mark-ref", href=f"/claims/{path.parent.name}/#{item['id']}")
            assert back is not None
            followed += 1
        for cite in soup.find("div", class_="prose").find_all("a", class_="cite"):
            href = cite["href"]
            assert soup.find(id=href[1:]) if href.startswith("#") else (built_site / href.strip("/")).is_dir()
    assert followed >= len(claim_pages)


def test_overlapping_and_elided_excerpts_are_highlighted_part_by_part(evidence_site: Path) -> None:
    soup = source_page(evidence_site, "city-report")
    paragraph = soup.find(id="excerpt-bridge-steel-late-3").find_parent("p")
    runs = [
        (node.name or "text", node.get("id", "") if isinstance(node, Tag) else "", squash(node.text))
        for node in paragraph.children
        if not (isinstance(node, Tag) and node.name == "a")
    ]
    assert runs == [
        # two fact-checks' excerpts start at the same word: one id on the mark, one on an empty span
        ("span", "excerpt-bridge-cost-12-million-3", ""),
        ("mark", "excerpt-bridge-steel-late-3", "The mayor said the bridge cost"),
        ("mark", "", "12 million euros"),
        ("text", "", ", “"),
        ("mark", "excerpt-bridge-cost-12-million-3_2", "less than any bridge of its size"),  # after the ellipsis
        ("text", "", "in the region”."),
        ("mark", "excerpt-bridge-cost-12-million-2", "The council\u2019s own figures put the cost at"),
        ("mark", "excerpt-bridge-steel-late-2", "14 million euros — a difference the mayor did not explain."),
    ]
    overlap = [m.text for m in paragraph.find_all("mark", class_="overlap")]
    assert overlap == ["The mayor said the bridge cost", "14 million euros — a difference the mayor did not explain."]
    # the excerpt crossing into the next paragraph is highlighted there too, and its link follows its end
    following = paragraph.find_next_sibling("p")
    assert squash(following.find("mark").text) == "Engineers said the steel came from three suppliers"
    assert following.find("mark").find_next_sibling("a")["href"] == "/checks/claims/bridge-steel-late/#evidence-2"


def test_each_highlight_is_followed_by_links_to_every_fact_check_citing_it(evidence_site: Path) -> None:
    soup = source_page(evidence_site, "city-report")
    mark = soup.find(id="excerpt-bridge-steel-late-2")
    links = []
    for node in mark.next_siblings:
        if not (isinstance(node, Tag) and node.name == "a"):
            break
        links.append(node)
    assert [a["href"] for a in links] == [
        "/checks/claims/bridge-cost-12-million/#evidence-2",
        "/checks/claims/bridge-steel-late/#evidence-2",
    ][: len(links)]
    french = soup.find("a", class_="mark-ref", href="/checks/claims/bridge-steel-late/#evidence-1")
    assert (french["aria-label"], french["lang"]) == ("L'acier du pont a été livré en retard.", "fr")
    assert french.text == ""  # the arrow is CSS: no text node to break a text fragment across the link


def test_the_list_of_citing_fact_checks_links_each_quoted_excerpt(evidence_site: Path) -> None:
    soup = source_page(evidence_site, "city-report")
    items = soup.find("ul", class_="citation-list").find_all("li", recursive=False)
    listed = [
        (li.find("a")["href"], [a["href"] for a in li.find("span", class_="excerpt-links").find_all("a")])
        for li in items
    ]
    assert listed == [
        (
            "/checks/claims/bridge-steel-late/",
            ["#excerpt-bridge-steel-late-1", "#excerpt-bridge-steel-late-2", "#excerpt-bridge-steel-late-3"],
        ),
        (
            "/checks/claims/bridge-cost-12-million/",
            [
                "#excerpt-bridge-cost-12-million-2",
                "#excerpt-bridge-cost-12-million-3",
                "#excerpt-bridge-cost-12-million-4",
            ],
        ),
    ]
    for href in (h for _, hrefs in listed for h in hrefs):
        assert soup.find(id=href[1:]) is not None


def test_the_archived_text_reads_as_the_snapshot(evidence_site: Path, evidence_root: Path) -> None:
    """Highlighting adds markup but never adds, drops or reorders a word of the archived text."""
    soup = source_page(evidence_site, "city-report")
    for link in soup.select("div.snapshot a.mark-ref"):
        link.decompose()
    paragraphs = [squash(p.text) for p in soup.find("div", class_="snapshot").find_all("p")]
    text = (evidence_root / "content/snapshots/city-report.txt").read_text()
    assert paragraphs == [squash(p) for p in text.split("\n\n") if p.strip()]


def test_segments_cover_the_text_once_and_mark_exactly_the_cited_spans(evidence_root: Path) -> None:
    site, _ = check_site(evidence_root)
    source = link_site(site).sources_by_id["city-report"]
    text = source.source.snapshot.text
    marked = {i for c in source.citations for s in c.evidence.evidence.spans for i in range(s.start, s.end)}
    at, highlighted = 0, set()
    for paragraph in source_paragraphs(source):
        for segment in paragraph:
            at = text.index(segment.text, at)
            if segment.marked:
                highlighted |= set(range(at, at + len(segment.text)))
            at += len(segment.text)
    # every cited character is highlighted except the blank lines between paragraphs
    assert {i for i in marked if not text[i].isspace()} <= highlighted <= marked


def test_the_source_page_snapshot(evidence_site: Path, file_regression) -> None:
    main = source_page(evidence_site, "city-report").find("main")
    file_regression.check(main.prettify(), extension=".html")


# -- the sources index ----------------------------------------------------------------------------------


def index_groups(site: Path) -> list[tuple[str, list[tuple[str, str, str]]]]:
    soup = read_page(site, "sources")
    groups = []
    for section in soup.find("main").find_all("section"):
        rows = [
            (li.find("a")["href"], li.find("a").text, li.find("span", class_="count").text)
            for li in section.find_all("li")
        ]
        groups.append((section.find("h2").text, rows))
    return groups


def test_the_sources_index_groups_by_publisher_with_citing_counts(evidence_site: Path) -> None:
    assert index_groups(evidence_site) == [
        (
            "City News",
            [
                ("/checks/sources/city-report/", "Bridge costs: the full report", "cited by 2 fact-checks"),
                ("/checks/sources/council-minutes/", "Council minutes, 3 March", "cited by 0 fact-checks"),
            ],
        ),
        (
            "Publisher not named",
            [("/checks/sources/radio-transcript/", "Morning show transcript", "cited by 1 fact-check")],
        ),
    ]


def test_the_sample_sources_index_counts_what_the_claims_cite(sample_root: Path, built_site: Path) -> None:
    site, _ = check_site(sample_root)
    published = [c for c in site.claims if not c.draft]
    citing = {s.id: {c.id for c in published if any(e.source == s.id for e in c.evidence)} for s in site.sources}
    rows = {href: count for _, group in index_groups(built_site) for href, _, count in group}
    assert len(rows) == len(site.sources)
    for source_id, claims in citing.items():
        n = len(claims)
        assert rows[f"/sources/{source_id}/"] == f"cited by {n} fact-check{'' if n == 1 else 's'}"


def test_a_line_break_between_japanese_characters_shows_no_space(project, tmp_path: Path) -> None:
    """A Japanese snapshot saved from a PDF breaks lines anywhere; a browser would show each break as a
    space, which Japanese does not write. A break beside a Latin word stays, and the excerpt stays marked."""
    root = project("minimal")
    snapshot = next((root / "content" / "snapshots").iterdir())
    snapshot.write_text(
        "市の報道発表資料\n令和７年３月\n\n橋の費用は\n十二億円だった。the bridge cost 12 million euros\n終わり",  # noqa: RUF001
        encoding="utf-8",
    )
    build_site(BuildOptions(root, tmp_path / "out", search=False))
    paragraphs = source_page(tmp_path / "out", "gazette").find("div", class_="snapshot").find_all("p")
    assert [p.get_text() for p in paragraphs] == [
        "市の報道発表資料令和７年３月",
        "橋の費用は十二億円だった。the bridge cost 12 million euros\n終わり",
    ]
    assert paragraphs[1].find("mark").get_text() == "the bridge cost 12 million euros"


def test_a_run_of_blanks_in_a_snapshot_is_read_once() -> None:
    """Blanks that no line break ends were read again from each blank: a 32 KB run took 1 s, a few MB hours."""
    text = "\u4e2d\n\u6587 " + " " * 1_000_000 + "x \n \u6587"
    with promptly():
        assert joined_line_breaks(text) == [(1, 2)]
    assert joined_line_breaks("\u4e2d \t\n \u6587\n\n\u6587 \n\u4e2d") == [(1, 5), (9, 11)]
