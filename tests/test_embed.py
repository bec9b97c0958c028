"""embed: the claim card page for iframes, the oEmbed response, and the claim page's embed code and meta tags.

The oEmbed round trip uses a real consumer, pyoembed, against the site served on 127.0.0.1 and built
with --base-url pointing there, so discovery and fetching go through HTTP as they would for a CMS.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import QuietHandler
from syndication import BASE, HOSTILE_CLAIM, PUBLISHED, SITE, json_of, outputs, soup

from factpress.pipeline import BuildOptions, build_site

MAX_EMBED_BYTES = 15 * 1024


def external_urls(page: BeautifulSoup) -> list[str]:
    """Every src and href on a page, and every url() in its inline CSS."""
    found = [el.get(attr) for attr in ("src", "href") for el in page.find_all(attrs={attr: True})]
    found += [style.string for style in page.find_all("style") if "url(" in (style.string or "")]
    return found


# -- the embed page -----------------------------------------------------------------------------


@pytest.mark.parametrize("claim_id", PUBLISHED)
def test_embed_page_is_small_self_contained_and_links_back_only(claim_id: str) -> None:
    raw = outputs()[f"embed/{claim_id}/index.html"]
    assert len(raw) < MAX_EMBED_BYTES
    page = soup(f"embed/{claim_id}/index.html")
    assert page.find("script") is None
    assert page.find_all(["img", "iframe", "object", "embed", "link"]) == []
    assert external_urls(page) == [f"{BASE}claims/{claim_id}/"]
    back = page.find("a")
    assert back["target"] == "_blank"
    assert "noopener" in back["rel"]
    assert "Read the fact-check" in back.get_text()


def test_embed_page_is_not_indexed_or_searchable() -> None:
    page = soup("embed/hostile-bridge/index.html")
    assert page.find("html")["lang"] == "en"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.title.string.startswith("False: ")
    assert page.find(attrs={"data-pagefind-body": True}) is None


def test_embed_page_shows_verdict_claim_claimant_date_summary_and_publisher() -> None:
    page = soup("embed/hostile-bridge/index.html")
    badge = page.find(class_="badge")
    assert badge.get_text() == "Verdict: False"
    style = page.find("style").string
    assert "background:#cf222e" in style
    assert "prefers-color-scheme:dark" in style
    assert page.find(class_="claim").get_text() == HOSTILE_CLAIM
    assert page.find(class_="meta").get_text() == "Pat O'Brien & <Sons>, March 2025"
    assert page.find(class_="meta").time["datetime"] == "2025-03"
    assert page.find(class_="summary").get_text().startswith("Summary with </textarea><script>")
    assert page.find(class_="publisher").get_text() == "Fact & Check Ltd"


def test_embed_page_marks_a_claim_in_another_language() -> None:
    page = soup("embed/ivanova-bridge/index.html")
    assert page.find(class_="claim")["lang"] == "ru"
    assert page.find(class_="badge").get_text() == "Verdict: True"


def test_a_light_verdict_colour_gets_dark_badge_text() -> None:
    assert "color:#1f2328" in soup("embed/long-bridge/index.html").find("style").string


# -- oEmbed -------------------------------------------------------------------------------------


def test_oembed_is_a_complete_rich_response_with_absolute_urls() -> None:
    data = json_of("oembed/hostile-bridge.json")
    assert data == {
        "version": "1.0",
        "type": "rich",
        "title": HOSTILE_CLAIM,
        "html": data["html"],
        "width": 550,
        "height": 340,
        "author_name": "The Desk, Rita Reporter",
        "author_url": f"{BASE}people/desk/",
        "provider_name": "Fact & <Check> Desk",
        "provider_url": BASE,
        "thumbnail_url": f"{BASE}cards/hostile-bridge.png",
        "thumbnail_width": 1200,
        "thumbnail_height": 630,
        "cache_age": 86400,
    }


def test_oembed_html_is_a_blockquote_then_the_iframe_with_hostile_text_escaped() -> None:
    html = BeautifulSoup(json_of("oembed/hostile-bridge.json")["html"], "html.parser")
    top = [el.name for el in html.find_all(recursive=False)]
    assert top == ["blockquote", "iframe"]
    quote = html.blockquote
    assert quote.find_all(["script", "img", "b"]) == []
    assert HOSTILE_CLAIM in quote.get_text()
    assert "Verdict: False" in quote.get_text()
    assert quote.a["href"] == f"{BASE}claims/hostile-bridge/"
    iframe = html.iframe
    assert iframe["src"] == f"{BASE}embed/hostile-bridge/"
    assert (iframe["width"], iframe["height"]) == ("550", "340")
    assert iframe["title"] == f"Fact-check: {HOSTILE_CLAIM}"


def test_oembed_and_embeds_honour_the_base_url() -> None:
    base = "http://127.0.0.1:9/preview/"
    data = json_of("oembed/long-bridge.json", base_url=base)
    assert data["thumbnail_url"] == f"{base}cards/long-bridge.png"
    assert BeautifulSoup(data["html"], "html.parser").iframe["src"] == f"{base}embed/long-bridge/"


# -- the claim page -----------------------------------------------------------------------------


def meta(page: BeautifulSoup, key: str) -> str:
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    assert tag is not None, key
    return tag["content"]


def test_claim_page_has_social_card_tags_and_oembed_discovery() -> None:
    page = soup("claims/hostile-bridge/index.html")
    assert meta(page, "og:image") == f"{BASE}cards/hostile-bridge.png"
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1200", "630")
    assert meta(page, "og:image:alt") == f"False: {HOSTILE_CLAIM}"
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:url") == f"{BASE}claims/hostile-bridge/"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "twitter:title") == HOSTILE_CLAIM
    assert meta(page, "twitter:image") == f"{BASE}cards/hostile-bridge.png"
    links = page.find_all("link", type="application/json+oembed")
    assert [(link["href"], link["title"]) for link in links] == [(f"{BASE}oembed/hostile-bridge.json", HOSTILE_CLAIM)]


def test_claim_page_offers_the_embed_code_as_text_to_copy() -> None:
    page = soup("claims/hostile-bridge/index.html")
    section = page.find(id="embed")
    assert section.has_attr("data-pagefind-ignore")
    box = section.find("textarea")
    assert box.has_attr("readonly")
    assert section.find("label", attrs={"for": box["id"]}) is not None
    snippet = BeautifulSoup(box.get_text(), "html.parser")
    assert [el.name for el in snippet.find_all(recursive=False)] == ["iframe"]
    assert snippet.iframe["src"] == f"{BASE}embed/hostile-bridge/"
    assert section.find("code").get_text() == f"{BASE}oembed/hostile-bridge.json"
    script = page.find("script", src=True)
    assert script["src"] == "/news/static/copy.js"
    assert all(s.has_attr("src") or s.get("type") == "application/ld+json" for s in page.find_all("script"))


def test_every_page_links_both_feeds() -> None:
    for path in ("index.html", "claims/long-bridge/index.html", "verdicts/index.html"):
        links = {link["type"]: link["href"] for link in soup(path).find_all("link", rel="alternate")}
        assert links["application/atom+xml"] == "/news/feed.xml"
        assert links["application/feed+json"] == "/news/feed.json"


# -- a real oEmbed consumer over HTTP -----------------------------------------------------------


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The syndication site built with --base-url at a loopback server, and that server's base URL."""
    root = tmp_path_factory.mktemp("served")
    out = root / "www" / "news"
    handler = functools.partial(QuietHandler, directory=str(root / "www"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/news/"
    build_site(BuildOptions(SITE, out, base_url=base, search=False))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def test_pyoembed_discovers_and_fetches_the_card(served_site: str) -> None:
    from pyoembed import oEmbed

    page = f"{served_site}claims/ivanova-bridge/"
    data = oEmbed(page)
    assert data["type"] == "rich"
    assert data["version"] == "1.0"
    assert data["title"] == "Мост обошёлся в 12 миллионов евро, сказала Анна Иванова на заседании совета."
    iframe = BeautifulSoup(data["html"], "html.parser").iframe
    assert iframe["src"] == f"{served_site}embed/ivanova-bridge/"
    assert data["thumbnail_url"] == f"{served_site}cards/ivanova-bridge.png"


def test_the_urls_in_the_oembed_response_resolve(served_site: str) -> None:
    import requests

    data = requests.get(f"{served_site}oembed/hostile-bridge.json", timeout=10).json()
    iframe = BeautifulSoup(data["html"], "html.parser").iframe
    for url in (iframe["src"], data["thumbnail_url"], data["author_url"], data["provider_url"]):
        assert urlsplit(url).netloc == urlsplit(served_site).netloc
        assert requests.get(url, timeout=10).status_code == 200, url
    png = requests.get(data["thumbnail_url"], timeout=10)
    assert png.headers["content-type"] == "image/png"


# -- in a browser -------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("width", [280, 400, 700])
def test_embed_fits_its_iframe_at_every_width(browser, served_site: str, width: int, tmp_path: Path) -> None:
    """No sideways scrolling and nothing cut off at the iframe's height, in light and dark."""
    for scheme in ("light", "dark"):
        page = browser.new_page(viewport={"width": width, "height": 340}, color_scheme=scheme)
        try:
            for claim_id in PUBLISHED:
                page.goto(f"{served_site}embed/{claim_id}/")
                size = page.evaluate(
                    "({w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight})"
                )
                assert size == {"w": width, "h": 340}, (claim_id, scheme)
                link = page.get_by_role("link", name="Read the fact-check")
                assert link.is_visible()
                box = link.bounding_box()
                assert box["y"] + box["height"] <= 340
        finally:
            page.close()
