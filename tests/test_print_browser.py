"""A fact-check printed (or saved as PDF) keeps what a reader needs to check it: the addresses of its sources."""

from __future__ import annotations

import functools
import http.server
import threading
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import QuietHandler

pytestmark = pytest.mark.browser
AFTER = "els => els.map(e => getComputedStyle(e, '::after').content)"


def test_a_printed_fact_check_gives_the_address_of_each_quoted_original(browser: Any, built_test_site) -> None:
    site = built_test_site("full")
    page_file = site / "claims" / "bridge-cost" / "index.html"
    soup = BeautifulSoup(page_file.read_text(encoding="utf-8"), "html.parser")
    cited = [q["cite"] for q in soup.select(".evidence-list blockquote") if q["cite"].startswith("http")]
    assert cited
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/claims/bridge-cost/")
        quotes = page.locator(".evidence-list blockquote")
        assert set(quotes.evaluate_all(AFTER)) <= {"none", "normal"}  # on screen, the source's own page links to it
        page.emulate_media(media="print")
        printed = [content for content in quotes.evaluate_all(AFTER) if content not in ("none", "normal")]
        assert printed == [f'"<{url}>"' for url in cited]
    finally:
        page.close()
        server.shutdown()
        server.server_close()
