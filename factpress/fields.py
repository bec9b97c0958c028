"""The fields of every YAML file kind, defined once: the validator and the JSON Schema generator both read them.

A `Field` says what an editor may write (its kind of value, whether it is required, a one-line
description shown by editors on hover). `validate.py` takes its lists of known field names and its
patterns from here; `schemas.py` turns the same definitions into `schemas/*.schema.json`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")
COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
#: A plain email address, as it goes into `mailto:`: none of what a mailto URL reads as more than the
#: address (`?cc=`, `&bcc=`, `%40`, `#`, `,` another recipient), nor spaces, markup or invisible marks.
_NOT_IN_EMAIL = r'[^@\s<>"?&%#/\\:;,=()\[\]\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+'
EMAIL_ADDRESS = re.compile(rf"^{_NOT_IN_EMAIL}@{_NOT_IN_EMAIL}\.{_NOT_IN_EMAIL}$")
#: The first year a date may name: no claim, appearance or source of a fact-check is older, and a year
#: written '0001' or '0999' is a placeholder or a typo (the page showed '1' or '999').
FIRST_YEAR = 1000
PERSON_KINDS = ("person", "organization")

# Kinds of value. Text kinds accept what YAML reads as a number or true/false too: the validator
# takes every scalar as the text the editor wrote (`verdict: false` is the verdict 'false').
TEXT = "text"  # any text
MARKDOWN = "markdown"  # text in Markdown
ID = "id"  # a lowercase slug naming this item
REF = "ref"  # the id of an item in another file
REFS = "refs"  # a list of ids (a single id is accepted too)
URL = "url"  # an http(s) address
URLS = "urls"  # a list of http(s) addresses (a single one is accepted too)
SITE_PATH = "site-path"  # a path on the site starting with /, or an http(s) address
FILE = "file"  # a path relative to content/
DATE = "date"  # YYYY-MM-DD, as a YAML date or quoted
PARTIAL_DATE_KIND = "partial-date"  # YYYY-MM-DD, YYYY-MM or YYYY
INTEGER = "integer"
BOOLEAN = "boolean"
LANGUAGE_KIND = "language"  # a BCP 47 language code
COLOUR_KIND = "colour"  # a hex colour, quoted
EMAIL = "email"
CHOICE = "choice"  # one of `choices`
MAPPING = "mapping"  # a mapping of `fields`
MAPPINGS = "mappings"  # a list of mappings of `fields`


@dataclass(frozen=True, slots=True)
class Field:
    """One field an editor may write: its name, kind of value, whether it is required, and what it means."""

    name: str
    kind: str
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    #: For a list (REFS, MAPPINGS) that is required: it must not be empty either.
    non_empty: bool = False


def names(fields: tuple[Field, ...]) -> tuple[str, ...]:
    """The field names, in the order they are documented."""
    return tuple(f.name for f in fields)


PUBLISHER = (
    Field("name", TEXT, "The organization's name.", required=True),
    Field("url", URL, "The organization's home page."),
    Field("logo", SITE_PATH, "The logo: a path on the site (/static/logo.svg) or an http(s) address."),
)
CONTACT = (Field("email", EMAIL, "Where readers send claims to check and requests for corrections."),)
SITE = (
    Field("title", TEXT, "The site's name, shown in every page's header and title.", required=True),
    Field("base_url", URL, "The address the site is published at, e.g. https://factcheck.example.org/.", required=True),
    Field("language", LANGUAGE_KIND, "The site's language code, e.g. en, fr, pt-BR (default: en)."),
    Field("description", TEXT, "One sentence saying what the site is, for search engines and feeds."),
    Field("publisher", MAPPING, "The publishing organization: name, url, logo.", required=True, fields=PUBLISHER),
    Field("contact", MAPPING, "How to reach the desk: email.", fields=CONTACT),
)
VERDICT = (
    Field("key", ID, "The verdict's id, used by claims (verdict: …) and in its URL.", required=True),
    Field("label", TEXT, "The verdict as readers see it, e.g. Mostly true.", required=True),
    Field("meaning", TEXT, "What the verdict means, in one sentence.", required=True),
    Field("rating", INTEGER, "ClaimReview's ratingValue: higher is more accurate; none for verdicts off the scale."),
    Field("colour", COLOUR_KIND, "The badge colour as a quoted hex code, e.g. '#1a7f37'."),
)
PERSON = (
    Field("id", ID, "The person's or organization's id, used in claims and in its URL.", required=True),
    Field("name", TEXT, "The full name.", required=True),
    Field("kind", CHOICE, "person or organization (default: person).", choices=PERSON_KINDS),
    Field("description", TEXT, "Who they are, in a few words (e.g. Kremlin spokesperson)."),
    Field("url", URL, "Their own web page."),
    Field("same_as", URLS, "Links to the same person elsewhere, e.g. their Wikidata item."),
)
TOPIC = (
    Field("id", ID, "The topic's slug, used in claims (topics: […]) and in its URL.", required=True),
    Field("name", TEXT, "The topic's name as readers see it.", required=True),
    Field("description", TEXT, "What the topic covers."),
)
SOURCE = (
    Field("id", ID, "The source's id, cited in claims' evidence and analysis ([text](#id)).", required=True),
    Field("title", TEXT, "The headline or title of the source.", required=True),
    Field("publisher", TEXT, "Who published it."),
    Field("published", PARTIAL_DATE_KIND, "When it was published: YYYY-MM-DD, YYYY-MM or YYYY."),
    Field("url", URL, "Where the original is (optional: not every archived copy has one)."),
    Field("snapshot", FILE, "The archived text of the source, relative to content/.", required=True),
    Field("archived", DATE, "When the snapshot was taken (YYYY-MM-DD)."),
    Field("archive_url", URL, "An archived copy online, e.g. on the Wayback Machine."),
    Field("language", LANGUAGE_KIND, "The language the source is written in, when it differs from the site's."),
)
APPEARANCE = (
    Field("url", URL, "Where the claim appeared."),
    Field("title", TEXT, "The title of that page, broadcast or post (required without a url)."),
    Field("medium", TEXT, "Where it was said, e.g. television interview, X post."),
    Field("date", PARTIAL_DATE_KIND, "When it appeared: YYYY-MM-DD, YYYY-MM or YYYY."),
)
EVIDENCE = (
    Field("source", REF, "The id of a source in content/sources.yaml.", required=True),
    Field("excerpt", TEXT, "The exact words relied on, copied from the snapshot; … skips words.", required=True),
    Field("note", TEXT, "Why this excerpt matters."),
)
CORRECTION = (
    Field("date", DATE, "When the correction was made (YYYY-MM-DD).", required=True),
    Field("note", TEXT, "What was corrected, in a sentence.", required=True),
    Field("previous_verdict", REF, "The verdict before this correction, when the rating changed."),
)
CLAIM = (
    Field("id", ID, "The fact-check's id: its page is /claims/<id>/.", required=True),
    Field("claim", TEXT, "The statement checked, short (at most 75 characters is best).", required=True),
    Field("claimant", REF, "Who made the claim: an id from content/people.yaml.", required=True),
    Field("claim_date", PARTIAL_DATE_KIND, "When the claim was made: YYYY-MM-DD, YYYY-MM or YYYY.", required=True),
    Field("appearances", MAPPINGS, "Where the claim appeared, first appearance first.", fields=APPEARANCE),
    Field("verdict", REF, "The verdict's key from content/verdicts.yaml.", required=True),
    Field("summary", TEXT, "The conclusion in one or two sentences.", required=True),
    Field("analysis", MARKDOWN, "The reasoning in Markdown, citing sources as [text](#source-id).", required=True),
    Field(
        "evidence",
        MAPPINGS,
        "The sources relied on: source, exact excerpt, note.",
        required=True,
        fields=EVIDENCE,
        non_empty=True,
    ),
    Field("topics", REFS, "Topic slugs."),
    Field("authors", REFS, "The fact-checkers: ids from content/people.yaml.", required=True, non_empty=True),
    Field("published", DATE, "When the fact-check was published (YYYY-MM-DD).", required=True),
    Field("updated", DATE, "When it was last updated (YYYY-MM-DD)."),
    Field("corrections", MAPPINGS, "Corrections: date, note, previous_verdict.", fields=CORRECTION),
    Field("related", REFS, "Ids of related fact-checks."),
    Field("language", LANGUAGE_KIND, "The claim's language code, when it differs from the site's."),
    Field("draft", BOOLEAN, "true keeps the fact-check out of the published build."),
    Field("aliases", REFS, "Ids it was published under before: their addresses lead to it, so links and embeds last."),
)
PAGE = (
    Field("title", TEXT, "The page's title.", required=True),
    Field("description", TEXT, "One sentence for search engines and link previews."),
    Field("nav", INTEGER, "The page's place in the footer menu (1 first); leave out to keep it off the menu."),
)

SITE_FIELDS = names(SITE)
PUBLISHER_FIELDS = names(PUBLISHER)
CONTACT_FIELDS = names(CONTACT)
VERDICT_FIELDS = names(VERDICT)
PERSON_FIELDS = names(PERSON)
TOPIC_FIELDS = names(TOPIC)
SOURCE_FIELDS = names(SOURCE)
CLAIM_FIELDS = names(CLAIM)
APPEARANCE_FIELDS = names(APPEARANCE)
EVIDENCE_FIELDS = names(EVIDENCE)
CORRECTION_FIELDS = names(CORRECTION)
PAGE_FIELDS = names(PAGE)

#: Each YAML file kind: (its fields, whether the file is a list of such items, a title for editors).
FILE_KINDS: dict[str, tuple[tuple[Field, ...], bool, str]] = {
    "site": (SITE, False, "content/site.yaml: the site's settings"),
    "verdicts": (VERDICT, True, "content/verdicts.yaml: the rating scale, best first"),
    "people": (PERSON, True, "content/people.yaml: claimants and fact-checkers"),
    "topics": (TOPIC, True, "content/topics.yaml: the topics fact-checks are filed under"),
    "sources": (SOURCE, True, "content/sources.yaml: the evidence, each with its archived snapshot"),
    "claims": (CLAIM, True, "claims.yaml or content/claims/*.yaml: the fact-checks"),
    "page": (PAGE, False, "content/pages/*.md: a page's front matter"),
}
