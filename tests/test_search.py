"""The search stage and the markup it relies on: what is indexed, with which filters, and the forms that lead to it.

The built pages are read with BeautifulSoup; Pagefind itself runs in the session's sample build and
in two small folders here. The browser side is in test_search_browser.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from factpress.link import Library, link_site
from factpress.pipeline import BuildOptions, build_site, check_site
from factpress.render import OutputFile
from factpress.search import (
    SearchIndexError,
    index_site,
    pagefind_command,
    searchable_pages,
)


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> dict[str, BeautifulSoup]:
    """Every HTML page of a build (the Pagefind bundle aside), by path inside the site."""
    return {
        p.relative_to(site).as_posix(): soup_of(p)
        for p in sorted(site.rglob("*.html"))
        if p.relative_to(site).parts[0] != "pagefind"
    }


@pytest.fixture(scope="module")
def library(sample_root: Path) -> Library:
    site, _ = check_site(sample_root)
    return link_site(site)


@pytest.fixture(scope="module")
def pages(built_site: Path) -> dict[str, BeautifulSoup]:
    return html_pages(built_site)


def claim_page(pages: dict[str, BeautifulSoup], claim_id: str) -> BeautifulSoup:
    return pages[f"claims/{claim_id}/index.html"]


def values(soup: BeautifulSoup, attribute: str, name: str) -> list[str]:
    return [e.get_text() for e in soup.find_all(attrs={attribute: name})]


def test_only_published_fact_checks_are_marked_for_the_index(pages, library) -> None:
    marked = {path for path, soup in pages.items() if soup.find_all(attrs={"data-pagefind-body": True})}
    assert marked == {f"claims/{c.claim.id}/index.html" for c in library.claims}
    for path in marked:
        assert len(pages[path].find_all(attrs={"data-pagefind-body": True})) == 1, path


def test_filters_and_metadata_come_from_the_model(pages, library) -> None:
    for claim in library.claims:
        soup = claim_page(pages, claim.claim.id)
        where = claim.claim.id
        assert values(soup, "data-pagefind-filter", "verdict") == [claim.verdict.label], where
        assert values(soup, "data-pagefind-filter", "claimant") == [claim.claimant.name], where
        assert values(soup, "data-pagefind-filter", "topic") == [t.name for t in claim.topics], where
        assert values(soup, "data-pagefind-filter", "language") == [claim.claim.language], where
        assert values(soup, "data-pagefind-meta", "title") == [claim.claim.claim], where
        assert values(soup, "data-pagefind-meta", "verdict_key") == [claim.verdict.key], where
        assert values(soup, "data-pagefind-meta", "date") == [claim.claim.published.isoformat()], where
        sorts = [e["data-pagefind-sort"] for e in soup.find_all(attrs={"data-pagefind-sort": True})]
        assert sorts == [f"date:{claim.claim.published.isoformat()}"], where


def test_filter_values_are_hidden_and_kept_out_of_the_indexed_text(pages, library) -> None:
    for claim in library.claims:
        soup = claim_page(pages, claim.claim.id)
        for element in soup.find_all(attrs={"data-pagefind-filter": True}):
            block = element.find_parent(attrs={"data-pagefind-ignore": True})
            assert block is not None and block.has_attr("hidden"), (claim.claim.id, element)


def test_a_claim_in_another_language_carries_its_lang_and_the_page_keeps_the_sites(pages, library) -> None:
    foreign = [c for c in library.claims if c.claim.language != library.config.language]
    assert foreign, "the sample site has a claim in another language"
    for claim in foreign:
        soup = claim_page(pages, claim.claim.id)
        assert soup.html["lang"] == library.config.language
        assert soup.find(attrs={"data-pagefind-meta": "title"})["lang"] == claim.claim.language


def test_drafts_are_never_indexed_even_in_a_preview(sample_root: Path, tmp_path: Path) -> None:
    result = build_site(BuildOptions(sample_root, tmp_path / "site", drafts=True, search=False))
    site, _ = check_site(sample_root)
    drafts = [c.id for c in site.claims if c.draft]
    assert drafts, "the sample site has a draft"
    for claim_id in drafts:
        soup = soup_of(result.out / "claims" / claim_id / "index.html")
        assert soup.find(attrs={"data-pagefind-body": True}) is None, claim_id


def test_one_index_holds_every_language(built_site: Path, library: Library) -> None:
    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == [library.config.language]
    assert entry["languages"][library.config.language]["page_count"] == len(library.claims)


def test_the_search_page_is_a_plain_get_form_with_labelled_controls(pages) -> None:
    soup = pages["search/index.html"]
    form = soup.find("form", id="search-form")
    assert form["method"] == "get" and form["action"] == "/search/"
    assert form["role"] == "search" and form["aria-label"]
    controls = form.find_all(["input", "select"])
    assert {c["name"] for c in controls} == {"q", "verdict", "claimant", "topic", "language", "sort"}
    for control in controls:
        labels = soup.find_all("label", attrs={"for": control["id"]})
        assert len(labels) == 1 and labels[0].get_text(strip=True), control["id"]
    status = soup.find(id="search-status")
    assert status["role"] == "status" and status["aria-live"] == "polite"


def test_the_verdict_filter_lists_the_scale_best_first(pages, library) -> None:
    options = pages["search/index.html"].find("select", attrs={"name": "verdict"}).find_all("option")
    assert [o["value"] for o in options] == ["", *(v.label for v in library.scale)]


def test_the_search_page_has_no_inline_script_or_style(pages) -> None:
    soup = pages["search/index.html"]
    scripts = soup.find_all("script")
    data_blocks = ("application/ld+json", "application/json")  # never run: a data block needs no CSP allowance
    assert [s for s in scripts if not s.get("src") and s.get("type") not in data_blocks] == []
    assert soup.find_all(attrs={"style": True}) == []
    assert soup.find_all("style") == []
    assert any(s.get("src") == "/static/search.js" and s.get("type") == "module" for s in scripts)


def test_every_page_has_the_header_search_form(pages) -> None:
    for path, soup in pages.items():
        header = soup.find("header", class_="site-header")
        if header is None:
            assert path.startswith("embed/"), f"{path} has no site header"
            continue
        form = header.find("form", attrs={"role": "search"})
        assert form is not None, path
        assert form["method"] == "get" and form["action"] == "/search/", path
        field = form.find("input", attrs={"name": "q"})
        label = soup.find("label", attrs={"for": field["id"]})
        assert label is not None and label.get_text(strip=True), path


def test_searchable_pages_are_those_marked_in_memory() -> None:
    outputs = [
        OutputFile("claims/a/index.html", b"<article data-pagefind-body><h1>A</h1></article>"),
        OutputFile("claims/index.html", b"<ol><li>A</li></ol>"),
        OutputFile("static/x.css", b"data-pagefind-body"),
        OutputFile("static/logo.svg", None, Path("logo.svg")),
    ]
    assert searchable_pages(outputs) == ["claims/a/index.html"]


def test_a_site_with_nothing_to_index_gets_a_bundle_that_finds_nothing(tmp_path: Path) -> None:
    html = (
        b'<!DOCTYPE html><html lang="en"><head><title>Home</title></head><body><p>No fact-checks yet.</p></body></html>'
    )
    (tmp_path / "index.html").write_bytes(html)
    report = index_site(tmp_path, [OutputFile("index.html", html)], language="en")
    assert report.pages == 0
    bundle = (tmp_path / "pagefind" / "pagefind.js").read_text(encoding="utf-8")
    for name in ("options", "init", "filters", "search"):
        assert f"export async function {name}(" in bundle


def test_pagefind_indexes_only_the_marked_page(tmp_path: Path) -> None:
    marked = '<!DOCTYPE html><html lang="en"><head><title>A</title></head><body><main data-pagefind-body>'
    marked += "<h1>Bananas are not banned</h1></main></body></html>"
    listing = '<!DOCTYPE html><html lang="en"><head><title>List</title></head><body>Bananas everywhere</body></html>'
    (tmp_path / "claims" / "a").mkdir(parents=True)
    (tmp_path / "claims" / "a" / "index.html").write_text(marked, encoding="utf-8")
    (tmp_path / "index.html").write_text(listing, encoding="utf-8")
    outputs = [OutputFile("claims/a/index.html", marked.encode()), OutputFile("index.html", listing.encode())]
    report = index_site(tmp_path, outputs, language="en")
    assert report.pages == 1
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()


def test_the_index_is_forced_to_the_sites_language() -> None:
    command = pagefind_command(Path("/site"), "pt-BR")
    assert command[command.index("--force-language") + 1] == "pt-br"
    assert "--force-language" not in pagefind_command(Path("/site"), None)


def test_a_pagefind_failure_is_reported_with_its_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    failing = [sys.executable, "-c", "import sys; print('Error: the index exploded'); sys.exit(3)"]
    monkeypatch.setattr("factpress.search.pagefind_command", lambda folder, language: failing)
    with pytest.raises(SearchIndexError, match="the index exploded"):
        index_site(tmp_path)
