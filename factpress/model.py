"""The validated content: frozen dataclasses with no I/O of their own and no Jinja.

Validation turns raw YAML into these; linking builds the ready-to-show views on top of them.
References between items are by id here; `link.py` resolves them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .errors import Location

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date that may be only a year or a month (`2024`, `2024-06`), as claim dates often are."""

    year: int
    month: int = 0
    day: int = 0

    @property
    def iso(self) -> str:
        """ISO 8601 form, as precise as the date is known, for machines."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def display(self) -> str:
        """The date as readers write it (9 July 2025, July 2025 or 2025)."""
        if self.day:
            return f"{self.day} {MONTHS[self.month - 1]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return str(self.year)

    def __str__(self) -> str:
        return self.iso


@dataclass(frozen=True, slots=True)
class Publisher:
    """The organization publishing the site, as named in structured data."""

    name: str
    url: str = ""
    logo: str = ""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """content/site.yaml."""

    title: str
    base_url: str
    language: str
    description: str
    publisher: Publisher
    contact_email: str = ""
    loc: Location = field(default=Location("content/site.yaml"), compare=False)


@dataclass(frozen=True, slots=True)
class Verdict:
    """One step of the rating scale; `rating` is None for verdicts outside the scale."""

    key: str
    label: str
    meaning: str
    colour: str
    rating: int | None
    position: int
    loc: Location = field(compare=False)


@dataclass(frozen=True, slots=True)
class Person:
    """A claimant or a fact-checker: a person or an organization."""

    id: str
    name: str
    kind: str
    description: str = ""
    url: str = ""
    same_as: tuple[str, ...] = ()
    loc: Location = field(default=Location(""), compare=False)


@dataclass(frozen=True, slots=True)
class Topic:
    """A subject that groups fact-checks on a topic page."""

    id: str
    name: str
    description: str = ""
    loc: Location = field(default=Location(""), compare=False)

    @property
    def declared(self) -> bool:
        """Written in topics.yaml; without that file, topics are taken from the claims (and have no location)."""
        return bool(self.loc.path)


class TextReader(Protocol):
    """What gives a snapshot's text when it is first asked for (load.SnapshotText reads its file then)."""

    @property
    def text(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The archived text of a source, as read from content/.

    A snapshot is what its path and digest say: its text is left out of comparisons and digests,
    so that the text of a file whose digest is known need not be read until something shows or
    searches it (a rebuild reads the few its changes need, not 2,500).
    """

    path: str
    #: The text, or what reads it on first use (see `text`).
    content: str | TextReader = field(compare=False, repr=False)
    sha256: str

    @property
    def text(self) -> str:
        """The snapshot's text, read now if it was not read while loading."""
        content = self.content
        return content if type(content) is str else content.text  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class Source:
    """A cited document with its archived snapshot, so excerpts can be checked and shown."""

    id: str
    title: str
    publisher: str
    published: PartialDate | None  # (an old report may give only its month or year)
    url: str
    snapshot: Snapshot
    archived: dt.date | None = None
    archive_url: str = ""
    #: The language it is written in, when not the site's ('' otherwise): its quotes are marked with it.
    language: str = ""
    loc: Location = field(default=Location(""), compare=False)
    #: value_digest() of the fields above, set by validation: what page caches key on.
    digest: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Appearance:
    """Where the claim was made or published."""

    title: str
    url: str = ""
    medium: str = ""
    date: PartialDate | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range in a snapshot's original text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Evidence:
    """An exact excerpt of a source that the fact-check relies on, located in its snapshot."""

    source: str
    excerpt: str
    note: str
    spans: tuple[Span, ...]
    loc: Location = field(compare=False)


@dataclass(frozen=True, slots=True)
class Correction:
    """A dated note of a change to a fact-check, with the verdict it replaced if any."""

    date: dt.date
    note: str
    previous_verdict: str = ""


@dataclass(frozen=True, slots=True)
class Claim:
    """One fact-check: an entry of claims.yaml or content/claims/*.yaml."""

    id: str
    claim: str
    claimant: str
    claim_date: PartialDate
    appearances: tuple[Appearance, ...]
    verdict: str
    summary: str
    analysis: str
    evidence: tuple[Evidence, ...]
    topics: tuple[str, ...]
    authors: tuple[str, ...]
    published: dt.date
    updated: dt.date | None
    corrections: tuple[Correction, ...]
    related: tuple[str, ...]
    language: str
    draft: bool
    #: The ids it was published under before: their addresses lead to it (see render.moved_page).
    aliases: tuple[str, ...]
    loc: Location = field(compare=False)
    #: value_digest() of the fields above, set by validation: what page caches key on.
    digest: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Page:
    """A content page: Markdown with front matter, from content/pages/."""

    slug: str
    title: str
    description: str
    body: str
    nav: int | None
    loc: Location = field(compare=False)


@dataclass(frozen=True, slots=True)
class Site:
    """Everything validated, in the order it was written."""

    config: SiteConfig
    verdicts: tuple[Verdict, ...]
    people: tuple[Person, ...]
    topics: tuple[Topic, ...]
    sources: tuple[Source, ...]
    claims: tuple[Claim, ...]
    pages: tuple[Page, ...]
    #: content/messages.yaml: the site's own words for the theme's messages (i18n.catalog_for).
    messages: dict[str, str | dict[str, str]] = field(default_factory=dict)
    #: The font files of the project's fonts/ folder: the cards draw what DejaVu lacks with them (fonts.py).
    fonts: tuple[Path, ...] = ()
