"""The claim card for other sites: /embed/<id>/ (a page for an iframe) and /oembed/<id>.json (oEmbed 1.0).

An embedder copies one snippet from the claim page, or pastes the claim page's address into a CMS
that reads oEmbed (WordPress, Ghost, Discourse...), which finds /oembed/<id>.json through the
page's `<link rel="alternate" type="application/json+oembed">`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jinja2

from .cards import CARD_HEIGHT, CARD_WIDTH, badge_text_colour, card_paths
from .jsontext import indented_json
from .link import ClaimView, Library
from .render import OutputFile
from .uris import as_uri

#: Keeps a snippet between builds: (kind, claim, make) -> its HTML (Renderer.kept_snippet).
SnippetKeeper = Callable[[str, ClaimView, Callable[[], str]], str]

EMBED_WIDTH = 550
EMBED_HEIGHT = 340
CACHE_AGE = 86400  # a day: corrections should reach embedders soon


@dataclass(frozen=True, slots=True)
class EmbedInfo:
    """What a claim page shows and links for embedders: `*_url` absolute (honouring --base-url), `*_path` site paths."""

    page_url: str
    embed_url: str
    embed_path: str
    oembed_url: str
    oembed_path: str
    card_url: str
    card_path: str
    card_svg_url: str
    card_width: int
    card_height: int
    card_alt: str
    iframe_html: str
    width: int
    height: int


#: Each library's EmbedInfos made this build, by claim id, with (weakly) the environment that rendered
#: them: the claim page, the embed page and the oEmbed all need one, and its snippet is a template rendered.
_MADE: weakref.WeakKeyDictionary[Library, dict[str, tuple[weakref.ref[jinja2.Environment], EmbedInfo]]]
_MADE = weakref.WeakKeyDictionary()


def embed_info(
    claim: ClaimView,
    library: Library,
    env: jinja2.Environment,
    *,
    last: bool = False,
    keep: SnippetKeeper | None = None,
) -> EmbedInfo:
    """The embed page, oEmbed and card URLs of a claim, and its iframe snippet (as text to copy).

    Made once a build: kept for the claim's next file unless this is its `last`. `keep` keeps the
    snippet between builds (Renderer.kept_snippet).
    """
    made = _MADE.setdefault(library, {})
    found = made.pop(claim.id, None)
    info = found[1] if found is not None and found[0]() is env else _make_embed_info(claim, library, env, keep)
    if not last:
        made[claim.id] = (weakref.ref(env), info)
    return info


def _make_embed_info(
    claim: ClaimView, library: Library, env: jinja2.Environment, keep: SnippetKeeper | None
) -> EmbedInfo:
    urls = library.urls
    svg_path, png_path = card_paths(claim, library)
    embed_path, oembed_path = urls.path("embed", claim.id), urls.file(f"oembed/{claim.id}.json")
    fields: dict[str, Any] = dict(
        page_url=claim.abs_url,
        embed_url=urls.absolute(embed_path),
        embed_path=embed_path,
        oembed_url=urls.absolute(oembed_path),
        oembed_path=oembed_path,
        card_url=urls.absolute(png_path),
        card_path=png_path,
        card_svg_url=urls.absolute(svg_path),
        card_width=CARD_WIDTH,
        card_height=CARD_HEIGHT,
        card_alt=verdict_and_claim(claim, env),
        width=EMBED_WIDTH,
        height=EMBED_HEIGHT,
    )
    bare = EmbedInfo(**fields, iframe_html="")
    snippet = _kept(keep, "embed", claim, lambda: embed_code(claim, library, env, bare, fallback=False))
    return EmbedInfo(**fields, iframe_html=snippet)  # (dataclasses.replace takes five times as long)


def verdict_and_claim(claim: ClaimView, env: jinja2.Environment) -> str:
    """`False: The bridge cost...` in the site's language (the card's alt text, the embed page's title)."""
    catalog = env.factpress_catalog  # type: ignore[attr-defined]
    return catalog.format("%(verdict)s: %(claim)s", verdict=claim.verdict.label, claim=claim.claim.claim)


def embed_code(claim: ClaimView, library: Library, env: jinja2.Environment, info: EmbedInfo, *, fallback: bool) -> str:
    """The HTML an embedder pastes: the iframe, preceded by a hidden blockquote when fallback is set."""
    template = env.get_template("_embed_code.html")
    return template.render(claim=claim, site=library.config, embed=info, fallback=fallback).strip()


def oembed_response(
    claim: ClaimView, library: Library, env: jinja2.Environment, info: EmbedInfo, keep: SnippetKeeper | None = None
) -> dict[str, Any]:
    """An oEmbed 1.0 `rich` response: a hidden blockquote (the text WordPress shows, having stripped `hidden`)
    and the iframe (the card everyone else shows, at `width` x `height`): see docs/embedding.md."""
    config = library.config
    authors = claim.authors
    separator = env.factpress_catalog.text(", ")  # type: ignore[attr-defined]  # the list separator, as in the theme
    author_url = library.urls.absolute(authors[0].url) if authors else (as_uri(config.publisher.url) or info.page_url)
    return {
        "version": "1.0",
        "type": "rich",
        "title": claim.claim.claim,
        "html": _kept(keep, "oembed", claim, lambda: embed_code(claim, library, env, info, fallback=True)),
        "width": info.width,
        "height": info.height,
        "author_name": separator.join(a.name for a in authors) or config.publisher.name,
        "author_url": author_url,
        "provider_name": config.title,
        "provider_url": library.urls.absolute(library.urls.path()),
        "thumbnail_url": info.card_url,
        "thumbnail_width": info.card_width,
        "thumbnail_height": info.card_height,
        "cache_age": CACHE_AGE,
    }


def _kept(keep: SnippetKeeper | None, kind: str, claim: ClaimView, make: Callable[[], str]) -> str:
    return make() if keep is None else keep(kind, claim, make)


class EmbedMaker:
    """Each claim's /embed/<id>/ page and /oembed/<id>.json, made one at a time (the pair shares its EmbedInfo)."""

    def __init__(
        self,
        library: Library,
        env: jinja2.Environment,
        base_context: dict[str, Any],
        keep: SnippetKeeper | None = None,
    ) -> None:
        self.library, self.env, self.base_context, self.keep = library, env, base_context, keep

    def _info(self, claim: ClaimView, *, last: bool) -> EmbedInfo:
        return embed_info(claim, self.library, self.env, last=last, keep=self.keep)

    def page(self, claim: ClaimView) -> OutputFile:
        """/embed/<id>/index.html: the card for an iframe."""
        page = self.env.get_template("embed.html").render(
            **self.base_context,
            claim=claim,
            embed=self._info(claim, last=False),
            badge_text=badge_text_colour(claim.verdict.colour),
            title=verdict_and_claim(claim, self.env),
        )
        return OutputFile(f"embed/{claim.id}/index.html", page.encode("utf-8"))

    def oembed(self, claim: ClaimView) -> OutputFile:
        """/oembed/<id>.json: the oEmbed response."""
        data = oembed_response(claim, self.library, self.env, self._info(claim, last=True), self.keep)
        text = indented_json(data, indent=2) + "\n"  # json.dumps(data, ensure_ascii=False, indent=2), by orjson
        return OutputFile(f"oembed/{claim.id}.json", text.encode("utf-8"))
