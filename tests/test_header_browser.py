"""The header's search box shows its whole placeholder, in every language factpress ships words for."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import SITES, QuietHandler

from factpress.i18n import TRANSLATIONS
from factpress.pipeline import BuildOptions, build_site

#: The placeholder's width and the room the input gives it, in CSS pixels.
PLACEHOLDER_ROOM = """() => {
  const input = document.querySelector('#site-search');
  const style = getComputedStyle(input);
  const context = document.createElement('canvas').getContext('2d');
  context.font = style.font;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [context.measureText(input.placeholder).width, room];
}"""
LANGUAGES = sorted(["en", *(path.stem for path in TRANSLATIONS.glob("*.yaml"))])


@pytest.mark.browser
def test_the_search_placeholder_is_not_cut(browser: Any, tmp_path: Path) -> None:
    """German's 'Faktenchecks durchsuchen' showed as 'Faktenchecks durchsuc' in an input of a fixed width."""
    sites = tmp_path / "sites"
    for language in LANGUAGES:
        root = tmp_path / language
        shutil.copytree(SITES / "minimal", root)
        site = root / "content/site.yaml"
        text = site.read_text().replace("language: en", f"language: {language}")
        # a title long enough that the header gives the search box no more than its least width
        site.write_text(text.replace("title: Minimal Fact Check", "title: Minimal Regional Fact Check"))
        # each under a path of its own, so that one server serves them all with their stylesheets
        base_url = f"https://minimal.example.org/{language}/"
        build_site(BuildOptions(root, sites / language, base_url=base_url, search=False))
    handler = functools.partial(QuietHandler, directory=str(sites))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cut = []
    try:
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 800})
            for language in LANGUAGES:
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/{language}/")
                needed, room = page.evaluate(PLACEHOLDER_ROOM)
                if needed > room:
                    cut.append(f"{language} at {width} px: {needed:.0f} px of text in {room:.0f} px")
            page.close()
    finally:
        server.shutdown()
        server.server_close()
    assert not cut, "\n".join(cut)
