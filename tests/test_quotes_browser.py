"""A claim is quoted with its own language's quotation marks, whatever the browser's own table says."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SITES, QuietHandler

from factpress.i18n import TRANSLATIONS
from factpress.pipeline import BuildOptions, build_site

STYLE = Path(__file__).parent.parent / "factpress/static/style.css"
QUOTES = "e => getComputedStyle(e).quotes"


def quoted_languages() -> set[str]:
    """The languages style.css gives quotation marks (`:lang(x)` in a rule setting `quotes`)."""
    rules = re.findall(r"^([^{}\n]*)\{\s*quotes:", STYLE.read_text(encoding="utf-8"), flags=re.M)
    return {tag for selector in rules for tag in re.findall(r":lang\(([\w-]+)\)", selector)}


def test_every_language_factpress_ships_a_catalog_for_has_its_quotation_marks() -> None:
    shipped = {path.stem for path in TRANSLATIONS.glob("*.yaml")}
    assert shipped <= quoted_languages()
    assert {"en", "fr", "de", "es", "it", "pt", "ru", "pl", "nl", "sv"} <= quoted_languages()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A Spanish copy of the minimal site (a claim in French among them), built and served."""
    root = tmp_path / "project"
    shutil.copytree(SITES / "minimal", root)
    site = root / "content/site.yaml"
    site.write_text(site.read_text().replace("language: en", "language: es"))
    claims = root / "claims.yaml"
    spanish = claims.read_text().replace("The bridge cost 12 million euros.", "El puente costó 12 millones de euros.")
    french = spanish.replace("id: bridge-cost", "id: pont").replace(
        "claim: El puente costó 12 millones de euros.", "claim: Le pont a coûté 12 millions d'euros.\n  language: fr"
    )
    claims.write_text(spanish + french)
    out = build_site(BuildOptions(root, tmp_path / "site", search=False)).out
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield out, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_a_spanish_page_quotes_with_guillemets_and_a_french_claim_on_it_with_spaced_ones(browser: Any, served) -> None:
    _out, address = served
    page = browser.new_page()
    try:
        page.goto(f"{address}/claims/bridge-cost/")
        assert page.evaluate("document.documentElement.lang") == "es"
        quote = page.locator("h1 .quote")
        assert quote.evaluate("e => getComputedStyle(e, '::before').content") == "open-quote"
        assert quote.evaluate(QUOTES) == '"«" "»" "“" "”"'  # Chromium's own table gives Spanish “ ”
        page.goto(f"{address}/claims/pont/")
        assert page.locator("h1 .quote").get_attribute("lang") == "fr"
        assert page.locator("h1 .quote").evaluate(QUOTES) == '"«\u202f" "\u202f»" "“" "”"'
    finally:
        page.close()
