"""embed: the card fits its iframe whatever the texts' lengths, reads right to left on such sites, and the
oEmbed html shows one card at its declared size, with the site's language and direction.

The browser tests build the syndication site with every text the card shows made long (the verdict label,
the claim, the claimant, the summary, the publisher), in English and in Arabic, and measure the card in
headless Chromium at the iframe's declared height.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import QuietHandler
from syndication import SITE, json_of, soup

from factpress.pipeline import BuildOptions, build_site

HEIGHT = 340
WIDTHS = [280, 300, 390, 600]
LONG_LABEL = "Half true, with important context missing from the original statement"
LONG_PUBLISHER = "The Very Long Named International Fact-Checking Network Publisher Desk of Riverton"
LONG_CLAIMANT = "The Riverton Municipal Council Committee for Bridges, Roads and Public Transport"
LONG_SUMMARY = (
    "Construction alone cost 12 million euros, but the approach roads added 3 million more. The lighting, the"
    " landscaping and the bus stops were paid from a separate budget line that the mayor did not mention."
)
ARABIC_CLAIM = (
    "كلف الجسر الجديد فوق النهر اثني عشر مليون يورو في المجموع، بما في ذلك جميع الطرق المؤدية إليه والإنارة"
    " ومحطات الحافلات على الضفتين، حسب ما قال العمدة في حفل الافتتاح أمام المجلس البلدي."
)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def long_site(root: Path, language: str) -> Path:
    """The syndication project with long texts everywhere on long-bridge's card, in `language`."""
    shutil.copytree(SITE, root)
    content = root / "content"
    replace(content / "verdicts.yaml", "label: Half true,", f'label: "{LONG_LABEL}",')
    replace(content / "site.yaml", "publisher: {name: Fact & Check Ltd,", f'publisher: {{name: "{LONG_PUBLISHER}",')
    replace(content / "site.yaml", "language: en", f"language: {language}")
    replace(content / "people.yaml", 'name: "Pat O\'Brien & <Sons>"', f'name: "{LONG_CLAIMANT}"')
    claims = root / "claims.yaml"
    old_summary = "summary: The Gazette reports the twelve million euros; the rest is not in any source we have."
    replace(claims, old_summary, f'summary: "{LONG_SUMMARY}"')
    if language == "ar":  # an Arabic claim on the Arabic site, so the whole card reads right to left
        text = claims.read_text(encoding="utf-8")
        text, found = re.subn(
            r"(- id: long-bridge\n  claim: )>-\n.*?ceremony\.\n", rf"\1{ARABIC_CLAIM}\n", text, flags=re.S
        )
        assert found == 1
        claims.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def long_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The long-text site built in English and in Arabic and served on 127.0.0.1: base URL by language."""
    www = tmp_path_factory.mktemp("embed-fit")
    handler = functools.partial(QuietHandler, directory=str(www))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    bases = {}
    for language in ("en", "ar"):
        base = f"http://127.0.0.1:{server.server_address[1]}/{language}/"
        root = long_site(www.parent / f"project-{language}", language)
        build_site(BuildOptions(root, www / language, base_url=base, search=False))
        bases[language] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield bases
    server.shutdown()
    server.server_close()


MEASURE = """() => {
  const box = (selector) => {
    const el = document.querySelector(selector), r = el.getBoundingClientRect(), style = getComputedStyle(el);
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height,
            line: parseFloat(style.lineHeight), text: el.textContent,
            cut: el.scrollWidth > el.clientWidth};
  };
  const d = document.documentElement, card = document.querySelector('.card'), style = getComputedStyle(card);
  return {
    width: innerWidth, height: innerHeight, scrollWidth: d.scrollWidth, scrollHeight: d.scrollHeight,
    inner: card.getBoundingClientRect().bottom - parseFloat(style.borderBottomWidth)
      - parseFloat(style.paddingBottom),
    border: {left: style.borderLeftWidth, right: style.borderRightWidth},
    parts: ['.badge', '.claim', '.meta', '.summary', '.foot a', '.publisher'].map(box),
    link: box('.foot a'), arrow: box('.foot a [aria-hidden]'), badge: box('.badge'),
    claim: box('.claim'), summary: box('.summary'),
  };
}"""


def whole_lines(part: dict[str, Any]) -> int:
    """How many lines a clamped block shows, failing if it shows part of one."""
    lines = part["height"] / part["line"]
    assert abs(lines - round(lines)) < 0.05, f"a line cut through: {part['text'][:40]!r} {part['height']}px"
    return round(lines)


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("width", WIDTHS)
def test_a_card_with_long_texts_fits_its_iframe(browser, long_sites: dict[str, str], language: str, width: int) -> None:
    """No scrolling; verdict, claim, meta, summary, link and publisher all inside the card, in whole lines."""
    for scheme in ("light", "dark"):
        page = browser.new_page(viewport={"width": width, "height": HEIGHT}, color_scheme=scheme)
        try:
            page.goto(f"{long_sites[language]}embed/long-bridge/")
            got = page.evaluate(MEASURE)
        finally:
            page.close()
        where = (language, width, scheme)
        assert got["scrollHeight"] <= got["height"] == HEIGHT, where
        assert got["scrollWidth"] <= got["width"] == width, where
        tops = [part["top"] for part in got["parts"][:4]]
        assert tops == sorted(tops), where
        for part in got["parts"]:
            assert part["height"] >= part["line"] - 0.5, (where, part["text"])  # every part shows at least a line
            assert part["top"] >= 0 and part["bottom"] <= got["inner"] + 0.5, (where, part["text"])
        assert not got["link"]["cut"], where  # the link back is never shortened
        assert got["badge"]["text"].endswith(LONG_LABEL), where  # all of it there, for screen readers
        assert whole_lines(got["claim"]) >= 3, where
        assert whole_lines(got["summary"]) >= 1, where


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_stripe_and_the_arrow_follow_the_direction(browser, long_sites: dict[str, str], language: str) -> None:
    """The verdict's stripe on the starting edge, the arrow pointing the way the text reads (to its end)."""
    page = browser.new_page(viewport={"width": 390, "height": HEIGHT})
    try:
        page.goto(f"{long_sites[language]}embed/long-bridge/")
        got = page.evaluate(MEASURE)
    finally:
        page.close()
    link, arrow, badge = got["link"], got["arrow"], got["badge"]
    if language == "ar":
        assert got["border"] == {"left": "1px", "right": "8px"}
        assert arrow["text"] == "←"
        assert arrow["left"] - link["left"] < 1  # the arrow ends the link, on its left
        assert badge["right"] > 390 - 40  # the badge starts on the right
    else:
        assert got["border"] == {"left": "8px", "right": "1px"}
        assert arrow["text"] == "→"
        assert link["right"] - arrow["right"] < 1
        assert badge["left"] < 40


def test_the_embed_page_uses_logical_sides_only() -> None:
    """No physical left or right in the card's CSS, so a right-to-left page mirrors it."""
    style = soup("embed/long-bridge/index.html").find("style").string
    assert re.findall(r"[\w-]*(?:left|right)[\w-]*", style) == []
    assert "border-inline-start:.5rem solid #ffd33d" in style
    assert "border-inline-start-color:#ffd33d" in style  # and in dark mode


# -- oEmbed -------------------------------------------------------------------------------------


def blockquote(html: str) -> Any:
    return BeautifulSoup(html, "html.parser").blockquote


def test_the_oembed_blockquote_says_its_language_and_direction() -> None:
    quote = blockquote(json_of("oembed/hostile-bridge.json")["html"])
    assert (quote["lang"], quote["dir"]) == ("en", "ltr")
    assert quote.span.attrs == {}  # an English claim on an English site: nothing more to say
    russian = blockquote(json_of("oembed/ivanova-bridge.json")["html"])
    assert russian.span.attrs == {"lang": "ru"}  # another language, the same direction


def test_an_arabic_sites_oembed_reads_right_to_left_and_marks_an_english_claim(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(SITE, root)
    replace(root / "content" / "site.yaml", "language: en", "language: ar")
    replace(
        root / "claims.yaml", "  claim_date: 2025-03\n", "  claim_date: 2025-03\n  language: en\n"
    )  # hostile-bridge's
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    data = (out / "oembed" / "hostile-bridge.json").read_text(encoding="utf-8")
    quote = blockquote(json.loads(data)["html"])
    assert (quote["lang"], quote["dir"]) == ("ar", "rtl")
    assert (quote.span["lang"], quote.span["dir"]) == ("en", "ltr")  # the claim is in English
    russian = blockquote(json.loads((out / "oembed" / "ivanova-bridge.json").read_text(encoding="utf-8"))["html"])
    assert (russian.span["lang"], russian.span["dir"]) == ("ru", "ltr")
    page = BeautifulSoup((out / "embed" / "hostile-bridge" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find(class_="foot").a.find(attrs={"aria-hidden": "true"}).get_text() == "←"


def test_the_oembed_fallback_is_hidden_where_the_html_is_kept_as_it_is() -> None:
    quote = blockquote(json_of("oembed/hostile-bridge.json")["html"])
    assert quote.has_attr("hidden")


def wordpress(html: str) -> str:
    """What WordPress's wp_filter_oembed_result makes of an unknown provider's html: only blockquote, a
    (href) and iframe (src, width, height, title...) kept, the blockquote's attributes all stripped, and
    the iframe hidden (`position: absolute; visibility: hidden`) when a blockquote comes with it."""
    html = re.sub(r"<blockquote[^>]*>", "<blockquote>", html)
    html = re.sub(r"<(p|strong|span)\b[^>]*>|</(p|strong|span)>", "", html)
    html = re.sub(r' (loading|style)="[^"]*"', "", html)
    return html.replace("<iframe", '<iframe style="position: absolute; visibility: hidden;"')


@pytest.mark.browser
def test_the_oembed_html_shows_one_card_at_its_declared_size(browser, long_sites: dict[str, str]) -> None:
    """Kept as it is, the html shows the iframe only, at the response's width and height; in WordPress the
    blockquote's text and link show instead (the iframe hidden there)."""
    base = long_sites["en"]
    with urllib.request.urlopen(f"{base}oembed/long-bridge.json", timeout=10) as response:
        data = json.load(response)
    page = browser.new_page(viewport={"width": 600, "height": 800})
    try:
        sizes = """() => [...document.body.children].map((el) => {
            const r = el.getBoundingClientRect();
            const shown = el.checkVisibility({visibilityProperty: true});
            return [el.tagName.toLowerCase(), Math.round(r.width), Math.round(r.height), shown];
        })"""
        page.set_content(f"<!DOCTYPE html><html lang=en><body>{data['html']}</body></html>")
        shown = [size for size in page.evaluate(sizes) if size[3]]
        assert shown == [["iframe", data["width"], data["height"], True]]
        page.set_content(f"<!DOCTYPE html><html lang=en><body>{wordpress(data['html'])}</body></html>")
        shown = [size[0] for size in page.evaluate(sizes) if size[3]]
        assert shown == ["blockquote"]
        assert (
            page.get_by_role("link", name="Read the fact-check").get_attribute("href") == f"{base}claims/long-bridge/"
        )
    finally:
        page.close()


FSI, PDI = "\u2068", "\u2069"


def rendered_site(root: Path) -> dict[str, bytes]:
    from factpress.link import link_site
    from factpress.load import load_project
    from factpress.render import render_site
    from factpress.validate import validate_project

    site, problems = validate_project(load_project(root))
    assert [p for p in problems if p.is_error] == []
    return {o.path: o.content for o in render_site(link_site(site)) if o.content is not None}


@pytest.mark.parametrize(
    ("language", "name", "isolated"),
    [("en", "عبد الله", True), ("en", "משה כהן", True), ("ar", "Anna Ivanova", True), ("en", "Anna Ivanova", False)],
)
def test_the_claimants_name_is_isolated_from_the_date_in_the_feeds_and_the_oembed_text(
    tmp_path: Path, language: str, name: str, isolated: bool
) -> None:
    """Left in the line, an Arabic name before ", 2 March 2025" took the day with it: "(2 ,عبد الله March 2025)".

    The name goes in Unicode's isolate characters (FSI ... PDI), not <bdi>: feedparser and WordPress strip
    elements they do not know, and keep the characters. A left-to-right name on a left-to-right site is as it was.
    """
    root = tmp_path / "project"
    shutil.copytree(SITE, root)
    replace(root / "content" / "site.yaml", "language: en", f"language: {language}")
    replace(root / "content" / "people.yaml", "name: Анна Иванова", f"name: {name}")
    files = rendered_site(root)
    quote = wordpress(json.loads(files["oembed/ivanova-bridge.json"])["html"])
    texts = {"oembed": BeautifulSoup(quote, "html.parser").blockquote.get_text()}
    feed = json.loads(files["feed.json"])
    (item,) = [i for i in feed["items"] if i["url"].endswith("/ivanova-bridge/")]
    texts["feed.json"] = BeautifulSoup(item["content_html"], "html.parser").get_text()
    import feedparser

    (entry,) = [e for e in feedparser.parse(files["feed.xml"]).entries if e.link.endswith("/ivanova-bridge/")]
    texts["feed.xml"] = BeautifulSoup(entry.content[0].value, "html.parser").get_text()
    for where, text in texts.items():
        assert name in text, where
        if isolated:
            assert f"{FSI}{name}{PDI}" in text, where
        else:
            assert FSI not in text and PDI not in text, where
