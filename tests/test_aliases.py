"""A renamed fact-check keeps its old addresses: other sites' links and embedded cards still lead to it."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

from bs4 import BeautifulSoup
from test_validate import claims

from factpress.pipeline import BuildOptions, build_site
from factpress.validate import validate_project


def problems_of(raw_project, text: str) -> list[tuple[str, str, int]]:
    _site, problems = validate_project(raw_project({"claims.yaml": text}))
    return [(p.code, p.severity, p.location.line) for p in problems]


def test_aliases_are_ids_other_than_its_own(raw_project) -> None:
    assert problems_of(raw_project, claims(aliases="[bridge-price, bridge-price]")) == []
    assert problems_of(raw_project, claims(aliases="[Bridge Price]")) == [("invalid-id", "error", 16)]
    assert problems_of(raw_project, claims(aliases="[bridge-cost]")) == [("duplicate-id", "warning", 16)]


def test_an_alias_leads_to_one_fact_check_only(raw_project) -> None:
    first = claims(aliases="[old-bridge]")
    second = claims(aliases="[old-bridge]").replace("id: bridge-cost", "id: bridge-cost-2")
    assert problems_of(raw_project, first + second) == [("duplicate-id", "error", 17)]
    third = claims(aliases="[bridge-cost-2]")
    assert problems_of(raw_project, third + claims().replace("id: bridge-cost", "id: bridge-cost-2")) == [
        ("duplicate-id", "error", 1)
    ]


def test_the_old_addresses_lead_to_the_new_ones(project, tmp_path: Path) -> None:
    root = project("full")  # bridge-cost was bridge-price
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    for old, new in [("claims/bridge-price/", "/claims/bridge-cost/"), ("embed/bridge-price/", "/embed/bridge-cost/")]:
        soup = BeautifulSoup((out / old / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={new}"
        assert soup.find("link", rel="canonical")["href"] == f"https://full.example.org{new}"
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert soup.h1.a["href"] == new
    for old, new in [
        ("oembed/bridge-price.json", "oembed/bridge-cost.json"),
        ("cards/bridge-price.png", "cards/bridge-cost.png"),
    ]:
        assert (out / old).read_bytes() == (out / new).read_bytes()
    assert json.loads((out / "oembed/bridge-price.json").read_text())["html"]  # the card, with its new addresses
    old_page = BeautifulSoup((out / "claims/bridge-price/index.html").read_text(encoding="utf-8"), "html.parser")
    discovery = old_page.find("link", type="application/json+oembed")["href"]  # a CMS given the old address
    assert discovery == "https://full.example.org/oembed/bridge-price.json"
    assert old_page.find("meta", property="og:image")["content"] == "https://full.example.org/cards/bridge-price.png"
    assert old_page.find("meta", property="og:title")["content"] == "The bridge cost 12 million euros."
    assert "bridge-price" not in (out / "sitemap.xml").read_text()
    atom = ElementTree.parse(out / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    [renamed] = [e for e in atom.findall("a:entry", ns) if e.find("a:link", ns).get("href").endswith("/bridge-cost/")]
    assert renamed.find("a:id", ns).text == "https://full.example.org/claims/bridge-price/"  # as first published
    items = json.loads((out / "feed.json").read_text())["items"]
    [item] = [i for i in items if i["url"].endswith("/bridge-cost/")]
    assert (item["id"], item["url"]) == (
        "https://full.example.org/claims/bridge-price/",
        "https://full.example.org/claims/bridge-cost/",
    )
    assert "bridge-price" not in (out / "claims/bridge-cost/index.html").read_text()


def test_a_drafts_aliases_are_not_published(project, tmp_path: Path) -> None:
    root = project("full")
    path = root / "content/claims/bridge.yaml"
    path.write_text(path.read_text().replace("  aliases: [bridge-price]", "  aliases: [bridge-price]\n  draft: true"))
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    assert not (out / "claims/bridge-price").exists()
    assert not (out / "oembed/bridge-price.json").exists()


def test_an_alias_taken_by_another_fact_check_is_reported_where_it_is_written(project, capsys) -> None:
    from factpress import cli

    root = project("full")
    path = root / "content/claims/bridge.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  aliases: [bridge-price]", "  aliases: [bridge-price, bridge-opened-on-time]"))
    line = 1 + text[: text.index("  aliases: [bridge-price]")].count("\n")
    assert cli.main(["check", "--root", str(root)]) == 1
    column = len("  aliases: [bridge-price, ") + 1
    assert (
        f"content/claims/bridge.yaml:{line}:{column}: error: claim 'bridge-cost': alias 'bridge-opened-on-time'"
        " is the id of fact-check 'bridge-opened-on-time' [duplicate-id]"
    ) in capsys.readouterr().out


def moved_heading(out: Path, old: str):
    soup = BeautifulSoup((out / old / "index.html").read_text(encoding="utf-8"), "html.parser")
    return soup.h1.a


def test_an_old_address_marks_the_claims_own_language_as_its_page_does(project, tmp_path: Path) -> None:
    root = project("minimal")  # an English site without templates of its own: each page's fingerprint is its own
    path = root / "claims.yaml"
    aliased = path.read_text().replace("  claim_date:", "  aliases: [old-bridge]\n  claim_date:", 1)
    path.write_text(aliased)
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    for old in ("claims/old-bridge", "embed/old-bridge"):
        assert moved_heading(out, old).get("lang") is None  # the site's language, from <html>
    path.write_text(aliased.replace("  aliases:", "  language: he\n  aliases:"))
    build_site(BuildOptions(root, out, search=False))  # the same output: only the changed pages are made again
    page = BeautifulSoup((out / "claims/bridge-cost/index.html").read_text(encoding="utf-8"), "html.parser")
    quote = page.find("h1").find("span", class_="quote")
    assert (quote["lang"], quote["dir"]) == ("he", "rtl")
    for old in ("claims/old-bridge", "embed/old-bridge"):
        heading = moved_heading(out, old)
        assert (heading["lang"], heading["dir"]) == ("he", "rtl"), old
    path.write_text(aliased.replace("  aliases:", "  language: fr\n  aliases:"))
    build_site(BuildOptions(root, out, search=False))
    for old in ("claims/old-bridge", "embed/old-bridge"):
        heading = moved_heading(out, old)
        assert (heading["lang"], heading.get("dir")) == ("fr", None), old  # French reads left to right, as English
