"""The fonts social cards are drawn with: the shipped DejaVu Sans, and a site's own for other scripts.

DejaVu covers Latin, Greek, Cyrillic, Arabic, Hebrew and more, but not Chinese, Japanese, Korean,
Devanagari or Thai. A site writing in those puts a font that has them (a .ttf, .otf or .ttc, such
as Noto Sans CJK or Noto Sans Devanagari) in its project's `fonts/` folder: resvg draws each
character DejaVu lacks with the first of those fonts that has it, and the cards measure it with
that font's advance, so wrapping still matches the drawing. The fonts are part of the project, so
every machine still draws the same bytes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from pathlib import Path
from typing import Any

from .cachefiles import cache_root, replace_file

FONT_DIR = Path(__file__).parent / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FONT_FAMILY = "DejaVu Sans"
#: The endings (in any case) of the files read from a site's fonts/ folder; others (a licence) are left alone.
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
#: Bump when what a font's kept metrics hold changes (version 2: every face of a collection).
METRICS_VERSION = 2


#: Letters of the Arabic script (Arabic, Persian, Urdu...): they join, and are drawn in contextual forms.
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08c9]")
#: What makes the letters on both sides join: the tatweel and the zero-width joiner.
_JOIN_CAUSING = frozenset("\u0640\u200d")
_FORMS = ("isolated", "final", "initial", "medial")


@functools.cache
def _arabic_forms() -> tuple[dict[str, dict[str, str]], dict[tuple[str, str], dict[str, str]]]:
    """Each Arabic letter's contextual forms (its presentation forms, by Unicode's decompositions), and the
    lam-alef ligatures' by their two letters: `{'ب': {'isolated': 'ﺏ', 'final': 'ﺐ', ...}}`."""
    letters: dict[str, dict[str, str]] = {}
    ligatures: dict[tuple[str, str], dict[str, str]] = {}
    for code in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)]:
        tag, *parts = unicodedata.decomposition(chr(code)).split() or [""]
        form = tag.strip("<>")
        if form not in _FORMS:
            continue
        bases = tuple(chr(int(part, 16)) for part in parts)
        if len(bases) == 1:
            letters.setdefault(bases[0], {}).setdefault(form, chr(code))
        elif len(bases) == 2 and bases[0] == "\u0644":  # lam-alef
            ligatures.setdefault((bases[0], bases[1]), {}).setdefault(form, chr(code))
    return letters, ligatures


def joined_forms(text: str, glyphs: dict[str, int]) -> str:
    """The text with each Arabic letter replaced by the form it is drawn in (initial, medial, final or
    isolated, and lam-alef as one), as resvg's shaping draws it; a form the font lacks stays the letter.

    A letter joins the one before when that one joins forward (it has initial and medial forms, or is
    a tatweel) and it joins backward (it has a final form); vowel signs between them are passed over.
    """
    return "".join(joined_form_list(text, glyphs))


def joined_form_list(text: str, glyphs: dict[str, int]) -> list[str]:
    """joined_forms, one entry for each character of the text: its form ('' for the alef a lam-alef takes in)."""
    letters, ligatures = _arabic_forms()

    def joins_forward(char: str) -> bool:
        return char in _JOIN_CAUSING or "initial" in letters.get(char, ())

    def joins_backward(char: str) -> bool:
        return char in _JOIN_CAUSING or "final" in letters.get(char, ())

    bases = [i for i, char in enumerate(text) if not unicodedata.combining(char)]
    out = list(text)
    skip = -1
    for k, i in enumerate(bases):
        char = text[i]
        if i == skip or char not in letters:
            continue
        before = text[bases[k - 1]] if k else ""
        after = text[bases[k + 1]] if k + 1 < len(bases) else ""
        joined_before = bool(before) and joins_forward(before) and joins_backward(char)
        ligature = ligatures.get((char, after))
        if ligature is not None:  # lam-alef, one glyph: final or isolated as the lam joins the letter before
            form = ligature.get("final" if joined_before else "isolated")
            if form in glyphs:
                out[i], out[bases[k + 1]], skip = form, "", bases[k + 1]
                continue
        joined_after = bool(after) and joins_forward(char) and joins_backward(after)
        name = ("medial" if joined_after else "final") if joined_before else ("initial" if joined_after else "isolated")
        form = letters[char].get(name)
        if form in glyphs:
            out[i] = form
    return out


@dataclass(frozen=True, slots=True)
class FontMetrics:
    """Advance widths of one font, enough to wrap text the way resvg will draw it."""

    units_per_em: int
    advances: dict[int, int]
    fallback: int
    #: The advances by character, so a text is measured by one `map` over it (no `ord` a character).
    by_char: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_char", {chr(cp): width for cp, width in self.advances.items()})

    def cut_units(self, text: str, end: str) -> list[int]:
        """The advance of text[:m] + end for every m from 0 to len(text), in one pass: what `units` gives each.

        A cut changes the form of its last Arabic letter only (it no longer joins the next one), so
        the others are measured in the forms the whole text draws them in; measuring each cut alone
        made a line 100,000 characters long take hours to shorten to a card's width.
        """
        advance, fallback, tail = self.by_char.get, self.fallback, self.units(end)
        if text.isascii() or not _ARABIC_LETTER.search(text):
            return [tail, *(units + tail for units in accumulate(map(advance, text, repeat(fallback))))]
        forms = joined_form_list(text, self.by_char)
        widths = [sum(map(advance, form, repeat(fallback))) for form in forms]
        before = [0, *accumulate(widths)]  # the advance of text[:i] as the whole text draws it
        cuts, cut = [tail], 0  # (cut: the last character that is no mark, measured as a cut ends it, and marks after)
        last = back = -1  # the last character that is no mark, and the one before that one
        for i, char in enumerate(text):
            if unicodedata.combining(char):  # a mark keeps its advance, whatever is cut after it
                cut += widths[i]
            else:  # its form as the last one: measured with the letters before it that decide it
                forms = joined_form_list(text[max(back, 0) : i + 1] + end, self.by_char)
                cut = sum(map(advance, forms[i - max(back, 0)], repeat(fallback)))
                back, last = last, i
            cuts.append((before[last] if last >= 0 else 0) + cut + tail)
        return cuts

    def units(self, text: str) -> int:
        """The advance of text in font units: a whole number, so a line's is the sum of its pieces'.

        Arabic letters are measured in the forms they are drawn in, joined to their neighbours
        (see joined_forms): each alone is wider, and a line measured so wrapped well short of the margin.
        """
        if not text.isascii() and _ARABIC_LETTER.search(text):
            text = joined_forms(text, self.by_char)
        return sum(map(self.by_char.get, text, repeat(self.fallback)))

    def width(self, text: str, size: float) -> float:
        """The width of text in pixels at a font size, kerning ignored (it mostly narrows text)."""
        return self.units(text) * size / self.units_per_em

    def with_fallbacks(self, others: Iterable[FontMetrics]) -> FontMetrics:
        """These metrics, and for each character they lack, the first other font's advance in these units."""
        advances: dict[int, int] = {}
        for other in others:
            scale = self.units_per_em / other.units_per_em
            for cp, width in other.advances.items():
                if cp not in advances:
                    advances[cp] = round(width * scale)
        advances.update(self.advances)
        return FontMetrics(self.units_per_em, advances, self.fallback)


def font_files(folder: Path) -> tuple[Path, ...]:
    """The font files of a site's fonts/ folder, in name order (the order resvg tries them in)."""
    return tuple(
        path
        for path in sorted(folder.iterdir())
        if path.suffix.lower() in FONT_SUFFIXES and not path.name.startswith(".") and path.is_file()
    )


def fonts_digest(fonts: tuple[Path, ...]) -> str:
    """What a site's fonts change in its cards ('' without any, so the cards of other sites keep their keys)."""
    if not fonts:
        return ""
    return hashlib.sha256("".join(f"{path.name}\0{file_digest(path)}\0" for path in fonts).encode()).hexdigest()


@functools.cache
def file_digest(path: Path) -> str:
    """The SHA-256 of a font file, once a process (a CJK font is some 16 MB)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def font_metrics(bold: bool, fonts: tuple[Path, ...] = ()) -> FontMetrics:
    """The shipped font's advance widths, then the site's fonts' for what it lacks; read once per process.

    Each font's are kept in the cache folder: reading them with fontTools takes a fifth of a second
    for DejaVu, seconds for a CJK font, more than a rebuild spends on its cards. Raises FontError
    when a site's font cannot be read.
    """
    shipped = metrics_of(FONT_BOLD if bold else FONT_REGULAR)
    return shipped.with_fallbacks(metrics_of(path) for path in fonts) if fonts else shipped


def _magic(font_file: Path) -> bytes:
    """A font file's first four bytes: what kind of file it is (ttcf, wOFF, wOF2, or a single font)."""
    with font_file.open("rb") as handle:
        return handle.read(4)


class FontError(Exception):
    """A file in fonts/ that is not a font fontTools can read."""


@functools.cache
def metrics_of(font_file: Path) -> FontMetrics:
    """One font's metrics, from the cache folder when kept there (by the file's digest)."""
    root = cache_root()
    kept = None
    if root is not None:
        kept = root / "fonts" / f"{file_digest(font_file)[:32]}.json"
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            data = json.loads(kept.read_text(encoding="utf-8"))
            advances = {int(cp): int(width) for cp, width in data["advances"].items()}
            if data.get("version") == METRICS_VERSION and int(data["units_per_em"]) > 0:
                return FontMetrics(int(data["units_per_em"]), advances, int(data["fallback"]))
    metrics = _read_font_metrics(font_file)
    if kept is not None:
        data = {"version": METRICS_VERSION, "units_per_em": metrics.units_per_em}
        data |= {"advances": metrics.advances, "fallback": metrics.fallback}
        replace_file(kept, json.dumps(data).encode("utf-8"))
    return metrics


def _read_font_metrics(font_file: Path) -> FontMetrics:
    """A font's cmap and advance widths, read with fontTools; a collection's faces in order, as resvg tries them."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        magic = _magic(font_file)
        if magic in (b"wOFF", b"wOF2"):  # fontTools reads WOFF; resvg draws none of it
            raise FontError(f"a {'WOFF2' if magic == b'wOF2' else 'WOFF'} web font: convert it to .ttf or .otf")
        if magic == b"ttcf":
            faces = list(TTCollection(str(font_file), lazy=True).fonts)
        else:
            faces = [TTFont(str(font_file), lazy=True)]
        first, *others = [_face_metrics(face) for face in faces]
        return first.with_fallbacks(others)
    except FontError:
        raise
    except Exception as exc:  # fontTools raises many kinds for a file that is not a font
        raise FontError(f"{type(exc).__name__}: {exc}") from exc


def _face_metrics(font: Any) -> FontMetrics:
    """One face's advances by character, and the advance of the character it lacks (.notdef)."""
    metrics = font["hmtx"].metrics
    cmap = font.getBestCmap() or {}
    advances = {cp: metrics[name][0] for cp, name in cmap.items() if name in metrics}
    notdef = metrics.get(".notdef", next(iter(metrics.values()), (0, 0)))[0]
    units = int(font["head"].unitsPerEm)
    if not 16 <= units <= 16384:  # (OpenType's range; 0 would divide every width by zero)
        raise FontError(f"its units per em, {units}, are outside 16-16384")
    return FontMetrics(units, advances, notdef)


def missing_characters(texts: Iterable[str], fonts: tuple[Path, ...]) -> list[str]:
    """The characters of texts that neither the shipped font nor the site's fonts can draw (spaces aside)."""
    seen = set("".join(texts))
    return sorted(ch for ch in seen - _covered(fonts) if ch.isprintable() and not ch.isspace())


def drawable(text: str, fonts: tuple[Path, ...]) -> str:
    """The text without the characters no font has (an emoji, a script no font covers).

    resvg draws one of them as an empty box and, past it, stops looking in the other fonts for
    the rest of the line: one emoji turned a whole line of Japanese into boxes.
    """
    if text.isascii():  # (DejaVu has every printable ASCII character)
        return text
    covered = _covered(fonts)
    return "".join(ch for ch in text if ch in covered or ch.isspace() or not ch.isprintable())


@functools.cache
def _covered(fonts: tuple[Path, ...]) -> frozenset[str]:
    return frozenset(font_metrics(True, fonts).by_char.keys() | font_metrics(False, fonts).by_char.keys())


#: Pieces of a text and the family each is drawn in ('' for the card's own, DejaVu Sans).
Runs = tuple[tuple[str, str], ...]


def font_runs(text: str, fonts: tuple[Path, ...]) -> Runs:
    """The text cut where it changes font: each character DejaVu lacks goes to the first site font that has it.

    Given to resvg as one run, a line mixing Latin with Devanagari was drawn from the first
    Devanagari character on in the site's font, Latin included and measured as DejaVu, and a vowel
    sign after the Latin run came out misplaced. Named runs are shaped each in its own font, as
    they are measured. Marks, joiners and spaces stay with the run they follow, and so do digits and
    punctuation the run's font has: a Hindi sentence with 1,200 in it is one run, as few as can be.
    """
    if not fonts or text.isascii():
        return ((text, ""),)
    own = _covered(())
    sites = [(metrics_of(path).by_char, family_of(path)) for path in fonts]
    has = {name: chars for chars, name in reversed(sites)}
    runs: list[tuple[str, str]] = []
    piece, family = "", ""
    for ch in text:
        category = unicodedata.category(ch)
        if ch in "\u200c\u200d" or category[0] == "M" or ch.isspace():
            wanted = family
        elif ch in own:  # a letter DejaVu has is DejaVu's; a digit or a comma stays in the run it is in
            wanted = family if category[0] != "L" and family and ch in has[family] else ""
        else:
            wanted = next((name for chars, name in sites if ch in chars), "")
        if wanted != family and piece:
            runs.append((piece, family))
            piece = ""
        piece, family = piece + ch, wanted
    if piece:
        runs.append((piece, family))
    return tuple(runs)


@functools.cache
def family_of(font_file: Path) -> str:
    """The family name resvg finds a font by (its first face's, from the name table), '' when it has none."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        collection = _magic(font_file) == b"ttcf"
        font = TTCollection(str(font_file), lazy=True).fonts[0] if collection else TTFont(str(font_file), lazy=True)
        return str(font["name"].getBestFamilyName() or "")
    except Exception:  # (a font check already refused a file fontTools cannot read)
        return ""


def forget() -> None:
    """Read the fonts again on next use: a preview server outlives an edit of fonts/."""
    for cached in (file_digest, font_metrics, metrics_of, _covered, family_of):
        cached.cache_clear()
