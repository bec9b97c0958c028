"""Stage 6: the search index. Pagefind (from PyPI's `pagefind[bin]`) indexes the written fact-check pages.

Only published fact-check pages carry `data-pagefind-body` (claim.html), so listings are never
results and drafts are never indexed; the filters (verdict, claimant, topic, language), the metadata
the results show and the date sort come from a hidden block in claim.html. The whole site is
indexed as the site's language (`--force-language`), so one index holds claims in every language.
The CLI beats Pagefind's Python API here: the API was several times slower on the same pages
(see docs/search.md), so the pages are read back from the staging folder by the Pagefind binary.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .render import OutputFile

BUNDLE = "pagefind"
BODY_MARKER = b"data-pagefind-body"
#: A marked page's stand-in, for a list of the pages to index that need not hold them (write.Writer).
MARKED_PAGE = b"<main " + BODY_MARKER + b">"
INDEXED = re.compile(r"Indexed (\d+) pages?")
#: Where pages not to index wait while Pagefind runs (a `.factpress` name: no root/ file may take one).
SET_ASIDE = ".factpress-unindexed"

#: The search page imports pagefind.js; with nothing to index (a new site, or only drafts) Pagefind
#: refuses to write a bundle, so this stand-in answers every search with no results.
EMPTY_BUNDLE = """// No published fact-checks yet: a stand-in for Pagefind's pagefind.js that finds nothing.
export async function options() {}
export async function init() {}
export async function filters() { return {}; }
export async function search() { return { results: [], filters: {}, totalFilters: {}, unfilteredResultCount: 0 }; }
export async function debouncedSearch() { return search(); }
"""


class SearchIndexError(Exception):
    """Pagefind failed or is not installed."""


@dataclass(frozen=True, slots=True)
class SearchReport:
    """How many pages Pagefind indexed, and what it printed, for diagnosis."""

    pages: int
    output: str


def searchable_pages(outputs: Iterable[OutputFile]) -> list[str]:
    """The output paths of pages the theme marks for the index (data-pagefind-body), from memory."""
    return sorted(
        o.path for o in outputs if o.path.endswith(".html") and o.content is not None and marked_for_index(o.content)
    )


def marked_for_index(page: bytes) -> bool:
    """Whether a page's markup carries data-pagefind-body: as an attribute, not as words of its text.

    A page explaining search ('only elements marked data-pagefind-body are indexed', in its text or
    its meta description) is no page to index: taken for one on a site with nothing to index, it made
    Pagefind index every page, listings included. The words are found in C first; only then is the
    tag around them read.
    """
    at = page.find(BODY_MARKER)
    while at != -1:
        if _is_attribute_name(page, at, at + len(BODY_MARKER)):
            return True
        at = page.find(BODY_MARKER, at + 1)
    return False


def _is_attribute_name(page: bytes, start: int, end: int) -> bool:
    """Whether page[start:end] is an attribute's name in a start tag: after white space, outside quotes."""
    if page[start - 1 : start] not in (b" ", b"\t", b"\n", b"\r") or page[end : end + 1] not in _NAME_ENDS:
        return False
    tag = page.rfind(b"<", 0, start)
    if tag == -1 or page.startswith(b"<!--", tag) or not page[tag + 1 : tag + 2].isalpha():
        return False
    quote = 0
    for byte in page[tag:start]:  # (a tag's first few dozen bytes)
        if quote:
            quote = 0 if byte == quote else quote
        elif byte in b"\"'":
            quote = byte
        elif byte == ord(">"):
            return False  # the tag ended before: the words are text
    return not quote


#: What may follow an attribute's name: white space, '=', or the tag's end.
_NAME_ENDS = frozenset((b" ", b"\t", b"\n", b"\r", b"=", b">", b"/"))


@contextlib.contextmanager
def set_aside(folder: Path, paths: list[str]) -> Iterator[None]:
    """Move these files out of Pagefind's sight (it indexes every page it finds) and back afterwards.

    Renamed within the folder, so a file hard-linked with the published site stays the same file.
    """
    if not paths:
        yield
        return
    aside = folder / SET_ASIDE
    aside.mkdir()
    moved: list[tuple[Path, Path]] = []
    try:
        for number, path in enumerate(paths):
            place = (folder / path, aside / str(number))
            os.rename(*place)
            moved.append(place)
        yield
    finally:
        for original, place in moved:
            os.rename(place, original)
        aside.rmdir()


def pagefind_command(folder: Path, language: str | None) -> list[str]:
    """The Pagefind command line for a built folder, as one index in the site's language."""
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--output-subdir", BUNDLE]
    if language:
        command += ["--force-language", language.lower()]
    return command


#: Languages written without spaces between words: Pagefind splits them into words only in its extended build.
SEGMENTED_LANGUAGES = frozenset({"ja", "zh"})


def segmentation_warning(language: str | None) -> str | None:
    """What to tell a site in Chinese or Japanese indexed without Pagefind's extended build, else None.

    The standard binary indexes a run of such text between punctuation as one word, so only a
    query matching its start finds anything. The extended build (52 MB, so not a default
    dependency) is what `pip install 'factpress[cjk]'` adds; Pagefind picks it when it is there.
    """
    primary = (language or "").lower().replace("_", "-").split("-")[0]
    if primary not in SEGMENTED_LANGUAGES or importlib.util.find_spec("pagefind_bin_extended") is not None:
        return None
    return (
        f"search: the site's language ({language}) is written without spaces between words, and this Pagefind"
        " cannot split it into words, so most searches will find nothing; install Pagefind's extended build:"
        " pip install 'pagefind[extended]' (or factpress[cjk])"
    )


def write_empty_bundle(folder: Path) -> SearchReport:
    """Write the stand-in bundle so the search page works (and finds nothing) on a site with no fact-checks."""
    bundle = folder / BUNDLE
    bundle.mkdir(parents=True, exist_ok=True)
    (bundle / "pagefind.js").write_text(EMPTY_BUNDLE, encoding="utf-8")
    return SearchReport(0, "nothing to index: wrote an empty search bundle")


def index_site(
    folder: Path,
    outputs: Iterable[OutputFile] | None = None,
    *,
    language: str | None = None,
    unindexed: Iterable[str] = (),
) -> SearchReport:
    """Run Pagefind over a built folder, writing its bundle to folder/pagefind/.

    With `outputs` (the files just written), a site with no page to index gets an empty bundle
    instead of Pagefind's error, and Pagefind is never asked to index every page as a fallback.
    `unindexed`: HTML files published as they are (root/'s), kept out of the index whatever they hold.
    """
    if outputs is not None and not searchable_pages(outputs):
        return write_empty_bundle(folder)
    try:
        with set_aside(folder, [path for path in unindexed if path.endswith(".html")]):
            result = subprocess.run(
                pagefind_command(folder, language), capture_output=True, text=True, timeout=1800, check=False
            )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"could not run Pagefind: {exc}") from exc
    output = result.stdout + result.stderr
    if result.returncode != 0 or not (folder / BUNDLE / "pagefind.js").exists():
        detail = output.strip().splitlines()[-5:] if output.strip() else ["no output"]
        raise SearchIndexError("Pagefind failed: " + " / ".join(detail))
    counts = [int(n) for n in INDEXED.findall(output)]
    return SearchReport(counts[-1] if counts else 0, output)
