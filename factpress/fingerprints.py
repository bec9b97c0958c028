"""Fingerprints of output files, computed without rendering: what lets a rebuild skip unchanged pages.

Each output file's fingerprint covers everything that decides its bytes. A global part covers what
many pages show and is small (the code and theme, the project's templates, the site config, the
base URL, the drafts flag, verdicts, people, topics and pages); each page adds the digests of the
claims and sources it shows (`Claim.digest`, `Source.digest`, set by validation), in the order it
shows them. Fingerprints are only ever compared with earlier fingerprints of the same output path.

Templates read the whole `library`, so a site whose own templates/ replace a theme template gets
the digest of everything folded into every fingerprint: any change renders every page again
(slow, never stale). Templates a project adds without replacing a theme one are read by no
theme template, so they only count through their contents.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from .digest import value_digest
from .digestsets import DigestSet
from .fonts import fonts_digest
from .link import ClaimView, Library, SourceView
from .model import Claim
from .versions import version

PACKAGE = Path(__file__).parent
THEME_DIRS = ("templates", "static")
#: Libraries whose version can change the bytes of an output.
LIBRARIES = (
    "jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins", "nh3", "resvg-py", "fonttools", "pyyaml",
    "orjson", "pagefind", "babel",
)  # fmt: skip
#: Where an analysis may link a source page by id (`[text](#source-id)`); source ids are slugs.
SOURCE_REF = re.compile(r"#([a-z0-9][a-z0-9-]*)")


def combine(*parts: str) -> str:
    """One fingerprint of several (parts may not contain the separator: digests, ids, numbers)."""
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def file_digest(path: Path) -> str:
    """The digest of a file's bytes, read a piece at a time: a video in static/ or root/ is not held whole."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=16)).hexdigest()


def folder_digest(folder: Path, skip: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """The digest of every file under a folder (names and bytes), and the files' relative names."""
    digest = hashlib.blake2b(digest_size=16)
    names = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or any(part in skip for part in rel.parts):
            continue
        names.append(rel.as_posix())
        digest.update(f"{rel.as_posix()}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest(), names


@functools.cache
def _engine_digest() -> str:
    """The Python code, fonts and library versions: fixed for the life of a process."""
    parts = [sys.version]
    for name in LIBRARIES:
        parts.append(f"{name}={version(name)}")
    code, _ = folder_digest(PACKAGE, skip=("__pycache__", *THEME_DIRS))
    return combine(code, *parts)


def code_version() -> str:
    """What decides the output besides the content: the engine, and the theme's templates and static files.

    The theme is read again on every build: a preview server may outlive an edit of it.
    """
    return combine(_engine_digest(), *(folder_digest(PACKAGE / name)[0] for name in THEME_DIRS))


def claim_digest(claim: ClaimView) -> str:
    """The claim's digest from validation (computed here for a claim made without it)."""
    return claim.claim.digest or value_digest(claim.claim)


def source_digest(source: SourceView) -> str:
    """The source's digest from validation (computed here for a source made without it)."""
    return source.source.digest or value_digest(source.source)


class SitePrints:
    """The fingerprints of one build's pages, from the linked library (nothing rendered)."""

    def __init__(self, library: Library, templates_dir: Path | None = None, *, drafts: bool = False) -> None:
        self.library = library
        project, names = folder_digest(templates_dir) if templates_dir is not None else ("", [])
        self.overrides = any((PACKAGE / "templates" / name).is_file() for name in names)
        self.claims = {c.id: claim_digest(c) for c in library.claims}
        self.sources = {s.id: source_digest(s) for s in library.sources}
        site = (
            code_version(),
            project,
            value_digest(library.config),
            library.catalog.digest,  # the theme's words: the shipped catalog and the site's own messages
            fonts_digest(library.fonts),  # the cards' own fonts ('' without)
            library.urls.base_url,
            str(drafts),
            value_digest(tuple(v.verdict for v in library.verdicts)),
            value_digest(tuple(p.person for p in library.people)),
            value_digest(tuple(t.topic for t in library.topics)),
            value_digest(tuple(p.page for p in library.pages)),
        )
        self.site = combine(*site)
        #: Everything the library is made of: what the site-wide files (feeds, data, sitemap) show.
        self.everything = combine(self.site, *self.claims.values(), "|", *self.sources.values())
        if self.overrides:  # a project template may read anything in `library`
            self.site = combine(self.site, self.everything)
        self._all_sources: str | None = None
        #: The claims known to link no source outside their evidence by id (plan_site sets it; None: not kept).
        self.own_links: DigestSet | None = None
        #: Fingerprints kept from the last build that no change reached, by claim or source id (keptprints.reuse).
        self.kept_claim_pages: dict[str, str] = {}
        self.kept_cards: dict[str, str] = {}
        self.kept_source_pages: dict[str, str] = {}
        #: This build's fingerprints of those kinds, by id, as they are planned (what keptprints.save keeps).
        self.claim_pages: dict[str, str] = {}
        self.cards: dict[str, str] = {}
        self.source_pages: dict[str, str] = {}

    def page(self, *parts: str) -> str:
        """A page showing only site-wide things and the given parts."""
        return combine(self.site, *parts)

    def listing(self, name: str, claims: Iterable[ClaimView], *extra: str) -> str:
        """A page listing claims as cards, in this order."""
        return combine(self.site, name, *extra, *self.of(claims))

    def of(self, claims: Iterable[ClaimView]) -> list[str]:
        """The digests of claims, in order."""
        digests = self.claims
        return [c.claim.digest or digests[c.claim.id] for c in claims]

    def card(self, claim: ClaimView) -> str:
        """What shows only the claim and site-wide things: its embed page, oEmbed, SVG and PNG card."""
        ident = claim.claim.id
        made = self.kept_cards.get(ident) or combine(self.site, claim.claim.digest or self.claims[ident])
        self.cards[ident] = made
        return made

    def claim_page(self, claim: ClaimView) -> str:
        """A claim's page: the claim, its evidence's sources, its related claims' cards, the sources it links."""
        ident = claim.claim.id
        made = self.kept_claim_pages.get(ident) or self._claim_page(claim)
        self.claim_pages[ident] = made
        return made

    def _claim_page(self, claim: ClaimView) -> str:
        model, digests, sources = claim.claim, self.claims, self.sources
        cited = [ev.source for ev in model.evidence]  # from the model: link makes evidence views on first read
        parts = [self.site, model.digest or digests[model.id], *[sources[source] for source in cited], "|"]
        for related in claim.related:
            other = related.claim
            parts += (other.id, other.digest or digests[other.id])
        parts.append("|")
        analysis = model.analysis
        if "#" in analysis or "&" in analysis or "\\" in analysis:  # else it links no source by id (most do not)
            parts += self.analysis_links(model, cited)
        return combine(*parts)

    def analysis_links(self, model: Claim, cited: list[str]) -> list[str]:
        """`linked_sources` of a claim's analysis: none for a claim kept as linking only its evidence by id.

        Whether an analysis links a source outside its evidence depends on the claim alone (its
        digest covers both); most link none, and finding so costs 4 microseconds a claim.
        """
        kept, digest, analysis = self.own_links, model.digest, model.analysis
        if kept is None or not digest:
            return self.linked_sources(analysis, cited)
        if digest in kept:
            kept.note(digest)
            return []
        if "&" not in analysis and "\\" not in analysis and set(SOURCE_REF.findall(analysis)).issubset(cited):
            kept.note(digest)
            return []
        return self.linked_sources(analysis, cited)

    def linked_sources(self, analysis: str, cited: Iterable[str] = ()) -> list[str]:
        """Which `#id` links of an analysis name a source outside `cited` (they link that source's page).

        Links to the claim's own evidence (`cited`) depend only on the claim, which is in its digest.
        """
        if "&" in analysis or "\\" in analysis:  # an escaped '#' or id: depend on every source id
            if self._all_sources is None:
                self._all_sources = combine(*sorted(self.library.sources_by_id))
            return [self._all_sources]
        refs = set(SOURCE_REF.findall(analysis))
        refs.difference_update(cited)
        if not refs:
            return []
        known = self.library.sources_by_id
        return [ref for ref in sorted(refs) if ref in known]

    def source_page(self, source: SourceView) -> str:
        """A source's page: the source, and each citation of it (claim, evidence number).

        The citations are read from the claims' models, in the order of `SourceView.citations`,
        so that planning makes no evidence views (link makes them on first read).
        """
        ident = source.id
        made = self.kept_source_pages.get(ident) or self._source_page(source)
        self.source_pages[ident] = made
        return made

    def _source_page(self, source: SourceView) -> str:
        parts = [self.site, self.sources[source.id]]
        ident, digests = source.id, self.claims
        for view in source.claims:
            claim = view.claim
            digest = claim.digest or digests[claim.id]
            for number, evidence in enumerate(claim.evidence, 1):
                if evidence.source == ident:
                    parts += [claim.id, digest, str(number)]
        return combine(*parts)

    def whole_site(self) -> str:
        """Files showing every claim and source: feeds, data files, the sitemap."""
        return self.everything
