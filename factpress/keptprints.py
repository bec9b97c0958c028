"""The last build's fingerprints of claim pages, cards and source pages, taken again for what no change reached.

Planning a 10,000-claim site works out some 22,500 fingerprints of those three kinds on every
build, a tenth of a one-claim rebuild's time, although an edit changes only a few of them. Each
of them is a function of inputs that are kept here with them (fingerprints.SitePrints):

- a card's: the site-wide digest and the claim's digest;
- a claim page's: those, its cited sources' digests, its related claims (ids and digests) and the
  sources its analysis links (which depend on the claim's text and the site's source ids);
- a source page's: the site-wide digest, the source's digest, and the ids and digests of the
  claims citing it, with the numbers of their evidence.

So when the site-wide digest (which covers the code, the theme and every site-wide file), every
source's id and digest, and every claim's related_line (cache.settle_related: what decides the
related claims) are as they were, only the claims whose digest changed reach fingerprints: their
own card and page, the pages of the claims listing them as related, and the pages of the sources
they cite. Everything else is taken from the file; when anything else differs, or in doubt, every
fingerprint is worked out as before. One JSON file per site project, beside the related claims.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from .cache import differing
from .cachefiles import project_file, replace_file

if TYPE_CHECKING:
    from .fingerprints import SitePrints
    from .link import Library

#: Bumped when what the file holds, or how a fingerprint is made from its inputs, changes in a way
#: the site-wide digest (which covers the code) would not show.
VERSION = "1"
#: More claims changed than this and every fingerprint is worked out (finding who they reach costs more).
REACH_LIMIT = 200


def kept_prints_path(cache_dir: Path | None, project: str) -> Path | None:
    """The file for one site project under the card cache's folder (None: caching is off)."""
    return project_file(cache_dir, "prints", project, ".json")


def source_lines(prints: SitePrints) -> str:
    """Every source's id and digest, one a line, in the library's order."""
    return "\n".join([f"{ident} {digest}" for ident, digest in prints.sources.items()])


def reuse(prints: SitePrints, library: Library, path: Path | None, lines: str | None) -> bool:
    """Give `prints` the kept fingerprints that no change since they were kept reached; whether any were given.

    `lines` is what settle_related returned for this build: the digests of every claim's related_line.
    """
    if path is None or lines is None or len(prints.claims) != len(library.claims):
        return False
    try:
        data = orjson.loads(path.read_bytes())
        if not _same_site(data, prints, lines):
            return False
        digests = list(prints.claims.values())
        apart = differing(digests, data["digests"].split("\n"))
        claim_pages, cards = data["claim_pages"].split("\n"), data["cards"].split("\n")
        source_pages = data["source_pages"].split("\n")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # (orjson.JSONDecodeError is a ValueError)
        return False
    views = library.claims
    if len(apart) > REACH_LIMIT or not len(claim_pages) == len(cards) == len(views):
        return False
    if len(source_pages) != len(prints.sources):
        return False
    changed = {views[i] for i in apart}
    reached = set(changed)
    if changed:
        reached.update(view for view in views if not changed.isdisjoint(view.related))
    ids = list(prints.claims)
    prints.kept_claim_pages = dict(zip(ids, claim_pages, strict=True))
    prints.kept_cards = dict(zip(ids, cards, strict=True))
    prints.kept_source_pages = dict(zip(prints.sources, source_pages, strict=True))
    for view in reached:
        del prints.kept_claim_pages[view.claim.id]
    for view in changed:
        del prints.kept_cards[view.claim.id]
        for evidence in view.claim.evidence:
            prints.kept_source_pages.pop(evidence.source, None)
    if prints.own_links is not None:  # what the skipped pages would have noted of their claims
        prints.own_links.keep(prints.claims.values())  # (a claim kept before keeps its verdict, reached or not)
    return True


def _same_site(data: object, prints: SitePrints, lines: str) -> bool:
    """Whether the kept file was written for this code, these site-wide inputs, these sources and related lines."""
    return (
        isinstance(data, dict)
        and data.get("version") == VERSION
        and data.get("site") == prints.site
        and data.get("lines") == lines
        and data.get("sources") == source_lines(prints)
    )


def save(prints: SitePrints, library: Library, path: Path | None, lines: str | None) -> None:
    """Keep this build's fingerprints of the three kinds, if all were planned (a file not written: skipped)."""
    if path is None or lines is None:
        return
    try:
        claim_pages = "\n".join([prints.claim_pages[ident] for ident in prints.claims])
        cards = "\n".join([prints.cards[ident] for ident in prints.claims])
        source_pages = "\n".join([prints.source_pages[ident] for ident in prints.sources])
    except KeyError:  # something not planned (a site without source pages for some): nothing to keep
        return
    data = {
        "version": VERSION,
        "site": prints.site,
        "lines": lines,
        "sources": source_lines(prints),
        "digests": "\n".join(prints.claims.values()),
        "claim_pages": claim_pages,
        "cards": cards,
        "source_pages": source_pages,
    }
    with contextlib.suppress(OSError):
        replace_file(path, orjson.dumps(data))
