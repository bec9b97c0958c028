"""Stage 4: render every page of the linked site to text. Jinja in, OutputFiles out; nothing written.

Templates are looked up in the site project's own templates/ first, then in the built-in theme,
so a newsroom may override any one of them, and build on the built-in one as `theme/<name>`.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
import hashlib
import operator
import os
import posixpath
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import jinja2
import orjson
from jinja2.loaders import split_template_path
from markupsafe import Markup

from . import fingerprints, keptprints
from .cache import CardCache
from .digestsets import DigestSet, digest_set_path, version_of
from .errors import ContentError, Location, Problem
from .fingerprints import SitePrints, code_version, combine, file_digest
from .i18n import Catalog, ConstantMessages, isolate, needs_isolation, og_locale, text_direction
from .jsonld import claim_review, claim_review_mistake, json_for_script
from .keptprints import kept_prints_path
from .link import ClaimView, Library, PageView, SourceView
from .markup import ANALYSIS_HEADING_BASE, render_markdown
from .model import PartialDate
from .segments import citing_claims, source_paragraphs
from .sitelinks import published_sources

if TYPE_CHECKING:
    from .cards import CardMaker

THEME = Path(__file__).parent / "templates"
#: The built-in theme's templates are also found under this prefix: `{% extends "theme/base.html" %}`.
THEME_PREFIX = "theme"
STATIC = Path(__file__).parent / "static"
#: Kept text fragments are read when at least one claim page in this many is made (cache.settle_fragments).
FRAGMENTS_KEPT_SHARE = 4
#: A listing reads the kept cards of at least this many claims not yet made in one go (one by one below).
KEPT_CARDS_AT_ONCE = 100


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file of the built site: its path inside the output folder and its bytes (or a file to copy).

    A large file may be given as `parts` to be written one after another: the data files are tens
    of megabytes made of a few runs of a cache file, and joining them first only copies them.
    """

    path: str
    data: bytes | None = None
    source: Path | None = None
    parts: tuple[bytes | memoryview, ...] = ()

    @property
    def content(self) -> bytes | None:
        """The file's bytes (None for a file to copy)."""
        return b"".join(self.parts) if self.parts else self.data


class PlannedFile(NamedTuple):
    """An output file before it is made: its path, the fingerprint of its inputs, and how to make it.

    `make` is called with `argument` when one is given (a tuple: cheaper than a partial, and a
    large site plans some 50,000 of these on every build).
    """

    path: str
    fingerprint: str
    maker: Callable[..., OutputFile]
    argument: Any = None

    def make(self) -> OutputFile:
        """The file itself."""
        return self.maker() if self.argument is None else self.maker(self.argument)


class SitePlan:
    """Every file of the site, planned: the writer makes only those whose fingerprint is new.

    `whole` is a fingerprint of the whole site, known before any file is planned: when the
    published site has it, nothing is planned at all. `prepare` is told which paths will be made
    before any is (so card PNGs are drawn in one batch); `finish` runs once they all are (it
    saves the caches).
    """

    def __init__(
        self,
        files: list[PlannedFile] | Callable[[], list[PlannedFile]],
        preparers: list[Callable[[Collection[str]], None]] | None = None,
        finishers: list[Callable[[], None]] | None = None,
        *,
        whole: str = "",
    ) -> None:
        self._files = files
        self.preparers = preparers or []
        self.finishers = finishers or []
        self.whole = whole
        #: What a forked worker made that the parent must keep (new cache entries), and how the parent keeps it.
        self.collectors: list[Callable[[], Any]] = []
        self.mergers: list[Callable[[Any], None]] = []

    def collect(self) -> list[Any]:
        """In a worker: what its caches gained since the last collect."""
        return [collect() for collect in self.collectors]

    def merge(self, state: list[Any]) -> None:
        """In the parent: keep what a worker's caches gained."""
        for merge, part in zip(self.mergers, state, strict=True):
            merge(part)

    @functools.cached_property
    def files(self) -> list[PlannedFile]:
        """The planned files, planned on first use."""
        return self._files if isinstance(self._files, list) else self._files()

    def prepare(self, paths: Collection[str]) -> None:
        """Get ready to make these paths (and no others)."""
        for hook in self.preparers:
            hook(paths)

    def finish(self) -> None:
        """Called once every file to be made is made."""
        for hook in self.finishers:
            hook()

    def make_all(self) -> Iterator[OutputFile]:
        """Every file, made in plan order."""
        self.prepare({f.path for f in self.files})
        for planned in self.files:
            yield planned.make()
        self.finish()


class Group:
    """Outputs made together by one function (both feeds, both data files): made once, handed out by path."""

    def __init__(self, make: Callable[[], list[OutputFile]]) -> None:
        self._make = make
        self._made: dict[str, OutputFile] | None = None

    def take(self, path: str) -> OutputFile:
        """The output at path, making the group first if need be (each is handed out once)."""
        if self._made is None:
            self._made = {o.path: o for o in self._make()}
        return self._made.pop(path)

    def planned(self, paths: list[str], fingerprint: str) -> list[PlannedFile]:
        """The group's files as planned files sharing one fingerprint."""
        return [PlannedFile(path, fingerprint, functools.partial(self.take, path)) for path in paths]


class ProjectLoader(jinja2.FileSystemLoader):
    """A site project's own templates/: a byte-order mark is dropped, and text that is not UTF-8 is a template error.

    Editors on Windows save a byte-order mark, which was copied before every page's <!DOCTYPE>; a
    file saved as Latin-1 would fail the build with a decoding error naming neither file nor line.
    """

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder), encoding="utf-8-sig")

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        """The template's text as FileSystemLoader reads it; a byte that is not UTF-8 is a syntax error at its line."""
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            filename = os.path.normpath(posixpath.join(self.searchpath[0], *split_template_path(template)))
            raise not_utf8(Path(filename).read_bytes(), template, filename) from None


def not_utf8(data: bytes, name: str, filename: str) -> jinja2.TemplateSyntaxError:
    """A template that is not UTF-8, as a syntax error at the line of its first byte that is not."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, byte = data[: exc.start].count(b"\n") + 1, data[exc.start]
    else:  # (changed since it was read)
        line, byte = 1, 0
    message = f"the file is not UTF-8 text (byte 0x{byte:02x} on this line): save it as UTF-8"
    return jinja2.TemplateSyntaxError(message, line, name, filename)


def make_environment(
    templates_dir: Path | None, bytecode_dir: Path | None = None, catalog: Catalog | None = None
) -> jinja2.Environment:
    """A Jinja environment with autoescape and StrictUndefined: a blank verdict fails the build.

    A site's own templates come first, then the built-in theme's, which are also found as
    `theme/<name>`: a site's base.html may extend "theme/base.html" and override one block.
    With `bytecode_dir`, compiled templates are kept there between builds (keyed by each template's
    source): compiling the theme costs more than a rebuild renders.
    """
    theme = jinja2.FileSystemLoader(str(THEME))
    loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({THEME_PREFIX: theme})]
    if templates_dir is not None:
        loaders.append(ProjectLoader(templates_dir))
    loaders.append(theme)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # one environment per build, so templates never change under it: without this, every
        # {% include %} of a card in a listing stat()s its file (10 per claim at 10,000 claims)
        auto_reload=False,
        bytecode_cache=_bytecode_cache(bytecode_dir, catalog),
        extensions=[ConstantMessages],
    )
    catalog = catalog or Catalog("en")
    env.factpress_catalog = catalog  # type: ignore[attr-defined]  # (read by ConstantMessages while compiling)
    env.filters.update(FILTERS)
    env.tests["needs_isolation"] = needs_isolation
    env.filters["date"] = functools.partial(format_date, catalog=catalog)
    env.globals.update(_=catalog.gettext, ngettext=catalog.ngettext)
    return env


@functools.cache
def compiler_digest() -> str:
    """What changes a compiled template besides its source: i18n.py's compile-time translation."""
    return file_digest(Path(__file__).with_name("i18n.py"))


def _bytecode_cache(folder: Path | None, catalog: Catalog | None) -> jinja2.BytecodeCache | None:
    """Compiled templates kept between builds: per catalog and per version of the code that compiles messages in."""
    if folder is None:
        return None
    digest = combine(catalog.digest if catalog is not None else "", compiler_digest())[:16]
    return jinja2.FileSystemBytecodeCache(str(folder), f"__jinja2_{digest}_%s.cache")


def format_date(value: dt.date | PartialDate | None, catalog: Catalog | None = None) -> str:
    """Dates as readers write them: 9 July 2025 (or July 2025, or 2025); in the site's language with a catalog."""
    if value is None:
        return ""
    try:
        if catalog is not None:
            written = catalog.date(value.year, value.month, value.day)
            if written is not None:
                return written
        if isinstance(value, PartialDate):
            return value.display
        return PartialDate(value.year, value.month, value.day).display
    except AttributeError:
        if isinstance(value, dt.date | PartialDate):
            raise
        raise TypeError(not_a_date("date", value)) from None


def iso_date(value: dt.date | PartialDate | None) -> str:
    """ISO 8601 form for datetime attributes and machines; '' for no date."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.iso
    if not isinstance(value, dt.date):
        raise TypeError(not_a_date("iso", value))
    return value.isoformat()


def not_a_date(name: str, value: object) -> str:
    """What a site's template did wrong when it gave a date filter something else (its value shortened)."""
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
    kind = "text" if isinstance(value, str) else type(value).__name__
    return f"the {name} filter needs a date, not the {kind} {shown}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """A count with its noun, pluralised when the count is not 1."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def date_preposition(value: dt.date | PartialDate) -> str:
    """'on' before a full date, 'in' before a month or a year: stated on 9 July 2025, stated in 2024."""
    return "in" if isinstance(value, PartialDate) and not value.day else "on"


def bidi_isolated(value: str, language: str) -> str | Markup:
    """The value (text or markup) inside <bdi> when it, or the page's language, reads right to left.

    Set beside a date or punctuation of the sentence around it, such a name or title takes them into its
    own direction: 'Conférence de presse، 18 يوليو 2025' showed the 18 after the French words.
    """
    if not needs_isolation(str(value), language):
        return value
    return Markup("<bdi>") + value + Markup("</bdi>")


FILTERS: dict[str, Callable[..., Any]] = {
    "date": format_date,
    "iso": iso_date,
    "plural": plural,
    "on_or_in": date_preposition,
    "direction": text_direction,
    "og_locale": og_locale,
    "isolate": isolate,
    "bdi": bidi_isolated,
}


#: What the search page's script says (static/search.js), translated like the theme's templates.
SEARCH_MESSAGES = (
    "Verdict:",
    "Not rated",
    "Checked %(date)s",
    "Loading search…",
    "Type a word, or choose a filter, to search the fact-checks.",
    "Search is not available right now. Browse the fact-checks from the menu instead.",
    "No fact-checks found. Try fewer words or remove a filter.",
    "No fact-checks found for “%(query)s”. Try fewer words or remove a filter.",
    "No fact-checks found with the chosen filters. Try fewer words or remove a filter.",
    "No fact-checks found for “%(query)s” with the chosen filters. Try fewer words or remove a filter.",
)
SEARCH_COUNTS = (
    ("%(num)d fact-check found.", "%(num)d fact-checks found."),
    ("%(num)d fact-check found for “%(query)s”.", "%(num)d fact-checks found for “%(query)s”."),
    ("%(num)d fact-check found with the chosen filters.", "%(num)d fact-checks found with the chosen filters."),
    (
        "%(num)d fact-check found for “%(query)s” with the chosen filters.",
        "%(num)d fact-checks found for “%(query)s” with the chosen filters.",
    ),
)


class Renderer:
    """Renders each kind of page; one method a page type, one template a page type."""

    def __init__(self, library: Library, env: jinja2.Environment) -> None:
        self.library = library
        self.env = env
        self.globals = {
            "site": library.config,
            "library": library,
            "urls": library.urls,
            "asset": library.urls.file,
            "claim_card": self.claim_card,
            "claim_items": self.claim_items,
        }
        #: Theme cards made this build, by heading level and claim id.
        self._cards: dict[int, dict[str, str]] = {}
        self.markdown: Callable[..., str] = render_markdown  # render_site swaps in a cache's
        #: Theme cards kept between builds (plan_site sets it), by level and claim digest.
        self.card_cache: CardCache | None = None
        #: Theme snippets that show one claim (its embed code), kept the same way in a file of their own.
        self.snippet_cache: CardCache | None = None
        self.card_digests: dict[str, str] = {}

    def page(self, template: str, out: str, path: str, **context: Any) -> OutputFile:
        """Render one template with the shared globals; canonical URL and page path default from path."""
        return OutputFile(out, self.html(template, path, context).encode("utf-8"))

    def html(self, template: str, path: str, context: dict[str, Any]) -> str:
        """A page's HTML, as `page` writes it."""
        context.setdefault("canonical", self.library.urls.absolute(path))
        context.setdefault("page_path", path)
        return self.env.get_template(template).render(**self.globals, **context)

    @jinja2.pass_context
    def claim_card(self, context: jinja2.runtime.Context, claim: ClaimView, level: int = 2) -> Markup:
        """A claim's listing card, rendered once per heading level: each claim is listed on five or six pages."""
        template, theme = self._card_template
        if not theme:  # a site's own card may read the page it is on: render it each time
            return Markup(template.render({**context.get_all(), "claim": claim, "level": level}))
        return Markup(self._theme_card(claim, level))

    def _theme_card(self, claim: ClaimView, level: int) -> str:
        """The theme's card for a claim at a heading level: kept for the build, and between builds by digest."""
        made = self._cards.setdefault(level, {})
        html = made.get(claim.claim.id)
        if html is not None:
            return html
        cache = self.card_cache
        kept = None if cache is None else f"{level} {self.card_digests[claim.claim.id]}"
        html = None if kept is None or cache is None else cache.get(kept)
        if html is None:
            html = self._card_template[0].render(**self.globals, claim=claim, level=level)
            if kept is not None and cache is not None:
                cache.put(kept, html)
        made[claim.claim.id] = html
        return html

    @jinja2.pass_context
    def claim_items(self, context: jinja2.runtime.Context, claims: list[ClaimView], level: int = 2) -> Markup:
        """A listing's items, one `<li>` a card, joined once here: the 10,000-claim listing is 8 MB of cards.

        Theme cards are joined as plain strings (a Markup each would copy every card twice).
        """
        if not self._card_template[1]:
            card = self.claim_card
            return Markup("".join([f"  <li>{card(context, claim, level)}</li>\n" for claim in claims]))
        made = self._cards.setdefault(level, {})
        self._read_kept_cards(claims, level, made)
        theme_card = self._theme_card
        parts: list[str] = []
        for claim in claims:
            html = made.get(claim.claim.id)
            parts += ("  <li>", theme_card(claim, level) if html is None else html, "</li>\n")
        return Markup("".join(parts))

    def _read_kept_cards(self, claims: list[ClaimView], level: int, made: dict[str, str]) -> None:
        """The kept cards of the claims not yet made at this level, read in one go: a third of a long listing's time."""
        cache = self.card_cache
        unmade = [claim for claim in claims if claim.claim.id not in made]
        if cache is None or len(unmade) < KEPT_CARDS_AT_ONCE:
            return
        digests = self.card_digests
        keys = [f"{level} {digests[claim.claim.id]}" for claim in unmade]
        for claim, html in zip(unmade, cache.get_many(keys), strict=True):
            if html is not None:
                made[claim.claim.id] = html

    def kept_snippet(self, kind: str, claim: ClaimView, make: Callable[[], str]) -> str:
        """A theme snippet showing only the claim and site-wide things (the embed code): kept between builds by digest.

        Kept as the listing cards are, under the same site digest, in a file of their own (a rebuild
        reads every listing card, and only the snippets of the claims it makes); a site overriding
        the snippet's template is not asked (`snippet_keeper`).
        """
        cache = self.snippet_cache
        if cache is None:
            return make()
        key = f"{kind} {self.card_digests[claim.claim.id]}"
        html = cache.get(key)
        if html is None:
            html = make()
            cache.put(key, html)
        return html

    @functools.cached_property
    def snippet_keeper(self) -> Callable[[str, ClaimView, Callable[[], str]], str] | None:
        """`kept_snippet` when the embed code's template is the theme's (a site's own may read anything), else None."""
        return self.kept_snippet if _is_theme(self.env.get_template("_embed_code.html")) else None

    @functools.cached_property
    def _card_template(self) -> tuple[jinja2.Template, bool]:
        """The card template and whether it is the theme's (templates never change during a build)."""
        template = self.env.get_template("_claim_card.html")
        return template, _is_theme(template)

    @functools.cached_property
    def source_urls(self) -> dict[str, str]:
        """Each source's page: an analysis citing a source outside its evidence links there."""
        return {source_id: view.url for source_id, view in self.library.sources_by_id.items()}

    def claim(self, claim: ClaimView) -> OutputFile:
        """A fact-check's page: analysis with numbered citations, ClaimReview JSON-LD and embed details."""
        citations = {}
        for ev in claim.evidence:
            citations.setdefault(ev.evidence.source, (ev.number, f"#evidence-{ev.number}"))
        base_path = self.library.urls.base_path
        analysis = Markup(
            self.markdown(
                claim.claim.analysis, citations, base_path, self.source_urls, heading_base=ANALYSIS_HEADING_BASE
            )
        )
        review = Markup(json_for_script(claim_review(claim, self.library)))
        html = self.html(
            "claim.html",
            claim.url,
            {
                "claim": claim,
                "analysis": analysis,
                "claim_review": review,
                "embed": _embed_info(claim, self.library, self.env, self.snippet_keeper),
                "title": claim.claim.claim,
                "description": claim.claim.summary,
            },
        )
        mistake = claim_review_mistake(html, review)
        if mistake:
            raise ContentError([self.claim_review_problem(claim.id, mistake)])
        return OutputFile(f"claims/{claim.id}/index.html", html.encode("utf-8"))

    def claim_review_problem(self, claim_id: str, mistake: str) -> Problem:
        """A claim page without exactly one ClaimReview, blamed on the site's claim.html (or base.html) that made it."""
        template = self.env.get_template("claim.html")
        where = "templates"
        if not _is_theme(template) and template.filename:
            where = f"templates/{Path(template.filename).name}"
        elif not _is_theme(self.env.get_template("base.html")):
            where = "templates/base.html"
        return Problem(
            Location(where),
            f"the page of fact-check '{claim_id}' has {mistake}",
            "claim-review",
            hint='claim.html must show {{ claim_review }} once, in <script type="application/ld+json">, '
            "inside a block its base template shows: Fact Check Explorer and other aggregators read one per page",
        )

    def moved(self, out: str, path: str, target: tuple[str, ...], *, language: str = "") -> OutputFile:
        """A former address of a fact-check (an alias): it sends browsers and iframes on, and search engines too.

        target: (the new address's path, its absolute URL, the page's title), and for a fact-check's
        page its summary, card image and oEmbed file at the old address: a link preview or a CMS
        given the old address reads these tags and does not follow the refresh. language: the
        claim's, which its text (the title) is marked with, as on the claim's page.
        """
        url, absolute, title, *preview = target
        shown = dict(zip(("description", "image", "oembed"), preview, strict=False))
        return self.page(
            "moved.html", out, path, target=url, canonical=absolute, title=title, claim_language=language, **shown
        )

    def source(self, source: SourceView) -> OutputFile:
        """A source's page: its snapshot with the cited excerpts marked, and the claims citing it."""
        return self.page(
            "source.html",
            f"sources/{source.id}/index.html",
            source.url,
            source=source,
            paragraphs=source_paragraphs(source),
            citing=citing_claims(source),
            noindex=source.id in self.library.draft_sources,  # (a --drafts preview's page only drafts make)
            title=source.source.title,
            description=self.text("Archived source: %(title)s", title=source.source.title),
        )

    def text(self, message: str, **values: str) -> str:
        """A title or description in the site's language, `%(name)s` filled in (escaped later, by the template)."""
        return self.env.factpress_catalog.format(message, **values)  # type: ignore[attr-defined]

    def search_messages(self) -> dict[str, Any]:
        """What the search page's script says, in the site's language (search.html hands it over as JSON).

        Keyed by the English message; a message with a count gives every plural form of the language.
        """
        catalog: Catalog = self.env.factpress_catalog  # type: ignore[attr-defined]
        plain = {message: catalog.text(message) for message in SEARCH_MESSAGES}
        return plain | {one: catalog.plural_forms(one, many) for one, many in SEARCH_COUNTS}

    def later(self, template: str, out: str, path: str, fingerprint: str, **context: Any) -> PlannedFile:
        """A page planned, to be rendered by `page` only if the writer needs it."""
        return PlannedFile(out, fingerprint, functools.partial(self.page, template, out, path, **context))

    def plan(self, prints: SitePrints) -> Iterator[PlannedFile]:
        """Every generated file, planned: HTML pages, verdict CSS, robots.txt, sitemap and feeds, in a fixed order."""
        lib, urls = self.library, self.library.urls
        counts = [str(len(v.claims)) for v in lib.verdicts]
        yield self.later(
            "home.html",
            "index.html",
            urls.path(),
            prints.listing("home", lib.latest, str(len(lib.claims)), *counts),
            title=lib.config.title,
            description=lib.config.description,
        )
        yield self.later(
            "claims.html",
            "claims/index.html",
            urls.path("claims"),
            prints.listing("claims", lib.claims),
            title=self.text("All fact-checks"),
            description=self.text("Every fact-check by %(site)s, newest first.", site=lib.config.title),
        )
        for claim in lib.claims:
            yield PlannedFile(
                f"claims/{claim.id}/index.html",
                prints.claim_page(claim),
                self.claim,
                claim,
            )
            for alias in claim.claim.aliases:
                yield PlannedFile(
                    f"claims/{alias}/index.html",
                    prints.page("moved", alias, claim.id, claim.claim.claim, claim.claim.summary, claim.claim.language),
                    functools.partial(
                        self.moved,
                        f"claims/{alias}/index.html",
                        urls.path("claims", alias),
                        language=claim.claim.language,
                    ),
                    (
                        claim.url,
                        claim.abs_url,
                        claim.claim.claim,
                        claim.claim.summary,
                        urls.absolute(urls.file(f"cards/{alias}.png")),
                        urls.absolute(urls.file(f"oembed/{alias}.json")),
                    ),
                )
        yield self.later(
            "verdicts.html",
            "verdicts/index.html",
            urls.path("verdicts"),
            prints.page("verdicts", *counts),
            title=self.text("Our verdicts"),
            description=self.text("The rating scale and what each verdict means."),
        )
        for verdict in lib.verdicts:
            yield self.later(
                "verdict.html",
                f"verdicts/{verdict.key}/index.html",
                verdict.url,
                prints.listing("verdict", verdict.claims, verdict.key),
                verdict=verdict,
                title=self.text("Fact-checks rated %(verdict)s", verdict=verdict.label),
                description=verdict.meaning,
            )
        yield self.later(
            "people.html",
            "people/index.html",
            urls.path("people"),
            prints.page("people", *(f"{p.id} {len(p.claims)} {len(p.reviews)}" for p in lib.people)),
            title=self.text("People and organizations"),
            description=self.text("Who made the claims we checked, and who checked them."),
        )
        for person in lib.people_with_pages:
            yield self.later(
                "person.html",
                f"people/{person.id}/index.html",
                person.url,
                prints.page("person", person.id, *prints.of(person.claims), "|", *prints.of(person.reviews)),
                person=person,
                noindex=not _published(person.claims + person.reviews),  # (as a source's, in a --drafts preview)
                title=person.name,
                description=person.person.description
                or self.text("Fact-checks of claims by %(name)s.", name=person.name),
            )
        yield self.later(
            "topics.html",
            "topics/index.html",
            urls.path("topics"),
            prints.page("topics", *(str(len(t.claims)) for t in lib.topics)),
            title=self.text("Topics"),
            description=self.text("Fact-checks by topic."),
        )
        for topic in lib.topics:
            yield self.later(
                "topic.html",
                f"topics/{topic.id}/index.html",
                topic.url,
                prints.listing("topic", topic.claims, topic.id),
                topic=topic,
                noindex=not (topic.topic.declared or _published(topic.claims)),  # (only drafts name it: a preview)
                title=topic.name,
                description=topic.topic.description or self.text("Fact-checks about %(topic)s.", topic=topic.name),
            )
        yield self.later(
            "sources.html",
            "sources/index.html",
            urls.path("sources"),
            prints.page("sources", *(f"{s.id} {prints.sources[s.id]} {len(s.claims)}" for s in lib.sources)),
            title=self.text("Sources"),
            description=self.text("Every source our fact-checks cite, with its archived text."),
        )
        for source in lib.sources:
            yield PlannedFile(
                f"sources/{source.id}/index.html",
                prints.source_page(source),
                self.source,
                source,
            )
        yield self.later(
            "corrections.html",
            "corrections/index.html",
            urls.path("corrections"),
            prints.page(
                "corrections", *(f"{c.claim.id} {prints.claims[c.claim.id]} {c.anchor}" for c in lib.corrections)
            ),
            title=self.text("Corrections"),
            description=self.text("Every correction to our fact-checks, newest first."),
        )
        yield self.later(
            "search.html",
            "search/index.html",
            urls.path("search"),
            prints.page("search", *(p.id for p in lib.claimants)),
            title=self.text("Search"),
            description=self.text("Search the fact-checks of %(site)s.", site=lib.config.title),
            search_messages=self.search_messages(),
        )
        for page in lib.pages:
            yield PlannedFile(
                f"{page.page.slug}/index.html",
                prints.page("page", page.page.slug),
                functools.partial(self.content_page, page),
            )
        yield self.later(
            "404.html",
            "404.html",
            urls.file("404.html"),
            prints.page("404"),
            title=self.text("Page not found"),
            description="",
            noindex=True,  # (a host answering 200 for it, or a crawler at /404.html, must not index it)
        )
        yield PlannedFile("static/verdicts.css", prints.page("verdicts.css"), functools.partial(verdicts_css, lib))
        yield PlannedFile("robots.txt", prints.page("robots.txt"), functools.partial(robots_txt, lib))
        entries = sitemap_urls(lib)  # (its fingerprint: an edit that leaves every address and date does not make it)
        yield PlannedFile("sitemap.xml", prints.page("sitemap", entries_digest(entries)), sitemap_from, (lib, entries))
        for number, part in enumerate(sitemap_parts(entries), 1):
            name = sitemap_part_name(number)
            yield PlannedFile(name, prints.page(name, entries_digest(part)), sitemap_part_from, (lib, name, part))

    def content_page(self, page: PageView) -> OutputFile:
        """A content page (about, methodology): its Markdown body under the site's frame."""
        body = Markup(self.markdown(page.page.body, None, self.library.urls.base_path))  # cached with the analyses
        return self.page(
            "page.html",
            f"{page.page.slug}/index.html",
            page.url,
            content_page=page,
            body=body,
            title=page.page.title,
            description=page.page.description,
        )


def _is_theme(template: jinja2.Template) -> bool:
    """Whether a template is the built-in theme's, not one a site project overrides."""
    return template.filename is not None and Path(template.filename).parent == THEME


def _embed_info(claim: ClaimView, library: Library, env: jinja2.Environment, keep: Any) -> Any:
    from .embed import embed_info  # embed, cards, feeds and data build on OutputFile: imported late

    return embed_info(claim, library, env, keep=keep)


def syndication_plan(library: Library, renderer: Renderer, prints: SitePrints, cards: CardMaker) -> list[PlannedFile]:
    """The syndication files, planned: embeds, oEmbed, cards (made by `cards`), feeds, data."""
    from .data import data_files
    from .embed import EmbedMaker
    from .feeds import feed_claims, feed_files

    env = renderer.env
    embeds = EmbedMaker(library, env, renderer.globals, renderer.snippet_keeper)
    planned, card_outputs = [], []
    embed_page, oembed, card_svg, card_png = embeds.page, embeds.oembed, cards.svg, cards.png
    urls = library.urls
    for claim in library.claims:
        fingerprint, ident = prints.card(claim), claim.claim.id
        planned.append(PlannedFile(f"embed/{ident}/index.html", fingerprint, embed_page, claim))
        planned.append(PlannedFile(f"oembed/{ident}.json", fingerprint, oembed, claim))
        card_outputs.append(PlannedFile(f"cards/{ident}.svg", fingerprint, card_svg, claim))
        card_outputs.append(PlannedFile(f"cards/{ident}.png", fingerprint, card_png, claim))
        for alias in claim.claim.aliases:  # other sites keep these addresses: each still gives the claim's card
            embed = urls.path("embed", ident)
            moved = functools.partial(
                renderer.moved, f"embed/{alias}/index.html", urls.path("embed", alias), language=claim.claim.language
            )  # (the card's fingerprint covers the claim's language)
            target = (embed, urls.absolute(embed), claim.claim.claim)
            planned.append(PlannedFile(f"embed/{alias}/index.html", f"{fingerprint} moved", moved, target))
            for path, maker in ((f"oembed/{alias}.json", oembed), (f"cards/{alias}.png", card_png)):
                copy = functools.partial(_copied, maker, path)
                planned.append(PlannedFile(path, f"{fingerprint} {path}", copy, claim))
    everything = prints.whole_site()
    chosen = feed_claims(library)  # the feeds show these and site-wide things only: an older claim's edit keeps them
    feeds = Group(lambda: feed_files(library, env, chosen)).planned(
        ["feed.xml", "feed.json"], prints.page("feeds", *prints.of(chosen))
    )
    data = Group(lambda: data_files(library)).planned(["claimreview.json", "api/claims.json"], everything)
    return planned + card_outputs + feeds + data


def _copied(make: Callable[[Any], OutputFile], path: str, argument: Any) -> OutputFile:
    """Another file's content under another path (a fact-check's oEmbed or card at its former id)."""
    return replace(make(argument), path=path)


#: style.css's page background (--paper) in its light and its dark colour scheme: what a badge is seen against.
PAGE_COLOURS = {"light": "#ffffff", "dark": "#0d1117"}


def verdicts_css(library: Library) -> OutputFile:
    """One class per verdict carrying its colour, so pages need no inline styles (CSP-friendly).

    --verdict-ink: white or near-black text on the badge, whichever passes contrast on this site's colour.
    --verdict-edge: only for a colour that fades into the page (#fff on white, #111 in the dark scheme):
    the badge's outline and the verdict panel's border, so its shape still shows. Other colours'
    rules are as before it existed.
    """
    from .cards import badge_edge_colour, badge_text_colour  # cards builds on OutputFile: imported late

    rules, dark = [], []
    for v in library.verdicts:
        light_edge = badge_edge_colour(v.colour, PAGE_COLOURS["light"])
        edge = f" --verdict-edge: {light_edge};" if light_edge else ""
        ink = badge_text_colour(v.colour)
        rules.append(f".verdict-{v.key} {{ --verdict: {v.colour}; --verdict-ink: {ink};{edge} }}")
        dark_edge = badge_edge_colour(v.colour, PAGE_COLOURS["dark"])
        if dark_edge != light_edge:  # (`initial`: no edge, as for a verdict that never had one)
            dark.append(f"  .verdict-{v.key} {{ --verdict-edge: {dark_edge or 'initial'}; }}")
    if dark:
        rules += ["@media (prefers-color-scheme: dark) {", *dark, "}"]
    return OutputFile("static/verdicts.css", ("\n".join(rules) + "\n").encode())


def robots_txt(library: Library) -> OutputFile:
    """A robots.txt allowing every crawler and pointing at the sitemap."""
    sitemap = library.urls.absolute(library.urls.file("sitemap.xml"))
    return OutputFile("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode())


def sitemap_urls(library: Library) -> list[tuple[str, dt.date | None]]:
    """Every page a search engine should know, with its last modification where content says it.

    Never a draft, nor a page only drafts make, even in a `--drafts` preview (whose draft pages say noindex).
    """
    urls = library.urls
    claims = [c for c in library.claims if not c.claim.draft]
    newest = _newest_finder(claims)
    latest = newest(claims)
    entries: list[tuple[str, dt.date | None]] = [(urls.path(), latest), (urls.path("claims"), latest)]
    entries += [(c.url, c.modified) for c in claims]
    for section in ("verdicts", "people", "topics", "sources", "corrections"):
        entries.append((urls.path(section), latest))
    entries += [(v.url, newest(v.claims)) for v in library.verdicts]
    people = [p for p in library.people_with_pages if _published(p.claims + p.reviews)]
    entries += [(p.url, newest(p.claims + p.reviews)) for p in people]
    entries += [(t.url, newest(t.claims)) for t in library.topics if t.topic.declared or _published(t.claims)]
    entries += [(s.url, newest(s.claims)) for s in library.sources if s.id not in library.draft_sources]
    entries += [(p.url, None) for p in library.pages]
    return entries


def _published(claims: list[ClaimView]) -> bool:
    """Whether any of these claims is published (not a draft shown by a --drafts preview)."""
    return any(not c.claim.draft for c in claims)


def _newest_finder(claims: list[ClaimView]) -> Callable[[list[ClaimView]], dt.date | None]:
    """A function giving the latest `modified` among some of these claims (dates ranked once, then compared as ints)."""
    ranked = sorted(claims, key=operator.attrgetter("modified"), reverse=True)
    unranked = len(ranked)  # a draft's place: after every published claim
    place: collections.defaultdict[ClaimView, int] = collections.defaultdict(lambda: unranked)
    place.update((claim, i) for i, claim in enumerate(ranked))  # (claim views hash by identity)
    rank = place.__getitem__

    def newest(some: list[ClaimView]) -> dt.date | None:
        first = min(map(rank, some), default=unranked)  # (in C: some 86,000 places at 10,000 claims)
        return None if first == unranked else ranked[first].modified

    return newest


def xml_escape(text: str) -> str:
    """&, < and > escaped, as xml.sax.saxutils.escape does (whose import brings ssl and http.client: 12 ms)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def entries_digest(entries: list[tuple[str, dt.date | None]]) -> str:
    """A digest of the sitemap's entries: with the site's address (in every fingerprint), all its bytes depend on."""
    return hashlib.blake2b(orjson.dumps(entries), digest_size=16).hexdigest()


#: The most pages one sitemap file may list (sitemaps.org): past it, sitemap.xml is an index of parts.
SITEMAP_LIMIT = 50_000

SitemapEntries = list[tuple[str, dt.date | None]]


def sitemap_parts(entries: SitemapEntries) -> list[SitemapEntries]:
    """The entries in parts of at most SITEMAP_LIMIT, when there are more than one file may list (else none)."""
    if len(entries) <= SITEMAP_LIMIT:
        return []
    return [entries[at : at + SITEMAP_LIMIT] for at in range(0, len(entries), SITEMAP_LIMIT)]


def sitemap_part_name(number: int) -> str:
    """A part's file, beside sitemap.xml: a sitemap may list only pages in its own folder or below."""
    return f"sitemap-{number}.xml"


def sitemap_from(planned: tuple[Library, SitemapEntries]) -> OutputFile:
    """sitemap.xml of the entries planned (sitemap_urls)."""
    return sitemap_xml(*planned)


def sitemap_part_from(planned: tuple[Library, str, SitemapEntries]) -> OutputFile:
    """A part of a large site's sitemap, as planned: its file name and entries."""
    library, name, entries = planned
    return _urlset(library, name, entries)


def sitemap_xml(library: Library, entries: SitemapEntries | None = None) -> OutputFile:
    """sitemap.xml listing every page (`entries`, else sitemap_urls'), with lastmod where it is known.

    A site of more than SITEMAP_LIMIT pages gets instead a sitemap index of its parts (sitemap_parts),
    each with the latest lastmod of its pages.
    """
    entries = sitemap_urls(library) if entries is None else entries
    parts = sitemap_parts(entries)
    if not parts:
        return _urlset(library, "sitemap.xml", entries)
    absolute, urls = library.urls.absolute, library.urls
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for number, part in enumerate(parts, 1):
        url = _xml_url(absolute(urls.file(sitemap_part_name(number))))
        modified = max((when for _, when in part if when), default=None)
        lastmod = f"<lastmod>{modified.isoformat()}</lastmod>" if modified else ""
        lines.append(f"  <sitemap><loc>{url}</loc>{lastmod}</sitemap>")
    lines.append("</sitemapindex>")
    return OutputFile("sitemap.xml", ("\n".join(lines) + "\n").encode())


def _xml_url(url: str) -> str:
    return xml_escape(url) if "&" in url or "<" in url or ">" in url else url


def _urlset(library: Library, name: str, entries: SitemapEntries) -> OutputFile:
    """A sitemap file listing these pages, with lastmod where it is known."""
    absolute = library.urls.absolute
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path, modified in entries:
        url = _xml_url(absolute(path))
        if modified:
            lines.append(f"  <url><loc>{url}</loc><lastmod>{modified.isoformat()}</lastmod></url>")
        else:
            lines.append(f"  <url><loc>{url}</loc></url>")
    lines.append("</urlset>")
    return OutputFile(name, ("\n".join(lines) + "\n").encode())


def static_sources(static_dirs: list[Path]) -> dict[str, Path]:
    """The theme's assets, then the project's own static/ (which wins on the same name), by output path."""
    chosen: dict[str, Path] = {}
    for folder in static_dirs:
        chosen.update(published_sources(folder, "static/"))
    return dict(sorted(chosen.items()))


def static_files(static_dirs: list[Path]) -> list[OutputFile]:
    """The theme's assets, then the project's own static/ (which wins on the same name)."""
    return [OutputFile(name, source=path) for name, path in static_sources(static_dirs).items()]


def plan_site(
    library: Library,
    templates_dir: Path | None = None,
    static_dir: Path | None = None,
    *,
    drafts: bool = False,
    png_paths: bool = True,
    root_dir: Path | None = None,
) -> SitePlan:
    """Every file of the site planned with its fingerprint; nothing rendered until a file is made.

    With `png_paths`, a card PNG found in the card cache is made as the cache file's path, not its bytes.
    The files of the project's root/ are copied as static/'s are, at their own paths (validation
    has refused one the build writes itself: sitelinks.taken_root_names).
    """
    from .cache import (
        MarkdownCache,
        card_cache_path,
        fragments_cache_path,
        markdown_cache_path,
        related_cache_path,
        settle_fragments,
        settle_related,
        snippet_cache_path,
    )
    from .cards import CardMaker, default_cache_dir

    site = library.config
    project = f"{site.base_url}\0{site.title}"
    prints = SitePrints(library, templates_dir, drafts=drafts)
    statics = [
        (name, path, "static " + file_digest(path))
        for name, path in static_sources([STATIC] + ([static_dir] if static_dir else [])).items()
    ]
    if root_dir is not None:
        statics += [(name, path, "root " + file_digest(path)) for name, path in published_sources(root_dir).items()]
    whole = combine(prints.everything, *(f"{name} {digest}" for name, _, digest in statics))
    cache_dir = default_cache_dir()
    templates_cache = None if cache_dir is None else cache_dir.parent / "templates"
    if templates_cache is not None:
        with contextlib.suppress(OSError):
            templates_cache.mkdir(parents=True, exist_ok=True)
    catalog = library.catalog
    renderer = Renderer(library, make_environment(templates_dir, templates_cache, catalog))
    renderer.card_cache = CardCache(card_cache_path(cache_dir, project), prints.site)
    renderer.snippet_cache = CardCache(snippet_cache_path(cache_dir, project), prints.site)
    renderer.card_digests = prints.claims
    cards = CardMaker(library, renderer.env, cache_dir, by_path=png_paths)

    def plan_files() -> list[PlannedFile]:
        settled = settle_related(library, related_cache_path(cache_dir, project), code_version())
        prints.own_links = DigestSet(digest_set_path("own-links", project), version_of(Path(fingerprints.__file__)))
        kept_prints = kept_prints_path(cache_dir, project)
        keptprints.reuse(prints, library, kept_prints, settled)
        files = list(renderer.plan(prints))
        prints.own_links.save()
        files += syndication_plan(library, renderer, prints, cards)
        keptprints.save(prints, library, kept_prints, settled)
        for name, path, digest in statics:
            files.append(PlannedFile(name, digest, functools.partial(OutputFile, name, source=path)))
        return files

    caches: list[MarkdownCache] = []

    def prepare_markdown(paths: Collection[str]) -> None:
        """Markdown through the cache (mapped: read only as far as the pages made need), however few pages."""
        path = markdown_cache_path(cache_dir, project)
        if path is None:
            return  # caching is off: markup.render_markdown
        claim_pages = sum(1 for p in paths if p.startswith("claims/") and p.count("/") == 2)  # claims/<id>/index.html
        cache = MarkdownCache(path)
        if claim_pages < len(library.claims):  # the entries of pages not rendered stay good
            cache.keep = 2 * len(library.claims)
        renderer.markdown = cache.render  # unchanged analyses skip markdown-it (docs/performance.md)
        caches.append(cache)

    savers: list[Callable[[], None]] = []

    def prepare_fragments(paths: Collection[str]) -> None:
        """Kept text fragments, when many claim pages are made (a rebuild of a few works out only theirs)."""
        claim_pages = sum(1 for p in paths if p.startswith("claims/") and p.count("/") == 2)
        if claim_pages * FRAGMENTS_KEPT_SHARE >= len(library.claims) > 0:
            savers.append(settle_fragments(library, fragments_cache_path(cache_dir, project)))

    def save_caches() -> None:
        for save in savers:
            save()
        for cache in caches:
            cache.save()
        live = set(prints.claims.values())
        for kept in (renderer.card_cache, renderer.snippet_cache):
            if kept is not None:
                kept.save(lambda key: key.partition(" ")[2] in live)

    def collect_caches() -> tuple[dict[str, str | None], int, dict[str, str], dict[str, str]]:
        markdown = caches[0].take_delta() if caches else ({}, 0)
        cards_added = renderer.card_cache.take_added() if renderer.card_cache else {}
        return (
            markdown[0],
            markdown[1],
            cards_added,
            renderer.snippet_cache.take_added() if renderer.snippet_cache else {},
        )

    def merge_caches(state: tuple[dict[str, str | None], int, dict[str, str], dict[str, str]]) -> None:
        used, misses, cards_added, snippets_added = state
        if caches:
            caches[0].merge_delta(used, misses)
        if renderer.card_cache is not None:
            renderer.card_cache.merge_added(cards_added)
        if renderer.snippet_cache is not None:
            renderer.snippet_cache.merge_added(snippets_added)

    plan = SitePlan(plan_files, [prepare_markdown, prepare_fragments, cards.prepare], [save_caches], whole=whole)
    plan.collectors.append(collect_caches)
    plan.mergers.append(merge_caches)
    return plan


def render_site(
    library: Library, templates_dir: Path | None = None, static_dir: Path | None = None, root_dir: Path | None = None
) -> list[OutputFile]:
    """Every file of the site: pages, then static assets and root/ (pure apart from templates and the caches)."""
    return list(plan_site(library, templates_dir, static_dir, png_paths=False, root_dir=root_dir).make_all())
