"""The fact-checks as data: /claimreview.json (a schema.org DataFeed) and /api/claims.json.

/api/claims.json has a documented, stable shape (docs/api.md): fields are only ever added within
a version; renaming or removing one raises API_VERSION. Drafts never appear in either file.
"""

from __future__ import annotations

from typing import Any

from .cards import card_paths
from .jsonld import claim_review
from .jsontext import indented_json
from .link import ClaimView, EvidenceView, Library, PersonView
from .model import Correction
from .render import OutputFile

API_VERSION = 1


def published_claims(library: Library) -> list[ClaimView]:
    """The fact-checks a reader can see, newest first (drafts stay out even in a --drafts preview)."""
    return [c for c in library.claims if not c.claim.draft]


def _json_file(path: str, data: Any) -> OutputFile:
    text = indented_json(data, indent=1) + "\n"
    return OutputFile(path, text.encode("utf-8"))


def claimreview_feed(library: Library) -> OutputFile:
    """/claimreview.json: every ClaimReview as the dataFeedElement of one schema.org DataFeed."""
    claims = published_claims(library)
    urls = library.urls
    elements = []
    for claim in claims:
        review = claim_review(claim, library)
        review.pop("@context", None)  # the DataFeed's context covers its elements
        elements.append(review)
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
    feed["dataFeedElement"] = elements
    return _json_file("claimreview.json", feed)


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


def api_claims(library: Library) -> OutputFile:
    """/api/claims.json: the site, its rating scale and every published fact-check, newest first."""
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
        "claims": [api_claim(claim, library) for claim in published_claims(library)],
    }
    return _json_file("api/claims.json", data)


def data_files(library: Library) -> list[OutputFile]:
    """Both data files."""
    return [claimreview_feed(library), api_claims(library)]
