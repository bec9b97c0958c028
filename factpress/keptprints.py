"""The last build's fingerprints of claim pages, cards and source pages, taken again for what no change reached.

Planning a 10,000-claim site works out some 22,500 fingerprints of those three kinds on every
build, a tenth of a one-claim rebuild's time, although an edit changes only a few of them. Each
of them is a function of inputs that are kept here with them (fingerprints.SitePrints):

- a card's: the site-wide digest and the claim's digest;
- a claim page's: those, its cited sources' digests, its related claims (ids and digests) and the
  sources its analysis links (which depend on the claim's text and the site's source ids);
- a source page's: the site-wide digest, the source's digest, and the ids and digests of the
  claims citing it, with the numbers of their evidence.

So when the site-wide digest (which covers the code, the theme and every site-wide file) and every
source's id and digest are as they were, the fingerprints a change reaches are those of the claims
new or changed (by digest): their own card and page, and the pages of the claims listing them as
related. Add the pages of the claims whose related claims were ranked again (cache.settle_related,
which ranks again only those a changed related_line may reach), and the pages of the sources the
changed claims cite; every source page when some claim's related_line (which holds its sources)
changed. Everything else is taken from the file, by claim id, so a claim added or removed keeps
the others'. When anything else differs, or in doubt, every fingerprint is worked out as before.
One JSON file per site project, beside the related claims.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from .cache import SettledRelated, differing
from .cachefiles import project_file, replace_file

if TYPE_CHECKING:
    from .fingerprints import SitePrints
    from .link import ClaimView, Library

#: Bumped when what the file holds, or how a fingerprint is made from its inputs, changes in a way
#: the site-wide digest (which covers the code) would not show.
VERSION = "2"
#: More claims changed than this and every fingerprint is worked out (finding who they reach costs more).
REACH_LIMIT = 200


def kept_prints_path(cache_dir: Path | None, project: str) -> Path | None:
    """The file for one site project under the card cache's folder (None: caching is off)."""
    return project_file(cache_dir, "prints", project, ".json")


def source_lines(prints: SitePrints) -> str:
    """Every source's id and digest, one a line, in the library's order."""
    return "\n".join([f"{ident} {digest}" for ident, digest in prints.sources.items()])


def reuse(prints: SitePrints, library: Library, path: Path | None, settled: SettledRelated | None) -> bool:
    """Give `prints` the kept fingerprints that no change since they were kept reached; whether any were given.

    `settled` is what settle_related returned for this build. When every claim's related line is
    as kept, or only new claims' lines are new (claims added, as most edits of an archive do), the
    other claims cite the sources they cited, and only the source pages of the changed claims are
    worked out again; otherwise (a claim removed, or its topics or sources edited) every source
    page is. So are the claim pages of the claims whose related claims were ranked again.
    """
    if path is None or settled is None or len(prints.claims) != len(library.claims):
        return False
    try:
        data = orjson.loads(path.read_bytes())
        if not _same_site(data, prints):
            return False
        kept_ids, kept_digests = data["ids"].split("\n"), data["digests"].split("\n")
        claim_pages, cards = data["claim_pages"].split("\n"), data["cards"].split("\n")
        source_pages = data["source_pages"].split("\n")
        kept_lines = data["lines"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # (orjson.JSONDecodeError is a ValueError)
        return False
    same_lines = kept_lines == settled.lines
    if not same_lines and (settled.ranked is None or kept_lines != settled.kept_lines):
        return False  # related claims ranked afresh, or from lists other than those these prints were made with
    if not len(kept_ids) == len(kept_digests) == len(claim_pages) == len(cards):
        return False
    if len(source_pages) != len(prints.sources):
        return False
    changed = _changed_claims(library, prints, kept_ids, kept_digests)
    if changed is None:
        return False
    reached = set(changed)
    if changed:
        reached.update(view for view in library.claims if not changed.isdisjoint(view.related))
    prints.kept_claim_pages = dict(zip(kept_ids, claim_pages, strict=True))
    prints.kept_cards = dict(zip(kept_ids, cards, strict=True))
    for view in reached:
        prints.kept_claim_pages.pop(view.claim.id, None)
    for ident in settled.ranked or ():
        prints.kept_claim_pages.pop(ident, None)
    for view in changed:
        prints.kept_cards.pop(view.claim.id, None)
    only_added = settled.renewed is not None and settled.renewed.isdisjoint(kept_ids)
    if same_lines or only_added:  # every claim kept cites the sources it cited: only the changed claims' pages change
        prints.kept_source_pages = dict(zip(prints.sources, source_pages, strict=True))
        for view in changed:
            for evidence in view.claim.evidence:
                prints.kept_source_pages.pop(evidence.source, None)
    if prints.own_links is not None:  # what the skipped pages would have noted of their claims
        prints.own_links.keep(prints.claims.values())  # (a claim kept before keeps its verdict, reached or not)
    return True


def _changed_claims(
    library: Library, prints: SitePrints, kept_ids: list[str], kept_digests: list[str]
) -> set[ClaimView] | None:
    """The claims new or changed since the kept fingerprints (by digest); None when too many for the reach to pay."""
    views, digests = library.claims, list(prints.claims.values())
    if kept_ids == list(prints.claims):  # (compared in C: an edit leaves every claim in its place)
        changed = {views[i] for i in differing(digests, kept_digests)}
    else:
        kept = dict(zip(kept_ids, kept_digests, strict=True))
        changed = {view for view, digest in zip(views, digests, strict=True) if kept.get(view.claim.id) != digest}
    return changed if len(changed) <= REACH_LIMIT else None


def _same_site(data: object, prints: SitePrints) -> bool:
    """Whether the kept file was written for this code, these site-wide inputs and these sources."""
    return (
        isinstance(data, dict)
        and data.get("version") == VERSION
        and data.get("site") == prints.site
        and data.get("sources") == source_lines(prints)
    )


def save(prints: SitePrints, library: Library, path: Path | None, settled: SettledRelated | None) -> None:
    """Keep this build's fingerprints of the three kinds, if all were planned (a file not written: skipped)."""
    if path is None or settled is None:
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
        "lines": settled.lines,
        "sources": source_lines(prints),
        "ids": "\n".join(prints.claims),
        "digests": "\n".join(prints.claims.values()),
        "claim_pages": claim_pages,
        "cards": cards,
        "source_pages": source_pages,
    }
    with contextlib.suppress(OSError):
        replace_file(path, orjson.dumps(data))
