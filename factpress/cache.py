"""A content-addressed cache of rendered Markdown, kept between builds so unchanged analyses skip markdown-it.

Parsing the analyses is about a third of rendering a large archive (docs/performance.md), and
between two builds almost every analysis is unchanged. Each entry is keyed by a hash of all that
decides its HTML: the Markdown, the citation map, the base path, the source URLs, and the code
that renders it (markup.py and the versions of markdown-it-py, its plugins and nh3), so a hit
gives the bytes a fresh render would. The cache is one piece file per site project (piececache.py;
never pickle: the folder may be shared), mapped, so even a rebuild of a few pages uses it: reading
a few entries costs less than importing markdown-it.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import json
import operator
import sys
import weakref
from collections.abc import Callable
from itertools import accumulate, chain, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from . import markup
from .cachefiles import project_file, replace_file
from .digest import value_digest
from .piececache import Piece, PieceFile
from .versions import version

if TYPE_CHECKING:
    from .link import ClaimView, Library, SourceView

Render = Callable[..., str]


def code_version() -> str:
    """What besides the inputs decides the HTML: markup.py's source and the libraries' versions."""
    digest = hashlib.sha256(Path(markup.__file__).read_bytes())
    for package in ("markdown-it-py", "mdit-py-plugins", "nh3"):
        digest.update(f"{package}={version(package)}".encode())
    return digest.hexdigest()


def loads(data: bytes | str) -> Any:
    """JSON read by orjson (several times faster on the multi-megabyte cache files), else by json.

    json.dumps escapes lone surrogates, which orjson refuses: such files are read by json.
    """
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def dumps(data: Any) -> bytes:
    """Compact JSON by orjson, else by json (text with lone surrogates, which orjson refuses)."""
    try:
        return orjson.dumps(data)
    except TypeError:
        return json.dumps(data).encode()


def _digest(value: Any) -> str:
    """A content address of JSON-like data (dates as ISO text): orjson's encoding, five times faster than json's.

    json's is kept for what orjson refuses (a lone surrogate, a key that is not text).
    """
    try:
        data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # (orjson.JSONEncodeError is one)
        data = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


class MarkdownCache:
    """Rendered Markdown by content address; `render` falls back to the real renderer on a miss.

    Stored like the claim cards (CardCache): a piece file tagged with code_version(), mapped and
    an entry decoded only when asked for, so a rebuild that renders a few analyses reads a few
    entries, not the 25 MB a JSON file of 10,000 cost. A build appends its new entries as a
    segment; the file is written again, with only live entries, once too much was appended (or
    a build of every page finds it holds too many entries it did not use).
    """

    #: Entries appended since the file was last written whole, before it is written again.
    APPENDED_LIMIT = 2000

    def __init__(self, path: Path | None, render: Render = markup.render_markdown) -> None:
        self.path = path
        self.real = render
        self.version = code_version()
        self._file: PieceFile | None = None
        #: Keys this build used (found or rendered), and the entries it rendered.
        self.used: set[str] = set()
        self.added: dict[str, str] = {}
        self._shared: dict[int, tuple[Any, str]] = {}
        self.hits = self.misses = 0
        #: When a build renders only some pages, the entries of the others are still good: keep up to
        #: this many entries in all, those this build used and then the most recent others (0: used only).
        self.keep = 0

    def _load(self) -> PieceFile:
        if self._file is None:
            self._file = PieceFile(self.path, self.version)
        return self._file

    def shared_digest(self, value: Any) -> str:
        """A digest of a large argument every call shares (the source URLs), computed once per object."""
        known = self._shared.get(id(value))
        if known is None or known[0] is not value:
            known = (value, _digest(value))
            self._shared[id(value)] = known
        return known[1]

    def key(
        self, text: str, citations: Any = None, base_path: str = "/", source_urls: Any = None, heading_base: int = 2
    ) -> str:
        """The content address of one rendering: a digest of every input."""
        return hashlib.sha256(
            "\0".join([_digest([text, citations, base_path, heading_base]), self.shared_digest(source_urls)]).encode()
        ).hexdigest()

    def get(self, key: str) -> str | None:
        """The HTML kept under this key, or None (not kept, or the file is damaged there)."""
        html = self.added.get(key)
        if html is not None or self.path is None:
            return html
        return (self._file or self._load()).text(key)

    def render(
        self, text: str, citations: Any = None, base_path: str = "/", source_urls: Any = None, *, heading_base: int = 2
    ) -> str:
        """markup.render_markdown, from the cache when these exact inputs were rendered before."""
        key = self.key(text, citations, base_path, source_urls, heading_base)
        html = self.get(key)
        if html is None:
            self.misses += 1
            html = self.real(text, citations, base_path, source_urls, heading_base=heading_base)
            self.added[key] = html
        else:
            self.hits += 1
        self.used.add(key)
        return html

    def take_delta(self) -> tuple[dict[str, str | None], int]:
        """In a forked worker: the keys used since the last call (with the HTML of those rendered), and misses."""
        delta: dict[str, str | None] = dict.fromkeys(self.used)
        delta.update(self.added)
        misses, self.used, self.added, self.misses = self.misses, set(), {}, 0
        return delta, misses

    def merge_delta(self, used: dict[str, str | None], misses: int) -> None:
        """In the parent: count a worker's entries as used by this build (so `save` keeps them)."""
        for key, html in used.items():
            self.used.add(key)
            if html is not None:
                self.added[key] = html
        self.misses += misses

    def save(self) -> None:
        """Append this build's new entries to the file, or write it again with only the live ones.

        A cache that cannot be written is skipped.
        """
        if self.path is None or (self.keep and not self.added):
            return
        file = self._load()
        new = {key: (html.encode("utf-8", "surrogatepass"),) for key, html in self.added.items()}
        room = file.has_room(len(new), self.APPENDED_LIMIT)
        if room and (self.keep or not self._crowded(file, new)):
            file.append(new)
            return
        file.rewrite({**self._kept(file, new), **new})
        if self.path.suffix != ".json":
            with contextlib.suppress(OSError):  # the JSON file of earlier versions
                self.path.with_suffix(".json").unlink(missing_ok=True)

    def _crowded(self, file: PieceFile, new: dict[str, tuple[bytes]]) -> bool:
        """After a build of every page: whether the file holds too many entries it did not use."""
        numbers = [number for key, number in file.index.items() if key in self.used]
        added = sum(len(pieces[0]) for pieces in new.values())
        return file.crowded(file.live_bytes(numbers) + added, added)

    def _kept(self, file: PieceFile, new: dict[str, tuple[bytes]]) -> dict[str, tuple[Piece, ...]]:
        """The file's entries to write again: those this build used, then up to `keep` in all with the newest others."""
        used = {key: number for key, number in file.index.items() if key in self.used and key not in new}
        room = max(0, self.keep - len(used) - len(new)) if self.keep else 0
        others = sorted(number for key, number in file.index.items() if key not in self.used) if room else []
        keys = {number: key for key, number in file.index.items()} if others else {}
        chosen = [keys[number] for number in others[len(others) - room :]] + list(used)
        return {key: (file.piece(file.index[key]),) for key in chosen}


def markdown_cache_path(cache_dir: Path | None, project: str) -> Path | None:
    """The cache file for one site project under the card cache's folder (None: caching is off)."""
    return project_file(cache_dir, "markdown", project, ".pieces")


def related_line(view: ClaimView) -> str:
    """What of one claim decides related claims (see link.related_claims): id, date, cited sources, topics, related.

    A summary edited leaves it as it was.
    """
    claim = view.claim
    sources = " ".join([ev.source for ev in claim.evidence])
    return f"{claim.id}\t{claim.published}\t{sources}\t{' '.join(claim.topics)}\t{' '.join(claim.related)}"


def _line_digest(view: ClaimView) -> str:
    return hashlib.blake2b(related_line(view).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


#: Claims whose digest changed since the related-claims file was written (each checked on every build),
#: before it is written again.
RELATED_STALE_LIMIT = 100


#: The last library's claims and their digests (claim_digests), held only as long as the library lives.
_digests: tuple[weakref.ref[Library], int, list[str]] | None = None


def claim_digests(library: Library) -> list[str]:
    """Each claim's digest, in the library's order: worked out once a build, for the caches that key on them.

    Reading 10,000 claims' digests costs a few ms of memory reads (the related claims and the data
    files both need them). Kept for the library it was made for (its claims list, unchanged).
    """
    global _digests
    claims = library.claims
    if _digests is not None and _digests[0]() is library and _digests[1] == id(claims):
        return _digests[2]
    digests = [view.claim.digest or value_digest(view.claim) for view in claims]
    _digests = (weakref.ref(library), id(claims), digests)
    return digests


class SettledRelated(NamedTuple):
    """What settle_related leaves: the claims' related_line digests (one a line), now and as they were kept.

    Every claim but those `ranked` (again, this build) has the related claims it had when the kept
    lines were this build's: the kept lists were given to it. `ranked` and `kept_lines` None: every
    claim was ranked afresh. `renewed`: the ids of the claims whose line is not the one kept, or
    that came or went (None when every claim was ranked afresh).
    """

    lines: str
    kept_lines: str | None
    ranked: frozenset[str] | None
    renewed: frozenset[str] | None = frozenset()


def settle_related(library: Library, path: Path | None, version: str) -> SettledRelated | None:
    """Give every claim its related claims: from the last build's when nothing deciding them changed, else ranked.

    Ranking every claim's related claims is most of what a rebuild's fingerprints would cost at
    10,000 claims (link ranks them on first use); they are kept in one JSON file per project, as
    positions in the claims, with each claim's id, digest and a digest of its related_line. A
    claim whose digest is the one kept has the same line; only the few others have theirs worked
    out and compared (a digest of every claim's line cost 40 ms of every rebuild). The lists are
    kept as text (numbers as hex): one string each is much quicker to read than 10,000 lists.

    When a few claims' lines changed (a claim added, removed, or its topics, sources, date or
    declared related claims edited), only the claims those changes can reach are ranked again
    (`_ranked_again`): 600 ms for all of them at 10,000 claims.

    Returns the digests of every claim's related_line, one a line, and the claims ranked again (see
    SettledRelated; None when caching is off): the related claims are a function of the lines.
    """
    views = library.claims
    digests = claim_digests(library)
    if path is not None:
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            data = loads(path.read_bytes())
            if data["version"] == version and _kept_related(views, digests, data):
                if data["digests"] != "\n".join(digests) and len(_differing(digests, data)) > RELATED_STALE_LIMIT:
                    replace_file(path, dumps({**data, "digests": "\n".join(digests)}))
                return SettledRelated(str(data["lines"]), str(data["lines"]), frozenset())
            if data["version"] == version:
                again = _ranked_again(views, digests, data)
                if again is not None:
                    lines, ranked, renewed = again
                    _save_related(path, version, views, digests, lines)
                    return SettledRelated("\n".join(lines), str(data["lines"]), frozenset(ranked), frozenset(renewed))
    if path is not None:
        lines = [_line_digest(view) for view in views]
        _save_related(path, version, views, digests, lines)
        return SettledRelated("\n".join(lines), None, None, None)
    return None


def _save_related(path: Path, version: str, views: list[ClaimView], digests: list[str], lines: list[str]) -> None:
    """Keep every claim's related claims (ranking those not given any yet), with their ids, digests and lines."""
    position = {id(view): i for i, view in enumerate(views)}
    related = [[position[id(other)] for other in view.related] for view in views]
    data = {
        "version": version,
        "ids": "\n".join([view.id for view in views]),
        "digests": "\n".join(digests),
        "lines": "\n".join(lines),
        "counts": _hex_numbers([len(r) for r in related]),
        "related": _hex_numbers([i for r in related for i in r]),
    }
    replace_file(path, dumps(data))


#: More changed related_lines than this: every claim is ranked again (finding whom they reach costs more).
RERANK_LIMIT = 50


def _ranked_again(
    views: list[ClaimView], digests: list[str], data: dict[str, Any]
) -> tuple[list[str], set[str], set[str]] | None:
    """Give the claims their kept related claims, ranking again only those a changed line may reach.

    A claim's related claims are the best few of those sharing a source or topic with it (and those
    it names), ranked by their lines. A claim X whose line changed (or that came or went) changes
    another claim V's list only if X was in it (X may leave it or move) or if X now shares a
    source or topic with V (X may enter it): taking out a claim V did not list leaves V's best few
    as they were. And V's list changes if X is one V names in `related`. Those claims, and X, are
    ranked again; every other keeps its list. Returns the new lines, the claims ranked again and
    the claims whose line changed (or that came or went); None when too many lines changed, or in doubt.

    The kept lists stay positions in the kept claims, and what runs once per claim runs in C
    (map, list.index): a new fact-check at 10,000 claims is ranked in a third of the time.
    """
    kept = _Kept.read(data)
    if kept is None:
        return None
    ids = list(map(_CLAIM_ID, views))
    at = list(map(kept.at.get, ids, repeat(len(kept.ids))))  # (len: not kept, a line and digest of None)
    lines = list(map(kept.lines.__getitem__, at))
    changed = set()
    for index in differing(digests, list(map(kept.digests.__getitem__, at))):
        line = lines[index] = _line_digest(views[index])
        if at[index] == len(kept.ids) or kept.lines[at[index]] != line:
            changed.add(ids[index])
    current = dict(zip(ids, views, strict=True))
    changed.update(ident for ident in kept.ids if ident not in current)  # (claims gone)
    if len(changed) > RERANK_LIMIT:
        return None
    again = _reached(views, ids, at, changed, kept)
    chosen = list(
        map(current.get, map(kept.ids.__getitem__, kept.flat))
    )  # (None: a claim gone, whose listers are reached)
    starts = kept.starts
    for view, ident, place in zip(views, ids, at, strict=True):
        if ident not in again:  # (the others are ranked when first read)
            view.related = chosen[starts[place] : starts[place + 1]]
    return lines, again & current.keys(), changed


#: A claim view's id, read in C (ClaimView.id is a property: a call for each of 10,000 claims).
_CLAIM_ID = operator.attrgetter("claim.id")
_NAMED = operator.attrgetter("claim.related")


class _Kept(NamedTuple):
    """The kept related-claims file, split: each list is positions in `ids`, from starts[i] to starts[i + 1] in flat.

    `lines` and `digests` end with one more entry, None, for a claim not kept.
    """

    ids: list[str]
    lines: list[str | None]
    digests: list[str | None]
    at: dict[str, int]
    counts: array.array[int]
    flat: array.array[int]
    starts: list[int]

    @classmethod
    def read(cls, data: dict[str, Any]) -> _Kept | None:
        """The kept file's parts, or None when they do not fit together."""
        ids, lines, digests = data["ids"].split("\n"), data["lines"].split("\n"), data["digests"].split("\n")
        if not len(ids) == len(lines) == len(digests):
            return None
        counts, flat = _numbers(data["counts"]), _numbers(data["related"])
        if len(counts) != len(ids) or sum(counts) != len(flat) or (flat and max(flat) >= len(ids)):
            return None
        at = dict(zip(ids, range(len(ids)), strict=True))
        return cls(ids, [*lines, None], [*digests, None], at, counts, flat, list(accumulate(counts, initial=0)))

    def listed(self, place: int) -> list[str]:
        """The ids the claim kept at `place` listed."""
        return list(map(self.ids.__getitem__, self.flat[self.starts[place] : self.starts[place + 1]]))


def _reached(views: list[ClaimView], ids: list[str], at: list[int], changed: set[str], kept: _Kept) -> set[str]:
    """The claims whose related claims the changed claims may change (those changed among them).

    A claim that listed a changed one, or names one, is ranked again (a claim not kept is a changed
    one: its line is new). One that shares a source or topic with a changed claim X is ranked again
    only if X would now make its list: if the list has room, or X scores better than the last claim
    it chose (link.related_claims' order: score, then newest). Views are newest first, so a claim's
    place among them is its rank. `at` is each claim's place among the kept ones (len(kept.ids): not kept).
    """
    from .link import RELATED_LIMIT, claims_sharing_keys, related_keys  # (link's views use this module at run time)

    by_id = dict(zip(ids, views, strict=True))
    candidates = {ident: related_keys(by_id[ident]) for ident in changed if ident in by_id}
    reached = set(changed)
    reached.update(ids[index] for index in _found(list(map(changed.isdisjoint, map(_NAMED, views))), False))
    gone_or_changed = {kept.at[ident] for ident in changed if ident in kept.at}
    if gone_or_changed:  # the claims that listed one of them
        owners = list(chain.from_iterable(map(repeat, range(len(kept.ids)), kept.counts)))
        hits = _found(list(map(gone_or_changed.__contains__, kept.flat)), True)
        reached.update(kept.ids[owners[index]] for index in hits)
    sharing = claims_sharing_keys(views, set().union(*candidates.values())) - reached
    if not sharing:
        return reached
    place = dict(zip(ids, range(len(ids)), strict=True))
    for ident in sharing:
        view = by_id[ident]
        if _may_enter(view, kept.listed(kept.at[ident]), candidates, place, by_id, RELATED_LIMIT):
            reached.add(ident)
    return reached


def _found(values: list[Any], wanted: Any) -> list[int]:
    """The positions of `wanted` in values (found by list.index, in C)."""
    found, start = [], 0
    with contextlib.suppress(ValueError):
        while True:
            start = values.index(wanted, start) + 1
            found.append(start - 1)
    return found


def _may_enter(
    view: ClaimView,
    listed: list[str],
    candidates: dict[str, set[str]],
    place: dict[str, int],
    by_id: dict[str, ClaimView],
    limit: int,
) -> bool:
    """Whether any candidate (id: its related keys) would make the claim's related claims, kept as `listed`."""
    from .link import related_keys

    named = sum(1 for ident in view.claim.related if ident in place)
    if named >= limit:  # (no room left for the claims it does not name)
        return False
    if len(listed) < limit:
        return True
    own, worst = related_keys(view), listed[-1]
    last = (-_shared_score(own, related_keys(by_id[worst])), place[worst])
    for ident, keys in candidates.items():
        if ident != view.id and not own.isdisjoint(keys) and (-_shared_score(own, keys), place[ident]) < last:
            return True
    return False


def _shared_score(own: set[str], other: set[str]) -> int:
    """link.related_claims' score: two for each source both cite, one for each topic both are under."""
    return sum(2 if key.startswith("s:") else 1 for key in own & other)


def _kept_related(views: list[ClaimView], digests: list[str], data: dict[str, Any]) -> bool:
    """Give the claims the related claims kept in `data`, if nothing deciding them changed (else False)."""
    lines = data["lines"].split("\n")
    if len(lines) != len(views):
        return False
    if data["digests"] != "\n".join(digests) and any(
        _line_digest(views[i]) != lines[i] for i in _differing(digests, data)
    ):
        return False
    counts, flat = _numbers(data["counts"]), _numbers(data["related"])
    if len(counts) != len(views) or sum(counts) != len(flat):
        return False
    chosen = list(map(views.__getitem__, flat))  # IndexError before any claim is given any
    start = 0
    for view, count in zip(views, counts, strict=True):
        view.related = chosen[start : start + count]
        start += count
    return True


def _differing(digests: list[str], data: dict[str, Any]) -> list[int]:
    """The positions of the claims whose digest is not the one kept (compared in C: usually one or none)."""
    return differing(digests, data["digests"].split("\n"))


def differing(digests: list[str], kept: list[str]) -> list[int]:
    """The positions where two equally long lists of digests differ (compared in C: usually one or none)."""
    if len(kept) != len(digests):
        raise ValueError("not the same claims")
    return _found(list(map(operator.ne, digests, kept)), True)


def _hex_numbers(numbers: list[int]) -> str:
    """Whole numbers (0 to 2**32 - 1) as hex text: four bytes each, little-endian."""
    packed = array.array("I", numbers)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes().hex()


def _numbers(text: str) -> array.array[int]:
    """The numbers `_hex_numbers` wrote."""
    packed = array.array("I")
    packed.frombytes(bytes.fromhex(text))
    if sys.byteorder == "big":
        packed.byteswap()
    return packed


def related_cache_path(cache_dir: Path | None, project: str) -> Path | None:
    """The related-claims file for one site project under the card cache's folder (None: caching is off)."""
    return project_file(cache_dir, "related", project, ".json")


def fragments_cache_path(cache_dir: Path | None, project: str) -> Path | None:
    """The text-fragment file for one site project under the card cache's folder (None: caching is off)."""
    return project_file(cache_dir, "fragments", project, ".json")


def _fragments_version() -> str:
    """What besides a source and its citations decides their text fragments: the code that finds them."""
    digest = hashlib.sha256()
    for module in ("excerpts.py", "link.py"):
        digest.update((Path(markup.__file__).parent / module).read_bytes())
    return digest.hexdigest()


def fragments_key(source: SourceView) -> str:
    """Everything a source's text fragments are worked out from: its URL, its snapshot, each citation's excerpt."""
    model = source.source
    cited = [
        (c.evidence.evidence.excerpt, [(s.start, s.end) for s in c.evidence.evidence.spans]) for c in source.citations
    ]
    return _digest((model.url, model.snapshot.sha256, cited))


def settle_fragments(library: Library, path: Path | None) -> Callable[[], None]:
    """Give each source the text fragments of its citations kept by the last build; return what keeps this build's.

    Finding a fragment folds the whole snapshot and searches it: some 5% of a full build's CPU,
    paid again in every process that renders a claim page citing the source. A source whose
    URL, snapshot and citations are unchanged gets them from the file; the others work theirs out
    on first use, as before, and those worked out in this process are kept for the next build.
    """
    if path is None:
        return lambda: None
    version = _fragments_version()
    kept: dict[str, list[str]] = {}
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
        data = loads(path.read_bytes())
        if data["version"] == version and isinstance(data["sources"], dict):
            kept = data["sources"]
    keys = {}
    for source in library.sources:
        if not source.source.url:
            continue
        key = keys[source.id] = fragments_key(source)
        urls = kept.get(key)
        if isinstance(urls, list) and len(urls) == len(source.citations):
            source.__dict__["fragment_urls"] = {
                id(c.evidence): url for c, url in zip(source.citations, urls, strict=True)
            }

    def save() -> None:
        worked_out = {
            keys[s.id]: [s.fragment_urls.get(id(c.evidence), "") for c in s.citations]
            for s in library.sources
            if s.id in keys and "fragment_urls" in s.__dict__
        }
        if worked_out.keys() - kept.keys():
            replace_file(
                path,
                dumps(
                    {"version": version, "sources": {**kept, **worked_out} if len(kept) < 2 * len(keys) else worked_out}
                ),
            )

    return save


class CardCache:
    """Rendered claim cards (the listing snippet) kept between builds, so a listing of 10,000 claims renders one.

    An entry is keyed by heading level and claim digest and is good only under one site digest
    (fingerprints.SitePrints.site: code, theme, config, verdicts, people...), the piece file's
    tag. The file is mapped and a card decoded only when asked for (reading 17 MB of cards as
    JSON cost 40 ms of every rebuild). A build appends its new cards as a segment; once
    APPENDED_LIMIT cards were appended, the file is written again with only the cards of current claims.
    """

    APPENDED_LIMIT = 2000

    def __init__(self, path: Path | None, site: str) -> None:
        self.path = path
        self.site = site
        self._file: PieceFile | None = None
        self.added: dict[str, str] = {}

    def _load(self) -> PieceFile:
        if self._file is None:
            self._file = PieceFile(self.path, self.site)
        return self._file

    def get(self, key: str) -> str | None:
        """A card rendered before under this site digest, or None."""
        file = self._file or self._load()
        if key not in file.index:
            return self.added.get(key)
        return file.text(key)

    def get_many(self, keys: list[str]) -> list[str | None]:
        """`get` of many keys at once (a listing of every claim)."""
        file = self._file or self._load()
        added = self.added
        return [added.get(key) if html is None else html for key, html in zip(keys, file.texts(keys), strict=True)]

    def put(self, key: str, html: str) -> None:
        """Remember a card rendered now."""
        self.added[key] = html

    def take_added(self) -> dict[str, str]:
        """In a forked worker: the cards rendered since the last call."""
        added, self.added = self.added, {}
        return added

    def merge_added(self, added: dict[str, str]) -> None:
        """In the parent: keep the cards a worker rendered."""
        self.added.update(added)

    def save(self, live: Callable[[str], bool]) -> None:
        """Append this build's new cards to the file, or write it again keeping only `live` keys."""
        if self.path is None or not self.added:
            return
        file = self._load()
        new = {key: (html.encode("utf-8", "surrogatepass"),) for key, html in self.added.items()}
        if file.has_room(len(new), self.APPENDED_LIMIT):
            file.append(new)
            return
        kept: dict[str, tuple[Piece, ...]] = {
            key: (file.piece(number),) for key, number in file.index.items() if key not in new and live(key)
        }
        file.rewrite({**kept, **{key: pieces for key, pieces in new.items() if live(key)}})
        for old in (".json", ".journal"):  # the JSON file and journal of earlier versions
            with contextlib.suppress(OSError):
                self.path.with_suffix(old).unlink(missing_ok=True)


def snippet_cache_path(cache_dir: Path | None, project: str) -> Path | None:
    """The embed-snippet file for one site project (Renderer.kept_snippet; None: caching is off)."""
    return project_file(cache_dir, "embed-snippets", project, ".pieces")


def card_cache_path(cache_dir: Path | None, project: str) -> Path | None:
    """The claim-card file for one site project under the card cache's folder (None: caching is off)."""
    return project_file(cache_dir, "listing-cards", project, ".pieces")
