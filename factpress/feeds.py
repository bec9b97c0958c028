"""Atom (/feed.xml) and JSON Feed 1.1 (/feed.json): the latest fact-checks, corrections included.

Atom is built with xml.etree.ElementTree rather than a feed library: the standard library escapes
every text and attribute, needs no dependency (feedgen pulls in lxml and stamps build times unless
told otherwise), and gives full control of the bytes, so the same content gives the same feed.
Every date comes from the content, never from the clock.
"""

from __future__ import annotations

import datetime as dt
import heapq
import operator
import xml.etree.ElementTree as ET
from typing import Any

import jinja2

from .cards import card_paths, xml_safe
from .i18n import Catalog
from .jsontext import indented_json
from .link import ClaimView, Library
from .render import OutputFile
from .uris import as_uri

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
FEED_LIMIT = 50
EPOCH = dt.date(1970, 1, 1)  # the `updated` of a site with no fact-checks yet: fixed, not the build time


#: Each entry's HTML by id() of its claim, when both feeds are made together.
Htmls = dict[int, str]


def feed_claims(library: Library, limit: int = FEED_LIMIT) -> list[ClaimView]:
    """Published fact-checks, most recently changed first: a correction brings an entry back to the top.

    Only the claims changed no earlier than the `limit`-th latest change can be among the first
    `limit`; they are found by date alone, in C (a key made for each of 10,000 claims cost 9 ms).
    """
    claims = library.claims
    if len(claims) > limit:
        modified = list(map(_MODIFIED, claims))
        latest = heapq.nlargest(limit, modified)[-1]
        candidates = [claim for claim, when in zip(claims, modified, strict=True) if when >= latest]
        published = [claim for claim in candidates if not claim.claim.draft]
        if len(published) >= limit:
            return heapq.nlargest(limit, published, key=_feed_order)
    return heapq.nlargest(limit, (c for c in claims if not c.claim.draft), key=_feed_order)


_MODIFIED = operator.attrgetter("modified")


def _feed_order(claim: ClaimView) -> tuple[dt.date, dt.date, str]:
    return claim.modified, claim.claim.published, claim.id


def timestamp(date: dt.date) -> str:
    """An RFC 3339 date-time for a content date (midnight UTC), as Atom and JSON Feed require."""
    return f"{date.isoformat()}T00:00:00Z"


def entry_title(claim: ClaimView, catalog: Catalog | None = None) -> str:
    """The verdict first, so a reader scanning headlines sees it: `False: The bridge cost...` (translated)."""
    catalog = catalog or Catalog("en")
    return catalog.format("%(verdict)s: %(claim)s", verdict=claim.verdict.label, claim=claim.claim.claim)


def entry_html(claim: ClaimView, library: Library, env: jinja2.Environment) -> str:
    """The entry's HTML: verdict, claim, claimant, summary and every correction, with absolute links."""
    html = env.get_template("_feed_entry.html").render(claim=claim, site=library.config)
    return xml_safe(html.strip())


def _newest(claims: list[ClaimView]) -> dt.date:
    return max((c.modified for c in claims), default=EPOCH)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element


def atom_feed(
    library: Library, env: jinja2.Environment, claims: list[ClaimView] | None = None, html: Htmls | None = None
) -> OutputFile:
    """/feed.xml: an Atom 1.0 feed of the latest fact-checks (`claims`: feed_claims, when already known)."""
    config, urls = library.config, library.urls
    claims = feed_claims(library) if claims is None else claims
    home = urls.absolute(urls.path())
    root = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: config.language})
    _sub(root, "id", home)
    _sub(root, "title", config.title)
    if config.description:
        _sub(root, "subtitle", config.description)
    _sub(root, "updated", timestamp(_newest(claims)))
    _sub(root, "link", rel="alternate", type="text/html", href=home)
    _sub(root, "link", rel="self", type="application/atom+xml", href=urls.absolute(urls.file("feed.xml")))
    author = _sub(root, "author")
    _sub(author, "name", config.publisher.name)
    if config.publisher.url:
        _sub(author, "uri", as_uri(config.publisher.url))
    _sub(root, "generator", "factpress")
    for claim in claims:
        _atom_entry(root, claim, library, env, html)
    ET.indent(root)
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    return OutputFile("feed.xml", text.encode("utf-8"))


def entry_id(claim: ClaimView, library: Library) -> str:
    """The entry's permanent id: the address it was first published at (its first alias): a rename is no new entry."""
    aliases = claim.claim.aliases
    return library.urls.absolute(library.urls.folder("claims", aliases[0])) if aliases else claim.abs_url


def _atom_entry(
    root: ET.Element, claim: ClaimView, library: Library, env: jinja2.Environment, html: Htmls | None
) -> None:
    urls, c = library.urls, claim.claim
    entry = _sub(root, "entry")
    _sub(entry, "id", entry_id(claim, library))
    _sub(entry, "title", entry_title(claim, env.factpress_catalog))  # type: ignore[attr-defined]
    _sub(entry, "link", rel="alternate", type="text/html", href=claim.abs_url)
    _sub(entry, "link", rel="enclosure", type="image/png", href=urls.absolute(card_paths(claim, library)[1]))
    _sub(entry, "published", timestamp(c.published))
    _sub(entry, "updated", timestamp(claim.modified))
    for person in claim.authors:
        author = _sub(entry, "author")
        _sub(author, "name", person.name)
        _sub(author, "uri", urls.absolute(person.url))
    verdicts = urls.absolute(urls.path("verdicts"))
    _sub(entry, "category", term=claim.verdict.key, label=claim.verdict.label, scheme=verdicts)
    for topic in claim.topics:
        _sub(entry, "category", term=topic.id, label=topic.name, scheme=urls.absolute(urls.path("topics")))
    _sub(entry, "summary", c.summary, type="text")
    _sub(entry, "content", html[id(claim)] if html else entry_html(claim, library, env), type="html")


def json_feed(
    library: Library, env: jinja2.Environment, claims: list[ClaimView] | None = None, html: Htmls | None = None
) -> OutputFile:
    """/feed.json: a JSON Feed 1.1 of the same entries as the Atom feed (`claims`: feed_claims, when known)."""
    claims = feed_claims(library) if claims is None else claims
    config, urls = library.config, library.urls
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": config.title,
        "home_page_url": urls.absolute(urls.path()),
        "feed_url": urls.absolute(urls.file("feed.json")),
    }
    if config.description:
        feed["description"] = config.description
    feed["language"] = config.language
    feed["authors"] = [_json_author(config.publisher.name, as_uri(config.publisher.url))]
    feed["items"] = [_json_item(claim, library, env, html) for claim in claims]
    text = indented_json(feed, indent=2) + "\n"
    return OutputFile("feed.json", text.encode("utf-8"))


def _json_author(name: str, url: str) -> dict[str, str]:
    return {"name": name, "url": url} if url else {"name": name}


def _json_item(claim: ClaimView, library: Library, env: jinja2.Environment, html: Htmls | None) -> dict[str, Any]:
    urls, c = library.urls, claim.claim
    item: dict[str, Any] = {
        "id": entry_id(claim, library),
        "url": claim.abs_url,
        "title": entry_title(claim, env.factpress_catalog),  # type: ignore[attr-defined]
        "content_html": html[id(claim)] if html else entry_html(claim, library, env),
        "summary": c.summary,
        "image": urls.absolute(card_paths(claim, library)[1]),
        "date_published": timestamp(c.published),
        "date_modified": timestamp(claim.modified),
        "tags": [claim.verdict.label, *(t.name for t in claim.topics)],
        "language": library.config.language,  # the review's, as in Atom and ClaimReview (the claim may quote another)
    }
    if claim.authors:
        item["authors"] = [_json_author(a.name, urls.absolute(a.url)) for a in claim.authors]
    return item


def feed_files(library: Library, env: jinja2.Environment, claims: list[ClaimView] | None = None) -> list[OutputFile]:
    """Both feeds, of the same entries (chosen once: it means looking at every fact-check).

    `claims`: feed_claims(library), when already known. The feeds show only those claims and
    site-wide things, so their fingerprint need cover no others (a rebuild after an edit of an
    older claim then leaves them as they are).
    """
    claims = feed_claims(library) if claims is None else claims
    html = {id(claim): entry_html(claim, library, env) for claim in claims}  # rendered once for both feeds
    return [atom_feed(library, env, claims, html), json_feed(library, env, claims, html)]
