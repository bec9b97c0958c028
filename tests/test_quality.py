"""Quality gates on real builds: W3C validity, axe-core in Chromium at phone and desktop widths, ClaimReview.

Run on the sample site and on tests/sites/full and tests/sites/minimal. One vnu.jar run covers every
page of every site; one browser visits each kind of page once per viewport, running axe, measuring
horizontal overflow and keeping screenshots in test-artifacts/screenshots/ (the README's comes from there).
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import missing_tool
from quality import (
    AXE_JS,
    SCREENSHOTS,
    SDTT,
    VNU_JAR,
    claim_review_problems,
    claim_reviews,
    css_files,
    format_axe,
    format_vnu,
    html_files,
    page_claim_review_problems,
    page_kinds,
    run_axe,
    run_sdtt,
    run_vnu,
    serve_folder,
)

from factpress.pipeline import BuildOptions, build_site

SITE_NAMES = ["sample", "full", "minimal"]
VIEWPORTS = {"390": (390, "light"), "1280": (1280, "light"), "390-dark": (390, "dark")}
REQUIRED_KINDS = {
    "home", "claims", "claim", "verdicts", "verdict", "people", "person",
    "sources", "source", "corrections", "search", "404",
}  # fmt: skip
# Every site at phone and desktop width; dark mode (at phone width) on the sites that exercise every feature.
BROWSER_CASES = [(n, v) for n in SITE_NAMES for v in VIEWPORTS if not (n == "minimal" and v.endswith("dark"))]
README_SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshot-claim.png"


@pytest.fixture(scope="session")
def quality_sites(built_site: Path, built_test_site) -> dict[str, Path]:
    """The built sites the gates judge: the sample site and every test site that exists."""
    sites = {"sample": built_site}
    for name in SITE_NAMES[1:]:
        path = built_test_site(name)
        if path is not None:
            sites[name] = path
    return sites


def site_or_skip(sites: dict[str, Path], name: str) -> Path:
    """The built site, or a skip when tests/sites/<name> has not been written."""
    if name not in sites:
        pytest.skip(f"tests/sites/{name} does not exist")
    return sites[name]


# ---------------------------------------------------------------------------------------------------------------
# W3C Nu Html Checker


BROKEN_HTML = '<!DOCTYPE html><html lang="en"><title>x</title><p id="a">one</div><p id="a">two</p></html>'


@pytest.fixture(scope="session")
def broken_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A page with a stray end tag and a duplicate id, checked in the same run to show the gate can fail."""
    page = tmp_path_factory.mktemp("invalid") / "broken.html"
    page.write_text(BROKEN_HTML, encoding="utf-8")
    page.with_suffix(".css").write_text("a { colr: red; width: 10pz }\n", encoding="utf-8")
    return page


@pytest.fixture(scope="session")
def vnu_report(quality_sites: dict[str, Path], broken_page: Path) -> dict[Path, list[dict[str, Any]]]:
    """The W3C checker's errors for every page of every site (and the broken page), from one Java process."""
    if not VNU_JAR.exists():
        missing_tool(f"{VNU_JAR} not found: W3C validation skipped (run npm ci)")
    if shutil.which("java") is None:
        missing_tool("Java not found: W3C validation skipped (apt-get install default-jre-headless)")
    files = [f for site in quality_sites.values() for f in html_files(site) + css_files(site)]
    return run_vnu([*files, broken_page, broken_page.with_suffix(".css")])


@pytest.mark.parametrize("name", SITE_NAMES)
def test_every_page_is_valid_html(name: str, quality_sites: dict[str, Path], vnu_report) -> None:
    site = site_or_skip(quality_sites, name)
    pages = html_files(site)
    assert len(pages) >= len(REQUIRED_KINDS)
    errors = {p: vnu_report[p.resolve()] for p in pages if p.resolve() in vnu_report}
    assert not errors, "W3C Nu Html Checker errors:\n" + "\n".join(format_vnu(p, m) for p, m in errors.items())


def test_vnu_reports_an_invalid_page(broken_page: Path, vnu_report) -> None:
    """The gate can fail: a page with a stray end tag and a duplicate id is reported."""
    messages = vnu_report[broken_page.resolve()]
    assert any("Duplicate ID" in m["message"] for m in messages)
    assert any("div" in m["message"] for m in messages)
    assert any("colr" in m["message"] for m in vnu_report[broken_page.with_suffix(".css").resolve()])


@pytest.mark.parametrize("name", SITE_NAMES)
def test_every_stylesheet_is_valid_css(name: str, quality_sites: dict[str, Path], vnu_report) -> None:
    site = site_or_skip(quality_sites, name)
    sheets = css_files(site)
    assert any(p.name == "verdicts.css" for p in sheets)
    errors = {p: vnu_report[p.resolve()] for p in sheets if p.resolve() in vnu_report}
    assert not errors, "W3C CSS errors:\n" + "\n".join(format_vnu(p, m) for p, m in errors.items())


# ---------------------------------------------------------------------------------------------------------------
# axe-core, overflow and screenshots in headless Chromium


def search_word(site: Path, kinds: dict[str, str]) -> str:
    """A word from the newest claim, so the search page is checked with results showing."""
    if "claim" not in kinds:
        return "claim"
    soup = BeautifulSoup((site / kinds["claim"] / "index.html").read_text(encoding="utf-8"), "html.parser")
    words = re.findall(r"\w{4,}", soup.find("h1").get_text())
    return max(words, key=len) if words else "claim"


SEARCH_RESULTS = "#search-results li, .pagefind-ui__result"


def wait_for_results(page: Any) -> bool:
    """Let the search page show its results (axe should judge them too); False when none appeared."""
    try:
        page.wait_for_selector(SEARCH_RESULTS, timeout=10_000)
    except Exception:  # Playwright's TimeoutError: reported by test_search_page_is_checked_with_results
        return False
    page.wait_for_load_state("networkidle")
    return True


def visit_kinds(browser: Any, name: str, site: Path, viewport: str) -> dict[str, dict[str, Any]]:
    """Load each kind of page once at one viewport: axe violations, overflow, and screenshots kept."""
    width, scheme = VIEWPORTS[viewport]
    kinds = page_kinds(site)
    shots = SCREENSHOTS / name
    shots.mkdir(parents=True, exist_ok=True)
    report: dict[str, dict[str, Any]] = {}
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    try:
        with serve_folder(site) as root:
            for kind, path in kinds.items():
                url = root + path + (f"?q={search_word(site, kinds)}" if kind == "search" else "")
                page.goto(url, wait_until="load")
                results = kind == "search" and wait_for_results(page)
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                page.screenshot(path=str(shots / f"{kind}-{viewport}.png"))
                if scheme == "light" and name == "sample":  # full-page captures of the sample, for review
                    page.screenshot(path=str(shots / f"{kind}-{viewport}-full.png"), full_page=True)
                report[kind] = {"url": url, "overflow": overflow, "violations": run_axe(page), "results": results}
    finally:
        context.close()
    return report


@pytest.fixture(scope="session")
def browser_report(browser: Any, quality_sites: dict[str, Path]):
    """Visit every kind of page of a site at a viewport once per session, whichever test asks first."""
    if not AXE_JS.exists():
        missing_tool(f"{AXE_JS} not found: accessibility checks skipped (run npm ci)")
    cache: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}

    def report(name: str, viewport: str) -> dict[str, dict[str, Any]]:
        if (name, viewport) not in cache:
            cache[name, viewport] = visit_kinds(browser, name, site_or_skip(quality_sites, name), viewport)
        return cache[name, viewport]

    return report


@pytest.mark.parametrize("name", SITE_NAMES)
def test_every_kind_of_page_is_checked(name: str, quality_sites: dict[str, Path]) -> None:
    kinds = page_kinds(site_or_skip(quality_sites, name))
    assert kinds.keys() >= REQUIRED_KINDS, f"kinds of page not found: {sorted(REQUIRED_KINDS - kinds.keys())}"


@pytest.mark.browser
@pytest.mark.parametrize(("name", "viewport"), BROWSER_CASES)
def test_axe_finds_no_violations(name: str, viewport: str, browser_report) -> None:
    report = browser_report(name, viewport)
    found = [format_axe(f"{kind} {r['url']}", r["violations"]) for kind, r in report.items() if r["violations"]]
    assert not found, f"axe-core violations at {viewport}:\n" + "\n".join(found)


@pytest.mark.browser
@pytest.mark.parametrize(("name", "viewport"), BROWSER_CASES)
def test_no_page_scrolls_sideways(name: str, viewport: str, browser_report) -> None:
    report = browser_report(name, viewport)
    wide = {f"{kind} {r['url']}": r["overflow"] for kind, r in report.items() if r["overflow"] > 0}
    assert not wide, f"pages wider than the {viewport} viewport (overflow in px): {wide}"


@pytest.fixture(scope="session")
def careless_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal site as a careless newsroom might write it: pale verdict colours, unbreakable long words."""
    root = tmp_path_factory.mktemp("careless") / "project"
    shutil.copytree(Path(__file__).parent / "sites" / "minimal", root)
    verdicts = root / "content" / "verdicts.yaml"
    pale = {"#1a7f37": "#ffd33d", "#cf222e": "#ffc0cb", "#57606a": "#e0e0e0"}
    text = verdicts.read_text(encoding="utf-8")
    for old, new in pale.items():
        text = text.replace(old, new)
    verdicts.write_text(text, encoding="utf-8")
    claims = root / "claims.yaml"
    long_word = "https://example.com/" + "x" * 150
    text = claims.read_text(encoding="utf-8")
    text = text.replace("The bridge cost 12 million euros.", f"The bridge cost {long_word} euros.")
    text = text.replace("The Gazette reports the same figure.", f"The Gazette reports {long_word}.")
    claims.write_text(text, encoding="utf-8")
    return build_site(BuildOptions(root, root / "site")).out


@pytest.mark.browser
def test_a_careless_site_stays_readable(careless_site: Path, browser: Any) -> None:
    """Pale verdict colours get dark badge text (contrast AA); a 150-character word does not widen a phone's page."""
    kinds = page_kinds(careless_site)
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    problems = []
    try:
        with serve_folder(careless_site) as root:
            for kind in ("home", "claims", "claim", "verdicts", "verdict", "person", "source", "corrections"):
                page.goto(root + kinds[kind])
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                if overflow > 0:
                    problems.append(f"{kind}: {overflow} px wider than the viewport")
                if violations := run_axe(page):
                    problems.append(format_axe(kind, violations))
    finally:
        context.close()
    assert not problems, "\n".join(problems)


HIDDEN_IN_PRINT = ["header nav", "header form", "footer nav", ".embed-code", ".related", ".skip-link"]
SHOWN_IN_PRINT = ["h1", ".verdict-box", ".summary", ".evidence-list"]


@pytest.mark.browser
def test_the_claim_page_prints_cleanly(built_site: Path, browser: Any) -> None:
    """On paper: no navigation, search, embed code or related list; the claim, verdict and evidence, A4 wide."""
    context = browser.new_context(viewport={"width": 794, "height": 1123})
    page = context.new_page()
    try:
        with serve_folder(built_site) as root:
            page.goto(root + page_kinds(built_site)["claim"])
            page.emulate_media(media="print")
            (SCREENSHOTS / "sample").mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "sample" / "claim-print.png"), full_page=True)
            shown = page.evaluate(
                """(selectors) => Object.fromEntries(selectors.map(s => [s, [...document.querySelectorAll(s)]
                    .some(e => getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0)]))""",
                HIDDEN_IN_PRINT + SHOWN_IN_PRINT,
            )
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    finally:
        context.close()
    assert [s for s in HIDDEN_IN_PRINT if shown[s]] == []
    assert [s for s in SHOWN_IN_PRINT if not shown[s]] == []
    assert overflow <= 0


@pytest.mark.browser
def test_axe_reports_an_inaccessible_page(browser: Any, tmp_path: Path) -> None:
    """The gate can fail: an image without alt text and grey-on-grey text are reported."""
    if not AXE_JS.exists():
        missing_tool(f"{AXE_JS} not found: accessibility checks skipped (run npm ci)")
    page = browser.new_page()
    try:
        page.set_content(
            '<!DOCTYPE html><html lang="en"><title>x</title><main><h1>x</h1><img src="data:,">'
            '<p style="color:#aaa;background:#bbb">faint</p></main></html>'
        )
        ids = {v["id"] for v in run_axe(page)}
    finally:
        page.close()
    assert {"image-alt", "color-contrast"} <= ids


@pytest.mark.browser
@pytest.mark.parametrize("name", SITE_NAMES[:2])
def test_search_page_is_checked_with_results(name: str, browser_report) -> None:
    """axe and the screenshots see the search page with results, not only its empty form."""
    report = browser_report(name, "390")
    assert report["search"]["results"], f"no search results appeared at {report['search']['url']}"


@pytest.mark.browser
def test_readme_screenshot_is_a_desktop_claim_page(browser_report) -> None:
    """docs/screenshot-claim.png is a viewport-sized capture of a claim page at 1280 px, small enough to commit."""
    browser_report("sample", "1280")
    fresh = SCREENSHOTS / "sample" / "claim-1280.png"
    assert fresh.exists()
    assert README_SCREENSHOT.exists(), f"copy {fresh} to {README_SCREENSHOT} (make screenshot)"
    header = README_SCREENSHOT.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    assert (width, height) == (1280, 900)
    assert README_SCREENSHOT.stat().st_size < 400_000


# ---------------------------------------------------------------------------------------------------------------
# ClaimReview


def is_claim_page(site: Path, page: Path) -> bool:
    """A fact-check's page: not the page left at a former id (aliases), which only sends the reader on."""
    parts = page.relative_to(site).parts
    return len(parts) == 3 and parts[0] == "claims" and parts[2] == "index.html" and not is_moved_page(page)


def is_moved_page(page: Path) -> bool:
    return 'http-equiv="refresh"' in page.read_text(encoding="utf-8")


def claim_pages(site: Path) -> list[Path]:
    return [page for page in sorted((site / "claims").glob("*/index.html")) if not is_moved_page(page)]


@pytest.mark.parametrize("name", SITE_NAMES)
def test_claim_reviews_meet_googles_requirements(name: str, quality_sites: dict[str, Path]) -> None:
    site = site_or_skip(quality_sites, name)
    pages = html_files(site)
    assert any(is_claim_page(site, p) for p in pages)
    found = {}
    for page in pages:
        problems = page_claim_review_problems(page.read_text(encoding="utf-8"), is_claim_page(site, page))
        if problems:
            found[str(page.relative_to(site))] = problems
    assert not found, "ClaimReview problems:\n" + json.dumps(found, indent=2)


@pytest.fixture(scope="session")
def sdtt_report(quality_sites: dict[str, Path]) -> dict[Path, list[str]]:
    """Google's preset (structured-data-testing-tool) on every claim page of every site, in one Node run."""
    if not SDTT.exists():
        missing_tool(f"{SDTT} not found: Google's structured-data preset skipped (run npm ci)")
    if shutil.which("node") is None:
        missing_tool("Node.js not found: Google's structured-data preset skipped")
    files = [p for site in quality_sites.values() for p in html_files(site) if is_claim_page(site, p)]
    return run_sdtt(files)


@pytest.mark.parametrize("name", SITE_NAMES)
def test_claim_pages_pass_googles_structured_data_preset(name: str, quality_sites, sdtt_report) -> None:
    site = site_or_skip(quality_sites, name)
    pages = [p for p in html_files(site) if is_claim_page(site, p)]
    assert pages
    failed = {str(p.relative_to(site)): sdtt_report[p.resolve()] for p in pages if sdtt_report[p.resolve()]}
    assert not failed, "structured-data-testing-tool (Google preset) failures:\n" + json.dumps(failed, indent=2)


def test_googles_preset_fails_a_broken_review(built_site: Path, tmp_path: Path, sdtt_report) -> None:
    """The gate can fail: a ClaimReview without alternateName, or a page without any, is reported."""
    page = claim_pages(built_site)[0]
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    script = soup.find("script", type="application/ld+json")
    review = json.loads(script.string)
    del review["reviewRating"]["alternateName"]
    script.string = json.dumps(review)
    broken, empty = tmp_path / "broken.html", tmp_path / "empty.html"
    broken.write_text(str(soup), encoding="utf-8")
    empty.write_text("<!DOCTYPE html><html lang=en><title>x</title></html>", encoding="utf-8")
    report = run_sdtt([broken, empty])
    assert any("alternateName" in f for f in report[broken.resolve()])
    assert report[empty.resolve()]


@pytest.fixture(scope="session")
def rated_review(built_site: Path) -> tuple[dict[str, Any], str]:
    """A real ClaimReview with a rating from the sample build, and its page's canonical URL."""
    for page in claim_pages(built_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        review = json.loads(soup.find("script", type="application/ld+json").string)
        if "ratingValue" in review["reviewRating"]:
            return review, str(soup.find("link", rel="canonical")["href"])
    pytest.fail("the sample site has no rated fact-check")


def test_checker_accepts_a_built_review(rated_review) -> None:
    review, canonical = rated_review
    assert claim_review_problems(review, canonical) == []


def _drop(path: str):
    def change(review: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = review
        for key in parents:
            node = node[key]
        del node[last]

    return change


def _set(path: str, value: Any):
    def change(review: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = review
        for key in parents:
            node = node[key]
        node[last] = value

    return change


BROKEN = {
    "no claimReviewed": (_drop("claimReviewed"), "claimReviewed is missing"),
    "empty claimReviewed": (_set("claimReviewed", " "), "claimReviewed is missing"),
    "no alternateName": (_drop("reviewRating.alternateName"), "alternateName"),
    "no ratingExplanation": (_drop("reviewRating.ratingExplanation"), "ratingExplanation"),
    "value as text": (_set("reviewRating.ratingValue", "3"), "must be numbers"),
    "value above best": (_set("reviewRating.ratingValue", 99), "outside worstRating"),
    "best without worst": (_drop("reviewRating.worstRating"), "give all three or none"),
    "worst above best": (_set("reviewRating.worstRating", 9), "must be below bestRating"),
    "no rating": (_drop("reviewRating"), "reviewRating is missing"),
    "item not a Claim": (_set("itemReviewed.@type", "CreativeWork"), "itemReviewed @type must be Claim"),
    "claimant without name": (_drop("itemReviewed.author.name"), "itemReviewed.author.name"),
    "no claimant": (_drop("itemReviewed.author"), "itemReviewed.author is missing"),
    "claim date not ISO": (_set("itemReviewed.datePublished", "9 July 2025"), "itemReviewed.datePublished"),
    "no itemReviewed": (_drop("itemReviewed"), "itemReviewed is missing"),
    "no author": (_drop("author"), "author is missing"),
    "author without name": (_set("author", {"@type": "Person"}), "author.name"),
    "date not ISO": (_set("datePublished", "12/07/2025"), "datePublished must be a full ISO"),
    "modified before published": (_set("dateModified", "1999-01-01"), "dateModified"),
    "relative url": (_set("url", "/claims/x/"), "absolute"),
    "url not canonical": (_set("url", "https://elsewhere.example/claims/x/"), "differs from the page's canonical"),
    "wrong context": (_set("@context", "https://example.org"), "@context"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_checker_rejects_a_broken_review(case: str, rated_review) -> None:
    review, canonical = copy.deepcopy(rated_review[0]), rated_review[1]
    change, expected = BROKEN[case]
    change(review)
    problems = claim_review_problems(review, canonical)
    assert any(expected in p for p in problems), problems


def test_checker_wants_exactly_one_review_on_a_claim_page(built_site: Path) -> None:
    page = claim_pages(built_site)[0]
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    script = soup.find("script", type="application/ld+json")
    script.insert_after(copy.copy(script))
    assert "exactly one ClaimReview, found 2" in " ".join(page_claim_review_problems(str(soup), True))
    for s in soup.find_all("script", type="application/ld+json"):
        s.decompose()
    assert "exactly one ClaimReview, found 0" in " ".join(page_claim_review_problems(str(soup), True))


def test_checker_rejects_json_ld_that_is_not_json(built_site: Path) -> None:
    page = claim_pages(built_site)[0]
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    soup.find("script", type="application/ld+json").string = '{"@type": "ClaimReview",'
    assert any("not valid JSON" in p for p in page_claim_review_problems(str(soup), True))


@pytest.mark.parametrize("name", SITE_NAMES)
def test_the_claimant_line_reads_well_for_approximate_dates(name: str, quality_sites: dict[str, Path]) -> None:
    """'stated on 9 July 2025' for a full date, 'stated in March 2025' or 'stated in 2025' otherwise."""
    site = site_or_skip(quality_sites, name)
    for page in claim_pages(site):
        line = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find(class_="claimant-line")
        iso = line.find("time")["datetime"]
        expected = "stated on" if len(iso) == 10 else "stated in"
        assert expected in " ".join(line.get_text().split()), (page, line.get_text())


@pytest.mark.parametrize("name", SITE_NAMES)
def test_the_update_a_page_shows_is_the_claim_reviews_date_modified(name: str, quality_sites: dict[str, Path]) -> None:
    """A correction without `updated`, or after it, must not leave the page older than its ClaimReview and feeds."""
    site = site_or_skip(quality_sites, name)
    pages = claim_pages(site)
    updated = 0
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        times = soup.find(class_="byline").find_all("time")
        shown = times[1]["datetime"] if len(times) > 1 else None
        (review,), _ = claim_reviews(soup)
        assert shown == review.get("dateModified"), page
        updated += shown is not None
    assert updated or name == "minimal"
