"""The fact-checks as data: /claimreview.json (a schema.org DataFeed) and /api/claims.json.

/api/claims.json has a documented, stable shape (docs/api.md): fields are only ever added within
a version; renaming or removing one raises API_VERSION. Drafts never appear in either file.

Both files list every fact-check, so every edit changes them; each fact-check's entry is encoded
once and kept (piececache.py) under a key covering all it shows, so a rebuild encodes only the
entries whose fact-check, sources or site-wide settings changed.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cards import card_paths, default_cache_dir
from .digest import value_digest
from .jsonld import claim_review
from .jsontext import indented_json
from .link import ClaimView, EvidenceView, Library, PersonView
from .model import Correction
from .piececache import Piece, PieceCache
from .render import OutputFile
from .versions import version

API_VERSION = 1
#: Indentation of both files (one space: they are large, and still readable).
INDENT = 1
#: The modules whose code decides an entry's bytes, besides the libraries below.
ENTRY_CODE = ("data", "jsonld", "jsontext", "link", "cards", "excerpts", "model")


def published_claims(library: Library) -> list[ClaimView]:
    """The fact-checks a reader can see, newest first (drafts stay out even in a --drafts preview)."""
    return [c for c in library.claims if not c.claim.draft]


def _json_file_listing(path: str, head: dict[str, Any], key: str, entries: list[Piece]) -> OutputFile:
    """The JSON of `head` with its last key, `key`, holding the entries (each encoded by `entry_json`).

    Byte for byte what encoding the whole document at once writes.
    """
    text = indented_json({**head, key: []}, indent=INDENT).encode("utf-8")
    empty = b"[]\n}"
    if list(head)[-1] != key or not text.endswith(empty):
        raise ValueError(f"{key!r} must be the last key of {path}")
    if not entries:
        return OutputFile(path, text + b"\n")
    sep = b"\n" + b" " * (2 * INDENT)
    parts = [text[: -len(empty)] + b"[" + sep]
    for entry in entries:  # one join of many small parts: the file is tens of megabytes
        parts += (entry, b"," + sep)
    parts[-1] = b"\n" + b" " * INDENT + b"]\n}\n"
    return OutputFile(path, b"".join(parts))


def entry_json(entry: dict[str, Any]) -> bytes:
    """An entry of a top-level list, encoded as it sits in its file (two levels in)."""
    return indented_json(entry, indent=INDENT, depth=2).encode("utf-8")


class Entries:
    """Each fact-check's encoded entries, from the piece cache when nothing they show has changed."""

    def __init__(self, library: Library, cache_dir: Path | None) -> None:
        self.library = library
        self.cache = PieceCache(_cache_path(cache_dir, library))
        self.site = _site_key(library)
        self._keys: dict[str, str] = {}

    def key(self, claim: ClaimView) -> str:
        """What decides the claim's entries: site-wide things, the claim, the sources it cites."""
        key = self._keys.get(claim.id)
        if key is None:
            parts = [self.site, claim.claim.digest or value_digest(claim.claim)]
            parts += [ev.source.source.digest or value_digest(ev.source.source) for ev in claim.evidence]
            key = self._keys[claim.id] = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
        return key

    def get(self, claim: ClaimView, kind: str, make: Callable[[ClaimView, Library], dict[str, Any]]) -> Piece:
        """The claim's entry of one kind (`review`, `api`), encoded."""
        return self.cache.get(f"{kind}:{self.key(claim)}", lambda: entry_json(make(claim, self.library)))

    def save(self) -> None:
        """Keep this build's entries for the next."""
        self.cache.save()


@functools.cache
def _code_key() -> str:
    digest = hashlib.blake2b(digest_size=16)
    here = Path(__file__).parent
    for name in ENTRY_CODE:
        digest.update((here / f"{name}.py").read_bytes())
    for package in ("orjson",):
        digest.update(f"{package}={version(package)}".encode())
    return digest.hexdigest()


def _site_key(library: Library) -> str:
    """The code and every site-wide thing an entry may show: settings, base URL, verdicts, people, topics."""
    parts = (
        _code_key(),
        library.urls.base_url,
        value_digest(library.config),
        value_digest(tuple(v.verdict for v in library.verdicts)),
        value_digest(tuple(p.person for p in library.people)),
        value_digest(tuple(t.topic for t in library.topics)),
    )
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def _cache_path(cache_dir: Path | None, library: Library) -> Path | None:
    """One file per site project beside the card cache (None: caching is off)."""
    if cache_dir is None:
        return None
    project = f"{library.urls.base_url}\0{library.config.title}"
    return cache_dir.parent / "data" / f"{hashlib.sha256(project.encode()).hexdigest()[:32]}.bin"


def review_entry(claim: ClaimView, library: Library) -> dict[str, Any]:
    """A fact-check's ClaimReview as an element of the DataFeed (whose context covers it)."""
    review = claim_review(claim, library)
    review.pop("@context", None)
    return review


def claimreview_feed(library: Library, entries: Entries | None = None) -> OutputFile:
    """/claimreview.json: every ClaimReview as the dataFeedElement of one schema.org DataFeed."""
    entries = entries or Entries(library, None)
    claims = published_claims(library)
    urls = library.urls
    feed: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{library.config.title}: fact-checks",
        "url": urls.absolute(urls.file("claimreview.json")),
        "publisher": {
            "@type": "Organization",
            "name": library.config.publisher.name,
            "url": library.config.publisher.url or urls.absolute(urls.path()),
        },
    }
    if claims:
        feed["dateModified"] = max(c.modified for c in claims).isoformat()
    feed["dataFeedElement"] = []
    elements = [entries.get(claim, "review", review_entry) for claim in claims]
    return _json_file_listing("claimreview.json", feed, "dataFeedElement", elements)


def api_person(person: PersonView, library: Library) -> dict[str, Any]:
    """A claimant or author: id, name, kind, the site's page for them, and their own links."""
    p = person.person
    return {
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "url": library.urls.absolute(person.url),
        "homepage": p.url or None,
        "same_as": list(p.same_as),
    }


def api_correction(correction: Correction) -> dict[str, Any]:
    """A correction: its date, its note, and the verdict before it when the rating changed."""
    return {
        "date": correction.date.isoformat(),
        "note": correction.note,
        "previous_verdict": correction.previous_verdict or None,
    }


def api_evidence(evidence: EvidenceView, library: Library) -> dict[str, Any]:
    """An excerpt relied on, with links to it in the archived copy and, where known, in the original."""
    return {
        "source": evidence.source.id,
        "excerpt": evidence.excerpt,
        "note": evidence.note or None,
        "context_url": library.urls.absolute(evidence.context_url),
        "original_url": evidence.text_fragment_url or None,
    }


def api_sources(claim: ClaimView, library: Library) -> list[dict[str, Any]]:
    """The sources a fact-check cites, once each, in the order first cited."""
    seen: dict[str, dict[str, Any]] = {}
    for ev in claim.evidence:
        s = ev.source.source
        if s.id in seen:
            continue
        seen[s.id] = {
            "id": s.id,
            "title": s.title,
            "publisher": s.publisher or None,
            "published": s.published.isoformat() if s.published else None,
            "url": s.url or None,
            "archive_url": s.archive_url or None,
            "archived": s.archived.isoformat() if s.archived else None,
            "source_page": library.urls.absolute(ev.source.url),
        }
    return list(seen.values())


def api_claim(claim: ClaimView, library: Library) -> dict[str, Any]:
    """One fact-check in the shape docs/api.md documents."""
    c, urls = claim.claim, library.urls
    svg, png = card_paths(claim, library)
    return {
        "id": c.id,
        "url": claim.abs_url,
        "claim": c.claim,
        "language": c.language,
        "claimant": api_person(claim.claimant, library),
        "claim_date": c.claim_date.iso,
        "appearances": [
            {"title": a.title, "url": a.url or None, "medium": a.medium or None, "date": a.date.iso if a.date else None}
            for a in c.appearances
        ],
        "verdict": {
            "key": claim.verdict.key,
            "label": claim.verdict.label,
            "rating": claim.verdict.rating,
            "url": urls.absolute(claim.verdict.url),
        },
        "summary": c.summary,
        "published": c.published.isoformat(),
        "updated": c.updated.isoformat() if c.updated else None,
        "modified": claim.modified.isoformat(),
        "corrections": [api_correction(corr.correction) for corr in claim.corrections],
        "topics": [{"id": t.id, "name": t.name, "url": urls.absolute(t.url)} for t in claim.topics],
        "authors": [api_person(a, library) for a in claim.authors],
        "sources": api_sources(claim, library),
        "evidence": [api_evidence(ev, library) for ev in claim.evidence],
        "card": {"png": urls.absolute(png), "svg": urls.absolute(svg)},
        "embed_url": urls.absolute(urls.path("embed", c.id)),
        "oembed_url": urls.absolute(urls.file(f"oembed/{c.id}.json")),
    }


def api_claims(library: Library, entries: Entries | None = None) -> OutputFile:
    """/api/claims.json: the site, its rating scale and every published fact-check, newest first."""
    entries = entries or Entries(library, None)
    config, urls = library.config, library.urls
    ratings = [v.rating for v in library.verdicts if v.rating is not None]
    data = {
        "version": API_VERSION,
        "site": {
            "title": config.title,
            "url": urls.absolute(urls.path()),
            "language": config.language,
            "publisher": {"name": config.publisher.name, "url": config.publisher.url or None},
        },
        "scale": {
            "best_rating": max(ratings, default=None),
            "worst_rating": min(ratings, default=None),
            "verdicts": [
                {"key": v.key, "label": v.label, "rating": v.rating, "meaning": v.meaning, "colour": v.colour}
                for v in library.verdicts
            ],
        },
        "claims": [],
    }
    claims = [entries.get(claim, "api", api_claim) for claim in published_claims(library)]
    return _json_file_listing("api/claims.json", data, "claims", claims)


def data_files(library: Library, cache_dir: Path | None = None) -> list[OutputFile]:
    """Both data files; entries are kept between builds in the cache folder (default: beside the cards)."""
    entries = Entries(library, cache_dir or default_cache_dir())
    files = [claimreview_feed(library, entries), api_claims(library, entries)]
    entries.save()
    return files
