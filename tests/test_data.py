"""data: the ClaimReview DataFeed, /api/claims.json (pinned and schema-checked), sitemap and robots.txt,
and the structured data a real extractor (extruct) finds on every claim page."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import extruct
import jsonschema
import pytest
from syndication import BASE, json_of, library, outputs, soup, text

from factpress.jsonld import claim_review

DOCS = Path(__file__).resolve().parent.parent / "docs"
API_SCHEMA = DOCS / "api.schema.json"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BY_PUBLICATION = ["ivanova-bridge", "long-bridge", "hostile-bridge"]  # published 7, 6 and 5 March


# -- /claimreview.json --------------------------------------------------------------------------


def test_claimreview_feed_is_a_data_feed_of_every_published_claim_review() -> None:
    feed = json_of("claimreview.json")
    assert feed["@context"] == "https://schema.org"
    assert feed["@type"] == "DataFeed"
    assert feed["url"] == f"{BASE}claimreview.json"
    assert feed["dateModified"] == "2025-03-09"
    elements = feed["dataFeedElement"]
    assert [e["url"] for e in elements] == [f"{BASE}claims/{i}/" for i in BY_PUBLICATION]
    assert all(e["@type"] == "ClaimReview" for e in elements)


def test_each_data_feed_element_is_the_claim_review_on_its_page() -> None:
    lib = library()
    for element in json_of("claimreview.json")["dataFeedElement"]:
        claim = lib.claims_by_id[element["url"].rstrip("/").rsplit("/", 1)[-1]]
        on_page = claim_review(claim, lib)
        del on_page["@context"]
        assert element == on_page


def test_drafts_stay_out_of_the_data_even_in_a_drafts_preview() -> None:
    assert len(json_of("claimreview.json", drafts=True)["dataFeedElement"]) == 3
    assert [c["id"] for c in json_of("api/claims.json", drafts=True)["claims"]] == BY_PUBLICATION
    assert "draft-bridge" in library(drafts=True).claims_by_id
    sitemap = text("sitemap.xml", drafts=True)
    assert "draft-bridge" not in sitemap
    assert sitemap == text("sitemap.xml")  # (not the draft's claimant's page either)
    page = soup("claims/draft-bridge/index.html", drafts=True)
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"  # if a preview is ever put online
    assert soup("claims/hostile-bridge/index.html", drafts=True).find("meta", attrs={"name": "robots"}) is None


# -- /api/claims.json ---------------------------------------------------------------------------


def test_api_snapshot(data_regression) -> None:
    """The documented shape, pinned: a change here is a change to docs/api.md and maybe API_VERSION."""
    data_regression.check(json_of("api/claims.json"))


def test_api_matches_its_published_json_schema() -> None:
    schema = json.loads(API_SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json_of("api/claims.json"), schema, cls=jsonschema.Draft202012Validator)


def test_api_schema_rejects_an_undocumented_field() -> None:
    schema = json.loads(API_SCHEMA.read_text())
    data = json_of("api/claims.json")
    data["claims"][0]["surprise"] = True
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def _schema_fields(schema: dict, prefix: str = "") -> set[str]:
    fields = set()
    for name, sub in schema.get("properties", {}).items():
        fields.add(prefix + name)
        fields |= _schema_fields(sub, f"{prefix}{name}.")
        if "items" in sub:
            fields |= _schema_fields(sub["items"], f"{prefix}{name}[].")
    return fields


def test_every_api_field_is_documented_in_docs_api_md() -> None:
    documented = (DOCS / "api.md").read_text()
    missing = sorted(f for f in _schema_fields(json.loads(API_SCHEMA.read_text())) if f"`{f}`" not in documented)
    assert missing == []


def test_api_urls_are_absolute_and_honour_the_base_url() -> None:
    base = "http://127.0.0.1:9/preview/"
    claim = json_of("api/claims.json", base_url=base)["claims"][2]
    assert claim["url"] == f"{base}claims/hostile-bridge/"
    assert claim["card"]["png"] == f"{base}cards/hostile-bridge.png"
    assert claim["evidence"][0]["context_url"].startswith(f"{base}sources/gazette/#")
    assert claim["sources"][0]["source_page"] == f"{base}sources/gazette/"


# -- sitemap and robots -------------------------------------------------------------------------


def test_sitemap_lists_every_claim_with_its_last_change() -> None:
    root = ET.fromstring(text("sitemap.xml"))
    entries = {u.findtext(f"{SITEMAP_NS}loc"): u.findtext(f"{SITEMAP_NS}lastmod") for u in root}
    assert entries[f"{BASE}claims/hostile-bridge/"] == "2025-03-09"
    assert entries[f"{BASE}claims/long-bridge/"] == "2025-03-08"
    assert entries[f"{BASE}claims/ivanova-bridge/"] == "2025-03-07"
    assert entries[BASE] == "2025-03-09"
    assert f"{BASE}claims/draft-bridge/" not in entries
    assert not any("/embed/" in loc for loc in entries)


def sitemap_locs(data: bytes, kind: str = "url") -> dict[str, str | None]:
    """The locations and lastmods of a sitemap (kind 'url') or of a sitemap index (kind 'sitemap')."""
    root = ET.fromstring(data)
    assert root.tag == f"{SITEMAP_NS}{'urlset' if kind == 'url' else 'sitemapindex'}"
    assert all(child.tag == f"{SITEMAP_NS}{kind}" for child in root)
    return {child.findtext(f"{SITEMAP_NS}loc"): child.findtext(f"{SITEMAP_NS}lastmod") for child in root}


def sitemap_files(lib, entries) -> list:
    """sitemap.xml and its parts, made as the build's plan makes them (render.Renderer.plan)."""
    from factpress.render import sitemap_part_from, sitemap_part_name, sitemap_parts, sitemap_xml

    parts = [sitemap_part_from((lib, sitemap_part_name(n), part)) for n, part in enumerate(sitemap_parts(entries), 1)]
    return [sitemap_xml(lib, entries), *parts]


def test_a_site_of_more_pages_than_one_sitemap_may_list_gets_an_index_of_sitemaps() -> None:
    """sitemaps.org allows 50,000 URLs a file: a larger site (the 50,000-claim benchmark) wrote one crawlers refuse."""
    from factpress.render import SITEMAP_LIMIT

    lib = library()
    entries = [(f"/news/claims/c{i}/", dt.date(2025, 1, 1 + i % 28)) for i in range(SITEMAP_LIMIT + 1)]
    entries.append(("/news/about/", None))
    files = {f.path: f.content for f in sitemap_files(lib, entries)}
    assert list(files) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]
    index = sitemap_locs(files["sitemap.xml"], "sitemap")
    assert index == {f"{BASE}sitemap-1.xml": "2025-01-28", f"{BASE}sitemap-2.xml": "2025-01-21"}
    first, second = sitemap_locs(files["sitemap-1.xml"]), sitemap_locs(files["sitemap-2.xml"])
    assert len(first) == SITEMAP_LIMIT
    assert second == {f"{BASE}claims/c50000/": "2025-01-21", f"{BASE}about/": None}
    assert all(len(data) < 50 * 1024 * 1024 for data in files.values())
    assert [f.path for f in sitemap_files(lib, entries[:SITEMAP_LIMIT])] == ["sitemap.xml"]


def test_the_parts_of_a_large_sitemap_are_planned_and_written_beside_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from factpress import render

    monkeypatch.setattr(render, "SITEMAP_LIMIT", 7)
    whole = sitemap_locs(outputs()["sitemap.xml"])
    planned = {f.path: f for f in render.plan_site(library()).files if f.path.startswith("sitemap")}
    parts = [f"sitemap-{n}.xml" for n in range(1, (len(whole) + 6) // 7 + 1)]
    assert sorted(planned) == sorted(["sitemap.xml", *parts])
    made = {path: f.make().content for path, f in planned.items()}
    assert list(sitemap_locs(made["sitemap.xml"], "sitemap")) == [f"{BASE}{part}" for part in parts]
    listed = {}
    for part in parts:
        locs = sitemap_locs(made[part])
        assert 0 < len(locs) <= 7
        listed |= locs
    assert listed == whole
    assert planned["sitemap-1.xml"].fingerprint != planned["sitemap-2.xml"].fingerprint


def test_the_404_page_links_under_the_sub_path_and_is_never_indexed() -> None:
    """A host serves it at any missing address, at any depth, so its links are absolute paths under /news/; a
    host answering 200 (a soft 404), or a crawler reaching /404.html itself, must not index "Page not found"."""
    page = soup("404.html")
    links = [
        el.get("href") or el.get("src")
        for el in page.find_all(["a", "link", "script"])
        if el.get("href") or el.get("src")
    ]
    local = [link for link in links if not link.startswith(("https://", "#"))]
    assert local and all(link.startswith("/news/") for link in local)
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert f"{BASE}404.html" not in sitemap_locs(outputs()["sitemap.xml"])


def test_robots_txt_names_the_sitemap() -> None:
    lines = text("robots.txt").splitlines()
    assert f"Sitemap: {BASE}sitemap.xml" in lines


# -- a real extractor on the built sample site --------------------------------------------------


def claim_pages(site: Path) -> list[Path]:
    pages = sorted((site / "claims").glob("*/index.html"))
    assert pages
    return pages


def test_extruct_finds_exactly_one_claim_review_on_every_claim_page(built_site: Path) -> None:
    for page in claim_pages(built_site):
        found = extruct.extract(page.read_text(), syntaxes=["json-ld", "microdata", "rdfa"], errors="strict")
        reviews = [item for item in found["json-ld"] if item.get("@type") == "ClaimReview"]
        assert len(reviews) == 1, page
        assert found["microdata"] == []
        review = reviews[0]
        assert review["claimReviewed"]
        assert review["reviewRating"]["alternateName"]
        assert review["url"].endswith(f"/claims/{page.parent.name}/")


def test_extruct_reads_the_social_card_from_open_graph(built_site: Path) -> None:
    page = claim_pages(built_site)[0]
    found = extruct.extract(page.read_text(), syntaxes=["opengraph"])
    og = dict(found["opengraph"][0]["properties"])
    assert og["og:type"] == "article"
    assert (og["og:image:width"], og["og:image:height"]) == ("1200", "630")
    assert og["og:image"].endswith(f"/cards/{page.parent.name}.png")
    assert (built_site / "cards" / f"{page.parent.name}.png").is_file()


# -- reproducibility ----------------------------------------------------------------------------


def test_everything_that_travels_is_byte_identical_across_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    """No build times, random ids or cache effects: a second render (cache off) gives the same bytes."""
    from factpress.render import render_site

    monkeypatch.setenv("FACTPRESS_CACHE_DIR", "off")
    again = {o.path: o.content for o in render_site(library())}
    travelling = ("cards/", "embed/", "oembed/", "api/", "feed.", "claimreview.json", "sitemap.xml", "robots.txt")
    paths = sorted(p for p in again if p.startswith(travelling))
    assert len(paths) == 3 * 4 + 6  # card svg+png, embed, oembed per claim; api, data feed, 2 feeds, sitemap, robots
    first = outputs()
    assert [p for p in paths if again[p] != first[p]] == []


def test_addresses_written_in_other_scripts_are_uris_in_every_machine_output(project, tmp_path: Path) -> None:
    """docs/api.schema.json says `format: uri`: a Cyrillic path or an IDN host is percent-encoded or IDNA there."""
    from factpress.pipeline import BuildOptions, build_site

    root = project("minimal")
    edits = {
        "content/site.yaml": ("url: https://minimal.example.org/}", "url: https://пример.рф/}"),
        "claims.yaml": ("https://council.example.com/minutes", "https://council.example.com/протокол"),
        "content/sources.yaml": ("https://gazette.example.com/bridge", "https://газета.example.com/мост?д=1"),
        "content/people.yaml": ("kind: person}", "kind: person, same_as: ['https://ru.wikipedia.org/wiki/Джейн']}"),
    }
    for name, (old, new) in edits.items():
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, name
        path.write_text(text.replace(old, new), encoding="utf-8")
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    for name in ("api/claims.json", "claimreview.json", "feed.json", "feed.xml", "oembed/bridge-cost.json"):
        text = (out / name).read_text(encoding="utf-8")
        for address in re.findall(r"https?://[^\s\"'<>]+", text):
            assert address.isascii(), (name, address)
    api = (out / "api/claims.json").read_text(encoding="utf-8")
    assert "https://xn--e1afmkfd.xn--p1ai/" in api
    assert "https://council.example.com/%D0%BF%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB" in api
    assert "протокол" in (out / "claims/bridge-cost/index.html").read_text(encoding="utf-8")  # pages: as written


@pytest.mark.parametrize(
    ("written", "uri"),
    [
        ("https://example.org/plain", "https://example.org/plain"),
        ("https://example.com/100%/off", "https://example.com/100%25/off"),
        ("https://example.com/a%20b", "https://example.com/a%20b"),
        ("https://пример.рф/путь?q=1#x", "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C?q=1#x"),
        ("https://[::1]:8080/мост", "https://[::1]:8080/%D0%BC%D0%BE%D1%81%D1%82"),
        # RFC 3986 allows brackets only around an IPv6 host, and one '#': PHP's `ids[]=1` and a route `#/a#b`
        ("https://example.com/list?ids[]=1&ids[]=2", "https://example.com/list?ids%5B%5D=1&ids%5B%5D=2"),
        ("https://example.com/a[1]/#/route#part", "https://example.com/a%5B1%5D/#/route%23part"),
        ("https://[::1]:8080/a[1]", "https://[::1]:8080/a%5B1%5D"),
        ("https://пример.рф/a[1]#x#y", "https://xn--e1afmkfd.xn--p1ai/a%5B1%5D#x%23y"),
    ],
)
def test_an_address_is_written_as_a_uri(written: str, uri: str) -> None:
    from factpress.uris import as_uri

    assert as_uri(written) == uri
    assert RFC3986_URI.fullmatch(uri)


#: An absolute URI by RFC 3986's grammar (its Appendix A), http(s) only, the host a name or an IPv6 literal.
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
RFC3986_URI = re.compile(
    rf"https?://(?:\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{{2}})*)(?::[0-9]*)?"
    rf"(?:/{_PCHAR}*)*(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"
)


@pytest.mark.parametrize(
    ("written", "host"),
    [
        ("https://Example.ORG:443/", "example.org"),
        ("http://example.org:80/a", "example.org"),
        ("http://example.org:443/", "example.org:443"),  # (another scheme's default port is kept)
        ("https://EXAMPLE.org:8443/", "example.org:8443"),
        ("https://Пример.РФ/", "xn--e1afmkfd.xn--p1ai"),
        ("https://[::1]:443/", "[::1]"),
        ("https://[::1]:8080/", "[::1]:8080"),
    ],
)
def test_a_host_is_written_canonically(written: str, host: str) -> None:
    from factpress.uris import canonical_host

    assert canonical_host(written) == host
