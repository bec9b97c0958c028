"""Right-to-left languages: the page, and any claim written in another direction, say which way they read."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from factpress.i18n import text_direction
from factpress.pipeline import BuildOptions, build_site


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("ar", "rtl"), ("he", "rtl"), ("fa-IR", "rtl"), ("ur", "rtl"), ("ckb", "rtl"), ("yi", "rtl"),
        ("pa-Arab", "rtl"), ("az-Arab-IR", "rtl"), ("ku-Latn", "ltr"), ("uz_Arab", "rtl"),
        ("en", "ltr"), ("ja", "ltr"), ("ru", "ltr"), ("fr-CA", "ltr"), ("zh-Hant", "ltr"), ("AR", "rtl"),
    ],
)  # fmt: skip
def test_text_direction_of_a_language_tag(tag: str, expected: str) -> None:
    assert text_direction(tag) == expected


def set_language(root: Path, language: str) -> None:
    site = root / "content" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("language: en", f"language: {language}"), "utf-8")


def page(out: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser")


def set_claim_language(root: Path, language: str) -> None:
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    old = "  claim: The bridge cost 12 million euros.\n"
    claims.write_text(text.replace(old, f"{old}  language: {language}\n"), "utf-8")


def test_a_right_to_left_site_says_so_on_every_page(project, tmp_path: Path) -> None:
    root = project("minimal")
    set_language(root, "ar")
    set_claim_language(root, "en")
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    for path in ("index.html", "claims/bridge-cost/index.html", "embed/bridge-cost/index.html"):
        html = page(out, path).html
        assert (html["lang"], html.get("dir")) == ("ar", "rtl"), path
    claim = page(out, "claims/bridge-cost/index.html")
    heading = claim.select_one("h1.claim-text .quote")
    assert (heading["lang"], heading["dir"]) == ("en", "ltr")  # the English claim on an Arabic site reads left to right


def test_a_left_to_right_site_marks_only_what_reads_the_other_way(project, tmp_path: Path) -> None:
    root = project("minimal")
    set_claim_language(root, "he")
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    claim = page(out, "claims/bridge-cost/index.html")
    assert "dir" not in claim.html.attrs
    heading = claim.select_one("h1.claim-text .quote")
    assert (heading["lang"], heading["dir"]) == ("he", "rtl")
    quotes = claim.select(".evidence-list blockquote p")
    assert quotes and all(p["dir"] == "auto" for p in quotes)  # quoted words find their own way


def set_source_language(root: Path, source: str, language: str) -> None:
    sources = root / "content" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    old = f"- id: {source}\n"
    assert old in text
    sources.write_text(text.replace(old, f"{old}  language: {language}\n"), "utf-8")


def test_a_source_in_another_language_marks_its_quotes_and_text(project, tmp_path: Path) -> None:
    root = project("minimal")
    set_source_language(root, "gazette", "ar")
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    quote = page(out, "claims/bridge-cost/index.html").select_one(".evidence-list blockquote")
    assert (quote["lang"], quote["dir"]) == ("ar", "rtl")
    source = page(out, "sources/gazette/index.html")
    assert (source.select_one(".snapshot")["lang"], source.h1["lang"]) == ("ar", "ar")


def test_a_source_in_the_sites_language_is_not_marked(project, tmp_path: Path) -> None:
    root = project("minimal")
    set_source_language(root, "gazette", "en")
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    assert page(out, "claims/bridge-cost/index.html").select_one(".evidence-list blockquote").get("lang") is None


def test_a_source_language_that_is_not_a_code_is_an_error(project, capsys) -> None:
    from factpress import cli

    root = project("minimal")
    set_source_language(root, "gazette", "English")
    assert cli.main(["check", "--root", str(root)]) == 1
    assert (
        "content/sources.yaml:2:13: error: source 'gazette': 'English' is not a language code"
        in capsys.readouterr().out
    )


def test_a_right_to_left_sites_feeds_and_embed_card_read_right_to_left(project, tmp_path: Path) -> None:
    import json

    root = project("minimal")
    set_language(root, "ar")
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    atom = (out / "feed.xml").read_text(encoding="utf-8")
    assert '&lt;div lang="ar" dir="rtl"&gt;' in atom  # the entry's html, escaped in <content type="html">
    item = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]
    assert item["content_html"].startswith('<div lang="ar" dir="rtl">')
    card = page(out, "embed/bridge-cost/index.html").select_one(".who")
    assert card.bdi is not None and card.get_text().endswith("، ")  # the catalog's comma, the name isolated
    claim = page(out, "claims/bridge-cost/index.html")
    assert claim.select_one("textarea.embed-snippet")["dir"] == "ltr"  # HTML code reads left to right


def test_a_left_to_right_sites_feed_entries_are_not_wrapped(project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(BuildOptions(project("minimal"), out, search=False))
    assert "dir=" not in (out / "feed.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("site_language", "name", "isolated"),
    [("en", "عبد الله", True), ("ar", "Jane Doe", True), ("en", "Jane Doe", False)],
)
def test_a_claimant_read_the_other_way_is_isolated_from_the_date_in_listings(
    project, tmp_path: Path, site_language: str, name: str, isolated: bool
) -> None:
    """A listing showed "عبد الله, 2 March 2025" as "2 ,عبد الله March 2025": the day joined the name's run. <bdi> keeps
    them apart; a left-to-right name on a left-to-right site is left as it was."""
    root = project("minimal")
    set_language(root, site_language)
    people = root / "content" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("name: Jane Doe", f"name: {name}"), "utf-8")
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    meta = page(out, "index.html").select_one(".claim-card .claim-meta")
    link = meta.find("a", string=name)
    assert link is not None
    assert (link.parent.name == "bdi") is isolated
    assert meta.get_text().startswith(f"{name},") or meta.get_text().startswith(f"{name}،")
