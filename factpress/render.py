"""Stage 4: render every page of the linked site to text. Jinja in, OutputFiles out; nothing written.

Templates are looked up in the site project's own templates/ first, then in the built-in theme,
so a newsroom may override any one of them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import jinja2
from markupsafe import Markup

from .jsonld import claim_review, json_for_script
from .link import ClaimView, Library, SourceView
from .markup import render_markdown
from .model import PartialDate
from .segments import citing_claims, source_paragraphs

THEME = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file of the built site: its path inside the output folder and its bytes (or a file to copy)."""

    path: str
    content: bytes | None = None
    source: Path | None = None


def make_environment(templates_dir: Path | None) -> jinja2.Environment:
    """A Jinja environment with autoescape and StrictUndefined: a blank verdict fails the build."""
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(jinja2.FileSystemLoader(str(THEME)))
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
    )
    env.filters.update(FILTERS)
    return env


def format_date(value: dt.date | PartialDate | None) -> str:
    """Dates as readers write them: 9 July 2025 (or July 2025, or 2025)."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.display
    return PartialDate(value.year, value.month, value.day).display


def iso_date(value: dt.date | PartialDate | None) -> str:
    """ISO 8601 form for datetime attributes and machines; '' for no date."""
    if value is None:
        return ""
    return value.iso if isinstance(value, PartialDate) else value.isoformat()


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """A count with its noun, pluralised when the count is not 1."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def date_preposition(value: dt.date | PartialDate) -> str:
    """'on' before a full date, 'in' before a month or a year: stated on 9 July 2025, stated in 2024."""
    return "in" if isinstance(value, PartialDate) and not value.day else "on"


FILTERS: dict[str, Callable[..., Any]] = {
    "date": format_date,
    "iso": iso_date,
    "plural": plural,
    "on_or_in": date_preposition,
}


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
        }
        self._cards: dict[tuple[str, int], Markup] = {}
        self.markdown: Callable[..., str] = render_markdown  # render_site swaps in a cache's

    def page(self, template: str, out: str, path: str, **context: Any) -> OutputFile:
        """Render one template with the shared globals; canonical URL and page path default from path."""
        context.setdefault("canonical", self.library.urls.absolute(path))
        context.setdefault("page_path", path)
        html = self.env.get_template(template).render(**self.globals, **context)
        return OutputFile(out, html.encode("utf-8"))

    @jinja2.pass_context
    def claim_card(self, context: jinja2.runtime.Context, claim: ClaimView, level: int = 2) -> Markup:
        """A claim's listing card, rendered once per heading level: each claim is listed on five or six pages."""
        key = (claim.id, level)
        if key in self._cards:
            return self._cards[key]
        template = self.env.get_template("_claim_card.html")
        if not _is_theme(template):  # a site's own card may read the page it is on: render it each time
            return Markup(template.render({**context.get_all(), "claim": claim, "level": level}))
        self._cards[key] = Markup(template.render(**self.globals, claim=claim, level=level))
        return self._cards[key]

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
        analysis = Markup(self.markdown(claim.claim.analysis, citations, base_path, self.source_urls))
        review = Markup(json_for_script(claim_review(claim, self.library)))
        return self.page(
            "claim.html",
            f"claims/{claim.id}/index.html",
            claim.url,
            claim=claim,
            analysis=analysis,
            claim_review=review,
            embed=_embed_info(claim, self.library, self.env),
            title=claim.claim.claim,
            description=claim.claim.summary,
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
            title=source.source.title,
            description=f"Archived source: {source.source.title}",
        )

    def all_pages(self) -> Iterator[OutputFile]:
        """Every generated file: HTML pages, verdict CSS, robots.txt, sitemap and feeds, in a fixed order."""
        lib, urls = self.library, self.library.urls
        yield self.page(
            "home.html", "index.html", urls.path(), title=lib.config.title, description=lib.config.description
        )
        yield self.page(
            "claims.html",
            "claims/index.html",
            urls.path("claims"),
            title="All fact-checks",
            description=f"Every fact-check by {lib.config.title}, newest first.",
        )
        for claim in lib.claims:
            yield self.claim(claim)
        yield self.page(
            "verdicts.html",
            "verdicts/index.html",
            urls.path("verdicts"),
            title="Our verdicts",
            description="The rating scale and what each verdict means.",
        )
        for verdict in lib.verdicts:
            yield self.page(
                "verdict.html",
                f"verdicts/{verdict.key}/index.html",
                verdict.url,
                verdict=verdict,
                title=f"Fact-checks rated {verdict.label}",
                description=verdict.meaning,
            )
        yield self.page(
            "people.html",
            "people/index.html",
            urls.path("people"),
            title="People and organizations",
            description="Who made the claims we checked, and who checked them.",
        )
        for person in lib.people:
            yield self.page(
                "person.html",
                f"people/{person.id}/index.html",
                person.url,
                person=person,
                title=person.name,
                description=person.person.description or f"Fact-checks of claims by {person.name}.",
            )
        yield self.page(
            "topics.html", "topics/index.html", urls.path("topics"), title="Topics", description="Fact-checks by topic."
        )
        for topic in lib.topics:
            yield self.page(
                "topic.html",
                f"topics/{topic.id}/index.html",
                topic.url,
                topic=topic,
                title=topic.name,
                description=topic.topic.description or f"Fact-checks about {topic.name}.",
            )
        yield self.page(
            "sources.html",
            "sources/index.html",
            urls.path("sources"),
            title="Sources",
            description="Every source our fact-checks cite, with its archived text.",
        )
        for source in lib.sources:
            yield self.source(source)
        yield self.page(
            "corrections.html",
            "corrections/index.html",
            urls.path("corrections"),
            title="Corrections",
            description="Every correction to our fact-checks, newest first.",
        )
        yield self.page(
            "search.html",
            "search/index.html",
            urls.path("search"),
            title="Search",
            description=f"Search the fact-checks of {lib.config.title}.",
        )
        for page in lib.pages:
            body = Markup(render_markdown(page.page.body, base_path=urls.base_path))
            yield self.page(
                "page.html",
                f"{page.page.slug}/index.html",
                page.url,
                content_page=page,
                body=body,
                title=page.page.title,
                description=page.page.description,
            )
        yield self.page("404.html", "404.html", urls.file("404.html"), title="Page not found", description="")
        yield verdicts_css(lib)
        yield robots_txt(lib)
        yield sitemap_xml(lib)
        yield from syndication_files(lib, self.env, self.globals)


def _is_theme(template: jinja2.Template) -> bool:
    """Whether a template is the built-in theme's, not one a site project overrides."""
    return template.filename is not None and Path(template.filename).parent == THEME


def _embed_info(claim: ClaimView, library: Library, env: jinja2.Environment) -> Any:
    from .embed import embed_info  # embed, cards, feeds and data build on OutputFile: imported late

    return embed_info(claim, library, env)


def syndication_files(library: Library, env: jinja2.Environment, context: dict[str, Any]) -> Iterator[OutputFile]:
    """What travels to other sites and machines: embeds, oEmbed, cards, feeds, data (docs/embedding.md)."""
    from .cards import card_files, default_cache_dir
    from .data import data_files
    from .embed import embed_files
    from .feeds import feed_files

    yield from embed_files(library, env, context)
    yield from card_files(library, env, default_cache_dir())
    yield from feed_files(library, env)
    yield from data_files(library)


def verdicts_css(library: Library) -> OutputFile:
    """One class per verdict carrying its colour, so pages need no inline styles (CSP-friendly)."""
    from .cards import badge_text_colour  # cards builds on OutputFile: imported late

    # --verdict-ink: white or near-black text on the badge, whichever passes contrast on this site's colour
    rules = [
        f".verdict-{v.key} {{ --verdict: {v.colour}; --verdict-ink: {badge_text_colour(v.colour)}; }}"
        for v in library.verdicts
    ]
    return OutputFile("static/verdicts.css", ("\n".join(rules) + "\n").encode())


def robots_txt(library: Library) -> OutputFile:
    """A robots.txt allowing every crawler and pointing at the sitemap."""
    sitemap = library.urls.absolute(library.urls.file("sitemap.xml"))
    return OutputFile("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode())


def sitemap_urls(library: Library) -> list[tuple[str, dt.date | None]]:
    """Every page a search engine should know, with its last modification where content says it."""
    urls = library.urls
    newest = max((c.modified for c in library.claims), default=None)
    entries: list[tuple[str, dt.date | None]] = [(urls.path(), newest), (urls.path("claims"), newest)]
    entries += [(c.url, c.modified) for c in library.claims]
    for section in ("verdicts", "people", "topics", "sources", "corrections"):
        entries.append((urls.path(section), newest))
    entries += [(v.url, _newest(v.claims)) for v in library.verdicts]
    entries += [(p.url, _newest(p.claims + p.reviews)) for p in library.people]
    entries += [(t.url, _newest(t.claims)) for t in library.topics]
    entries += [(s.url, _newest(s.claims)) for s in library.sources]
    entries += [(p.url, None) for p in library.pages]
    return entries


def _newest(claims: list[ClaimView]) -> dt.date | None:
    return max((c.modified for c in claims), default=None)


def sitemap_xml(library: Library) -> OutputFile:
    """sitemap.xml listing every page, with lastmod where it is known."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path, modified in sitemap_urls(library):
        lines.append(
            f"  <url><loc>{xml_escape(library.urls.absolute(path))}</loc>"
            + (f"<lastmod>{modified.isoformat()}</lastmod>" if modified else "")
            + "</url>"
        )
    lines.append("</urlset>")
    return OutputFile("sitemap.xml", ("\n".join(lines) + "\n").encode())


def static_files(static_dirs: list[Path]) -> list[OutputFile]:
    """The theme's assets, then the project's own static/ (which wins on the same name)."""
    chosen: dict[str, Path] = {}
    for folder in static_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                chosen[f"static/{path.relative_to(folder).as_posix()}"] = path
    return [OutputFile(name, source=path) for name, path in sorted(chosen.items())]


def render_site(
    library: Library, templates_dir: Path | None = None, static_dir: Path | None = None
) -> list[OutputFile]:
    """Every file of the site: pages, then static assets (pure apart from templates and the Markdown cache)."""
    from .cache import MarkdownCache, markdown_cache_path
    from .cards import default_cache_dir

    renderer = Renderer(library, make_environment(templates_dir))
    site = library.config
    cache = MarkdownCache(markdown_cache_path(default_cache_dir(), f"{site.base_url}\0{site.title}"))
    renderer.markdown = cache.render  # unchanged analyses skip markdown-it (docs/performance.md)
    outputs = list(renderer.all_pages())
    outputs += static_files([STATIC] + ([static_dir] if static_dir else []))
    cache.save()
    return outputs
