"""Helpers for the quality gates: the W3C checker, axe-core, page kinds, and a strict ClaimReview checker.

The gates run real tools (Java's vnu.jar, axe-core in Chromium) over real builds; the ClaimReview
checker is ours, because Google's own test no longer covers fact-checks (2025) and aggregators such as
Fact Check Explorer still read the markup.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
SDTT = REPO / "node_modules" / "structured-data-testing-tool"
SDTT_CHECK = Path(__file__).resolve().parent / "sdtt_check.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

# Top-level folders of a built site that hold something other than a content page.
SECTIONS = {"claims", "verdicts", "people", "topics", "sources", "corrections", "search", "embed"}
NOT_PAGES = {"static", "pagefind", "api", "cards", "oembed"}


def html_files(site: Path) -> list[Path]:
    """Every HTML page of a built site (Pagefind's own bundle is not ours to validate)."""
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)


def css_files(site: Path) -> list[Path]:
    """The site's own stylesheets (the theme's, the project's and verdicts.css; not Pagefind's)."""
    return sorted(p for p in site.rglob("*.css") if "pagefind" not in p.relative_to(site).parts)


def run_vnu(files: list[Path]) -> dict[Path, list[dict[str, Any]]]:
    """Run the W3C Nu Html Checker (and its CSS checker) once over many files; the errors found, by file."""
    java = shutil.which("java")
    if java is None:
        raise FileNotFoundError("java")
    options = ["--errors-only", "--also-check-css", "--format", "json"]
    cmd = [java, "-Xss8m", "-jar", str(VNU_JAR), *options, *map(str, files)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    report = json.loads(proc.stderr or proc.stdout or '{"messages": []}')
    found: dict[Path, list[dict[str, Any]]] = {}
    for message in report.get("messages", []):
        url = message.get("url", "")
        path = Path(unquote(url.removeprefix("file:"))) if url.startswith("file:") else Path(url)
        found.setdefault(path.resolve(), []).append(message)
    return found


def run_sdtt(files: list[Path]) -> dict[Path, list[str]]:
    """Google's structured-data preset (npm structured-data-testing-tool) over many files in one Node process."""
    node = shutil.which("node")
    if node is None:
        raise FileNotFoundError("node")
    proc = subprocess.run([node, str(SDTT_CHECK), *map(str, files)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"sdtt_check.js failed: {proc.stderr[-2000:]}")
    return {Path(name).resolve(): failed for name, failed in json.loads(proc.stdout).items()}


def format_vnu(path: Path, messages: list[dict[str, Any]]) -> str:
    """One line per W3C error, with line and column, as an editor would want it."""
    return "\n".join(
        f"{path}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: {m.get('type')}: {m.get('message')}"
        f" [{(m.get('extract') or '').strip()[:80]}]"
        for m in messages
    )


def base_path(site: Path) -> str:
    """The URL path the site is built for (from the home page's canonical link), e.g. '/' or '/checks/'."""
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = soup.find("link", rel="canonical")
    path = urlsplit(str(link["href"])).path if link else "/"
    return path if path.endswith("/") else path + "/"


def _first_dir(folder: Path) -> str | None:
    if not folder.is_dir():
        return None
    dirs = sorted(p.name for p in folder.iterdir() if p.is_dir() and (p / "index.html").exists())
    return dirs[0] if dirs else None


def _first_linked(site: Path, listing: str, section: str) -> str | None:
    """The first item a listing page links to (the newest claim, the first person...), else the first folder."""
    page = site / listing / "index.html"
    if page.exists():
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        main = soup.find("main") or soup
        for a in main.find_all("a", href=True):
            parts = [p for p in urlsplit(str(a["href"])).path.split("/") if p]
            if len(parts) >= 2 and parts[-2] == section and (site / section / parts[-1] / "index.html").exists():
                return parts[-1]
    return _first_dir(site / section)


def page_kinds(site: Path) -> dict[str, str]:
    """One URL path (below the site root) for each kind of page the site has: the pages axe and screenshots visit."""
    kinds = {"home": ""}
    for listing, section, item in [
        ("claims", "claims", "claim"),
        ("verdicts", "verdicts", "verdict"),
        ("people", "people", "person"),
        ("topics", "topics", "topic"),
        ("sources", "sources", "source"),
    ]:
        if (site / listing / "index.html").exists():
            kinds[listing] = f"{listing}/"
        first = _first_linked(site, listing, section)
        if first:
            kinds[item] = f"{section}/{first}/"
    for single in ("corrections", "search"):
        if (site / single / "index.html").exists():
            kinds[single] = f"{single}/"
    pages = sorted(
        p.name
        for p in site.iterdir()
        if p.is_dir() and p.name not in SECTIONS | NOT_PAGES and (p / "index.html").exists()
    )
    if pages:
        kinds["page"] = f"{pages[0]}/"
    if (site / "404.html").exists():
        kinds["404"] = "404.html"
    embed = _first_dir(site / "embed")
    if embed:
        kinds["embed"] = f"embed/{embed}/"
    return kinds


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files under a URL prefix (the site's base path), silently."""

    prefix = "/"
    extensions_map = {  # noqa: RUF012
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".json": "application/json",
    }

    def translate_path(self, path: str) -> str:
        if path.startswith(self.prefix):
            path = "/" + path[len(self.prefix) :]
        return super().translate_path(path)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_folder(site: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 under its own base path; yields the URL of its home page."""
    prefix = base_path(site)
    handler = functools.partial(type("Handler", (_Handler,), {"prefix": prefix}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
  }));
}"""


@functools.cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Load axe-core into a Playwright page and return its violations (every rule of AXE_TAGS).

    axe is evaluated through the DevTools protocol rather than added as a script element, so it runs
    under the pages' strict Content-Security-Policy and the browser renders exactly what a reader gets.
    """
    page.evaluate(axe_source())
    return page.evaluate(AXE_RUN, AXE_TAGS)


def format_axe(where: str, violations: list[dict[str, Any]]) -> str:
    """Each violation with the elements it hit and axe's own explanation."""
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            summary = " ".join((node["summary"] or "").split())[:300]
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------------
# ClaimReview: Google's fact-check requirements, checked strictly.

ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$")
AGENT_TYPES = {"Person", "Organization"}


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    return set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    """Every JSON-LD node at the top level of a document, a list or a @graph."""
    if isinstance(data, list):
        for item in data:
            yield from _walk(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk(data["@graph"])


def json_ld_blocks(soup: BeautifulSoup) -> tuple[list[Any], list[str]]:
    """The parsed JSON-LD blocks of a page, and the problems of blocks that are not valid JSON."""
    blocks, problems = [], []
    for i, script in enumerate(soup.find_all("script", type="application/ld+json"), 1):
        try:
            blocks.append(json.loads(script.string or ""))
        except json.JSONDecodeError as exc:
            problems.append(f"JSON-LD block {i} is not valid JSON: {exc}")
    return blocks, problems


def claim_reviews(soup: BeautifulSoup) -> tuple[list[dict[str, Any]], list[str]]:
    """Every ClaimReview node of a page."""
    blocks, problems = json_ld_blocks(soup)
    reviews = [node for block in blocks for node in _walk(block) if "ClaimReview" in _types(node)]
    return reviews, problems


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _absolute(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _date(value: Any) -> bool:
    return isinstance(value, str) and bool(ISO_DATE.match(value))


def _agent_problems(value: Any, where: str) -> list[str]:
    agents = value if isinstance(value, list) else [value]
    if value is None or not agents:
        return [f"{where} is missing"]
    problems = []
    for agent in agents:
        if not isinstance(agent, dict):
            problems.append(f"{where} must be a Person or Organization object, got {agent!r}")
            continue
        if not _types(agent) & AGENT_TYPES:
            problems.append(f"{where} @type must be Person or Organization, got {agent.get('@type')!r}")
        if not _text(agent.get("name")):
            problems.append(f"{where}.name is missing or empty")
        for link in [agent.get("url")] + (agent.get("sameAs") if isinstance(agent.get("sameAs"), list) else []):
            if link is not None and not _absolute(link):
                problems.append(f"{where} has a link that is not an absolute http(s) URL: {link!r}")
    return problems


def rating_problems(rating: Any) -> list[str]:
    """reviewRating: a Rating with alternateName; the numbers, when given, all present, numeric and consistent."""
    if not isinstance(rating, dict):
        return ["reviewRating is missing or not an object"]
    problems = []
    if "Rating" not in _types(rating):
        problems.append(f"reviewRating @type must be Rating, got {rating.get('@type')!r}")
    if not _text(rating.get("alternateName")):
        problems.append("reviewRating.alternateName (the verdict's label) is missing or empty")
    if not _text(rating.get("ratingExplanation")):
        problems.append("reviewRating.ratingExplanation (the summary) is missing or empty")
    numbers = {k: rating.get(k) for k in ("ratingValue", "bestRating", "worstRating")}
    given = {k: v for k, v in numbers.items() if v is not None}
    if not given:
        return problems
    if len(given) < 3:
        missing = ", ".join(k for k in numbers if k not in given)
        return [*problems, f"reviewRating has {', '.join(given)} but not {missing}: give all three or none"]
    bad = [k for k, v in given.items() if not _number(v)]
    if bad:
        return [*problems, f"reviewRating {', '.join(bad)} must be numbers, got {[given[k] for k in bad]!r}"]
    value, best, worst = given["ratingValue"], given["bestRating"], given["worstRating"]
    if not worst < best:
        problems.append(f"reviewRating worstRating {worst} must be below bestRating {best}")
    if not worst <= value <= best:
        problems.append(f"reviewRating ratingValue {value} is outside worstRating {worst} .. bestRating {best}")
    return problems


def item_problems(item: Any) -> list[str]:
    """itemReviewed: a Claim with its author (a named Person or Organization) and an ISO datePublished."""
    if not isinstance(item, dict):
        return ["itemReviewed is missing or not an object"]
    problems = []
    if "Claim" not in _types(item):
        problems.append(f"itemReviewed @type must be Claim, got {item.get('@type')!r}")
    problems += _agent_problems(item.get("author"), "itemReviewed.author")
    if not _date(item.get("datePublished")):
        problems.append(f"itemReviewed.datePublished must be an ISO 8601 date, got {item.get('datePublished')!r}")
    appearances = item.get("appearance", [])
    for appearance in appearances if isinstance(appearances, list) else [appearances]:
        if not isinstance(appearance, dict) or not (_absolute(appearance.get("url")) or _text(appearance.get("name"))):
            problems.append(f"itemReviewed.appearance needs an absolute url or a name, got {appearance!r}")
    return problems


def claim_review_problems(review: dict[str, Any], canonical: str | None) -> list[str]:
    """Everything wrong with one ClaimReview, checked against Google's fact-check requirements and the page."""
    problems = []
    if not str(review.get("@context", "")).rstrip("/").endswith("schema.org"):
        problems.append(f"@context must be schema.org, got {review.get('@context')!r}")
    if not _text(review.get("claimReviewed")):
        problems.append("claimReviewed is missing or empty")
    problems += rating_problems(review.get("reviewRating"))
    problems += item_problems(review.get("itemReviewed"))
    problems += _agent_problems(review.get("author"), "author")
    published = review.get("datePublished")
    if not (_date(published) and len(published) >= 10):
        problems.append(f"datePublished must be a full ISO 8601 date, got {published!r}")
    modified = review.get("dateModified")
    if modified is not None and not (_date(modified) and _date(published) and modified >= published):
        problems.append(f"dateModified {modified!r} must be an ISO date no earlier than datePublished {published!r}")
    url = review.get("url")
    if not _absolute(url):
        problems.append(f"url must be an absolute http(s) URL, got {url!r}")
    elif canonical is None:
        problems.append("the page has no canonical link to compare url with")
    elif url != canonical:
        problems.append(f"url {url!r} differs from the page's canonical link {canonical!r}")
    return problems


def page_claim_review_problems(html: str, is_claim_page: bool) -> list[str]:
    """A fact-check page carries exactly one valid ClaimReview; any other page carrying one must get it right."""
    soup = BeautifulSoup(html, "html.parser")
    reviews, problems = claim_reviews(soup)
    if is_claim_page and len(reviews) != 1:
        problems.append(f"a fact-check page must carry exactly one ClaimReview, found {len(reviews)}")
    elif len(reviews) > 1:
        problems.append(f"a page may carry at most one ClaimReview, found {len(reviews)}")
    link = soup.find("link", rel="canonical")
    canonical = str(link["href"]) if link and link.get("href") else None
    for review in reviews:
        problems += claim_review_problems(review, canonical)
    return problems
