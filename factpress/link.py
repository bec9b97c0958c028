"""Stage 3: resolve references and derive what pages show: URLs, backlinks, tallies, related claims.

Pure: the validated Site in, a Library of ready-to-show views out. Templates read these views
(`claim.verdict.label`, `claim.url`) and never compute anything themselves.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from heapq import merge
from itertools import combinations, islice
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from .claimdeps import sources_with_pages
from .excerpts import EXACT_WORDS, RANGE_WORDS, Folded, FragmentTerms, excerpt_pieces, fold, fragment_terms
from .i18n import Catalog, catalog_for
from .model import Claim, Correction, Evidence, Page, Person, Site, SiteConfig, Source, Span, Topic, Verdict

RELATED_LIMIT = 4
HOME_LIMIT = 12
#: The site's section folders and the files every page's frame links to (see Library.links).
SECTIONS = ("claims", "verdicts", "people", "topics", "sources", "corrections", "search")
FRAME_FILES = ("static/style.css", "static/verdicts.css", "static/favicon.svg", "static/copy.js")
FRAME_FILES += ("feed.xml", "feed.json")
#: A path part that quote() would leave as it is (ids are slugs): quoting it is skipped.
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")


@functools.lru_cache(maxsize=16)
def _split_base(base_url: str) -> tuple[str, str]:
    """(base path, origin) of a base URL, split once: every URL of a build is built from them."""
    parts = urlsplit(base_url)
    return parts.path or "/", f"{parts.scheme}://{parts.netloc}"


def _quote_part(part: str) -> str:
    return part if _UNRESERVED.fullmatch(part) else quote(part, safe="")


class computed_once:
    """Like functools.cached_property, without its lock: on Python 3.11 each first read took a lock.

    A non-data descriptor: the value goes into the instance's __dict__, where later reads find it
    without calling anything; link_site assigns some values directly, the same way.
    """

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        self.compute = compute
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


@dataclass(frozen=True, slots=True)
class Urls:
    """Builds site paths under the base URL's path, and absolute URLs for machines."""

    base_url: str
    #: The base URL's path (at least '/'), so a site can live under a sub-folder.
    base_path: str = field(init=False, repr=False, compare=False)
    #: Scheme and host of the base URL, prefixed to paths for absolute URLs.
    origin: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # split once here: pages ask for URLs tens of thousands of times a build
        base_path, origin = _split_base(self.base_url)
        object.__setattr__(self, "base_path", base_path)
        object.__setattr__(self, "origin", origin)

    def path(self, *parts: str) -> str:
        """A folder URL such as /claims/some-id/ (under the base path)."""
        inner = "/".join([_quote_part(p) for p in parts if p])
        return f"{self.base_path}{inner}/" if inner else self.base_path

    def folder(self, section: str, ident: str) -> str:
        """`path(section, ident)` for one section folder, with no loop (made for each of thousands of ids).

        An empty ident gives the prefix of the section's folders, such as /claims/.
        """
        return f"{self.base_path}{section}/{_quote_part(ident)}/" if ident else f"{self.base_path}{section}/"

    def file(self, name: str) -> str:
        """A file URL such as /feed.xml or /static/style.css."""
        return self.base_path + name.lstrip("/")

    def absolute(self, path: str) -> str:
        """An absolute URL for feeds, sitemaps and structured data; full URLs pass through."""
        if path.startswith(("http://", "https://")):
            return path
        return self.origin + path


@dataclass(eq=False)
class VerdictView:
    """A verdict with its page URL and the claims that received it."""

    verdict: Verdict
    url: str
    claims: list[ClaimView] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.verdict.key

    @property
    def label(self) -> str:
        return self.verdict.label

    @property
    def colour(self) -> str:
        return self.verdict.colour

    @property
    def meaning(self) -> str:
        return self.verdict.meaning

    @property
    def rating(self) -> int | None:
        return self.verdict.rating


@dataclass(eq=False)
class PersonView:
    """A person with their page URL, the claims they made, the ones they reviewed, and a verdict tally."""

    person: Person
    url: str
    claims: list[ClaimView] = field(default_factory=list)
    reviews: list[ClaimView] = field(default_factory=list)
    #: The site's verdicts in scale order, for `tally`.
    scale: Sequence[VerdictView] = field(default=(), repr=False)

    @computed_once
    def tally(self) -> list[tuple[VerdictView, int]]:
        """How many of the person's claims got each verdict, in scale order, leaving out zeros.

        Counted on first read: a rebuild reads one person's, a full build every claimant's.
        """
        counts = Counter(map(_VERDICT, self.claims))
        return [(verdict, counts[verdict]) for verdict in self.scale if counts[verdict]]

    @property
    def id(self) -> str:
        return self.person.id

    @property
    def name(self) -> str:
        return self.person.name


@dataclass(eq=False)
class TopicView:
    """A topic with its page URL and its claims."""

    topic: Topic
    url: str
    claims: list[ClaimView] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.topic.id

    @property
    def name(self) -> str:
        return self.topic.name


@dataclass(eq=False)
class Citation:
    """One use of a source's excerpt by a fact-check, as listed on the source page."""

    claim: ClaimView
    evidence: EvidenceView


@dataclass(eq=False)
class SourceView:
    """A source with its page URL, every excerpt cited from it, and the claims citing it."""

    source: Source
    url: str
    claims: list[ClaimView] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.source.id

    @computed_once
    def citations(self) -> list[Citation]:
        """Each use of the source's excerpts: its claims newest first, each claim's in its order.

        Made on first read from the claims' evidence views (the same objects), as they are: a
        rebuild reads the citations of the few sources whose pages it renders.
        """
        return [Citation(claim, cited) for claim in self.claims for cited in claim.evidence if cited.source is self]

    @computed_once
    def fragment_urls(self) -> dict[int, str]:
        """The text-fragment URL of every excerpt cited from this source, by the citing EvidenceView's id.

        Worked out together, on first use, so that the snapshot is folded once: claims cite
        snapshots in no particular order, and folding one again for each excerpt cost seconds.
        """
        original = self.source.url
        if not original:
            return {}
        folded = fold(self.source.snapshot.text)
        return {
            id(c.evidence): _with_fragment(
                original, text_fragment(c.evidence.evidence.excerpt, folded, c.evidence.evidence.spans)
            )
            for c in self.citations
        }


@dataclass(eq=False)
class EvidenceView:
    """One numbered piece of a claim's evidence, with its anchor and links to the source page and original."""

    evidence: Evidence
    source: SourceView
    number: int
    claim: ClaimView = field(repr=False)

    @computed_once
    def anchor(self) -> str:
        """The excerpt's id on the source page (made on first read, as context_url: a rebuild reads few)."""
        return f"excerpt-{self.claim.claim.id}-{self.number}"

    @computed_once
    def context_url(self) -> str:
        """The source page's URL at the excerpt."""
        return f"{self.source.url}#{self.anchor}"

    @computed_once
    def text_fragment_url(self) -> str:
        """The original's URL with a text fragment landing on the excerpt ('' when no URL is known).

        Worked out on first use: it folds the whole snapshot, and a rebuild that renders a few
        pages should not pay for every excerpt of the site.
        """
        original = self.source.source.url
        if not original:
            return original
        found = self.source.fragment_urls.get(id(self))
        if found is not None:
            return found
        fragment = text_fragment(self.evidence.excerpt, fold(self.source.source.snapshot.text), self.evidence.spans)
        return _with_fragment(original, fragment)

    @property
    def excerpt(self) -> str:
        return self.evidence.excerpt

    @property
    def note(self) -> str:
        return self.evidence.note


@dataclass(eq=False)
class CorrectionView:
    """A correction with the verdict it replaced and an anchor on its claim's page."""

    correction: Correction
    previous_verdict: VerdictView | None
    claim: ClaimView
    anchor: str


@dataclass(eq=False)
class ClaimView:
    """A fact-check with every reference resolved into views, ready for its page and listings."""

    claim: Claim
    url: str
    abs_url: str
    verdict: VerdictView
    claimant: PersonView
    authors: list[PersonView] = field(default_factory=list)
    topics: list[TopicView] = field(default_factory=list)
    corrections: list[CorrectionView] = field(default_factory=list)
    _related: list[ClaimView] | None = field(default=None, repr=False)
    _linking: Linking | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return self.claim.id

    @computed_once
    def evidence(self) -> list[EvidenceView]:
        """The claim's evidence, numbered, with the source views.

        Made on first read: 17,000 views at 10,000 claims, of which a rebuild reads a few.
        """
        if self._linking is None:
            return []
        sources = self._linking.sources
        return [EvidenceView(piece, sources[piece.source], n, self) for n, piece in enumerate(self.claim.evidence, 1)]

    @property
    def related(self) -> list[ClaimView]:
        """Declared related claims, then the closest others: ranked on first use (see related_claims)."""
        if self._related is None:
            self._related = self._linking.ranking.related(self) if self._linking is not None else []
        return self._related

    @related.setter
    def related(self, claims: list[ClaimView]) -> None:
        self._related = claims

    @computed_once
    def modified(self) -> dt.date:
        """The latest of published, updated and every correction's date (link_site sets it; kept)."""
        return modified_date(self.claim)

    @property
    def venue(self) -> str:
        """Where the claim was first made (medium, else title), or '' when no appearance is known."""
        if not self.claim.appearances:
            return ""
        first = self.claim.appearances[0]
        return first.medium or first.title


@dataclass(eq=False)
class PageView:
    """A content page with its URL."""

    page: Page
    url: str


@dataclass(eq=False)
class Library:
    """The linked site: every view a template needs, in a stable order."""

    config: SiteConfig
    urls: Urls
    claims: list[ClaimView]
    verdicts: list[VerdictView]
    people: list[PersonView]
    topics: list[TopicView]
    sources: list[SourceView]
    pages: list[PageView]
    corrections: list[CorrectionView]
    claims_by_id: dict[str, ClaimView]
    sources_by_id: dict[str, SourceView]
    #: Sources a --drafts preview shows only because a draft uses them (kept out of the sitemap).
    draft_sources: frozenset[str] = frozenset()
    #: The site's own words for the theme's messages (content/messages.yaml); `catalog` merges them in.
    messages: dict[str, str | dict[str, str]] = field(default_factory=dict)
    #: The site's own fonts for its cards (fonts.py): what the shipped font lacks is drawn with them.
    fonts: tuple[Path, ...] = ()

    @computed_once
    def catalog(self) -> Catalog:
        """The theme's words in the site's language: the shipped catalog, the site's own messages over it."""
        return catalog_for(self.config.language, self.messages)

    @property
    def latest(self) -> list[ClaimView]:
        """The newest claims, as many as the home page lists."""
        return self.claims[:HOME_LIMIT]

    @computed_once
    def rating_bounds(self) -> tuple[int, int] | None:
        """The best and worst rating of the verdicts on the scale, for ClaimReview.

        None when fewer than two verdicts are rated: a scale whose best is its worst rates nothing
        (`check` warns of it), and ClaimReview then gives each verdict's label alone.
        """
        ratings = [v.rating for v in self.verdicts if v.rating is not None]
        return (max(ratings), min(ratings)) if len(set(ratings)) > 1 else None

    @property
    def scale(self) -> list[VerdictView]:
        """The verdicts on the rating scale, best first, then those outside it."""
        return self.verdicts

    @functools.cached_property
    def nav_pages(self) -> list[PageView]:
        """Content pages with a `nav` place, in footer order (then by slug)."""
        return sorted((p for p in self.pages if p.page.nav is not None), key=lambda p: (p.page.nav, p.page.slug))

    @functools.cached_property
    def links(self) -> dict[str, str]:
        """The URLs every page's frame links to, made once: section folders by name, files by path.

        `links['claims']` is `urls.path('claims')`, `links['home']` the home page, and
        `links['static/style.css']` is `urls.file('static/style.css')`; a page frame reads some
        twenty of them, each a function call from a template otherwise.
        """
        links = {"home": self.urls.path()}
        links |= {name: self.urls.path(name) for name in SECTIONS}
        links |= {name: self.urls.file(name) for name in FRAME_FILES}
        return links

    @functools.cached_property
    def people_with_pages(self) -> list[PersonView]:
        """People with a published claim or review: a person known only from drafts gets no page yet.

        Their page (and its place in the sitemap) would name whom an unpublished fact-check is about.
        """
        return [p for p in self.people if p.claims or p.reviews]

    @property
    def claimants(self) -> list[PersonView]:
        """People who made at least one listed claim."""
        return [p for p in self.people if p.claims]

    @property
    def publishers(self) -> list[tuple[str, list[SourceView]]]:
        """Sources grouped by publisher (unnamed publishers last), each group sorted by title."""
        groups: dict[str, list[SourceView]] = defaultdict(list)
        for source in self.sources:
            groups[source.source.publisher].append(source)
        named = sorted(((k, v) for k, v in groups.items() if k), key=lambda group: collation_key(group[0]))
        unnamed = [("", groups[""])] if "" in groups else []
        return [(k, sorted(v, key=lambda s: (*collation_key(s.source.title), s.id))) for k, v in named + unnamed]


def collation_key(name: str) -> tuple[str, str]:
    """A name's place in a list: its letters without accents first (Álvaro among the A's), then as written.

    Code-point order put every accented capital after Z. This is the first level of the Unicode
    collation, not a language's own (Swedish puts å after z); casefold makes ß 'ss', as German sorts it.
    """
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch)), name.casefold()


_ID = operator.attrgetter("id")
_PUBLISHED = operator.attrgetter("published")


def newest_first(claims: list[ClaimView]) -> list[ClaimView]:
    """Claims by publication date, newest first; ids break ties so the order is stable."""
    return sorted(claims, key=lambda c: (c.claim.published, c.id), reverse=True)


def newest_first_claims(claims: Iterable[Claim]) -> list[Claim]:
    """The claims (the model's) in newest_first's order.

    Two stable sorts with C keys (by id, then by date) give the order of one sort by (date, id)
    without making 10,000 tuples.
    """
    ordered = sorted(claims, key=_ID, reverse=True)
    ordered.sort(key=_PUBLISHED, reverse=True)
    return ordered


def modified_date(claim: Claim) -> dt.date:
    """The latest of published, updated and every correction's date."""
    if not claim.updated and not claim.corrections:
        return claim.published
    dates = [claim.published, *(c.date for c in claim.corrections)]
    if claim.updated:
        dates.append(claim.updated)
    return max(dates)


def text_fragment(excerpt: str, snapshot: Folded | None = None, spans: Sequence[Span] = ()) -> str:
    """A URL text fragment (`:~:text=`) landing on the excerpt; long or elided quotes use start,end.

    With the snapshot and the excerpt's spans in it, the terms are the snapshot's own words (the
    original page's characters), made unambiguous; without them, the excerpt's words as written.
    """
    terms = fragment_terms(snapshot, spans) if snapshot is not None and spans else None
    if terms is None:
        pieces = [piece.split() for piece in excerpt_pieces(excerpt)]
        if not pieces:
            return ""
        if len(pieces) == 1 and len(pieces[0]) <= EXACT_WORDS:
            terms = FragmentTerms(" ".join(pieces[0]))
        else:
            terms = FragmentTerms(" ".join(pieces[0][:RANGE_WORDS]), " ".join(pieces[-1][-RANGE_WORDS:]))
    directive = [f"{_fragment_quote(terms.prefix)}-"] if terms.prefix else []
    directive += [_fragment_quote(term) for term in (terms.start, terms.end) if term]
    return ":~:text=" + ",".join(directive)


#: What each UTF-8 byte of a text directive term becomes: itself when unreserved, else %XX ('-' too).
_TERM_BYTES = {
    byte: chr(byte) if chr(byte).isascii() and (chr(byte).isalnum() or chr(byte) in "_.~") else f"%{byte:02X}"
    for byte in range(256)
}


def _fragment_quote(term: str) -> str:
    """Percent-encode a text directive term: every character outside the unreserved set, and '-'.

    The Text Fragments spec requires '&', ',' and '-' encoded (they are the directive's syntax).
    This is `quote(term, safe="")` with '-' encoded too, made by one str.translate of the
    UTF-8 bytes (twice as fast: a full build quotes some 30,000 terms).
    """
    return term.encode().decode("latin-1").translate(_TERM_BYTES)


def link_site(site: Site, *, base_url: str | None = None, drafts: bool = False) -> Library:
    """Resolve every reference of a valid Site into linked views (pure)."""
    config = site.config
    urls = Urls(base_url or config.base_url)
    verdicts = {v.key: VerdictView(v, urls.path("verdicts", v.key)) for v in site.verdicts}
    scale = [verdicts[v.key] for v in site.verdicts]
    people = {p.id: PersonView(p, urls.folder("people", p.id), scale=scale) for p in site.people}
    topics = {t.id: TopicView(t, urls.path("topics", t.id)) for t in site.topics}
    sources = {s.id: SourceView(s, urls.folder("sources", s.id)) for s in site.sources}
    published = site.claims if drafts else [c for c in site.claims if not c.draft]
    claims, ordered, corrections = link_claims(published, urls, verdicts, people, topics, sources)
    # A topic taken from the claims (no topics.yaml) that only drafts name gets no page: it would announce them.
    topics = {ident: view for ident, view in topics.items() if view.claims or view.topic.declared}
    corrections.sort(
        key=lambda c: (c.correction.date, c.claim.claim.published, c.claim.id, c.anchor),
        reverse=True,
    )
    pages = [PageView(p, urls.path(p.slug)) for p in sorted(site.pages, key=lambda p: p.slug)]
    quoted, drafted = sources_with_pages(site.claims if drafts else published, sources.keys())
    sources = {ident: view for ident, view in sources.items() if ident in quoted or (drafts and ident in drafted)}
    return Library(
        config=config,
        urls=urls,
        claims=ordered,
        verdicts=list(verdicts.values()),
        people=sorted(people.values(), key=lambda p: (*collation_key(p.name), p.id)),
        topics=sorted(topics.values(), key=lambda t: (*collation_key(t.name), t.id)),
        sources=sorted(sources.values(), key=lambda s: s.id),
        pages=pages,
        corrections=corrections,
        claims_by_id=claims,
        sources_by_id=sources,
        draft_sources=frozenset(drafted) if drafts else frozenset(),
        messages=site.messages,
        fonts=site.fonts,
    )


def link_claims(
    published: Sequence[Claim],
    urls: Urls,
    verdicts: dict[str, VerdictView],
    people: dict[str, PersonView],
    topics: dict[str, TopicView],
    sources: dict[str, SourceView],
) -> tuple[dict[str, ClaimView], list[ClaimView], list[CorrectionView]]:
    """Every claim's view by id (in the site's order), the views newest first, and their corrections.

    One loop over the claims, newest first, makes each view and lists it on its verdict,
    claimant, authors, topics and cited sources (so backlinks come newest first). It runs
    10,000 times a build and every step counts: no helper or comprehension per claim, URLs
    joined from a prefix, `modified` set rather than worked out on first read; evidence views
    and citations are made on first read (ClaimView.evidence, SourceView.citations).
    """
    claims: dict[str, Any] = dict.fromkeys(c.id for c in published)  # the site's order, values set below
    ordered: list[ClaimView] = []
    corrections: list[CorrectionView] = []
    linking = Linking(RelatedRanking(claims, ordered), sources)  # (used once both are filled)
    claim_folders, origin, plain = urls.folder("claims", ""), urls.origin, _UNRESERVED.fullmatch
    for claim in newest_first_claims(published):
        ident = claim.id
        url = f"{claim_folders}{ident if plain(ident) else _quote_part(ident)}/"
        view = ClaimView(claim, url, origin + url, verdicts[claim.verdict], people[claim.claimant])
        view._linking = linking
        view.modified = claim.published if not claim.updated and not claim.corrections else modified_date(claim)
        view.verdict.claims.append(view)
        view.claimant.claims.append(view)
        for person_id in claim.authors:
            author = people[person_id]
            view.authors.append(author)
            author.reviews.append(view)
        for topic_id in claim.topics:
            topic = topics.get(topic_id)
            if topic is not None:
                view.topics.append(topic)
                topic.claims.append(view)
        for piece in claim.evidence:
            source = sources[piece.source]
            if not source.claims or source.claims[-1] is not view:  # (a claim's citations of it come together)
                source.claims.append(view)
        if claim.corrections:
            view.corrections = [
                CorrectionView(c, verdicts.get(c.previous_verdict), view, f"correction-{i}")
                for i, c in enumerate(claim.corrections, 1)
            ]
            corrections += view.corrections
        claims[ident] = view
        ordered.append(view)
    return claims, ordered, corrections


_VERDICT = operator.attrgetter("verdict")


def _with_fragment(url: str, fragment: str) -> str:
    """The url with a text directive added (after its own #fragment if any), unless it has one."""
    if not fragment or ":~:" in url:
        return url
    return url + fragment if "#" in url else f"{url}#{fragment}"


@dataclass(frozen=True, slots=True)
class Linking:
    """What the claim views of one build share, to work out on first read their related claims and evidence."""

    ranking: RelatedRanking
    sources: dict[str, SourceView]


class RelatedRanking:
    """What ranking related claims needs (ranks, an index of sources and topics), made on first use.

    A build renders every claim page and ranks them all; a rebuild rendering a few pages ranks
    only those (the index is made either way: a claim is related to the whole site).
    """

    def __init__(self, claims: dict[str, ClaimView], ordered: list[ClaimView]) -> None:
        self.claims = claims
        self.ordered = ordered

    @functools.cached_property
    def rank(self) -> dict[str, int]:
        """Each claim's place, newest first: ties in score go to the newest."""
        return {view.id: i for i, view in enumerate(self.ordered)}

    @functools.cached_property
    def index(self) -> dict[str, list[str]]:
        """The ids of the claims citing each source (`s:`) and under each topic (`t:`), newest first.

        Gathered by source and by topic, and keyed (related_keys' form) once per source and topic,
        not once per citation: a new fact-check's rebuild makes it for 10,000 claims.
        """
        sources: dict[str, list[str]] = defaultdict(list)
        topics: dict[str, list[str]] = defaultdict(list)
        for view in self.ordered:
            claim = view.claim
            ident = claim.id
            for source in {evidence.source for evidence in claim.evidence}:
                sources[source].append(ident)
            for topic in set(claim.topics):
                topics[topic].append(ident)
        index: dict[str, list[str]] = defaultdict(list, {f"s:{source}": ids for source, ids in sources.items()})
        index.update((f"t:{topic}", ids) for topic, ids in topics.items())
        return index

    @functools.cached_property
    def id_sets(self) -> dict[str, frozenset[str]]:
        """The topic lists as sets, for C set operations."""
        return {key: frozenset(ids) for key, ids in self.index.items() if key.startswith("t:")}

    @functools.cached_property
    def memo(self) -> dict[tuple[str, ...], Any]:
        """What related_claims works out once per pair or set of topics, filled in as they come up."""
        return {}

    def related(self, view: ClaimView) -> list[ClaimView]:
        """The claim's related claims (see related_claims)."""
        return related_claims(view, self.claims, self.rank, self.index, self.id_sets, self.memo)


def related_claims(
    view: ClaimView,
    claims: dict[str, ClaimView],
    rank: dict[str, int],
    index: dict[str, list[str]],
    id_sets: dict[str, frozenset[str]] | None = None,
    memo: dict[tuple[str, ...], Any] | None = None,
) -> list[ClaimView]:
    """Declared related claims first, then those sharing the most sources (2) and topics (1), newest first.

    A topic is shared by thousands of claims in a large archive, so this never scores them one
    by one. A claim sharing two topics or more scores their number; those are ranked once per set
    of topics (`_topic_ranking`, kept in `memo` for the build: thousands of claims share a few
    hundred sets). A claim sharing a source is scored here (a few per claim). Every other
    candidate shares exactly one topic, scores 1, and the newest of them are read off the
    topics' lists, which are newest first. `id_sets` holds the topic lists as sets, made once
    per build (made here when not given).
    """
    chosen = [claims[r] for r in view.claim.related if r in claims]
    need = RELATED_LIMIT - len(chosen)
    if need <= 0:
        return chosen
    excluded = {view.id, *(c.id for c in chosen)}
    keys = sorted(related_keys(view))
    topic_keys = tuple(k for k in keys if k.startswith("t:"))
    sets = id_sets if id_sets is not None else {k: frozenset(index[k]) for k in topic_keys}
    by_topics, topic_counts = _topic_ranking(topic_keys, sets, rank, {} if memo is None else memo)
    sources: Counter[str] = Counter()
    for key in keys:
        if key.startswith("s:"):
            sources.update(index[key])
    in_topics: Counter[str] = Counter()
    for key in topic_keys:
        in_topics.update(sets[key].intersection(sources))
    scored = sorted(
        (-(2 * count + in_topics.get(i, 0)), rank[i], i) for i, count in sources.items() if i not in excluded
    )
    only_topics = (
        (-topic_counts[i], rank[i], i) for i in by_topics if i not in sources and i not in excluded
    )  # already in (score, rank) order
    best = [ident for _, _, ident in islice(merge(scored, only_topics), need)]
    if len(best) < need:
        skip = excluded | sources.keys() | topic_counts.keys()
        singles = (i for i in merge(*(index[k] for k in topic_keys), key=rank.__getitem__) if i not in skip)
        best += islice(singles, need - len(best))
    chosen.extend(claims[i] for i in best)
    return chosen


def _topic_ranking(
    topic_keys: tuple[str, ...],
    sets: dict[str, frozenset[str]],
    rank: dict[str, int],
    memo: dict[tuple[str, ...], Any],
) -> tuple[list[str], Counter[str]]:
    """The claims sharing two or more of these topics, by how many (most first), then newest first.

    Counted with C set operations: the union of each pair's common claims (each pair intersected
    once per build), then how many of the topics each of those is under.
    """
    found = memo.get(("topics", *topic_keys))
    if found is not None:
        return found
    counts: Counter[str] = Counter()
    if len(topic_keys) > 1:
        union: set[str] = set()
        for a, b in combinations(topic_keys, 2):
            pair = memo.get(("pair", a, b))
            if pair is None:
                pair = memo[("pair", a, b)] = sets[a] & sets[b]
            union |= pair
        for key in topic_keys:
            counts.update(union & sets[key])
    order = sorted(counts, key=rank.__getitem__)
    order.sort(key=counts.__getitem__, reverse=True)  # (sorts are stable)
    memo[("topics", *topic_keys)] = (order, counts)
    return order, counts


def claims_sharing_keys(views: list[ClaimView], keys: set[str]) -> set[str]:
    """The ids of the claims citing any of these sources or under any of these topics (related_keys' form)."""
    if not views or views[0]._linking is None:
        return {view.id for view in views if not keys.isdisjoint(related_keys(view))}
    index = views[0]._linking.ranking.index  # (made once a build: ranking the reached claims uses it next)
    return {ident for key in keys for ident in index.get(key, ())}


def related_keys(view: ClaimView) -> set[str]:
    """Index keys for relatedness: `s:` per cited source and `t:` per topic."""
    return {f"s:{e.source}" for e in view.claim.evidence} | {f"t:{t}" for t in view.claim.topics}
