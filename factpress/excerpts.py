"""Finding quoted excerpts in archived snapshots, forgiving only what copy-paste changes.

Both texts are normalised the same way (typographic quotes and apostrophes, dashes, white space,
ellipses, case and compatibility forms) while remembering where each normalised character came
from, so a match can be highlighted in the original text. An ellipsis in an excerpt skips words
within one paragraph. When nothing matches, RapidFuzz finds the closest passage to show.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from .model import Span

_QUOTES = {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u0060\u00b4"}
_QUOTES.update({c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u2039\u203a"})
_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}
_SPECIAL = {**_QUOTES, **_DASHES, "\u2026": "...", "\u00ad": "", "\u200b": "", "\u200d": "", "\ufeff": ""}

ELLIPSIS = "..."


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """What one character becomes after normalisation ('' when it vanishes)."""
    if char in _SPECIAL:
        return _SPECIAL[char]
    if char.isspace():
        return " "
    if char.isascii():
        return char.lower()
    folded = unicodedata.normalize("NFKC", char)
    return "".join(_SPECIAL.get(c, c) for c in folded).casefold()


@dataclass(frozen=True, slots=True)
class Folded:
    """A normalised text and, for each of its characters, the offset in the original."""

    text: str
    origin: tuple[int, ...]
    original: str


def fold(text: str) -> Folded:
    """Normalise text for matching, collapsing white space, keeping a map to the original."""
    out: list[str] = []
    origin: list[int] = []
    last_space = True
    for i, char in enumerate(text):
        folded = _fold_char(char)
        if not folded:
            continue
        if folded == " ":
            if last_space:
                continue
            last_space = True
        else:
            last_space = False
        out.append(folded)
        origin.extend([i] * len(folded))
    joined = "".join(out)
    if joined.endswith(" "):
        joined = joined[:-1]
        origin.pop()
    # a multi-character fold (… -> ...) appends several chars; align origin length with text
    return Folded(joined, tuple(origin[: len(joined)]), text)


def fold_plain(text: str) -> str:
    """Normalise text for comparison only."""
    return fold(text).text


def excerpt_parts(excerpt: str) -> list[str]:
    """The pieces of an excerpt between ellipses, normalised, without empty ones."""
    folded = fold_plain(excerpt)
    folded = folded.replace("[...]", ELLIPSIS).replace("(...)", ELLIPSIS)
    return [part.strip(" ") for part in folded.split(ELLIPSIS) if part.strip(" .")]


def paragraph_breaks(original: str) -> list[int]:
    """Offsets where paragraphs end: blank lines if the text has any, else every newline."""
    marker = "\n\n" if "\n\n" in original else "\n"
    breaks = []
    start = original.find(marker)
    while start != -1:
        breaks.append(start)
        start = original.find(marker, start + len(marker))
    return breaks


def _crosses_break(breaks: list[int], start: int, end: int) -> bool:
    return any(start <= b < end for b in breaks)


def find_excerpt(excerpt: str, snapshot: Folded) -> tuple[Span, ...] | None:
    """Locate an excerpt in a snapshot: spans in the original text, or None when not found.

    Each ellipsis-separated piece must follow the previous one within the same paragraph.
    """
    parts = excerpt_parts(excerpt)
    if not parts:
        return None
    text, origin = snapshot.text, snapshot.origin
    breaks = paragraph_breaks(snapshot.original) if len(parts) > 1 else []
    first_at = text.find(parts[0])
    while first_at != -1:
        spans = _match_from(parts, text, origin, first_at, breaks)
        if spans is not None:
            return spans
        first_at = text.find(parts[0], first_at + 1)
    return None


def _match_from(
    parts: list[str], text: str, origin: tuple[int, ...], first_at: int, breaks: list[int]
) -> tuple[Span, ...] | None:
    spans: list[Span] = []
    at = first_at
    for index, part in enumerate(parts):
        if index:
            at = text.find(part, at)
            if at == -1:
                return None
        start = origin[at]
        end = origin[at + len(part) - 1] + 1
        if spans and _crosses_break(breaks, spans[0].start, end):
            return None
        spans.append(Span(start, end))
        at += len(part)
    return tuple(spans)


@dataclass(frozen=True, slots=True)
class NearMiss:
    """The passage of a snapshot closest to an excerpt that was not found, and how it differs."""

    passage: str
    score: float
    difference: str


def closest_passage(excerpt: str, snapshot: Folded) -> NearMiss | None:
    """The snapshot passage most like the excerpt (RapidFuzz partial alignment), with a word diff."""
    needle = " ".join(excerpt_parts(excerpt))
    if not needle or not snapshot.text:
        return None
    align = fuzz.partial_ratio_alignment(needle, snapshot.text)
    if align is None or align.score < 40:
        return None
    start, end = align.dest_start, align.dest_end
    start, end = _widen_to_words(snapshot.text, start, end)
    if end <= start:
        return None
    orig_start = snapshot.origin[start]
    orig_end = snapshot.origin[end - 1] + 1
    passage = " ".join(snapshot.original[orig_start:orig_end].split())
    difference = word_difference(needle, snapshot.text[start:end])
    return NearMiss(passage, align.score, difference)


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1] != " ":
        start -= 1
    while end < len(text) and text[end] != " ":
        end += 1
    return start, end


def word_difference(excerpt: str, passage: str) -> str:
    """A compact word diff: `[-excerpt words-]{+snapshot words+}` where the two differ."""
    a, b = excerpt.split(), passage.split()
    pieces: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            words = a[a1:a2]
            pieces.append(" ".join(words) if len(words) <= 6 else f"{' '.join(words[:3])} … {' '.join(words[-3:])}")
        if op in ("delete", "replace"):
            pieces.append(f"[-{' '.join(a[a1:a2])}-]")
        if op in ("insert", "replace"):
            pieces.append(f"{{+{' '.join(b[b1:b2])}+}}")
    return " ".join(pieces)
