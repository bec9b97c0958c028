"""A text-fragment link opened in Chromium scrolls to the quoted words and highlights them.

The sample's sources have no original address, so the fragments built by text_fragment() are
tried on the site's own source pages (served on 127.0.0.1), in a small viewport where the quoted
words start well below the fold. Chromium honours a text directive only on a cross-document
navigation it treats as user-initiated: a click (user activation) qualifies, and so does
page.goto(), which Chromium handles as a browser-initiated navigation like a typed address; a
same-document navigation never does. No flag is needed with --headless=new.
The highlight is seen by styling `::target-text` magenta and counting magenta pixels over the
quoted words in a screenshot (decoded by a canvas in the browser: no imaging library needed);
the context bypasses the site's Content-Security-Policy, which rightly refuses injected styles.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from factpress.excerpts import EXACT_WORDS, fold
from factpress.link import EvidenceView, link_site, text_fragment
from factpress.pipeline import check_site

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 400, "height": 300}
TARGET_TEXT_STYLE = """
document.addEventListener('DOMContentLoaded', () => {
  const style = document.createElement('style');
  style.textContent = '::target-text { background: #ff00ff; color: #000; }';
  document.head.append(style);
});
"""
COUNT_MAGENTA = """async (png) => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + png;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] > 200 && data[i + 1] < 60 && data[i + 2] > 200) count++;
  }
  return count;
}"""
# an excerpt's anchor is its <mark>, or an empty <span> just before the mark when two excerpts start together
MARK_BOX = """(id) => {
  const anchor = document.getElementById(id);
  return (anchor.tagName === 'MARK' ? anchor : anchor.nextElementSibling).getBoundingClientRect();
}"""
IN_VIEW = f"""(id) => {{
  const box = ({MARK_BOX})(id);
  return box.bottom > 0 && box.top < window.innerHeight;
}}"""
VISIBLE_BOX = f"""(id) => {{
  const box = ({MARK_BOX})(id);
  const top = Math.max(box.top, 0);
  return {{x: box.left, y: top, width: box.width, height: Math.min(box.bottom, window.innerHeight) - top}};
}}"""


@dataclass(frozen=True)
class Case:
    """A sample excerpt to open: its source page, the id of its highlight, the fragment built for it."""

    page: str
    anchor: str
    fragment: str


def kind(ev: EvidenceView) -> str:
    """exact, range (a long quote: start,end) or elided (an excerpt with an ellipsis)."""
    if len(ev.evidence.spans) > 1:
        return "elided"
    return "exact" if len(ev.excerpt.split()) <= EXACT_WORDS else "range"


@pytest.fixture(scope="module")
def cases(sample_root: Path) -> dict[str, Case]:
    """For each kind of fragment, the sample excerpt lying deepest in its source page, and its fragment."""
    site, _ = check_site(sample_root)
    deepest: dict[str, tuple[float, Case]] = {}
    for claim in link_site(site).claims:
        for ev in claim.evidence:
            snapshot = ev.source.source.snapshot.text
            depth = ev.evidence.spans[0].start / len(snapshot)
            if depth > deepest.get(kind(ev), (-1.0, None))[0]:
                fragment = text_fragment(ev.excerpt, fold(snapshot), ev.evidence.spans)
                deepest[kind(ev)] = (depth, Case(ev.source.url, ev.anchor, fragment))
    assert set(deepest) == {"exact", "range", "elided"}
    return {name: case for name, (_, case) in deepest.items()}


@pytest.fixture
def context(browser: Any):
    """A small window whose pages paint text-fragment matches magenta."""
    ctx = browser.new_context(viewport=VIEWPORT, bypass_csp=True)  # the site's CSP forbids our inline style
    ctx.add_init_script(TARGET_TEXT_STYLE)
    yield ctx
    ctx.close()


def open_by_click(ctx: Any, site_url: str, url: str) -> Any:
    """Navigate as a reader does: click a link on another page of the site."""
    page = ctx.new_page()
    page.goto(f"{site_url}/sources/")
    page.evaluate(
        "(url) => { const a = document.createElement('a'); a.id = 'go'; a.href = url; a.textContent = 'go';"
        " document.body.prepend(a); }",
        url,
    )
    with page.expect_navigation():
        page.click("#go")
    return page


def magenta_pixels(ctx: Any, page: Any, element_id: str) -> int:
    """Magenta (::target-text) pixels over the element, as painted."""
    box = page.evaluate(VISIBLE_BOX, element_id)
    png = base64.b64encode(page.screenshot(clip=box)).decode()
    counter = ctx.new_page()
    try:
        return counter.evaluate(COUNT_MAGENTA, png)
    finally:
        counter.close()


@pytest.mark.parametrize("which", ["exact", "range", "elided"])
def test_a_text_fragment_link_scrolls_to_and_highlights_the_quoted_words(
    which: str, cases: dict[str, Case], context: Any, site_url: str
) -> None:
    case = cases[which]
    page_url = f"{site_url}{case.page}"

    plain = context.new_page()
    plain.goto(page_url)
    assert plain.evaluate("() => document.documentElement.scrollHeight > 2 * window.innerHeight")
    assert not plain.evaluate(IN_VIEW, case.anchor), "the quoted words must start below the fold"
    plain.close()

    page = open_by_click(context, site_url, f"{page_url}#{case.fragment}")
    page.wait_for_function(IN_VIEW, arg=case.anchor, timeout=10_000)
    assert page.evaluate("() => window.scrollY") > 0
    assert magenta_pixels(context, page, case.anchor) > 100


def test_a_typed_address_with_a_text_fragment_also_lands(cases: dict[str, Case], context: Any, site_url: str) -> None:
    case = cases["range"]
    page = context.new_page()
    page.goto(f"{site_url}{case.page}#{case.fragment}")
    page.wait_for_function(IN_VIEW, arg=case.anchor, timeout=10_000)
    assert magenta_pixels(context, page, case.anchor) > 100


def test_a_fragment_for_words_not_on_the_page_neither_scrolls_nor_highlights(
    cases: dict[str, Case], context: Any, site_url: str
) -> None:
    case = cases["range"]
    page = open_by_click(context, site_url, f"{site_url}{case.page}#:~:text=words%20nowhere%20on%20this%20page")
    page.wait_for_load_state("load")
    assert page.evaluate("() => window.scrollY") == 0
    assert not page.evaluate(IN_VIEW, case.anchor)
    page.evaluate("(id) => document.getElementById(id).scrollIntoView()", case.anchor)
    assert magenta_pixels(context, page, case.anchor) == 0


# -- a PDF's text: words broken at line ends, dashes, numbers grouped by thin spaces -----------------


@pytest.fixture(scope="module")
def pdf_site(tmp_path_factory: pytest.TempPathFactory):
    """The site of test_excerpt_forgiving (a PDF's text as a snapshot) built and served on 127.0.0.1."""
    import functools
    import http.server
    import threading

    from conftest import QuietHandler
    from test_excerpt_forgiving import FORGIVEN, make_project

    from factpress.pipeline import BuildOptions, build_site

    root = make_project(tmp_path_factory.mktemp("pdf") / "project", [typed for typed, _ in FORGIVEN])
    out = build_site(BuildOptions(root, root / "site", search=False)).out
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", link_site(check_site(root)[0])
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("number", [1, 4, 5, 9])  # a word broken by a hyphen, by a soft hyphen; dashes; thin spaces
def test_a_fragment_lands_on_words_a_pdf_broke_or_spaced(pdf_site, context: Any, number: int) -> None:
    """Chromium finds `govern- ment` (the snapshot's own words, its line break a space) only with the
    hyphen percent-encoded, as the directive's syntax requires; no-break and thin spaces as spaces."""
    url, library = pdf_site
    evidence = library.claims_by_id["budget-halved"].evidence[number - 1]
    fragment = evidence.text_fragment_url.split("#", 1)[1]
    page = open_by_click(context, url, f"{url}/sources/budget-pdf/#{fragment}")
    page.wait_for_function(IN_VIEW, arg=evidence.anchor, timeout=10_000)
    assert magenta_pixels(context, page, evidence.anchor) > 100, fragment
