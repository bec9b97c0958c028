"""Stage 6: the search index. Pagefind (from PyPI's `pagefind[bin]`) indexes the written pages.

Only fact-check pages carry `data-pagefind-body`, so listings are not results; filters (verdict,
claimant, topic, language) and the date sort come from data attributes in claim.html.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


class SearchIndexError(Exception):
    """Pagefind failed or is not installed."""


@dataclass(frozen=True, slots=True)
class SearchReport:
    pages: int
    output: str


def index_site(folder: Path) -> SearchReport:
    """Run Pagefind over a built folder, writing its bundle to folder/pagefind/."""
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--output-subdir", "pagefind"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"could not run Pagefind: {exc}") from exc
    output = result.stdout + result.stderr
    if result.returncode != 0 or not (folder / "pagefind" / "pagefind.js").exists():
        detail = output.strip().splitlines()[-5:] if output.strip() else ["no output"]
        raise SearchIndexError("Pagefind failed: " + " / ".join(detail))
    pages = 0
    for line in output.splitlines():
        if "Indexed" in line and "page" in line:
            digits = [int(t) for t in line.split() if t.isdigit()]
            if digits:
                pages = digits[0]
    return SearchReport(pages, output)
