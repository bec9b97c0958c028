"""Social cards: one SVG per fact-check from templates/card.svg, rasterised to a 1200 x 630 PNG.

The PNG is drawn by resvg with only the fonts shipped in factpress/fonts/ (system fonts are never
loaded), so every machine draws the same picture, byte for byte. Text is wrapped here, in Python,
with the font's own advance widths, because SVG 1.1 text does not wrap.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import orjson

from .cachefiles import cache_root, project_file, replace_file
from .errors import ContentError, Location, Problem
from .fonts import (
    FONT_BOLD,
    FONT_FAMILY,
    FONT_REGULAR,
    FontMetrics,
    drawable,
    family_of,
    font_metrics,
    font_runs,
    fonts_digest,
    metrics_of,
)
from .i18n import text_direction
from .link import ClaimView, Library
from .render import THEME, OutputFile, format_date, iso_date
from .versions import version

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

CARD_WIDTH, CARD_HEIGHT = 1200, 630
ELLIPSIS = "\u2026"

MARGIN = 72
TEXT_WIDTH = CARD_WIDTH - 2 * MARGIN
CLAIM_TOP = 196  # top of the claim block (below the badge row)
CLAIM_BOTTOM = 468  # bottom of the claim block (above the claimant line)
CLAIM_SIZES = (60, 54, 48, 42, 38)  # font sizes tried, largest first; the last one truncates
LINE_HEIGHT = 1.22
BADGE_SIZE, BADGE_PAD, BADGE_HEIGHT = 40, 28, 72
META_SIZE = 28
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: The IEND chunk every whole PNG ends with: a cached file cut short (a disk error, a cache restored in part) lacks it.
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
PARALLEL_MIN = 48  # below this many cards, a process pool costs more than it saves
#: Laying out this many cards or more is shared among forked workers (forking costs some 30 ms), in shares of SVG_SHARE.
SVG_PARALLEL_MIN, SVG_SHARE = 400, 100
KEPT_SVGS_MIN = 100  # below this many cards to make, laying them out costs less than reading the kept SVGs

# Characters XML 1.0 forbids even as references: C0 controls (but tab, LF, CR), surrogates, U+FFFE/U+FFFF.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 cannot carry removed (YAML's "\\x01" escapes can produce them)."""
    return XML_INVALID.sub("", text)


Piece = tuple[str, int]  # a word or part of one, and its advance in font units


def _split_word(word: str, units: int, metrics: FontMetrics, fits: Callable[[int], bool]) -> list[Piece]:
    """The word as one piece when it fits a line, else broken between characters (a URL, text without spaces)."""
    if fits(units):
        return [(word, units)]
    pieces: list[Piece] = []
    current, used = "", 0
    advance, fallback = metrics.by_char.get, metrics.fallback
    for ch in word:
        width = advance(ch, fallback)
        if current and not fits(used + width):
            carried = _carried(current, ch)
            kept = current[: len(current) - len(carried)]
            kept_units = used - sum(advance(c, fallback) for c in carried)
            pieces.append((kept, kept_units))
            current, used = carried + ch, used - kept_units + width
        else:
            current, used = current + ch, used + width
    return [*pieces, (current, used)] if current else pieces


#: What a line may not start with (closing marks, small kana, the long-vowel mark) or end with (opening
#: marks): Chinese and Japanese line breaking (kinsoku). Breaking between characters moves one over.
_CLOSING = "、。，．,.・：；:;？！?!」』）〕］｝〉》】〙〗〟｠)]}»’”"  # noqa: RUF001
_SMALL_KANA = "ーぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ々ゝゞヽヾ"
NO_LINE_START = frozenset(_CLOSING + _SMALL_KANA)
NO_LINE_END = frozenset("「『（〔［｛〈《【〘〖〝｟([{«‘“")  # noqa: RUF001


def _carried(line: str, following: str) -> str:
    """The end of a full line to carry to the next, so neither breaks a kinsoku rule (at most two characters)."""
    carried = ""
    while len(carried) < 2 and len(line) > len(carried) + 1:
        last = line[len(line) - len(carried) - 1]
        first = carried[0] if carried else following
        if first not in NO_LINE_START and last not in NO_LINE_END:
            break
        carried = last + carried
    return carried


def _wrap_words(words: list[str], widths: list[int], metrics: FontMetrics, width: float, size: float) -> list[str]:
    """Greedy word wrap of measured words: a candidate line's advance is its words' and spaces' added up.

    Advances are whole font units, so the sum equals measuring the joined line, and `fits` compares
    the very number `FontMetrics.width` gives: the lines are the same as measuring each candidate.
    """
    units_per_em, space = metrics.units_per_em, metrics.units(" ")

    def fits(units: int) -> bool:
        """True when a text of this advance fits the line width at this size."""
        return units * size / units_per_em <= width

    lines: list[str] = []
    current: list[str] = []
    used = 0
    for word, units in zip(words, widths, strict=True):
        for piece, piece_units in _split_word(word, units, metrics, fits):
            if current and fits(used + space + piece_units):
                current.append(piece)
                used += space + piece_units
            else:
                if current:
                    lines.append(" ".join(current))
                current, used = [piece], piece_units
    if current:
        lines.append(" ".join(current))
    return lines


def wrap_lines(text: str, width: float, size: float, bold: bool = True, fonts: tuple[Path, ...] = ()) -> list[str]:
    """Greedy word wrap of text into lines no wider than width pixels (`fonts`: a site's own, after DejaVu)."""
    metrics = font_metrics(bold, fonts)
    words = text.split()
    return _wrap_words(words, [metrics.units(word) for word in words], metrics, width, size)


def truncate_line(
    line: str, width: float, size: float, bold: bool = True, force: bool = False, fonts: tuple[Path, ...] = ()
) -> str:
    """Shorten a line at a word boundary until it fits with an ellipsis (always add one when force)."""
    metrics = font_metrics(bold, fonts)
    if not force and metrics.width(line, size) <= width:
        return line
    # Every candidate is a start of the line and an ellipsis: each measured once, not each measured whole
    # (a title of 32,000 characters took 10 s, one of 128,000 minutes).
    cut_units = metrics.cut_units(line, ELLIPSIS)

    def fits(end: int) -> bool:
        return cut_units[end] * size / metrics.units_per_em <= width

    kept = _kept_ends(line)
    fitting = None  # where the longest run of words that fits ends, its closing punctuation left out
    end = -1
    for word in line.split(" "):
        end += 1 + len(word)
        if not fits(kept[end]):  # (each run is wider than the one before: the rest do not fit either)
            break
        fitting = kept[end]
    if fitting is not None:
        return line[:fitting] + ELLIPSIS
    # The first word is wider than the line: cut it between characters.
    end = len(line.split(" ", 1)[0])
    while end and not fits(end):
        end -= 1
    return line[:end] + ELLIPSIS


#: What a line cut at a word loses from its end before the ellipsis.
_CUT_PUNCTUATION = " ,;:.\u2013\u2014-"


def _kept_ends(line: str) -> list[int]:
    """For every end of a start of the line, where that start ends once trailing _CUT_PUNCTUATION is stripped."""
    kept = [0] * (len(line) + 1)
    for end, char in enumerate(line, 1):
        kept[end] = kept[end - 1] if char in _CUT_PUNCTUATION else end
    return kept


def fit_text(
    text: str, width: float, height: float, sizes: Iterable[int] = CLAIM_SIZES, fonts: tuple[Path, ...] = ()
) -> tuple[int, list[str]]:
    """The largest font size at which the text fits the box; at the smallest, truncated with an ellipsis."""
    metrics = font_metrics(True, fonts)
    words = text.split()
    widths = [metrics.units(word) for word in words]  # measured once for every size tried
    size, lines = 0, []
    for size in sizes:
        max_lines = max(1, int(height // (size * LINE_HEIGHT)))
        lines = _wrap_words(words, widths, metrics, width, size)
        if len(lines) <= max_lines:
            return size, lines
    kept = lines[:max_lines]
    if kept:
        kept[-1] = truncate_line(kept[-1], width, size, force=True, fonts=fonts)
    return size, kept


@functools.cache  # a site has a few verdict colours, asked for on every claim's embed page
def badge_text_colour(colour: str) -> str:
    """Text for a badge of this colour that reads at WCAG AA (4.5:1): white or the theme's near-black, else black.

    Mid-tones (#ff0000, #777) reach 4.5:1 with neither white nor #1f2328; black always does where white fails.
    """
    luminance = relative_luminance(colour)
    if luminance is None:
        return "#ffffff"
    on_white = 1.05 / (luminance + 0.05)
    on_dark = (luminance + 0.05) / (relative_luminance(THEME_INK) + 0.05)  # type: ignore[operator]
    if on_white >= on_dark and on_white >= AA_CONTRAST:
        return "#ffffff"
    return THEME_INK if on_dark >= AA_CONTRAST else "#000000"


def badge_edge_colour(colour: str, page: str) -> str:
    """An edge for a badge whose colour fades into the page around it (under 3:1, WCAG 1.4.11); '' when it shows.

    The edge is the badge's ink: it reads on the badge at 4.5:1, and where the badge is close to
    the page it is far from the page too (#1f2328 around #fff on white, white around #111 on black).
    """
    badge, around = relative_luminance(colour), relative_luminance(page)
    if badge is None or around is None:
        return ""
    lighter, darker = max(badge, around), min(badge, around)
    return badge_text_colour(colour) if (lighter + 0.05) / (darker + 0.05) < NON_TEXT_CONTRAST else ""


#: WCAG AA's least contrast for body text.
AA_CONTRAST = 4.5
#: WCAG 1.4.11's least contrast for a shape one must see (a badge) against what is next to it.
NON_TEXT_CONTRAST = 3.0
#: The theme's text colour (its luminance, once written here as 0.0116, is 0.0165: that overstated its contrast).
THEME_INK = "#1f2328"


def relative_luminance(colour: str) -> float | None:
    """A #rgb or #rrggbb colour's WCAG relative luminance (0 black, 1 white); None when it is not one."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(ch * 2 for ch in hex_digits)
    try:
        channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    except ValueError:
        return None
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


#: Pieces of a line: the text, the font family it names ('' for the card's own) and its offset in pixels.
Placed = tuple[tuple[str, str, float], ...]


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the claim and the baseline it sits on; `runs`, its pieces by font and where each starts."""

    text: str
    y: float
    runs: Placed = ()


@dataclass(frozen=True, slots=True)
class CardLayout:
    """Everything card.svg draws, measured and placed: the template only writes it out."""

    width: int
    height: int
    margin: int
    font_family: str
    title: str
    verdict_label: str
    colour: str
    badge_text: str
    badge_width: float
    badge_height: int
    badge_size: int
    claim_lines: list[Line]
    #: The badge, meta and site lines by font, each piece with its offset (see `placed`): what card.svg writes.
    verdict_runs: Placed
    claim_size: int
    claim_language: str
    meta: str
    meta_size: int
    site_name: str
    language: str
    meta_runs: Placed = ()
    site_runs: Placed = ()
    #: 'rtl' mirrors the card (the stripe, badge, claimant line and site name at the right margin).
    direction: str = "ltr"
    #: The claim's own ('rtl': its lines end at the right margin, whatever the site's direction).
    claim_direction: str = "ltr"
    #: The claimant's name that starts `meta`, written in an isolate of its own: on a right-to-left card, or when it
    #: is written right to left itself.
    meta_name: str = ""


def card_layout(claim: ClaimView, library: Library) -> CardLayout:
    """Measure and place the card's text: badge, wrapped claim, claimant and date, site name.

    A right-to-left site's card is mirrored and a right-to-left claim's lines end at the right
    margin (see `placed_rtl`); a left-to-right one is laid out as it always was.
    """
    verdict, fonts = claim.verdict, library.fonts

    def shown(text: str) -> str:
        """What the card can draw of a text: XML's characters, each of which some font has."""
        return drawable(xml_safe(text), fonts)

    rtl = text_direction(library.config.language) == "rtl"
    claim_rtl = text_direction(claim.claim.language) == "rtl"
    site_placed = placed_rtl if rtl else placed
    label = truncate_line(shown(verdict.label), TEXT_WIDTH - 2 * BADGE_PAD, BADGE_SIZE, bold=True, fonts=fonts)
    badge_width = font_metrics(True, fonts).width(label, BADGE_SIZE) + 2 * BADGE_PAD
    size, lines = fit_text(shown(claim.claim.claim), TEXT_WIDTH, CLAIM_BOTTOM - CLAIM_TOP, fonts=fonts)
    line_height = size * LINE_HEIGHT
    block = line_height * len(lines)
    top = CLAIM_TOP + (CLAIM_BOTTOM - CLAIM_TOP - block) / 2
    claim_metrics = font_metrics(True, fonts)
    claim_placed = placed_rtl if claim_rtl else placed
    placed_lines = [
        Line(text, round(top + line_height * i + size * 0.95, 1), claim_placed(text, fonts, claim_metrics, size))
        for i, text in enumerate(lines)
    ]
    catalog = library.catalog
    name = shown(claim.claimant.name)
    date = format_date(claim.claim.claim_date, catalog)
    if shown(date) != date:  # without a CJK font "2025年3月1日" lost its 年, 月 and 日 and read "202531"
        date = iso_date(claim.claim.claim_date)
    meta_line, name = claimant_line(name, date, fonts)
    site_line = truncate_line(shown(library.config.title), TEXT_WIDTH, META_SIZE, bold=True, fonts=fonts)
    # The claimant's name is isolated in a right-to-left line ("Jane Doe · 1 مارس 2025" put the day beside the
    # name), and a right-to-left name in a left-to-right line ("عبد الله · 2 March 2025" put the 2 before the name).
    isolate = rtl or any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in name)
    meta_name = name if isolate and len(meta_line) > len(name) and meta_line.startswith(name) else ""
    return CardLayout(
        width=CARD_WIDTH,
        height=CARD_HEIGHT,
        margin=MARGIN,
        font_family=f"{FONT_FAMILY}, Bitstream Vera Sans, Verdana, sans-serif",
        title=xml_safe(catalog.format("%(verdict)s: %(claim)s", verdict=verdict.label, claim=claim.claim.claim)),
        verdict_label=label,
        colour=verdict.colour,
        badge_text=badge_text_colour(verdict.colour),
        badge_width=round(badge_width, 1),
        badge_height=BADGE_HEIGHT,
        badge_size=BADGE_SIZE,
        claim_lines=placed_lines,
        claim_size=size,
        claim_language=claim.claim.language,
        meta=meta_line,
        meta_size=META_SIZE,
        site_name=site_line,
        language=library.config.language,
        verdict_runs=site_placed(label, fonts, font_metrics(True, fonts), BADGE_SIZE),
        meta_runs=site_placed(meta_line, fonts, font_metrics(False, fonts), META_SIZE),
        site_runs=site_placed(site_line, fonts, font_metrics(True, fonts), META_SIZE),
        direction="rtl" if rtl else "ltr",
        claim_direction="rtl" if claim_rtl else "ltr",
        meta_name=meta_name,
    )


def claimant_line(name: str, date: str, fonts: tuple[Path, ...] = ()) -> tuple[str, str]:
    """`name · date` in one line of the card, and the name as it shows there.

    A name too long for the line is cut at a word with "…", never the date: cut as one line, a
    minister's full title took the date with it, and the card said who but not when.
    """
    line = f"{name} \u00b7 {date}"
    metrics = font_metrics(False, fonts)
    if metrics.width(line, META_SIZE) <= TEXT_WIDTH:
        return line, name
    tail = f" \u00b7 {date}"
    room = TEXT_WIDTH - metrics.width(tail, META_SIZE)
    name = truncate_line(name, room, META_SIZE, bold=False, force=True, fonts=fonts)
    return name + tail, name


def placed(text: str, fonts: tuple[Path, ...], metrics: FontMetrics, size: float) -> Placed:
    """The line's pieces by font (fonts.font_runs), each starting where the measured ones before it end.

    Each piece of a line mixing scripts is written as its own positioned text: resvg shapes the
    pieces of one run of text together, which misplaced a Devanagari vowel sign after Latin and
    drew the Latin in the regular weight. One piece, the usual case, is written as before.
    """
    runs = font_runs(text, fonts)
    if len(runs) == 1:
        return ((runs[0][0], runs[0][1], 0.0),)
    own = {family_of(path): metrics_of(path) for path in reversed(fonts)}  # (the first font of a family)
    pieces, at = [], 0.0
    for piece, family in runs:
        pieces.append((piece, family, round(at, 1)))
        at += (own[family] if family else metrics).width(piece, size)  # each piece by the font it is drawn in
    return tuple(pieces)


def placed_rtl(text: str, fonts: tuple[Path, ...], metrics: FontMetrics, size: float) -> Placed:
    """A right-to-left line's pieces by font, all at offset 0: card.svg writes them as one text, in an isolate.

    resvg ignores SVG's `direction` and `unicode-bidi` and lays every text out as a left-to-right
    paragraph: a right-to-left line ended with its "." on the right and its phrases in the wrong
    order. It does apply Unicode's isolates, as browsers do, drawing them with no advance: card.svg
    writes the line as RLI line PDI (U+2067, U+2069), anchored at its end, the right margin.
    Pieces in other fonts are spans of that one text (each names its font, so each is shaped in
    it), not placed by measured advances as left-to-right pieces are: the bidirectional algorithm
    reorders pieces, and a piece's joined Arabic letters are shaped across its edges.
    """
    del metrics, size  # (resvg measures the line)
    return tuple((piece, family, 0.0) for piece, family in font_runs(text, fonts))


def render_card_svg(claim: ClaimView, library: Library, env: jinja2.Environment) -> str:
    """The card as SVG text, from card.svg (autoescaped, so `&` and `<` in a claim stay text)."""
    return env.get_template("card.svg").render(card=card_layout(claim, library))


def rendered_svgs(claims: list[ClaimView], library: Library, env: jinja2.Environment) -> list[str]:
    """Each claim's card SVG, in order; on every core when there are many (laying out a card's text takes 0.3 ms).

    A first build of a large archive lays out every card before any is drawn or written: alone
    on one core, that was some 2.5 s at 10,000 claims.
    """
    from . import parallel  # (its workers' count: the same rules as the pages')

    processes = parallel.workers() + 1 if len(claims) >= SVG_PARALLEL_MIN else 1
    context = _fork_context() if processes >= 2 else None
    if context is None:
        return [render_card_svg(claim, library, env) for claim in claims]
    from concurrent.futures import ProcessPoolExecutor

    global _SVG_JOB
    _SVG_JOB = (claims, library, env)
    try:
        shares = [(start, min(start + SVG_SHARE, len(claims))) for start in range(0, len(claims), SVG_SHARE)]
        with ProcessPoolExecutor(processes, mp_context=context, initializer=parallel.die_with_parent) as pool:
            return [svg for share in pool.map(_render_share, shares) for svg in share]
    finally:
        _SVG_JOB = None


#: What `rendered_svgs`'s forked workers lay out: inherited at fork, never pickled.
_SVG_JOB: tuple[list[ClaimView], Library, jinja2.Environment] | None = None


def _render_share(share: tuple[int, int]) -> list[str]:
    """In a forked worker: the SVGs of claims[start:end]."""
    assert _SVG_JOB is not None
    claims, library, env = _SVG_JOB
    return [render_card_svg(claim, library, env) for claim in claims[share[0] : share[1]]]


def rasterise(svg: str, fonts: tuple[Path, ...] = ()) -> bytes:
    """Draw one SVG as PNG with the shipped fonts and the site's own only: the same bytes on every machine.

    resvg draws a character DejaVu lacks with the first of `fonts` that has it.
    """
    import resvg_py

    png = resvg_py.svg_to_bytes(
        svg_string=svg,
        skip_system_fonts=True,
        font_files=[str(FONT_REGULAR), str(FONT_BOLD), *map(str, fonts)],
        font_family=FONT_FAMILY,
        sans_serif_family=FONT_FAMILY,
        serif_family=FONT_FAMILY,
        monospace_family=FONT_FAMILY,
        width=CARD_WIDTH,
        height=CARD_HEIGHT,
    )
    return bytes(png)


def default_cache_dir() -> Path | None:
    """Where card PNGs are kept between builds, as Hugo keeps processed images (None: caching is off).

    Under the cache root (cachefiles.cache_root). Entries are content-addressed, so projects share safely.
    """
    root = cache_root()
    return None if root is None else root / "cards"


def rasterise_all(svgs: list[str], cache_dir: Path | None = None, fonts: tuple[Path, ...] = ()) -> list[bytes]:
    """PNG for every SVG, in order: from the cache where this exact SVG was drawn before, else on all cores."""
    keys = [card_key(svg, fonts) for svg in svgs]
    found: dict[str, bytes] = {}
    if cache_dir is not None:
        for key in set(keys):
            cached = _load(cache_dir / f"{key[:2]}" / f"{key}.png")
            if cached is not None:
                found[key] = cached
    todo = sorted({key: svg for key, svg in zip(keys, svgs, strict=True) if key not in found}.items())
    for (key, _), png in zip(todo, _draw([svg for _, svg in todo], fonts), strict=True):
        found[key] = png
        if cache_dir is not None:
            _store(cache_dir / f"{key[:2]}" / f"{key}.png", png)
    return [found[key] for key in keys]


def _draw(svgs: list[str], fonts: tuple[Path, ...] = ()) -> Iterator[bytes]:
    """Rasterise in order; on both cores when there are many and forking is safe.

    resvg holds the GIL, so threads do not help. Workers are forked, not spawned: spawning re-runs
    the caller's main module, which breaks any script that builds without an `if __name__` guard.
    Forking beside other threads (the preview server, a test's HTTP server) is unsafe, so then the
    cards are drawn here, one after another.
    """
    workers = min(os.cpu_count() or 1, 8)
    context = _fork_context() if len(svgs) >= PARALLEL_MIN and workers >= 2 else None
    if context is None:
        yield from (rasterise(svg, fonts) for svg in svgs)
        return
    from concurrent.futures import ProcessPoolExecutor  # (imported only for a batch worth forking)

    from . import parallel

    with ProcessPoolExecutor(workers, mp_context=context, initializer=parallel.die_with_parent) as pool:
        yield from pool.map(functools.partial(rasterise, fonts=fonts), svgs, chunksize=16)


def _fork_context() -> BaseContext | None:
    """The fork start method when this process may fork (no other thread runs), else None.

    multiprocessing and concurrent.futures are imported only here: 12 ms of a build that draws no batch.
    """
    if threading.active_count() != 1:
        return None
    from multiprocessing import get_all_start_methods, get_context

    return get_context("fork") if "fork" in get_all_start_methods() else None


def _load(path: Path) -> bytes | None:
    """A cached PNG, or None when it is missing, unreadable, not a PNG or cut short (then it is drawn again)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if data.startswith(PNG_SIGNATURE) and data.endswith(PNG_END) else None


def _store(path: Path, png: bytes) -> bool:
    """Keep a PNG for the next build; a cache that cannot be written only costs time (False)."""
    return replace_file(path, png)


def _is_cached(path: Path) -> bool:
    """Whether a cached PNG is there, starts like a PNG and ends like one (a cut-short file is drawn again).

    Read with os.open, unbuffered: a third of the time of Path.open, for each of 10,000 cards.
    """
    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        if os.read(handle, len(PNG_SIGNATURE)) != PNG_SIGNATURE:
            return False
        os.lseek(handle, -len(PNG_END), os.SEEK_END)
        return os.read(handle, len(PNG_END)) == PNG_END
    except OSError:
        return False
    finally:
        os.close(handle)


@functools.cache
def _renderer_digest() -> str:
    """What else decides the pixels besides the SVG: the fonts and the resvg version."""
    import resvg_py

    digest = hashlib.sha256(resvg_py.__version__.encode())
    for font in (FONT_REGULAR, FONT_BOLD):
        digest.update(font.read_bytes())
    return digest.hexdigest()


def card_key(svg: str, fonts: tuple[Path, ...] = ()) -> str:
    """A content address for a card's PNG: the SVG, the fonts (the site's too) and the rasteriser's version."""
    return hashlib.sha256((_renderer_digest() + fonts_digest(fonts) + svg).encode()).hexdigest()


def svg_key(claim: ClaimView, library: Library) -> str:
    """A content address for a card's SVG: every value card_layout reads, as the card shows it.

    The values are hashed as the repr of their tuple, which no two different tuples of texts share.
    """
    model, verdict, config = claim.claim, claim.verdict, library.config
    shown = (verdict.label, verdict.colour, model.claim, model.language, claim.claimant.name)
    catalog = library.catalog
    title = catalog.format("%(verdict)s: %(claim)s", verdict=verdict.label, claim=model.claim)
    shown += (format_date(model.claim_date, catalog), config.title, config.language, title)
    if library.fonts:  # (only then: the other sites' kept cards keep their addresses)
        shown += (fonts_digest(library.fonts),)
    return hashlib.sha256(repr(shown).encode("utf-8", "surrogatepass")).hexdigest()[:32]


@functools.cache
def svg_code_version() -> str:
    """What decides a kept card besides what it shows: this module, card.svg, Jinja, the fonts and resvg, and each
    language's direction (i18n.py, from Babel's CLDR data)."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update((Path(__file__).parent / "fonts.py").read_bytes())  # (how text is measured and which is drawn)
    digest.update((Path(__file__).parent / "i18n.py").read_bytes())  # (which way a language is written)
    digest.update((THEME / "card.svg").read_bytes())
    digest.update(_renderer_digest().encode())
    for package in ("jinja2", "markupsafe", "babel"):
        digest.update(f"{package}={version(package)}".encode())
    return digest.hexdigest()


def kept_svgs_path(cache_dir: Path | None, library: Library) -> Path | None:
    """The file of one site project's card SVGs, beside the card cache (None: caching is off)."""
    return project_file(cache_dir, "card-svgs", f"{library.config.base_url}\0{library.config.title}", ".json")


class KeptSvgs:
    """Card SVGs kept between builds, by `svg_key`, so a build lays out and renders only new or changed cards.

    One file a project, read once: at 10,000 claims, reading it costs less than laying out a
    tenth of the cards. Each SVG is kept with its PNG's `card_key`, which a build computes anyway:
    an entry whose SVG no longer hashes to it is damaged and made again, as is every entry of a
    file that is unreadable or was written by other code. Entries no build used are dropped
    when the file is written again.
    """

    def __init__(self, path: Path | None, code: str, fonts: tuple[Path, ...] = ()) -> None:
        self.path, self.code, self.fonts = path, code, fonts
        self.old = self._read()
        self.used: dict[str, list[str]] = {}
        self.added = 0

    def _read(self) -> dict[str, list[str]]:
        if self.path is None:
            return {}
        try:
            data = orjson.loads(self.path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return {}
        cards = data.get("cards") if isinstance(data, dict) and data.get("code") == self.code else None
        if not isinstance(cards, dict) or not all(_is_entry(entry) for entry in cards.values()):
            return {}
        return cards

    def get(self, key: str) -> tuple[str, str] | None:
        """The SVG kept under key and its PNG's key, or None (also when the entry is damaged)."""
        entry = self.old.get(key)
        if entry is None:
            return None
        svg, png_key = entry
        if card_key(svg, self.fonts) != png_key:
            return None
        self.used[key] = entry
        return svg, png_key

    def put(self, key: str, svg: str, png_key: str) -> None:
        """Keep a card made by this build."""
        self.used[key] = [svg, png_key]
        self.added += 1

    def save(self, *, every_card: bool, limit: int) -> bool:
        """Write the entries this build used, and, when it made only some cards, the others too (up to limit).

        Nothing is written when nothing changed; False when the cache could not be written.
        """
        kept = self.used if every_card else {**self.old, **self.used}
        if len(kept) > limit:
            kept = self.used
        if self.path is None or (not self.added and kept.keys() == self.old.keys()):
            return False
        try:
            data = orjson.dumps({"code": self.code, "cards": kept})
        except orjson.JSONEncodeError:  # a lone surrogate in a language tag or colour: not worth keeping
            return False
        return replace_file(self.path, data)


def _is_entry(entry: object) -> bool:
    """Whether a kept card has the shape `KeptSvgs` writes: [svg, png key]."""
    return isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str) and isinstance(entry[1], str)


#: A link in an SVG (`href`, `xlink:href`): a card's images must be inside it (`_self_contained`).
LINK = re.compile(r"""\bhref\s*=\s*(["'])(.*?)\1""", re.DOTALL)
SELF_CONTAINED_HINT = (
    "put the image inside card.svg: paste the logo's own <svg> markup (or {% include %} it from a "
    "template such as templates/_logo.svg), or write it as a data: URI (docs/embedding.md)"
)


#: The name of the element a start tag opens.
_ELEMENT = re.compile(r"<([A-Za-z][\w:.-]*)")


def _fetched(svg: str, at: int) -> bool:
    """Whether the href at `at` names something resvg would draw: not a link to follow (`<a href>`, a card
    wrapped in a link to its fact-check) and not one in a comment (an image left out, `<!-- <image …> -->`)."""
    if svg.rfind("<!--", 0, at) > svg.rfind("-->", 0, at):
        return False
    element = _ELEMENT.match(svg, svg.rfind("<", 0, at))
    return element is None or element.group(1).rpartition(":")[2].lower() != "a"


class CardMaker:
    """Each claim's SVG and PNG card, made one at a time once `prepare` has drawn the missing PNGs in one batch.

    A PNG in the cache is handed to the writer as the cache file's path, not its bytes, so a build
    never holds thousands of PNGs in memory; without a cache (or when it cannot be written) the
    PNGs drawn are kept until written.
    """

    def __init__(
        self, library: Library, env: jinja2.Environment, cache_dir: Path | None, *, by_path: bool = True
    ) -> None:
        self.library, self.env, self.cache_dir, self.by_path = library, env, cache_dir, by_path
        self._svgs: dict[str, str] = {}
        self._keys: dict[str, str] = {}
        self._drawn: dict[str, bytes] = {}
        self._found: dict[str, Path] = {}  # the cached PNGs `prepare` found whole, by key

    def paths(self) -> set[str]:
        """Every card's output path."""
        return {path for claim in self.library.claims for path in (f"cards/{claim.id}.svg", f"cards/{claim.id}.png")}

    def _cache_path(self, key: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / f"{key[:2]}/{key}.png"

    def prepare(self, paths: Iterable[str]) -> None:
        """Lay out the SVGs of the cards to be made and draw the PNGs the cache lacks, each on every core when many."""
        wanted = {path for path in paths if path.startswith("cards/")}
        ids = {path[len("cards/") : -len(".svg")] for path in wanted}  # (.svg and .png are as long)
        claims = [claim for ident in sorted(ids) if (claim := self.library.claims_by_id.get(ident)) is not None]
        kept = self._kept_svgs(len(claims))
        missing: dict[str, str] = {}
        claims = [c for c in claims if f"cards/{c.id}.svg" in wanted or f"cards/{c.id}.png" in wanted]
        addresses = [svg_key(claim, self.library) for claim in claims] if kept is not None else [""] * len(claims)
        found = [None if kept is None else kept.get(address) for address in addresses]
        unkept = [claim for claim, svg in zip(claims, found, strict=True) if svg is None]
        laid_out = iter(rendered_svgs(unkept, self.library, self.env))
        for claim, address, svg_and_key in zip(claims, addresses, found, strict=True):
            if svg_and_key is None:
                svg = next(laid_out)
                svg_and_key = (svg, card_key(svg, self.library.fonts))
                if kept is not None:
                    kept.put(address, *svg_and_key)
            self._prepare_one(claim, wanted, missing, *svg_and_key)
        if kept is not None:
            kept.save(every_card=len(claims) == len(self.library.claims), limit=2 * len(self.library.claims))
        todo = sorted(missing.items())
        with self._drawing():
            for (key, _), png in zip(todo, _draw([svg for _, svg in todo], self.library.fonts), strict=True):
                cached = self._cache_path(key)
                if cached is None or not _store(cached, png):
                    self._drawn[key] = png

    @contextmanager
    def _drawing(self) -> Iterator[None]:
        """resvg refusing a card made by the site's own card.svg: that template's mistake, reported at it."""
        try:
            yield
        except ValueError as exc:
            if self._theme_card():
                raise  # (the built-in card.svg: factpress's own bug)
            message = f"template error: the card it makes is SVG that cannot be drawn: {exc}"
            hint = "the line and column are those of the SVG made for a claim, not of the template"
            raise ContentError([Problem(Location("templates/card.svg"), message, "template-error", hint=hint)]) from exc

    def _self_contained(self, svg: str) -> str:
        """The SVG made by a site's own card.svg, once sure it links no file or address: else a template error.

        resvg reads a linked image from the folder the build runs in (and fetches no address), so
        the PNG would depend on where the build is run, and the published SVG would link a path
        of the builder's disk. The theme's card links nothing.
        """
        if self._theme_card():
            return svg
        for match in LINK.finditer(svg):
            target = match.group(2).strip()
            if not target.startswith("#") and target[:5].lower() != "data:" and _fetched(svg, match.start()):
                remote = "://" in target or target.startswith("//")
                why = (
                    "which resvg does not fetch"
                    if remote
                    else "which resvg would read from the folder the build runs in"
                )
                message = f"template error: the card links {target[:80]!r}, {why}"
                where = Location("templates/card.svg")
                raise ContentError([Problem(where, message, "template-error", hint=SELF_CONTAINED_HINT)])
        return svg

    def _theme_card(self) -> bool:
        """Whether card.svg is the built-in theme's."""
        filename = self.env.get_template("card.svg").filename
        return filename is not None and Path(filename) == THEME / "card.svg"

    def _kept_svgs(self, cards: int) -> KeptSvgs | None:
        """The SVGs kept by earlier builds, when at least half the cards are to be made and card.svg is the theme's.

        Half or more: a full build, or a change every page shows (a template, the site's menu), which
        mostly leaves the cards as they were. A build that makes fewer makes them because their
        claims changed: their SVGs are new, and reading the others' would only cost time. A site's
        own card.svg may read anything (globals, other templates): its cards are always rendered.
        """
        path = kept_svgs_path(self.cache_dir, self.library)
        if path is None or cards < max(KEPT_SVGS_MIN, len(self.library.claims) // 2):
            return None
        if not self._theme_card():
            return None
        return KeptSvgs(path, svg_code_version(), self.library.fonts)

    def _prepare_one(self, claim: ClaimView, wanted: set[str], missing: dict[str, str], svg: str, key: str) -> None:
        self._svgs[claim.id] = self._self_contained(svg)
        if f"cards/{claim.id}.png" in wanted:
            self._keys[claim.id] = key
            cached = self._cache_path(key)
            if cached is None or not _is_cached(cached):
                missing[key] = svg
            else:
                self._found[key] = cached

    def svg(self, claim: ClaimView) -> OutputFile:
        """/cards/<id>.svg."""
        svg = self._svgs.get(claim.id) or self._self_contained(render_card_svg(claim, self.library, self.env))
        return OutputFile(f"cards/{claim.id}.svg", svg.encode("utf-8"))

    def png(self, claim: ClaimView) -> OutputFile:
        """/cards/<id>.png: the cache file to copy, or the bytes drawn."""
        path = f"cards/{claim.id}.png"
        svg = self._svgs.pop(claim.id, None) or self._self_contained(render_card_svg(claim, self.library, self.env))
        key = self._keys.pop(claim.id, None) or card_key(svg, self.library.fonts)
        if key in self._drawn:
            return OutputFile(path, self._drawn[key])
        cached = self._found.get(key) or self._cache_path(key)
        if cached is not None and self.by_path and (key in self._found or _is_cached(cached)):
            return OutputFile(path, source=cached)
        with self._drawing():
            return OutputFile(path, rasterise_all([svg], self.cache_dir, self.library.fonts)[0])


def card_paths(claim: ClaimView, library: Library) -> tuple[str, str]:
    """The site paths of a claim's SVG and PNG card."""
    return library.urls.file(f"cards/{claim.id}.svg"), library.urls.file(f"cards/{claim.id}.png")
