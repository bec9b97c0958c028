"""The search page in headless Chromium against the built sample site: typing, filters, links, languages.

Expected results are read from the built claim pages (their hidden Pagefind filter block), so the
tests check the index against what the pages say rather than against numbers copied by hand.
Waiting uses Playwright's auto-retrying expectations; nothing here measures time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import missing_tool

pytestmark = pytest.mark.browser

WAIT_MS = 20_000
FOUND = re.compile(r"^(\d+) fact-checks? found")
CYRILLIC = "[\u0400-\u04ff]+"


@dataclass
class ClaimPage:
    url: str
    title: str
    lang: str | None
    filters: dict[str, list[str]]


@dataclass
class Tab:
    """A browser page with every console error and uncaught exception it produced."""

    page: Any
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def quiet(self) -> None:
        """No console error, no uncaught exception and no failed response (a site without a logo
        gets an empty icon link, so Chromium never asks for a missing /favicon.ico)."""
        assert self.errors == [], "console errors: " + " | ".join(self.errors)
        assert self.failed == [], "failed responses: " + " | ".join(self.failed)


def read_claim_pages(site: Path) -> list[ClaimPage]:
    """Every page the index should hold: those marked data-pagefind-body, with their filter values."""
    pages = []
    for path in sorted(site.glob("claims/*/index.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if soup.find(attrs={"data-pagefind-body": True}) is None:
            continue
        filters: dict[str, list[str]] = {}
        for element in soup.find_all(attrs={"data-pagefind-filter": True}):
            filters.setdefault(element["data-pagefind-filter"], []).append(element.get_text())
        title = soup.find(attrs={"data-pagefind-meta": "title"})
        url = "/" + path.parent.relative_to(site).as_posix() + "/"
        pages.append(ClaimPage(url, title.get_text(), title.get("lang"), filters))
    return pages


@pytest.fixture(scope="module")
def claim_pages(built_site: Path) -> list[ClaimPage]:
    return read_claim_pages(built_site)


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    """A fresh page that records console errors and page errors."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    result = Tab(page)
    page.on("console", lambda message: result.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: result.errors.append(str(error)))
    page.on("response", lambda r: result.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield result
    context.close()


def expect_count(tab: Tab, query: str | None = None) -> int:
    """Wait until the live region announces a count (for `query`, once typing has finished), then return it.

    Results come as the reader types, so a count for the first letters can be announced before the
    whole word is in; naming the query waits for the announcement of the last keystroke.
    """
    from playwright.sync_api import expect

    status = tab.page.locator("#search-status")
    if query is not None:
        expect(status).to_contain_text(f"for “{query}”", timeout=WAIT_MS)
    expect(status).to_have_text(FOUND, timeout=WAIT_MS)
    match = FOUND.match(status.inner_text().strip())
    assert match is not None
    return int(match.group(1))


def result_urls(tab: Tab) -> list[str]:
    return [
        urlsplit(href).path for href in tab.page.locator("#search-results h2 a").evaluate_all("a => a.map(x => x.href)")
    ]


def address(tab: Tab) -> dict[str, list[str]]:
    return parse_qs(urlsplit(tab.page.url).query)


def verdict_colour(site: Path, key: str) -> str:
    """The colour verdicts.css gives a verdict, as the browser reports a computed colour."""
    css = (site / "static" / "verdicts.css").read_text(encoding="utf-8")
    match = re.search(r"\.verdict-" + re.escape(key) + r" \{ --verdict: #([0-9a-fA-F]{6})", css)
    assert match is not None, f"no colour for verdict {key!r} in verdicts.css"
    red, green, blue = (int(match.group(1)[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgb({red}, {green}, {blue})"


def test_a_typed_query_shows_the_claim(tab: Tab, site_url: str, built_site: Path, claim_pages: list[ClaimPage]) -> None:
    target = next(p for p in claim_pages if p.url.endswith("/peskov-more-fakes-than-genuine-information/"))
    tab.page.goto(site_url + "/search/")
    tab.page.locator("#search-q").press_sequentially("fakes")
    count = expect_count(tab, "fakes")
    assert count >= 1
    assert result_urls(tab)[0] == target.url
    first = tab.page.locator("#search-results li").first
    assert first.locator("h2").inner_text() == target.title
    badge = first.locator(".verdict-badge")
    assert badge.inner_text().strip().casefold().endswith(target.filters["verdict"][0].casefold())
    key = next(
        c.removeprefix("verdict-")
        for c in badge.get_attribute("class").split()
        if c.startswith("verdict-") and c != "verdict-badge"
    )
    assert badge.evaluate("b => getComputedStyle(b).backgroundColor") == verdict_colour(built_site, key)
    assert first.locator(".claim-summary").inner_text().strip()
    assert first.locator("time").get_attribute("datetime")
    assert address(tab)["q"] == ["fakes"]
    tab.quiet()


def test_a_filter_narrows_the_results(tab: Tab, site_url: str, claim_pages: list[ClaimPage]) -> None:
    tab.page.goto(site_url + "/search/")
    history_length = tab.page.evaluate("history.length")
    tab.page.locator("#search-q").press_sequentially("Trump")
    wide = expect_count(tab, "Trump")
    wide_urls = set(result_urls(tab))
    verdicts = {v for p in claim_pages if p.url in wide_urls for v in p.filters["verdict"]}
    verdict = min(verdicts, key=lambda v: sum(v in p.filters["verdict"] for p in claim_pages if p.url in wide_urls))
    expected = {p.url for p in claim_pages if p.url in wide_urls and verdict in p.filters["verdict"]}
    tab.page.get_by_label("Verdict").select_option(value=verdict)
    from playwright.sync_api import expect

    expect(tab.page.locator("#search-status")).to_contain_text("with the chosen filters", timeout=WAIT_MS)
    narrow = expect_count(tab)
    assert narrow < wide
    assert set(result_urls(tab)) == expected
    assert address(tab) == {"q": ["Trump"], "verdict": [verdict]}
    assert tab.page.evaluate("history.length") == history_length, "the address is replaced, not pushed"
    tab.quiet()


def test_a_cyrillic_query_finds_the_cyrillic_claim(tab: Tab, site_url: str, claim_pages: list[ClaimPage]) -> None:
    foreign = [p for p in claim_pages if p.lang and re.search(CYRILLIC, p.title)]
    assert foreign, "the sample site has a claim in Russian"
    target = foreign[0]
    word = max(re.findall(CYRILLIC, target.title), key=len)
    tab.page.goto(site_url + "/search/")
    tab.page.locator("#search-q").press_sequentially(word)
    assert expect_count(tab, word) >= 1
    assert target.url in result_urls(tab)
    link = tab.page.locator(f'#search-results h2 a[href$="{target.url}"]')
    assert link.get_attribute("lang") == target.lang
    assert tab.page.evaluate("document.documentElement.lang") != target.lang, "the page keeps the site's language"
    tab.quiet()


def test_a_linked_query_runs_on_arrival(tab: Tab, site_url: str, claim_pages: list[ClaimPage]) -> None:
    tab.page.goto(site_url + "/search/?q=Peskov")
    count = expect_count(tab)
    assert count >= 1
    assert tab.page.locator("#search-q").input_value() == "Peskov"
    assert set(result_urls(tab)) <= {p.url for p in claim_pages}
    tab.quiet()


def test_a_linked_filter_lists_every_claim_with_it(tab: Tab, site_url: str, claim_pages: list[ClaimPage]) -> None:
    topic = sorted({t for p in claim_pages for t in p.filters.get("topic", [])})[0]
    expected = {p.url for p in claim_pages if topic in p.filters.get("topic", [])}
    tab.page.goto(site_url + "/search/?" + f"topic={topic.replace(' ', '+')}")
    assert expect_count(tab) == len(expected)
    assert set(result_urls(tab)) == expected
    assert tab.page.get_by_label("Topic").input_value() == topic
    dates = tab.page.locator("#search-results time").evaluate_all("t => t.map(x => x.dateTime)")
    assert dates == sorted(dates, reverse=True), "without words, the newest fact-check comes first"
    tab.quiet()


def test_the_search_input_is_labelled_and_reached_by_keyboard(tab: Tab, site_url: str) -> None:
    tab.page.goto(site_url + "/search/")
    assert tab.page.get_by_label("Words to find").get_attribute("id") == "search-q"
    for _ in range(40):
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate("document.activeElement && document.activeElement.id") == "search-q":
            break
    else:
        pytest.fail("Tab never reached the search input")
    tab.page.keyboard.type("Kremlin")
    tab.page.keyboard.press("Enter")
    assert expect_count(tab) >= 1
    assert urlsplit(tab.page.url).path == "/search/", "Enter searches in place"
    tab.quiet()


def test_the_live_region_announces_the_count(tab: Tab, site_url: str) -> None:
    tab.page.goto(site_url + "/search/?q=Trump")
    status = tab.page.locator("#search-status")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    count = expect_count(tab)
    shown = tab.page.locator("#search-results > li").count()
    more = tab.page.locator("#search-more")
    assert shown == count or (shown < count and more.is_visible())
    tab.page.locator("#search-q").fill("zzqxnothing")
    from playwright.sync_api import expect

    expect(status).to_have_text(re.compile(r"^No fact-checks found"), timeout=WAIT_MS)
    assert tab.page.locator("#search-results").is_hidden()
    tab.quiet()


def test_the_header_search_box_works_without_javascript(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_url + "/claims/")
        page.get_by_role("search").first.get_by_label("Search fact-checks").fill("Путин")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/search/\?q="), timeout=WAIT_MS)
        assert parse_qs(urlsplit(page.url).query) == {"q": ["Путин"]}
        assert page.locator("noscript").count() >= 1
        # nothing promises what only the script does: no filters, no "results appear as you type"
        assert page.locator("#search-hint").is_hidden() and page.locator(".search-filters").is_hidden()
        notice = page.locator(".search-noscript")
        assert notice.is_visible() and "Search needs JavaScript" in notice.inner_text()
        assert notice.bounding_box()["y"] < page.locator("#search-q").bounding_box()["y"]  # read before the form
    finally:
        context.close()


def test_with_javascript_the_filters_and_hint_are_shown(tab: Tab, site_url: str) -> None:
    tab.page.goto(site_url + "/search/")
    from playwright.sync_api import expect

    expect(tab.page.locator(".search-filters")).to_be_visible(timeout=WAIT_MS)
    expect(tab.page.locator("#search-hint")).to_be_visible(timeout=WAIT_MS)
    tab.quiet()


def test_the_header_search_box_leads_to_results(tab: Tab, site_url: str) -> None:
    tab.page.goto(site_url + "/")
    tab.page.locator("#site-search").fill("Peskov")
    tab.page.locator("#site-search").press("Enter")
    tab.page.wait_for_url(re.compile(r"/search/\?q=Peskov"), timeout=WAIT_MS)
    assert expect_count(tab) >= 1
    assert tab.page.locator("#search-q").input_value() == "Peskov"
    tab.quiet()


def test_the_search_page_with_results_passes_axe(tab: Tab, site_url: str) -> None:
    from quality import AXE_JS, format_axe, run_axe

    if not AXE_JS.exists():
        missing_tool(f"axe-core not found at {AXE_JS}: run npm ci")
    tab.page.goto(site_url + "/search/?q=Trump&sort=newest")
    assert expect_count(tab) >= 1
    violations = run_axe(tab.page)
    assert violations == [], format_axe("/search/?q=Trump", violations)
    tab.quiet()


def test_the_search_page_before_any_search_passes_axe(tab: Tab, site_url: str) -> None:
    from playwright.sync_api import expect
    from quality import AXE_JS, format_axe, run_axe

    if not AXE_JS.exists():
        missing_tool(f"axe-core not found at {AXE_JS}: run npm ci")
    tab.page.goto(site_url + "/search/")
    expect(tab.page.locator("#search-status")).to_have_text(re.compile("^Type a word"), timeout=WAIT_MS)
    violations = run_axe(tab.page)
    assert violations == [], format_axe("/search/", violations)
    tab.quiet()


def build_project(root: Path, out: Path, *, base_url: str | None = None) -> Path:
    from factpress.pipeline import BuildOptions, build_site

    return build_site(BuildOptions(root, out, base_url=base_url)).out


def test_a_site_under_a_base_path_links_results_under_it(tab: Tab, project, tmp_path: Path) -> None:
    from quality import serve_folder

    site = build_project(project("minimal"), tmp_path / "site", base_url="https://minimal.example.org/news/")
    with serve_folder(site) as home:
        tab.page.goto(home + "search/?q=bridge")
        assert expect_count(tab) == 1
        [url] = result_urls(tab)
        assert url == "/news/claims/bridge-cost/"
        tab.page.locator("#search-results h2 a").click()
        tab.page.wait_for_url(re.compile(r"/news/claims/bridge-cost/$"), timeout=WAIT_MS)
        assert tab.page.locator("h1").inner_text().strip() == "The bridge cost 12 million euros."
    tab.quiet()


def test_a_site_with_nothing_published_searches_and_finds_nothing(tab: Tab, project, tmp_path: Path) -> None:
    from playwright.sync_api import expect
    from quality import serve_folder

    root = project("minimal")
    claims = root / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8") + "  draft: true\n", encoding="utf-8")
    site = build_project(root, tmp_path / "site")
    assert not (site / "claims" / "bridge-cost").exists()
    with serve_folder(site) as home:
        tab.page.goto(home + "search/?q=bridge")
        expect(tab.page.locator("#search-status")).to_have_text(re.compile("^No fact-checks found"), timeout=WAIT_MS)
        assert tab.page.locator("#search-results").is_hidden()
    tab.quiet()


def test_more_results_come_twenty_at_a_time_and_take_the_focus(tab: Tab, project, tmp_path: Path) -> None:
    from playwright.sync_api import expect
    from quality import serve_folder

    root = project("minimal")
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    copies = [
        text.replace("bridge-cost", f"bridge-cost-{n:02d}").replace("2025-03-05", f"2025-04-{n:02d}")
        for n in range(1, 26)
    ]
    claims.write_text(text + "".join(copies), encoding="utf-8")
    site = build_project(root, tmp_path / "site")
    with serve_folder(site) as home:
        tab.page.goto(home + "search/?q=bridge")
        assert expect_count(tab) == 26
        assert tab.page.locator("#search-results > li").count() == 20
        tab.page.locator("#search-more").click()
        expect(tab.page.locator("#search-results > li")).to_have_count(26, timeout=WAIT_MS)
        assert tab.page.locator("#search-more").is_hidden()
        focused = tab.page.evaluate(
            "document.activeElement.closest('li') === document.querySelectorAll('#search-results > li')[20]"
        )
        assert focused, "the first new result takes the focus"
    tab.quiet()


def test_sorting_by_date_is_linked_and_kept_in_the_address(tab: Tab, site_url: str) -> None:
    from playwright.sync_api import expect

    tab.page.goto(site_url + "/search/?q=Trump&sort=oldest")
    assert expect_count(tab) >= 2
    dates = tab.page.locator("#search-results time").evaluate_all("t => t.map(x => x.dateTime)")
    assert dates == sorted(dates)
    tab.page.get_by_label("Order").select_option(value="newest")
    expect(tab.page).to_have_url(re.compile(r"sort=newest"), timeout=WAIT_MS)
    expect(tab.page.locator("#search-results time").first).to_have_attribute("datetime", max(dates), timeout=WAIT_MS)
    dates = tab.page.locator("#search-results time").evaluate_all("t => t.map(x => x.dateTime)")
    assert dates == sorted(dates, reverse=True)
    assert address(tab) == {"q": ["Trump"], "sort": ["newest"]}
    tab.quiet()


@pytest.mark.parametrize(
    ("language", "button", "done"),
    [("en", "Copy code", "Copied to the clipboard."), ("fr", "Copier le code", "Copié dans le presse-papiers.")],
)
def test_the_embed_codes_copy_button_speaks_the_sites_language(
    tab: Tab, project, tmp_path: Path, language: str, button: str, done: str
) -> None:
    from playwright.sync_api import expect
    from quality import serve_folder

    root = project("minimal")
    site_yaml = root / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("language: en", f"language: {language}"))
    site = build_project(root, tmp_path / "site")
    with serve_folder(site) as home:
        tab.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        tab.page.goto(home + "claims/bridge-cost/")
        copy = tab.page.locator(".copy-button")
        expect(copy).to_have_text(button, timeout=WAIT_MS)
        copy.click()
        expect(tab.page.locator(".copy-status")).to_have_text(done, timeout=WAIT_MS)
    tab.quiet()


def test_a_topics_name_finds_the_fact_checks_under_it(tab: Tab, site_url: str, claim_pages: list[ClaimPage]) -> None:
    """The search page's hint says a topic can be typed: its name is indexed with each fact-check."""
    topics = sorted({t for p in claim_pages for t in p.filters.get("topic", []) if " " not in t})
    topic = min(topics, key=lambda t: sum(t in p.filters.get("topic", []) for p in claim_pages))
    tagged = {p.url for p in claim_pages if topic in p.filters.get("topic", [])}
    tab.page.goto(site_url + "/search/")
    tab.page.locator("#search-q").press_sequentially(topic)
    expect_count(tab, topic)
    assert tagged <= set(result_urls(tab))
    tab.quiet()


#: Each shown select's width, and the width it takes left to itself (as wide as its longest choice).
SELECT_WIDTHS = """selects => selects.filter(s => s.offsetParent !== null).map(s => {
  const free = s.cloneNode(true);
  free.style.width = "auto";
  s.parentNode.append(free);
  const needed = free.getBoundingClientRect().width;
  free.remove();
  return [s.id, s.getBoundingClientRect().width, needed];
})"""


def test_a_right_to_left_search_page_at_phone_width_shows_each_choice_whole(tab: Tab, project, tmp_path: Path) -> None:
    from playwright.sync_api import expect
    from quality import serve_folder

    root = project("full")  # Hebrew (no catalog): the English "Best match first" on a right-to-left page
    config = root / "content/site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: he"), encoding="utf-8")
    site = build_project(root, tmp_path / "site")
    with serve_folder(site) as home:
        tab.page.goto(home + "search/")
        expect(tab.page.locator(".search-filters")).to_be_visible()
        assert tab.page.evaluate("[document.documentElement.dir, innerWidth]") == ["rtl", 390]
        widths = tab.page.locator(".search-filter select").evaluate_all(SELECT_WIDTHS)
        assert "search-sort" in [name for name, _width, _needed in widths]
        for name, width, needed in widths:  # narrower, a select cuts its text: the first letters, right to left
            assert width >= needed - 0.5, (name, width, needed)
        border = tab.page.locator("#search-q").evaluate("e => getComputedStyle(e).borderRightWidth")
        assert border == "1px"  # its outer side, at the right (the button joins it on the left)
    tab.quiet()
