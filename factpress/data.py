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
import operator
from pathlib import Path
from typing import Any

from .cache import claim_digests
from .cachefiles import project_file
from .cards import card_paths, default_cache_dir
from .digest import value_digest
from .jsonld import claim_review
from .jsontext import indented_json
from .link import ClaimView, EvidenceView, Library, PersonView
from .model import Correction
from .piececache import Piece, PieceFile
from .render import OutputFile
from .uris import as_uri
from .versions import version

API_VERSION = 1
#: Indentation of both files (one space: they are large, and still readable).
INDENT = 1
#: The modules whose code decides an entry's bytes, besides the libraries below.
ENTRY_CODE = ("data", "jsonld", "jsontext", "link", "cards", "excerpts", "model", "uris")


def published_claims(library: Library) -> list[ClaimView]:
    """The fact-checks a reader can see, newest first (drafts stay out even in a --drafts preview)."""
    return [c for c in library.claims if not c.claim.draft]


#: What follows every entry in the files but the last (pieces are kept with it: kept in order, they are one run).
SEPARATOR = b",\n" + b" " * (2 * INDENT)


def _json_file_listing(path: str, head: dict[str, Any], key: str, body: list[Piece]) -> OutputFile:
    """The JSON of `head` with its last key, `key`, holding the entries: `body`, each followed by SEPARATOR.

    Byte for byte what encoding the whole document at once writes.
    """
    text = indented_json({**head, key: []}, indent=INDENT).encode("utf-8")
    empty = b"[]\n}"
    if list(head)[-1] != key or not text.endswith(empty):
        raise ValueError(f"{key!r} must be the last key of {path}")
    if not body:
        return OutputFile(path, text + b"\n")
    last = body[-1]
    if last[-len(SEPARATOR) :] != SEPARATOR:
        raise ValueError(f"the entries of {path} must each end with the separator")
    opening = text[: -len(empty)] + b"[\n" + b" " * (2 * INDENT)
    closing = b"\n" + b" " * INDENT + b"]\n}\n"
    # written part by part, never joined: the file is tens of megabytes
    return OutputFile(path, parts=(opening, *body[:-1], last[: -len(SEPARATOR)], closing))


def entry_json(entry: dict[str, Any]) -> bytes:
    """An entry of a top-level list, encoded as it sits in its file (two levels in)."""
    return indented_json(entry, indent=INDENT, depth=2).encode("utf-8")


#: The kinds of entry, in the order of their columns in the piece file.
KINDS = ("review", "api")


class Entries:
    """Each published fact-check's encoded entries, from the piece file when nothing they show has changed.

    A claim's pieces are kept under its digest, in a file tagged with the site-wide key
    (`_site_key`); each segment notes the digests of the sources its claims cite, so a source
    edited since makes its claims' pieces stale. A file's body is found as runs of the piece
    file, one run for the claims kept in the order they were written: no work per claim but
    finding its digest.
    """

    def __init__(self, library: Library, cache_dir: Path | None) -> None:
        self.library = library
        self.claims = published_claims(library)
        if len(self.claims) == len(library.claims):  # no drafts (a --drafts preview has some)
            self.digests = claim_digests(library)
        else:
            self.digests = [c.claim.digest or _claim_digest(c) for c in self.claims]
        self.sources = {sid: s.source.digest or value_digest(s.source) for sid, s in library.sources_by_id.items()}
        self.file = PieceFile(_cache_path(cache_dir, library), _site_key(library), len(KINDS), self._stale)
        self.numbers = list(map(self.file.index.get, self.digests))
        #: The pieces made by this build, by claim digest: one per kind, each followed by SEPARATOR.
        self.made: dict[str, tuple[bytes, ...]] = {}
        self.live = 0

    def _stale(self, notes: Any) -> set[str]:
        """The claims (by digest) citing a source whose digest differs from the one a segment noted."""
        if type(notes) is not dict:
            raise TypeError("a segment without its sources")
        sources, by_id = self.sources, self.library.sources_by_id
        changed = [sid for sid, digest in notes.items() if sources.get(sid) != digest and sid in by_id]
        return {view.claim.digest or _claim_digest(view) for sid in changed for view in by_id[sid].claims}

    def body(self, kind: str) -> list[Piece]:
        """A file's entries, each followed by SEPARATOR: runs of the piece file, and pieces made now."""
        column = KINDS.index(kind)
        numbers, parts, begin = self.numbers, [], 0
        while begin < len(numbers):
            try:
                missing = numbers.index(None, begin)
            except ValueError:
                missing = len(numbers)
            parts += self._runs(numbers[begin:missing], column)
            if missing < len(numbers):
                parts.append(self._made(missing)[column])
            begin = missing + 1
        self.live += sum(len(part) for part in parts)
        return parts

    def _runs(self, numbers: list[int], column: int) -> list[Piece]:
        """The kept pieces with these numbers, in this order, as the fewest views of the file.

        Where a piece starts just where the one before ends, they are one run (found in C: the
        usual rebuild has one run or two per file, and 10,000 claims).
        """
        if not numbers:
            return []
        file = self.file
        starts = list(map(file.starts[column].__getitem__, numbers))
        ends = list(map(file.ends[column].__getitem__, numbers))
        apart = list(map(operator.ne, starts[1:], ends))  # apart[i]: piece i + 1 does not follow piece i
        runs, first = [], 0
        while True:
            try:
                last = apart.index(True, first)
            except ValueError:
                last = len(numbers) - 1
            runs.append(file.view[starts[first] : ends[last]])
            if last == len(numbers) - 1:
                return runs
            first = last + 1

    def _made(self, position: int) -> tuple[bytes, ...]:
        """The pieces of the claim at this position, made now (once for both files)."""
        digest = self.digests[position]
        pieces = self.made.get(digest)
        if pieces is None:
            claim = self.claims[position]
            pieces = self.made[digest] = tuple(entry_json(self.make(claim, kind)) + SEPARATOR for kind in KINDS)
        return pieces

    def make(self, claim: ClaimView, kind: str) -> dict[str, Any]:
        """A claim's entry of one kind, as data."""
        return (review_entry if kind == "review" else api_claim)(claim, self.library)

    def save(self) -> None:
        """Keep this build's new pieces for the next (appended), or write the file again with only those used."""
        file = self.file
        if file.path is None:
            return
        added = sum(len(piece) for pieces in self.made.values() for piece in pieces)
        if file.appendable and not file.crowded(self.live, added):
            if not self.made:
                return
            new = [claim for claim, number in zip(self.claims, self.numbers, strict=True) if number is None]
            cited = {ev.source.id for claim in new for ev in claim.evidence}
            file.append(self.made, {sid: self.sources[sid] for sid in sorted(cited)})
            return
        pieces: dict[str, tuple[Piece, ...]] = {}
        for position, (digest, number) in enumerate(zip(self.digests, self.numbers, strict=True)):
            if number is None:
                pieces[digest] = self._made(position)
            else:
                pieces[digest] = tuple(file.piece(number, column) for column in range(len(KINDS)))
        file.rewrite(pieces, self.sources)


def _claim_digest(claim: ClaimView) -> str:
    """A claim's digest when validation did not set one."""
    return value_digest(claim.claim)


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
    return project_file(cache_dir, "data", f"{library.urls.base_url}\0{library.config.title}", ".bin")


def review_entry(claim: ClaimView, library: Library) -> dict[str, Any]:
    """A fact-check's ClaimReview as an element of the DataFeed (whose context covers it)."""
    review = claim_review(claim, library)
    review.pop("@context", None)
    return review


def claimreview_feed(library: Library, entries: Entries | None = None) -> OutputFile:
    """/claimreview.json: every ClaimReview as the dataFeedElement of one schema.org DataFeed."""
    entries = entries or Entries(library, None)
    claims = entries.claims
    urls = library.urls
    feed: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": library.catalog.format("%(site)s: fact-checks", site=library.config.title),
        "url": urls.absolute(urls.file("claimreview.json")),
        "publisher": {
            "@type": "Organization",
            "name": library.config.publisher.name,
            "url": as_uri(library.config.publisher.url) or urls.absolute(urls.path()),
        },
    }
    if claims:
        feed["dateModified"] = max(map(operator.attrgetter("modified"), claims)).isoformat()
    feed["dataFeedElement"] = []
    return _json_file_listing("claimreview.json", feed, "dataFeedElement", entries.body("review"))


def api_person(person: PersonView, library: Library) -> dict[str, Any]:
    """A claimant or author: id, name, kind, the site's page for them, and their own links."""
    p = person.person
    return {
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "url": library.urls.absolute(person.url),
        "homepage": as_uri(p.url) or None,
        "same_as": [as_uri(url) for url in p.same_as],
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
        "original_url": as_uri(evidence.text_fragment_url) or None,
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
            "published": s.published.iso if s.published and s.published.day else None,
            "published_as_known": s.published.iso if s.published else None,
            "url": as_uri(s.url) or None,
            "archive_url": as_uri(s.archive_url) or None,
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
            {
                "title": a.title,
                "url": as_uri(a.url) or None,
                "medium": a.medium or None,
                "date": a.date.iso if a.date else None,
            }
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
            "publisher": {"name": config.publisher.name, "url": as_uri(config.publisher.url) or None},
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
    return _json_file_listing("api/claims.json", data, "claims", entries.body("api"))


def data_files(library: Library, cache_dir: Path | None = None) -> list[OutputFile]:
    """Both data files; entries are kept between builds in the cache folder (default: beside the cards)."""
    entries = Entries(library, cache_dir or default_cache_dir())
    files = [claimreview_feed(library, entries), api_claims(library, entries)]
    entries.save()
    return files
