"""Links in Markdown that lead nowhere on the site: `check` finds them before a reader does.

An analysis or a page may link to another page of the site as `/claims/some-id/` (or with the
site's full address). A claim renamed, a typo, or a draft not yet published leaves such a link
dead, and nothing else would say so. The paths a build publishes are known from the validated
site alone (tests/test_sitelinks.py holds this list to what a build writes), so this needs no
rendering.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .load import is_editor_leftover
from .markup import blanked_code

#: The sections factpress writes: a link into one of them that is not a page is certainly dead (and no
#: content page may take their names: validate.RESERVED_SLUGS).
OWN_SECTIONS = frozenset(
    {"claims", "embed", "sources", "people", "topics", "verdicts", "cards", "oembed", "static", "api", "search",
     "corrections", "pagefind"}
)  # fmt: skip
#: Listing pages and files every build writes.
FIXED_FOLDERS = ("", "claims/", "verdicts/", "people/", "topics/", "sources/", "corrections/", "search/")
FIXED_FILES = (
    "404.html", "sitemap.xml", "robots.txt", "feed.xml", "feed.json", "claimreview.json", "api/claims.json",
    "static/verdicts.css",
)  # fmt: skip
_SHIPPED_STATIC = Path(__file__).parent / "static"
#: The marks write.py leaves in a built folder (write.MARKER, write.INCOMPLETE): names no root/ file may take.
BUILD_MARK = ".factpress"
#: The parts of a large site's sitemap (render.sitemap_part_name), beside sitemap.xml: names root/ may not take.
SITEMAP_PART = re.compile(r"sitemap-[0-9]+\.xml")
#: What factpress publishes at each top-level name it writes, for the error of a root/ file that would take it.
PUBLISHED_AT = {
    "index.html": "the home page", "404.html": "the page for an address that does not exist",
    "sitemap.xml": "the sitemap", "robots.txt": "the rules for search engines' crawlers", "feed.xml": "the Atom feed",
    "feed.json": "the JSON Feed", "claimreview.json": "the ClaimReview data feed", "claims": "the fact-checks' pages",
    "embed": "the embeddable claim cards", "cards": "the social preview images", "oembed": "the oEmbed descriptions",
    "static": "the theme's style sheets, scripts and images (a project's own go in static/)",
    "api": "the fact-checks as data", "search": "the search page", "pagefind": "the search index",
    "people": "the claimants' and fact-checkers' pages", "topics": "the topics' pages", "sources": "the sources' pages",
    "verdicts": "the verdict scale's pages", "corrections": "the list of corrections",
}  # fmt: skip

#: A link target in Markdown: `[text](target)`, a reference `[label]: target` (alone or with its title on the
#: line: `[^1]: The note.` is a footnote, `[a]: two words` a paragraph), or raw HTML's href. Not an
#: image's (`![alt](src)`, `src=`): the sanitiser removes images, and `check` says so (markup-removed).
#: A bracket escaped with a backslash (`\[x\](/a/)`) is text, as Markdown reads it; an escaped backslash is not.
_LINK = re.compile(
    r"(?<!\\)(?:(?<!!)|(?=\\))(?:\\\\)*\[(?:\\.|[^\[\]\\]|\[[^\[\]]*\])*\]\(\s*<?(?P<inline>[^)\s>]+)"
    r"|^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?(?P<reference>[^\s>]+)>?[ \t]*(?=$|[\"'(])"
    r"|\bhref\s*=\s*[\"'](?P<html>[^\"'\n]+)[\"']",
    re.MULTILINE,
)


#: An inline link's target that is not a citation ('](#source-id)'): searched from its literal '](', in C.
_NOT_A_CITATION = re.compile(r"\]\((?!#)")


@dataclass(frozen=True)
class SitePaths:
    """Every path a build publishes under the base path ('claims/x/', 'feed.xml'), and the drafts' pages."""

    folders: frozenset[str]
    files: frozenset[str]
    drafts: frozenset[str]

    def judge(self, path: str) -> str:
        """'ok', 'draft', 'missing' (in a section factpress writes) or 'unknown' (elsewhere on the host)."""
        folder = _as_folder(path)
        if (folder is not None and folder in self.folders) or path in self.files or path.startswith("pagefind/"):
            return "ok"
        if folder is not None and folder in self.drafts:
            return "draft"
        return "missing" if path.split("/", 1)[0] in OWN_SECTIONS else "unknown"

    def nearest_candidates(self, path: str) -> list[str]:
        """The published paths of the same section, for a did-you-mean."""
        section = path.split("/", 1)[0] + "/"
        every = [*(f for f in self.folders if f), *self.files]
        same = [p for p in every if p.startswith(section)]
        return same or every


#: Files an operating system leaves in folders it shows (macOS's .DS_Store and ._ twins, Windows' thumbnails).
_SYSTEM_LEFTOVERS = frozenset({".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini"})


def left_behind(name: str) -> bool:
    """A file no one means to publish: an editor's backup, swap or lock file, or one the operating system made."""
    lowered = name.lower()
    return lowered in _SYSTEM_LEFTOVERS or name.startswith(("._", ".#")) or is_editor_leftover(name)


def published_sources(folder: Path, under: str = "") -> dict[str, Path]:
    """A project folder's files published as they are (static/, root/), by output path (`under` + path in it).

    Dot-files count (root/.nojekyll, root/.well-known/); what editors and operating systems leave
    beside files (`x.css~`, `.x.css.swp`, `.DS_Store`) does not (left_behind). A symbolic link is not
    followed (load.links_leading_out refuses one leading out of the project), nor is a linked folder entered.
    """
    return {
        f"{under}{path.relative_to(folder).as_posix()}": path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink() and not left_behind(path.name)
    }


def reserved_names(pages: Iterable[str]) -> dict[str, tuple[str, bool]]:
    """Each top-level name the build writes in the output folder: (what it publishes there, whether a folder).

    A root/ file is published at its own path, so it must not take one of these: it would replace
    a file of the build, or add to a folder the build writes (and removes stale files from).
    """
    reserved = {"index.html": (PUBLISHED_AT["index.html"], False)}
    for path in (*FIXED_FOLDERS, *FIXED_FILES):
        if path:
            top, slash, _ = path.partition("/")
            reserved[top] = (PUBLISHED_AT.get(top, "files of the site"), bool(slash))
    for section in OWN_SECTIONS:
        reserved[section] = (PUBLISHED_AT.get(section, "files of the site"), True)
    for slug in pages:
        reserved[slug] = (f"the content page '{slug}'", True)
    return reserved


def taken_root_names(published: Iterable[str], pages: Iterable[str]) -> list[tuple[str, bool, str, str, bool]]:
    """The top-level names of root/'s published files that the build writes itself.

    Each as (name in root/, a folder there, the name the build writes, what it publishes there, a folder
    in the output); compared case-blind, as a Mac's or Windows' disk would mix them.
    """
    reserved = {name.casefold(): (name, *taken) for name, taken in reserved_names(pages).items()}
    tops: dict[str, bool] = {}
    for path in published:
        top, slash, _ = path.partition("/")
        tops[top] = tops.get(top, False) or bool(slash)
    taken = []
    for top, is_folder in tops.items():
        key = top.casefold()
        if key.startswith(BUILD_MARK):
            taken.append((top, is_folder, top, "its mark of a folder it built", False))
        elif key in reserved:
            taken.append((top, is_folder, *reserved[key]))
        elif SITEMAP_PART.fullmatch(key):
            taken.append((top, is_folder, top, "a part of the sitemap of a site too large for one", False))
    return taken


def _as_folder(path: str) -> str | None:
    """The folder a path names ('about' and 'about/index.html' are 'about/'), or None for a file."""
    if path == "" or path.endswith("/"):
        return path
    if path == "index.html" or path.endswith("/index.html"):
        return path[: -len("index.html")]
    last = path.rsplit("/", 1)[-1]
    return None if "." in last else path + "/"


def site_paths(
    claims: Iterable[tuple[str, bool, Iterable[str]]],
    sections: dict[str, Iterable[str]],
    pages: Iterable[str],
    static_dir: Path | None,
    waiting_people: Iterable[str] = (),
    waiting_sources: Iterable[str] = (),
    waiting_topics: Iterable[str] = (),
    *,
    root_dir: Path | None = None,
) -> SitePaths:
    """The paths a build publishes: claims as (id, draft, aliases), sections' ids by section, pages, static files.

    A claim's former ids (aliases) keep its page, embed, oEmbed and PNG card addresses. Drafts'
    pages, and those of people, sources and topics only drafts use (waiting_people, waiting_sources,
    waiting_topics), are
    published with them. The files of the project's root/ are published at their own paths (an
    index.html: as its folder).
    """
    folders = set(FIXED_FOLDERS)
    files = set(FIXED_FILES)
    drafts = set()
    for ident, draft, aliases in claims:
        if draft:
            drafts.update((f"claims/{ident}/", f"embed/{ident}/"))
            continue
        folders.update((f"claims/{ident}/", f"embed/{ident}/"))
        files.update((f"cards/{ident}.png", f"cards/{ident}.svg", f"oembed/{ident}.json"))
        for alias in aliases:
            folders.update((f"claims/{alias}/", f"embed/{alias}/"))
            files.update((f"cards/{alias}.png", f"oembed/{alias}.json"))
    drafts.update(f"people/{ident}/" for ident in waiting_people)
    drafts.update(f"sources/{ident}/" for ident in waiting_sources)
    drafts.update(f"topics/{ident}/" for ident in waiting_topics)
    for section, idents in sections.items():
        folders.update(f"{section}/{ident}/" for ident in idents)
    folders.update(f"{slug}/" for slug in pages)
    for folder in (_SHIPPED_STATIC, static_dir):
        if folder is not None and folder.is_dir():
            files.update(published_sources(folder, "static/"))
    if root_dir is not None and root_dir.is_dir():
        for path in published_sources(root_dir):
            if path == "index.html" or path.endswith("/index.html"):  # (as a page's: a link to it is one to its folder)
                folders.add(path[: -len("index.html")])
            else:
                files.add(path)
    return SitePaths(frozenset(folders), frozenset(files), frozenset(drafts))


def site_links(text: str, base_url: str, page: str = "") -> Iterator[tuple[int, str, str]]:
    """(offset, target as written, path under the base) of each link in Markdown to this site's own pages.

    Root-relative targets (`/about/`) are the site's: the renderer puts them under its base path.
    Full addresses count when they lead under the site's base URL (whatever the scheme, and the
    host's case). A relative target (`../other-claim/`) is resolved as a browser does from `page`,
    the folder of the page the text is shown on ('claims/some-id/').
    """
    if "/" not in text and (not page or not _may_link_relatively(text)):
        return  # (the link reader costs 0.1 ms an analysis; most only cite sources, as '](#id)')
    yield from _links_under_base(text, base_url, page)


def links_no_page(text: str) -> bool:
    """Whether the text surely links none of the site's pages, wherever it is shown (`site_links` finds none)."""
    return "/" not in text and not _may_link_relatively(text)


def _links_under_base(text: str, base_url: str, page: str) -> Iterator[tuple[int, str, str]]:
    for match in _LINK.finditer(blanked_code(text)):
        kind = match.lastgroup or "inline"
        target = match.group(kind)
        rest = _under_base(target, base_url, page)
        if rest is not None:
            yield match.start(kind), target, _normalised(unquote(urlsplit(rest).path))


def _may_link_relatively(text: str) -> bool:
    """Whether some link's target may be a relative path: a '](' not followed by '#' (a citation), or another form."""
    return _NOT_A_CITATION.search(text) is not None or "]:" in text or "href" in text


def _under_base(target: str, base_url: str, page: str) -> str | None:
    """The target as a path under the site's base (with any query), or None when it leads elsewhere."""
    if "\\" in target:
        return None
    if target.startswith("/"):
        return None if target.startswith("//") else target[1:]
    if target.startswith(base_url):
        return target[len(base_url) :]
    parts = urlsplit(target)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        base = urlsplit(base_url)
        if parts.netloc.lower() == base.netloc.lower() and parts.path.startswith(base.path):
            return target[target.index(parts.netloc) + len(parts.netloc) + len(base.path) :]
        return None
    if parts.scheme or parts.netloc or not page or target.startswith(("#", "?")) or "&" in target or ":" in target:
        return None  # (an entity or a colon: Markdown may read a scheme urlsplit does not; the sanitiser judges it)
    return page + target


def _normalised(path: str) -> str:
    """The path as a browser resolves it ('claims/../about/' is 'about/'), its final '/' kept."""
    if "." not in path and "//" not in path:
        return path
    resolved = posixpath.normpath("/" + path).lstrip("/")
    return "" if resolved in ("", ".") else resolved + ("/" if path.endswith("/") else "")
