"""schema.org ClaimReview for a fact-check, and its safe embedding in a script element."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .jsontext import indented_json
from .link import ClaimView, Library, PersonView
from .model import Appearance
from .uris import as_uri


def person_ld(person: PersonView, library: Library) -> dict[str, Any]:
    """A schema.org Person or Organization, with sameAs links and the site's page for it."""
    p = person.person
    data: dict[str, Any] = {
        "@type": "Organization" if p.kind == "organization" else "Person",
        "name": p.name,
        "url": as_uri(p.url) or library.urls.absolute(person.url),
    }
    same_as = [as_uri(url) for url in p.same_as]
    if p.url:
        same_as.append(library.urls.absolute(person.url))
    if same_as:
        data["sameAs"] = same_as if len(same_as) > 1 else same_as[0]
    if p.description:
        data["description"] = p.description
    return data


def rating_ld(claim: ClaimView, library: Library) -> dict[str, Any]:
    """The schema.org Rating for a verdict; numeric bounds only when the verdict is on the rated scale."""
    verdict = claim.verdict.verdict
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.label}
    bounds = library.rating_bounds
    if verdict.rating is not None and bounds is not None:
        rating["ratingValue"] = verdict.rating
        rating["bestRating"], rating["worstRating"] = bounds
    rating["ratingExplanation"] = claim.claim.summary
    return rating


def claim_review(claim: ClaimView, library: Library) -> dict[str, Any]:
    """One ClaimReview, shaped as Fact Check Explorer and other aggregators read it."""
    c = claim.claim
    config = library.config
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": person_ld(claim.claimant, library),
        "datePublished": c.claim_date.iso,
    }
    if c.appearances:
        item["appearance"] = [appearance_ld(a) for a in c.appearances]
        item["firstAppearance"] = appearance_ld(first_appearance(c.appearances))
    if c.language != config.language:
        item["inLanguage"] = c.language
    authors = [person_ld(a, library) for a in claim.authors]
    publisher: dict[str, Any] = {
        "@type": "Organization",
        "name": config.publisher.name,
        "url": as_uri(config.publisher.url) or library.urls.absolute(library.urls.base_path),
    }
    if config.publisher.logo:
        publisher["logo"] = {"@type": "ImageObject", "url": library.urls.absolute(_logo_path(library))}
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim.abs_url,
        "claimReviewed": c.claim,
        "itemReviewed": item,
        "reviewRating": rating_ld(claim, library),
        "author": publisher,  # Fact Check Explorer reads author.name as the organization publishing the fact-check
        "publisher": publisher,
        "datePublished": c.published.isoformat(),
        "inLanguage": config.language,  # the review is written in the site's language; the claim says its own above
    }
    if authors:  # the newsroom's own fact-checkers, credited as on the page
        review["contributor"] = authors[0] if len(authors) == 1 else authors
    if claim.modified != c.published:
        review["dateModified"] = claim.modified.isoformat()
    return review


def appearance_ld(appearance: Appearance) -> dict[str, Any]:
    """Where the claim was made, as a CreativeWork: its address when there is one (a radio interview may have none)."""
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if appearance.url:
        work["url"] = as_uri(appearance.url)
    work["name"] = appearance.title
    if appearance.date:
        work["datePublished"] = appearance.date.iso
    return work


def first_appearance(appearances: Sequence[Appearance]) -> Appearance:
    """The surely earliest appearance by date, else the first listed.

    A partial date counts from its last possible day: `2025` may be December, so 2025-02-20 comes first.
    """
    dated = [a for a in appearances if a.date]
    if not dated:
        return appearances[0]
    return min(dated, key=lambda a: (a.date.year, a.date.month or 13, a.date.day or 32))  # type: ignore[union-attr]


def _logo_path(library: Library) -> str:
    logo = library.config.publisher.logo
    return as_uri(logo) if logo.startswith(("http://", "https://")) else library.urls.file(logo)


def json_for_script(data: Any) -> str:
    """JSON that cannot close or confuse a <script> element: <, >, & and line separators escaped."""
    text = indented_json(data, indent=2)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


#: A JSON-LD script element's start tag, and any script's end. A page's own text cannot write either: `<` is
#: escaped in text and in attributes alike.
_LD_SCRIPT_START = re.compile(r"<script\b[^>]*\btype\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>", re.IGNORECASE)
_SCRIPT_END = re.compile(r"</script", re.IGNORECASE)
#: A ClaimReview's type in JSON-LD, alone or in a list (text naming it is a JSON string, its quotes escaped).
_LD_CLAIM_REVIEW = re.compile(r'"@type"\s*:\s*(?:\[[^\]]*)?"ClaimReview"')
#: A start tag (`>` in an attribute's value is escaped), and one attribute of it: name, then its value if any.
_START_TAG = re.compile(r"<[a-zA-Z][^\s/>]*([^>]*)>")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
#: Where a script is inert: a comment, or an element whose content is not run.
_INERT = (("<!--", "-->"), ("<template", "</template"), ("<noscript", "</noscript"), ("<textarea", "</textarea"))
#: The start of a JSON-LD script element, just before the review (whitespace between allowed).
_LD_SCRIPT_BEFORE = re.compile(r"<script\b[^>]*\btype\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>\s*\Z", re.IGNORECASE)


def claim_review_mistake(html: str, review: str) -> str:
    """What is wrong with a claim page's ClaimReview (a site's template may drop or repeat it); '' when nothing.

    SPEC: every claim page carries exactly one ClaimReview. The theme's page does; a site's own
    claim.html or base.html can lose it (a block left out), show it as text, hide it in a comment,
    or add a second one (JSON-LD or microdata). A guard against slips: templates are trusted code.
    """
    place = html.find(review)
    if place < 0:
        return "no ClaimReview"
    if not _LD_SCRIPT_BEFORE.match(html, max(html.rfind("<script", 0, place), 0), place):  # (the nearest tag)
        return 'its ClaimReview outside a <script type="application/ld+json"> element'
    for opening, closing in _INERT:  # (lower-case tags, as templates write them)
        if html.rfind(opening, 0, place) > html.rfind(closing, 0, place):
            return f"its ClaimReview inside {opening}, where no reader of the page finds it"
    # Every mention of the type, markup or text, found fast: where there is one, it is the review's own.
    mentions = html.count('"ClaimReview"') + html.count("schema.org/ClaimReview")
    count = 1 if mentions == 1 else claim_reviews_declared(html)
    return f"{count} ClaimReviews, not one" if count != 1 else ""


def claim_reviews_declared(html: str) -> int:
    """How many ClaimReviews a page's markup declares: JSON-LD types, and microdata item types.

    Only markup counts: a fact-check whose text or links name schema.org/ClaimReview, or quote
    "ClaimReview", declares none (that text had failed the build as a second review).
    """
    count = 0
    for start in _LD_SCRIPT_START.finditer(html):
        end = _SCRIPT_END.search(html, start.end())
        script = html[start.end() : end.start() if end else len(html)]
        if '"ClaimReview"' in script:
            count += len(_LD_CLAIM_REVIEW.findall(script))
    if "itemtype" in html:  # (microdata: rare, so its slower reading is only done where the word is)
        count += sum(map(_microdata_claim_reviews, _START_TAG.findall(html)))
    return count


def _microdata_claim_reviews(attributes: str) -> int:
    """1 when a start tag's attributes declare a schema.org ClaimReview item type (`itemtype` may list several)."""
    for name, value in _ATTRIBUTE.findall(attributes):
        if name.lower() == "itemtype" and any(t.endswith("schema.org/ClaimReview") for t in value.strip("\"'").split()):
            return 1
    return 0
