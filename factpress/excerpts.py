"""Finding quoted excerpts in archived snapshots, forgiving only what copy-paste changes.

Both texts are normalised the same way (typographic quotes and apostrophes, dashes however typed
and spaced, white space, ellipses, case and compatibility forms) while remembering where each
normalised character came from, so a match can be highlighted in the original text. A word a PDF
broke at a line end (`govern-` / `ment`) matches it whole or hyphenated. An ellipsis in an excerpt
skips words within one paragraph. When nothing matches, RapidFuzz finds the closest passage to show: its
partial alignment scans a 200 KB snapshot in milliseconds, where difflib takes about a second.
The same map picks the words of a URL text fragment (`#:~:text=`) that lands on the excerpt.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .model import Span

_QUOTES = {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u0060\u00b4"}
_QUOTES.update({c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u2039\u203a"})
_QUOTES.update({c: '"' for c in "\u300c\u300d\u300e\u300f\u301d\u301e\u301f"})  # 「」『』〝〞〟: CJK quotes
_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}
#: Marks written or left out at will: Arabic vowel signs (harakat) and the tatweel, Hebrew points,
#: the Devanagari nukta (ज़ and ज: Hindi writers drop it).
_OPTIONAL_MARKS = {
    chr(c): ""
    for c in [
        *range(0x064B, 0x0660),
        0x0670,
        0x0640,
        *range(0x0591, 0x05BE),
        0x05BF,
        0x05C1,
        0x05C2,
        0x05C4,
        0x05C5,
        0x05C7,
        0x093C,
    ]
}
#: Middle dots: Korean writes ㆍ or ·, Japanese ・.
_MIDDLE_DOTS = {c: "\u00b7" for c in "\u318d\u30fb\u2027\u2219\u22c5"}
#: Cyrillic letters (small and capital) drawn like the Latin a e o p c y x i j s in both cases.
_CYRILLIC_AS_LATIN = (
    "\u0430\u0410", "\u0435\u0415", "\u043e\u041e", "\u0440\u0420", "\u0441\u0421",
    "\u0443\u0423", "\u0445\u0425", "\u0456\u0406", "\u0458\u0408", "\u0455\u0405",
)  # fmt: skip
_SPECIAL = {
    **_QUOTES, **_DASHES, **_OPTIONAL_MARKS, **_MIDDLE_DOTS,
    "\u2026": "...", "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
    "\u0451": "e", "\u0401": "e",  # yo as ye (folded as the Latin e, below): Russian writes the two dots at will
    # Turkish dotted capital and dotless small i as i: their case pairs are not the ones casefold
    # knows (YILLIK, MALİYET), and a keyboard without the dotless i types i
    "\u0130": "i", "\u0131": "i",
    # Greek vowels with the tonos as without: capitals are written without it (ΑΘΗΝΑ is Αθήνα)
    **dict.fromkeys("\u03ac\u0386", "\u03b1"), **dict.fromkeys("\u03ad\u0388", "\u03b5"),
    **dict.fromkeys("\u03ae\u0389", "\u03b7"), **dict.fromkeys("\u03af\u038a", "\u03b9"),
    **dict.fromkeys("\u03cc\u038c", "\u03bf"), **dict.fromkeys("\u03cd\u038e", "\u03c5"),
    **dict.fromkeys("\u03ce\u038f", "\u03c9"), "\u0390": "\u03ca", "\u03b0": "\u03cb",
    # Cyrillic letters drawn as Latin ones, in both cases, as Latin: a Ukrainian typing on a Russian or
    # Latin layout writes the Latin i for the Cyrillic one, and pasted text mixes the scripts unseen
    **{c: latin for pair, latin in zip(_CYRILLIC_AS_LATIN, "aeopcyxijs", strict=True) for c in pair},
    "\u0457": "\u00ef", "\u0407": "\u00ef",  # ї as ï
    "\u0964": "|", "\u0965": "||",  # the danda, which a keyboard without it types as |
    # Hebrew gershayim, geresh and maqaf, which a keyboard types as " ' -
    "\u05f4": '"', "\u05f3": "'", "\u05be": "-",
    # Arabic-script percent, thousands and decimal signs, typed as % , .
    "\u066a": "%", "\u066c": ",", "\u066b": ".",
    # Persian yeh and keheh, which an Arabic keyboard types as Arabic yeh and kaf
    "\u06cc": "\u064a", "\u06a9": "\u0643",
}  # fmt: skip

ELLIPSIS = "..."
#: Ellipsis spellings in an excerpt, after folding: `...`, `[...]`, `(...)` (and `…` folds to `...`).
_ELLIPSIS = re.compile(r"[\[(]\s*\.\.\.+\s*[\])]|\.\.\.+")
#: A blank line ends a paragraph; a text without blank lines has a paragraph per line.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
#: Below this RapidFuzz score (0-100) the "closest passage" is too unlike the excerpt to help.
MIN_SCORE = 50
#: Words of an excerpt compared for the closest passage: a 1,000-word excerpt aligned whole took a minute.
ALIGN_WORDS = 40
#: Characters of an excerpt compared at most: text without spaces (Chinese, Japanese) is one long word.
ALIGN_CHARS = 300
#: Parts of an elided excerpt the closest passage looks for, at most: each is looked for in the whole
#: snapshot, so an excerpt of 2,000 parts against 3 MB took 3 s. No quotation has so many.
MAX_COMPARED_PARTS = 20
#: Paragraphs where an elided excerpt's first part is tried, at most (each costs a few microseconds).
MAX_STARTS = 100_000
#: Quotes of at most this many words are targeted whole by a text fragment; longer ones by start,end.
EXACT_WORDS = 10
#: textStart and textEnd take at least this many words, more when fewer would match elsewhere first.
RANGE_WORDS = 4
#: ... and at most this many: each word more is looked for again from the snapshot's start, so an excerpt
#: of 50,000 words whose start the snapshot gives earlier took 11 s (its square's worth of words).
MOST_RANGE_WORDS = 1_000


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """What one character becomes after normalisation ('' when it vanishes)."""
    if char in _SPECIAL:
        return _SPECIAL[char]
    if char.isspace():
        return " "
    if char.isascii():
        return char.lower()
    digit = unicodedata.decimal(char, None)
    if digit is not None:  # ٩٢ and ९२ are 92
        return str(digit)
    folded = unicodedata.normalize("NFKC", char)
    return "".join(_SPECIAL.get(c, c) for c in folded).casefold()


def _joins(char: str) -> bool:
    """True for a character written after a letter to make one with it: a combining mark, or a Korean
    vowel or final consonant jamo (한 written in three, as NFD and some Korean input methods save it)."""
    return bool(unicodedata.combining(char)) or "\u1160" <= char <= "\u11ff" or "\ud7b0" <= char <= "\ud7ff"


#: Marks after a letter past which they cannot compose with it into one character: no character's
#: decomposition is longer than four (U+1F82, alpha and three marks; UAX #15 gives NFD's expansion
#: as four), and a base with its marks folds as one only when NFKC makes one character of them.
MOST_MARKS = 8


def _marks_end(text: str, i: int) -> int:
    """The offset after the combining marks (and jamo) that start at i; -1 when there are more than MOST_MARKS.

    Bounded so that a run of 100,000 accents is read in one pass (each of them starts a run: counting
    each to its end made fold quadratic, 17 s for 20,000 accents, and kept each run in _fold_cluster's cache).
    """
    end, stop = i + 1, min(len(text), i + 1 + MOST_MARKS)
    while end < stop and _joins(text[end]):
        end += 1
    return -1 if end == stop < len(text) and _joins(text[end]) else end


@lru_cache(maxsize=4096)
def _fold_cluster(cluster: str) -> str | None:
    """A base character and its combining marks folded as one character, or None when they compose to no one character.

    `e` + U+0301 is `é` written in two: the same letter, so it folds as `é` does. Only a base that
    folds to one character alone is taken (not a space, a dash or an ellipsis).
    """
    if len(_fold_char(cluster[0])) != 1:
        return None
    composed = unicodedata.normalize("NFKC", cluster)
    if len(composed) != 1:
        return None
    folded = _fold_char(composed)
    return folded if len(folded) == 1 else None


@dataclass(frozen=True, slots=True)
class Folded:
    """A normalised text and a map from each of its characters to its offset in the original.

    The map is kept as segments where the two advance together (`starts[j]` in the text is
    `origins[j]` in the original): a snapshot differs from its folded text only at white space
    runs and a few characters, so it has a few dozen segments where a per-character table had
    thousands of integers (making that table was most of the cost of folding).
    """

    text: str
    original: str
    starts: tuple[int, ...]
    origins: tuple[int, ...]
    #: The original offset of each segment's last character, for `at`.
    lasts: tuple[int, ...]
    #: Whether the text has a MARK (a hyphen that may be a word's break at a line end): matching it
    #: then takes a pattern (see find_excerpt); most snapshots have none and keep find_words (str.find).
    marked: bool = False

    def origin_of(self, index: int) -> int:
        """The offset in the original of the normalised character at index (0 <= index < len(text))."""
        segment = bisect.bisect_right(self.starts, index) - 1
        return self.origins[segment] + index - self.starts[segment]

    def at(self, offset: int) -> int:
        """The position in the normalised text of the first character at or after an original offset."""
        segment = bisect.bisect_left(self.lasts, offset)
        if segment == len(self.lasts):
            return len(self.text)
        return self.starts[segment] + max(0, offset - self.origins[segment])

    @property
    def origin(self) -> tuple[int, ...]:
        """The original offset of every normalised character (made on request: the segments say it shorter)."""
        ends = (*self.starts[1:], len(self.text))[: len(self.starts)]
        segments = zip(self.starts, ends, self.origins, strict=True)
        return tuple(offset for start, end, first in segments for offset in range(first, first + end - start))


#: ASCII characters that fold to their own lower case (not white space, not the backtick quote).
_ASCII_SAME = "".join(chr(c) for c in range(128) if not chr(c).isspace() and chr(c) not in _SPECIAL)
#: Punctuation French typography sets off with a space (and Hindi the danda), which a retyped excerpt
#: may leave out, or put where the source had none: that space is not kept, nor the one after «. The
#: space before « is kept, as before the " an excerpt is typed with (`dit « oui »` is `dit "oui"`).
#: German and Danish write the marks the other way round, »so«, with the spaces outside: see
#: _typographic_space.
_SPACED_BEFORE = ":;!?%\u066a\u00bb\u0964\u0965"
#: That punctuation, and the «: where fold looks for white space before them (see has_spaced_punctuation).
_SPACED_MARKS = re.compile(f"[{re.escape(_SPACED_BEFORE)}\u00ab]")
#: A run of such characters, single spaces between them (not one before spaced punctuation): it folds
#: to its lower case, one for one, as far as its first hyphen that is not inside a word (_plain_end).
_PLAIN_RUN = re.compile(f"[{re.escape(_ASCII_SAME)}]+(?: (?![:;!?%])[{re.escape(_ASCII_SAME)}]+)*")
#: A run of white space: it folds to one space (none at the start, or after another space).
_SPACES = re.compile(r"\s+")
#: Characters that fold to one ASCII character of _ASCII_SAME (quotes, dashes), one for one.
#: (« » and the danda are left to the loop: the spaces typography puts by them are not kept.)
_ONE_FOR_ONE = {
    char: folded for char, folded in _SPECIAL.items() if len(folded) == 1 and char not in _SPACED_BEFORE + "\u00ab"
}


def _replace_one_for_one(text: str) -> str:
    """The text with quotes and dashes replaced by what they fold to, so runs of plain words go through them.

    Replacing one character by one keeps every offset. str.replace for each kind the text has
    is four times faster than str.translate on a snapshot that is not pure ASCII.
    """
    if text.isascii():
        return text.replace("`", "'")
    for char, folded in _ONE_FOR_ONE.items():
        if char in text:
            text = text.replace(char, folded)
    return text


def has_spaced_punctuation(text: str) -> bool:
    """Whether white space comes before punctuation French typography sets off, or a « is written.

    Such text is folded a character at a time. Found by the punctuation first, then the character
    before it: five times faster than a regular expression starting with white space, over
    thousands of snapshots that have none.
    """
    for match in _SPACED_MARKS.finditer(text):
        at = match.start()
        if text[at] == "\u00ab" or (at > 0 and text[at - 1].isspace()):
            return True
    return False


#: Hangul, which is wide but written with spaces between words.
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff\uffa0-\uffdc]")


@lru_cache(maxsize=4096)
def written_without_spaces(char: str) -> bool:
    """A character of a script written without spaces between words: Chinese, Japanese (full- and
    half-width) and full-width punctuation, as CSS Text 3 tells them by their East Asian width.

    Not an emoji (wide too, but a symbol set between words of any language: `look 👇` / `🔗 here`), nor a
    code point Unicode has not assigned (which unicodedata calls full-width).
    """
    return (
        unicodedata.east_asian_width(char) in ("W", "F", "H")
        and not _HANGUL.match(char)
        and unicodedata.category(char) not in ("So", "Cn")
    )


def _space_between_words_alone(text: str, start: int, stop: int) -> bool:
    """Whether the white space text[start:stop] stands between two characters written without spaces.

    Chinese and Japanese put no space between words, so such white space is a line break of the
    source (a PDF's line end, `報道発表資料` / `令和７年`) or a spacing choice: an excerpt copied
    without it is the same words. Not between two digits: full-width `1 000` is a grouped number.
    """
    if start == 0 or stop == len(text):
        return False
    before, after = text[start - 1], text[stop]
    if before < "\u1100" or after < "\u1100" or (before.isdigit() and after.isdigit()):  # (Latin, Arabic...)
        return False
    return written_without_spaces(before) and written_without_spaces(after)


#: What comes just before a « that opens a quotation: a « after anything else closes one (German `so« und`).
_BEFORE_OPENING = "([{'\"\u2018\u201a\u201c\u201e"


def _typographic_space(text: str, start: int, stop: int) -> bool:
    """Whether the white space text[start:stop] is the space French typography sets off punctuation with.

    That is the space before : ; ! ? % or a closing », and the one after an opening «. German and
    Danish quote »the other way«, the spaces outside the marks: a » followed by a word opens a
    quotation, and a « that follows a word or its punctuation closes one, so the space before the one
    and after the other is an ordinary word space, kept (`sagte »nein« und` is `sagte "nein" und`).
    """
    if stop < len(text) and text[stop] in _SPACED_BEFORE:
        return text[stop] != "\u00bb" or stop + 1 == len(text) or not text[stop + 1].isalnum()
    if start > 0 and text[start - 1] == "\u00ab":
        return start < 2 or text[start - 2].isspace() or text[start - 2] in _BEFORE_OPENING
    return False


#: What a hyphen folds to where it may end a line inside a word (`govern-` / `ment`, `well-` / `known`):
#: the soft hyphen, which never stands for itself in a folded text (it vanishes, see _SPECIAL). A MARK
#: matches a hyphen or nothing (see _marked_pattern), since the text cannot say which the word had.
MARK = "\u00ad"
#: Dashes whatever the white space around them; a hyphen is one only with white space on both sides.
_DASH_CHARS = frozenset("\u2013\u2014\u2015\ufe58")
#: Hyphens that may break a word at a line end (not a dash, a minus or the non-breaking hyphen).
_LINE_HYPHENS = frozenset("-\u2010")


def _dash_end(plain: str, text: str, at: int) -> int:
    """The end of the dash that starts at `at` (in the text with quotes and dashes replaced), or -1.

    A dash is two or three hyphens (typed for one), an en or em dash, or one hyphen with white space
    or the text's edge on both sides (` - `). It folds to one hyphen and the white space by it to
    nothing: `a -- b`, `a--b` and `a — b` are all `a-b`. Four or more hyphens are a line, not a dash.
    """
    length = len(plain)
    if at >= length or plain[at] != "-" or (at and plain[at - 1] == "-"):
        return -1
    end = at + 1
    while end < length and plain[end] == "-":
        end += 1
    if end - at > 1:
        return end if end - at <= 3 else -1
    if text[at] in _DASH_CHARS:
        return end
    spaced = (at == 0 or plain[at - 1].isspace()) and (end == length or plain[end].isspace())
    return end if spaced else -1


def _letter_or_mark(char: str) -> bool:
    """A letter or an accent on one: what a word broken at a line end has before its hyphen."""
    return char.isalpha() or unicodedata.category(char)[0] == "M"


def _broken_word_end(text: str, at: int) -> int:
    """The end of the white space after the hyphen (or soft hyphen) at `at` when it breaks a word, else -1.

    It does when it follows a letter (or its accent) and white space with at most one line break
    leads to a letter or digit: a PDF's `govern-` / `ment`. Any white space, not only a line break:
    once copied (a YAML line folded, a page's text) the two are the same; a blank line is not.
    """
    if at == 0 or not _letter_or_mark(text[at - 1]):
        return -1
    spaces = _SPACES.match(text, at + 1)
    if spaces is None or spaces.end() == len(text) or not text[spaces.end()].isalnum():
        return -1
    return spaces.end() if text.count("\n", at + 1, spaces.end()) <= 1 else -1


def fold(text: str) -> Folded:
    """Normalise text for matching, collapsing white space, keeping a map to the original.

    Quotes and dashes are replaced first, one for one; what is then ASCII is folded by string
    methods (_fold_ascii). Otherwise runs of plain ASCII words are folded whole, and runs of
    white space skipped whole: about 20 times faster than a character at a time, which matters
    for thousands of snapshots. Every other character goes through _fold_char.
    """
    plain = _replace_one_for_one(text)
    if plain.isascii() and not has_spaced_punctuation(plain) and (folded := _fold_ascii(plain, text)) is not None:
        return folded
    out: list[str] = []
    starts: list[int] = []  # the segments of the map (see Folded)
    origins: list[int] = []
    size = 0  # of the normalised text so far
    follows = -1  # the original offset that continues the current segment
    last_space = True
    hyphen = plain.find("-")  # the next hyphen (-1: none is left), compared where one may be
    dash_end = -1  # where the last dash ended: white space from there is not kept
    soft = "\u00ad" in text  # a soft hyphen breaking a word takes the white space after it
    marked = False
    i, length, match_run, match_spaces = 0, len(text), _PLAIN_RUN.match, _SPACES.match
    while i < length:
        run = match_run(plain, i)
        if run is not None:
            end = run.end()
            if -1 < hyphen < end:  # a hyphen that may be a dash or break a word ends the run before it
                end = _plain_end(plain, i, end)
                hyphen = plain.find("-", end)
            if end > i:
                out.append(plain[i:end].lower())
                if i != follows:
                    starts.append(size)
                    origins.append(i)
                size += end - i
                follows = i = end
                last_space = False
                continue
        if i == hyphen:  # a dash, a word broken at a line end, or hyphens as they are
            after = plain[i + 1 : i + 2]
            if after != "-" and after.strip() and text[i] not in _DASH_CHARS:  # (a hyphen in a word, most)
                end, folded = i + 1, "-"
            else:
                end = dash_end = _dash_end(plain, text, i)
                folded = "-"
                if end == -1:
                    end, folded = _fold_hyphens(text, i, _hyphens_end(plain, i))
                    marked = marked or folded == MARK
            if i != follows:
                starts.append(size)
                origins.append(i)
            out.append(folded)
            size += len(folded)
            follows = i + len(folded)
            hyphen = plain.find("-", end)
            i = end
            last_space = False
            continue
        spaces = match_spaces(plain, i)
        if spaces is not None:
            stop = spaces.end()
            if ((stop < length and text[stop] in _SPACED_BEFORE) or (i > 0 and text[i - 1] == "\u00ab")) and (
                _typographic_space(text, i, stop)
            ):
                i = stop  # the space French typography puts by : ; ! ? « and » (not kept: see _SPACED_BEFORE)
                continue
            if (
                i == dash_end
                or (stop == hyphen and _dash_end(plain, text, stop) != -1)
                or (soft and i > 0 and text[i - 1] == "\u00ad" and _broken_word_end(text, i - 1) == stop)
                or (stop < length and text[stop] >= "\u2e80" and _space_between_words_alone(text, i, stop))
            ):
                i = stop  # white space by a dash, after a soft hyphen that breaks a word, or in Chinese: not kept
                continue
            if not last_space:
                out.append(" ")
                if i != follows:
                    starts.append(size)
                    origins.append(i)
                size += 1
                follows = i + 1
                last_space = True
            i = stop
            continue
        if follows == i and _joins(text[i]) and (marks := _marks_end(text, i)) > 0:
            composed = _fold_cluster(text[i - 1 : marks])
            if composed is not None:  # a letter written as base + accent (NFD, as macOS saves) folds as one
                out[-1] = out[-1][:-1] + composed
                i = marks
                continue
        folded = _fold_char(text[i])
        if folded and not (folded == " " and last_space):
            last_space = folded == " "
            out.append(folded)
            for _ in folded:  # each character of an expansion ("…" to "...") comes from the same one
                if i != follows:
                    starts.append(size)
                    origins.append(i)
                size += 1
                follows = i + 1
        i += 1
    joined = "".join(out)
    if joined.endswith(" "):
        joined = joined[:-1]
        if starts[-1] == len(joined):
            starts.pop()
            origins.pop()
    ends = [*starts[1:], len(joined)][: len(starts)]  # (no segment at all when the text folds to nothing)
    lasts = tuple(first + end - start - 1 for start, end, first in zip(starts, ends, origins, strict=True))
    return Folded(joined, text, tuple(starts), tuple(origins), lasts, marked)


def _plain_end(plain: str, at: int, end: int) -> int:
    """The end of the plain run at..end (see _PLAIN_RUN) cut before its first hyphen by white space or
    by another hyphen (or at the text's edge): that one may be a dash or break a word at a line end."""
    hyphen = plain.find("-", at, end)
    while hyphen != -1:
        before = plain[hyphen - 1] if hyphen else " "
        after = plain[hyphen + 1] if hyphen + 1 < len(plain) else " "
        if before == "-" or after == "-" or before.isspace() or after.isspace():
            return hyphen - 1 if hyphen > at and before == " " else hyphen
        hyphen = plain.find("-", hyphen + 1, end)
    return end


def _hyphens_end(plain: str, at: int) -> int:
    """The end of the run of hyphens at `at`."""
    end = at + 1
    while end < len(plain) and plain[end] == "-":
        end += 1
    return end


def _fold_hyphens(text: str, at: int, end: int) -> tuple[int, str]:
    """Hyphens at..end that are no dash folded: where they end, with the white space they take, and what they become.

    A hyphen breaking a word at a line end is a MARK and takes the white space after it; others stay.
    """
    if end == at + 1 and text[at] in _LINE_HYPHENS and (broken := _broken_word_end(text, at)) != -1:
        return broken, MARK
    return end, "-" * (end - at)


#: A run of spaces.
_SPACE_RUN = re.compile(" +")
#: Hyphens that may be a dash or break a word (see _hyphen_edits): a run of two or more, or one by a
#: space or the text's end. Starting with the hyphen itself, so that a snapshot is scanned at C speed.
_HYPHEN_BY_SPACE = re.compile(r"-(?:-+|(?= )|(?<= -)|$)")


def _fold_ascii(plain: str, text: str) -> Folded | None:
    """fold for a text that is ASCII once quotes and dashes are replaced, by string methods (most snapshots).

    When its only white space is spaces and newlines, its words fold to their lower case and each
    run of white space to one space: the map breaks only after runs of two or more (and at the
    start), found by str.find, and at the few dashes and broken words (_hyphen_edits). None for any
    other text (fold's loop then does it).
    """
    spaced = plain.replace("\n", " ")
    if not spaced.isprintable():  # tabs, other white space or control characters
        return None
    lower = spaced.lower()
    at, end = len(lower) - len(lower.lstrip(" ")), len(lower.rstrip(" "))
    if at >= end:
        return Folded("", text, (), (), ())
    first_hyphen = lower.find("-", at, end)
    hyphens = _hyphen_edits(lower, text, first_hyphen, at, end) if first_hyphen != -1 else []
    out: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    size, copied, follows = 0, at, -1  # the text folded so far; where copying resumes; what continues the segment
    wide = lower.find("  ", at, end)  # the next run of spaces, which folds to its first
    for start, stop, becomes, origin in [*hyphens, (end, end, "", end)]:
        while start > copied:
            upto = start if wide == -1 or wide >= start else wide + 1
            if copied != follows:
                starts.append(size)
                origins.append(copied)
            out.append(lower[copied:upto])
            size += upto - copied
            follows = copied = upto
            if upto != start:
                copied = _SPACE_RUN.match(lower, wide).end()  # type: ignore[union-attr]
                wide = lower.find("  ", copied, end)
        if becomes:
            if origin != follows:
                starts.append(size)
                origins.append(origin)
            out.append(becomes)
            size += 1
            follows = origin + 1
        copied = stop
        if -1 < wide < stop:  # spaces by a dash are its edit's
            wide = lower.find("  ", stop, end)
    folded = "".join(out)
    ends = [*starts[1:], len(folded)]
    lasts = tuple(origin + end - start - 1 for start, end, origin in zip(starts, ends, origins, strict=True))
    return Folded(folded, text, tuple(starts), tuple(origins), lasts, bool(hyphens) and MARK in folded)


#: An edit of a text being folded: the range start..stop becomes `becomes` ('' or one character, from `origin`).
_Edit = tuple[int, int, str, int]


def _hyphen_edits(lower: str, text: str, first_hyphen: int, at: int, end: int) -> list[_Edit]:
    """Where the dashes and broken words of an ASCII text fold (between at and end, where its words are;
    looked for from its first hyphen).

    `lower` has each newline replaced by a space; `text` is the original. A dash becomes one hyphen,
    with the spaces on both sides; a hyphen breaking a word, a MARK with the spaces after it (see fold).
    """
    edits: list[_Edit] = []
    taken = at  # spaces before a dash are taken back to here, not into the edit before
    for match in _HYPHEN_BY_SPACE.finditer(lower, first_hyphen, end):
        first, last = match.span()
        after = last
        while after < end and lower[after] == " ":
            after += 1
        spaced = (first == 0 or lower[first - 1] == " ") and (last == len(lower) or lower[last] == " ")
        if 2 <= last - first <= 3 or (last - first == 1 and (spaced or text[first] in _DASH_CHARS)):
            before = first
            while before > taken and lower[before - 1] == " ":
                before -= 1
            edits.append((before, after, "-", first))
            taken = after
        elif (
            last - first == 1
            and after > last
            and after < end
            and first > at
            and text[first] in _LINE_HYPHENS
            and lower[first - 1].isalpha()
            and lower[after].isalnum()
            and text.count("\n", last, after) <= 1
        ):
            edits.append((first, after, MARK, first))
            taken = after
    return edits


def fold_plain(text: str) -> str:
    """Normalise text for comparison only.

    Words joined by single spaces (the terms of a text fragment, most excerpts) only need lower case
    once quotes and dashes are replaced, and their dashes folded: that shortcut skips fold's loop and
    its map, run tens of thousands of times a build.
    """
    plain = _replace_one_for_one(text)
    if not _PLAIN_RUN.fullmatch(plain):
        return fold(text).text
    lower = plain.lower()
    if "-" not in lower:
        return lower
    pieces, copied = [], 0
    for start, stop, becomes, _ in _hyphen_edits(lower, text, lower.find("-"), 0, len(lower)):  # (single spaces)
        pieces += [lower[copied:start], becomes]
        copied = stop
    return "".join([*pieces, lower[copied:]])


def excerpt_pieces(excerpt: str) -> list[str]:
    """The pieces of an excerpt between ellipses, as written (white space collapsed), without empty ones."""
    folded = fold(excerpt)
    pieces, start = [], 0
    for match in [*_ELLIPSIS.finditer(folded.text), None]:
        end = match.start() if match else len(folded.text)
        piece = folded.text[start:end].strip(" ")
        if piece.strip("."):
            first = start + (folded.text[start:end].index(piece))
            original = excerpt[folded.origin_of(first) : folded.origin_of(first + len(piece) - 1) + 1]
            pieces.append(" ".join(original.split()))
        start = match.end() if match else end
    return pieces


def excerpt_parts(excerpt: str) -> list[str]:
    """The pieces of an excerpt between ellipses, normalised, without empty ones."""
    return _parts(fold_plain(excerpt))


def _parts(folded: str) -> list[str]:
    """The pieces of a normalised excerpt between ellipses, without empty ones."""
    parts = (part.strip(" ") for part in _ELLIPSIS.split(folded))
    return [part for part in parts if part.strip(".")]


@lru_cache(maxsize=8192)
def paragraph_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """Paragraphs as (start, end) offsets: split on blank lines if any, else on each newline.

    Kept per text: every excerpt of a snapshot asks again (17,000 times for 2,500 snapshots at
    10,000 claims, in claim order, not snapshot order), and a string keeps its own hash.
    """
    splitter = _BLANK_LINE if _BLANK_LINE.search(text) else re.compile(r"\n")
    ranges, start = [], 0
    for match in [*splitter.finditer(text), None]:
        next_start = match.end() if match else len(text)
        end = match.start() if match else len(text)
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            ranges.append((start, end))
        start = next_start
    return tuple(ranges)


def paragraph_breaks(original: str) -> list[int]:
    """Offsets where paragraphs end (sorted), so a match can be kept within one paragraph."""
    return [end for _, end in paragraph_ranges(original)]


#: Letters of the scripts that set words apart with spaces and join no little word onto the next (Latin, Greek,
#: Cyrillic): a quote never starts or ends inside one of their words. Not Arabic or Hebrew, whose 'and'
#: and 'the' are written onto the word (a quote may leave the 'and' out), nor scripts without spaces.
_WORD_LETTERS = (
    "a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin
    "\u0386\u0388-\u03ff\u1e00-\u1fff"  # Greek (and Latin's additional letters)
    "\u0400-\u0481\u048a-\u052f"  # Cyrillic
)
_WORD_LETTER = re.compile(f"[{_WORD_LETTERS}]")
#: What continues a number: a digit, or a decimal or thousands sign and a digit (12 is not 112, 1.12 or 12,5).
_NUMBER_BEFORE, _NUMBER_AFTER = "(?<![0-9])(?<![0-9][.,])", "(?![0-9])(?![.,][0-9])"


def find_words(text: str, part: str, start: int = 0, end: int | None = None) -> int:
    """Where part first stands in text (from start, ending by end) as whole words and numbers, or -1.

    An excerpt is the source's words, so it neither starts nor ends inside one: '12 million euros' is
    not in '112 million euros', nor 'able to pay' in 'unable to pay', though str.find finds both (and
    the page then quoted a figure or a meaning the source does not give). The first place str.find
    gives is almost always whole; only when it is not is a regular expression made for the part.
    """
    end = len(text) if end is None else end
    at = text.find(part, start, end)
    if at == -1 or _whole(text, at, at + len(part)):
        return at
    found = _whole_words(part).search(text, at + 1, min(end + 2, len(text)))  # (+2: what follows may tell)
    return -1 if found is None or found.end() > end else found.start()


def _whole(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] starts and ends where a word or number does (as _whole_words tells).

    Most places have a space on each side (folded text has no other white space): told at once.
    """
    if start > 0 and text[start - 1] != " ":
        first, before = text[start], text[start - 1]
        if _digit(first) and (_digit(before) or (before in ".," and _digit(text[start - 2 : start - 1]))):
            return False
        if _letter(first) and _letter(before):
            return False
    if end < len(text) and text[end] != " ":
        last, after = text[end - 1], text[end]
        if _digit(last) and (_digit(after) or (after in ".," and _digit(text[end + 1 : end + 2]))):
            return False
        if _letter(last) and _letter(after):
            return False
    return True


def _letter(char: str) -> bool:
    """Whether a character is a letter of _WORD_LETTERS (isalpha first: a C call, most characters are ASCII)."""
    return char.isalpha() and (char.isascii() or _WORD_LETTER.match(char) is not None)


def _digit(char: str) -> bool:
    """Whether a character (or '' past the text's end) is a digit 0-9: the folded text writes every digit so."""
    return "0" <= char <= "9"


@lru_cache(maxsize=256)
def _whole_words(part: str) -> re.Pattern[str]:
    """The part where it starts and ends as whole words and numbers (see find_words)."""
    before = _NUMBER_BEFORE if _digit(part[0]) else f"(?<![{_WORD_LETTERS}])" if _letter(part[0]) else ""
    after = _NUMBER_AFTER if _digit(part[-1]) else f"(?![{_WORD_LETTERS}])" if _letter(part[-1]) else ""
    return re.compile(before + re.escape(part) + after)


def find_excerpt(excerpt: str, snapshot: Folded) -> tuple[Span, ...] | None:
    """Locate an excerpt in a snapshot: spans in the original text, or None when not found.

    Each ellipsis-separated piece must follow the previous one within the same paragraph. The
    later pieces are looked for only up to the end of the first piece's paragraph, and only from
    its first place in each paragraph (greedy matching from there finds the earliest parts any
    later start could): a hostile snapshot of 300,000 one-line paragraphs each starting like the
    excerpt is searched in one pass, not once a line.
    """
    folded = fold_plain(excerpt)
    parts = _parts(folded)
    if not parts:
        return None
    if not snapshot.marked:
        if len(parts) == 1:  # (most excerpts: one str.find, in find_words)
            first_at = find_words(snapshot.text, parts[0])
            if first_at != -1:
                return (_span(snapshot, first_at, len(parts[0])),)
        elif spans := _find_parts(list(parts), snapshot):
            return spans
        if MARK not in folded:  # (a part with a MARK is never found by str.find in a text without one)
            return None
    return _find_parts([_marked_pattern(part) for part in parts], snapshot)


def _find_parts(needles: list[_Needle], snapshot: Folded) -> tuple[Span, ...] | None:
    """find_excerpt's search for its parts, each a needle (see _Needle)."""
    text = snapshot.text
    first_at, first_end = _search(text, needles[0], 0, len(text))
    if len(needles) == 1 or first_at == -1:
        return None if first_at == -1 else (_span(snapshot, first_at, first_end - first_at),)
    breaks = paragraph_breaks(snapshot.original)
    last_second = _last_start(text, needles[1])  # no start after it can succeed
    for _ in range(MAX_STARTS):
        index = bisect.bisect_left(breaks, snapshot.origin_of(first_at))
        limit = snapshot.at(breaks[index]) if index < len(breaks) else len(text)
        spans = _match_within(needles, snapshot, first_at, first_end, limit)
        if spans:
            return spans
        first_at, first_end = _search(text, needles[0], max(limit, first_at + 1), len(text))
        if first_at == -1 or first_at > last_second:
            return None
    return None  # a snapshot made to have the first part start a paragraph hundreds of thousands of times


#: One part of an excerpt, folded, as it is looked for in a snapshot: itself (find_words), or a pattern
#: when either text has a MARK (a word that may be broken at a line end, see _marked_pattern).
_Needle = str | re.Pattern[str]


def _needle(part: str, snapshot: Folded) -> _Needle:
    """A folded part as it is looked for in this snapshot."""
    return _marked_pattern(part) if snapshot.marked or MARK in part else part


def _search(text: str, needle: _Needle, start: int, end: int) -> tuple[int, int]:
    """Where a needle first is in text between start and end, and where it stops there: (-1, -1) when nowhere."""
    if needle.__class__ is str:
        at = find_words(text, needle, start, end)  # type: ignore[arg-type]
        return at, at + len(needle)
    # (+2: what follows may tell whether the last word is whole, as in find_words)
    match = needle.search(text, start, min(end + 2, len(text)))  # type: ignore[union-attr]
    return (-1, -1) if match is None or match.end() > end else match.span()


def _last_start(text: str, needle: _Needle) -> int:
    """Where a needle last starts in text (a pattern: the text's end when it is anywhere); -1 when nowhere."""
    if needle.__class__ is str:
        return text.rfind(needle)  # type: ignore[arg-type]
    return -1 if needle.search(text) is None else len(text)  # type: ignore[union-attr]


@lru_cache(maxsize=1024)
def _marked_pattern(part: str) -> re.Pattern[str]:
    """A folded part as a pattern that lets a word be broken at a line end in either text.

    A MARK in the part (its own line-end hyphen) matches a hyphen, a MARK or nothing; a hyphen in a
    word matches a hyphen or a MARK; and the snapshot may have a MARK between any two letters of a
    word. So `government` and `govern-ment` both match `govern-` / `ment`, and `well-known` matches
    `well-` / `known`; a changed letter or a space never does.
    """
    pieces: list[str] = []
    for index, char in enumerate(part):
        after = part[index + 1 : index + 2]
        if char == MARK:
            pieces.append(f"[-{MARK}]?")
        elif char == "-" and index and _letter_or_mark(part[index - 1]) and (not after or after.isalnum()):
            pieces.append(f"[-{MARK}]")
        else:
            pieces.append(re.escape(char))
            if after.isalnum() and _letter_or_mark(char):
                pieces.append(f"{MARK}?")
    # whole words and numbers, as find_words; a MARK counts as inside a word ('govern' is not whole in
    # 'govern-' / 'ment', which may be one word)
    before = _NUMBER_BEFORE if _digit(part[0]) else f"(?<![{_WORD_LETTERS}{MARK}])" if _letter(part[0]) else ""
    after = _NUMBER_AFTER if _digit(part[-1]) else f"(?![{_WORD_LETTERS}{MARK}])" if _letter(part[-1]) else ""
    return re.compile(before + "".join(pieces) + after)


def _past_marks(original: str, end: int) -> int:
    """An end offset moved past the combining marks of the letter before it (they fold into that letter)."""
    while end < len(original) and _joins(original[end]):
        end += 1
    return end


def _span(snapshot: Folded, at: int, length: int) -> Span:
    """The original text of the normalised characters at..at+length."""
    return Span(snapshot.origin_of(at), _past_marks(snapshot.original, snapshot.origin_of(at + length - 1) + 1))


def _match_within(
    needles: list[_Needle], snapshot: Folded, first_at: int, first_end: int, limit: int
) -> tuple[Span, ...] | None:
    """Spans when every part follows from first_at before limit (the paragraph's end), else None."""
    spans = [_span(snapshot, first_at, first_end - first_at)]
    at = first_end
    for needle in needles[1:]:
        at, end = _search(snapshot.text, needle, at, limit)
        if at == -1:
            return None
        spans.append(_span(snapshot, at, end - at))
        at = end
    return tuple(spans)


def _locate(piece: str, snapshot: Folded, start: int = 0) -> tuple[int, int]:
    """Where a piece of an excerpt (as written) first is in a snapshot from start, and where it stops there
    ((-1, -1) when nowhere)."""
    return _search(snapshot.text, _needle(fold_plain(piece), snapshot), start, len(snapshot.text))


# -- the closest passage, when an excerpt is not found ---------------------------------------------


@dataclass(frozen=True, slots=True)
class NearMiss:
    """The passage of a snapshot closest to an excerpt that was not found, and how it differs."""

    passage: str
    score: float
    difference: str


def _why_parts_not_found(pieces: list[str], snapshot: Folded) -> str:
    """Why an excerpt whose every part is in the snapshot was not found: their order, or a paragraph break."""
    at = 0
    for piece in pieces:
        found, at = _locate(piece, snapshot, at)
        if found == -1:
            return "every part is in the snapshot, but not in this order"
    where = "" if _BLANK_LINE.search(snapshot.original) else " (this snapshot has no blank lines: each line is one)"
    return (
        f"every part is in the snapshot in this order, but not within one paragraph{where}:"
        " an ellipsis skips words only inside a paragraph"
    )


def closest_passage(excerpt: str, snapshot: Folded) -> NearMiss | None:
    """The snapshot passage most like the excerpt (RapidFuzz partial alignment), with a word diff.

    For an excerpt with ellipses, the first piece that is missing is compared; when every piece
    is there but not in order within one paragraph, that is what the difference says. An excerpt
    of more than MAX_COMPARED_PARTS pieces has none.
    """
    pieces = excerpt_pieces(excerpt)
    if not pieces or not snapshot.text or len(pieces) > MAX_COMPARED_PARTS:
        return None
    piece = next((piece for piece in pieces if _locate(piece, snapshot)[0] == -1), None)
    if piece is None:
        passage = _original_words(snapshot, *_widen_to_words(snapshot, *_locate(pieces[0], snapshot)))
        return NearMiss(passage, 100.0, _why_parts_not_found(pieces, snapshot))
    near = _align(piece, snapshot)
    if near is None:
        return None
    label = f"part {pieces.index(piece) + 1} of {len(pieces)}: " if len(pieces) > 1 else ""
    return NearMiss(near.passage, near.score, label + near.difference)


def _align(piece: str, snapshot: Folded) -> NearMiss | None:
    """Where one piece of an excerpt best fits the snapshot, trimmed to whole words.

    RapidFuzz is imported here, on the first excerpt not found: a build or check whose excerpts
    all match (every rebuild from the cache) does not pay for loading it.
    """
    from rapidfuzz import fuzz

    start, named = _compared_start(piece)
    if named:  # alignment grows with the square of the piece: compare its start
        shown = _align(start, snapshot)
        if shown is None:
            return None
        if not shown.difference:
            return NearMiss(shown.passage, shown.score, f"{named} match: the difference is later")
        return NearMiss(shown.passage, shown.score, f"{named}: {shown.difference}")
    align = fuzz.partial_ratio_alignment(fold_plain(piece), snapshot.text)
    if align is None or align.score < MIN_SCORE:
        return None
    start, end = _reach(snapshot.text, *_widen_to_words(snapshot, align.dest_start, align.dest_end))
    if end <= start:
        return None
    units = [(m.start(), m.end()) for m in _WORD.finditer(snapshot.text, start, end)]
    first, last = _trim_unmatched(_words(piece), [snapshot.text[a:b] for a, b in units])
    if first < last:
        start, end = units[first][0], units[last - 1][1]
    passage = _original_words(snapshot, start, end)
    return NearMiss(passage, align.score, word_difference(piece, passage) or punctuation_difference(piece, passage))


def _compared_start(piece: str) -> tuple[str, str]:
    """The start of a long piece that alignment compares, and what the difference calls it ('' for a short piece).

    Its first ALIGN_WORDS words, and no more than ALIGN_CHARS characters of them: Chinese or Japanese
    writes no spaces, so a wrong 1,000-character excerpt was one word, and took 16 s to align.
    """
    words = piece.split()
    if len(words) <= ALIGN_WORDS and len(piece) <= ALIGN_CHARS:
        return piece, ""
    start, named = " ".join(words[:ALIGN_WORDS]), f"its first {min(len(words), ALIGN_WORDS)} words"
    if len(start) > ALIGN_CHARS:
        cut = start.rfind(" ", 0, ALIGN_CHARS + 1)
        if cut > 0:
            start = start[:cut]
            named = f"its first {len(start.split())} words"
        else:
            start, named = start[:ALIGN_CHARS], f"its first {ALIGN_CHARS} characters"
    return start, named


#: A word broken at a line end: by a hyphen (shown joined, hyphen kept) or a soft hyphen (shown whole).
_BROKEN_AT_LINE_END = re.compile(r"(?<=\w)(?:([-\u2010])|\u00ad)[^\S\n]*\n[^\S\n]*(?=\w)")


def _original_words(snapshot: Folded, start: int, end: int) -> str:
    """The original text behind a normalised range, white space collapsed, a word broken at a line end joined."""
    original = snapshot.original[snapshot.origin_of(start) : snapshot.origin_of(end - 1) + 1]
    if "\n" in original and ("-\n" in original or "\u00ad" in original or snapshot.marked):
        original = _BROKEN_AT_LINE_END.sub(lambda broken: broken.group(1) or "", original)
    return " ".join(original.split())


#: Characters that are each a word for the difference shown: Chinese and Japanese write no spaces,
#: so a "word" up to the next space was a whole sentence (and the difference, all of it).
_ALONE = (
    "\u3001-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f\uff5e\uff61-\uff9f\U00020000-\U0003134f"
)
#: A dash, a word of its own however it is spaced (`deficit—the` is three words, as `deficit — the` is):
#: an en or em dash, or two or three hyphens typed for one.
_DASH_WORD = "[\u2013\u2014\u2015\ufe58]|(?<!-)-{2,3}(?!-)"
#: A word: one such character, a dash, or a run of any others up to white space (digits, Latin, Hangul).
_WORD = re.compile(f"[{_ALONE}]|{_DASH_WORD}|(?:(?!{_DASH_WORD})[^\\s{_ALONE}])+")
_IS_ALONE = re.compile(f"[{_ALONE}]")


def _words(text: str) -> list[str]:
    """The words of a text: str.split, with each Chinese or Japanese character and each dash a word of its own."""
    return _WORD.findall(text)


def _widen_to_words(snapshot: Folded, start: int, end: int) -> tuple[int, int]:
    """A normalised range widened to whole words: to white space, a dash, or a Chinese or Japanese character."""
    text = snapshot.text
    while start > 0 and text[start - 1] != " " and not _alone_at(text, start - 1) and not _alone_at(text, start):
        if _is_dash(snapshot, start - 1) or _is_dash(snapshot, start):
            break
        start -= 1
    while end < len(text) and text[end] != " " and not _alone_at(text, end) and not _alone_at(text, end - 1):
        if _is_dash(snapshot, end) or _is_dash(snapshot, end - 1):
            break
        end += 1
    return start, end


def _is_dash(snapshot: Folded, index: int) -> bool:
    """Whether the normalised character at index is a dash (not a hyphen in a word): see _dash_end."""
    if snapshot.text[index] != "-":
        return False
    original, at = snapshot.original, snapshot.origin_of(index)
    before, after = original[at - 1 : at] if at else "", original[at + 1 : at + 2]
    return original[at] in _DASH_CHARS or after == "-" or (not before.strip() and not after.strip())


def _alone_at(text: str, index: int) -> bool:
    """True when the character at index is a word alone (Chinese, Japanese)."""
    return 0 <= index < len(text) and _IS_ALONE.match(text, index) is not None


#: Chinese or Japanese characters taken on each side of an alignment before its edges are trimmed:
#: it is as long as the excerpt, so a changed word at an end (見込み for 見通し) was cut in two.
REACH = 1


def _reach(text: str, start: int, end: int) -> tuple[int, int]:
    """A range grown by REACH characters on each side that are words alone (no more: a replaced word takes
    in every one after it)."""
    for _ in range(REACH):
        start -= _alone_at(text, start - 1)
        end += _alone_at(text, end)
    return start, end


def _trim_unmatched(excerpt_words: list[str], passage_words: list[str]) -> tuple[int, int]:
    """The passage words to keep: drop extra words at either edge that the excerpt does not have."""
    opcodes = _matcher(excerpt_words, passage_words).get_opcodes()
    first, last = 0, len(passage_words)
    if len(opcodes) > 1 and opcodes[0][0] == "insert":
        first = opcodes[0][4]
    if len(opcodes) > 1 and opcodes[-1][0] == "insert":
        last = opcodes[-1][3]
    return first, last


def _matcher(a: list[str], b: list[str], key: Callable[[str], str] | None = None) -> difflib.SequenceMatcher[str]:
    # words are compared normalised and without surrounding punctuation, so "Euros," matches "euros"
    key = key or _bare
    return difflib.SequenceMatcher(a=[key(w) for w in a], b=[key(w) for w in b], autojunk=False)


def word_difference(excerpt: str, passage: str, key: Callable[[str], str] | None = None) -> str:
    """A compact word diff: `[-excerpt words-]{+snapshot words+}` where the two differ, '' where none does."""
    a, b = _spaced_words(excerpt), _spaced_words(passage)
    pieces: list[str] = []
    opcodes = _matcher([w for w, _ in a], [w for w, _ in b], key).get_opcodes()
    if all(op == "equal" for op, *_ in opcodes):
        return ""
    for op, a1, a2, b1, b2 in opcodes:
        if op == "equal":
            pieces.append(_shortened(a[a1:a2]))
        if op in ("delete", "replace"):
            pieces.append(f"[-{_joined(a[a1:a2])}-]")
        if op in ("insert", "replace"):
            pieces.append(f"{{+{_joined(b[b1:b2])}+}}")
    return " ".join(pieces)


def punctuation_difference(excerpt: str, passage: str) -> str:
    """The difference when the words are the same and their punctuation is not (`,,` typed for „, or
    `''` for ”, which are no quote marks): words compared with the marks around them, but for a
    sentence's end ('' when that shows nothing either)."""
    shown = word_difference(excerpt, passage, key=_without_sentence_end)
    return f"in punctuation only: {shown}" if shown else ""


def _without_sentence_end(word: str) -> str:
    """A word normalised, the sentence punctuation after it set aside (`r/r.` is `r/r`), quote marks kept."""
    folded = fold_plain(word)
    end = len(folded)
    while end > 1 and folded[end - 1] not in "\"'" and _is_punctuation(folded[end - 1]):
        end -= 1
    return folded[:end]


def _shortened(words: Sequence[tuple[str, bool]]) -> str:
    """Matching words as written, or their first and last three when there are more than six (a
    Chinese or Japanese character counting as a third of a word)."""
    thirds = [1 if _IS_ALONE.fullmatch(word) else 3 for word, _ in words]
    if sum(thirds) <= 18:
        return _joined(words)
    head = list(itertools.accumulate(thirds))
    tail = list(itertools.accumulate(reversed(thirds)))
    first, last = bisect.bisect_right(head, 9), bisect.bisect_right(tail, 9)
    return f"{_joined(words[:first])} … {_joined(words[len(words) - last :])}"


def _spaced_words(text: str) -> list[tuple[str, bool]]:
    """Each word of a text, and whether white space comes before it (not between two Chinese characters)."""
    return [(m.group(), m.start() > 0 and text[m.start() - 1].isspace()) for m in _WORD.finditer(text)]


def _joined(words: Sequence[tuple[str, bool]]) -> str:
    """Words put back together as they were written: spaced where the text had a space."""
    return "".join(f" {word}" if spaced and i else word for i, (word, spaced) in enumerate(words))


#: A hyphen inside a word, which the words compared for a difference leave out.
_HYPHEN_IN_WORD = re.compile(r"(?<=[^\W\d_])-(?=[^\W_])")


def _bare(word: str) -> str:
    """A word without the punctuation around it, in any script (। 。 ، ؟ as . , ?; the danda folds to |),
    nor a hyphen inside it: a word broken at a line end is shown `govern-ment`, and matches `government`
    (a hyphen that is the only difference is shown by punctuation_difference)."""
    folded = fold_plain(word)
    start, end = 0, len(folded)
    while start < end and _is_punctuation(folded[start]):
        start += 1
    while end > start and _is_punctuation(folded[end - 1]):
        end -= 1
    bare = folded[start:end] or folded
    return _HYPHEN_IN_WORD.sub("", bare) if "-" in bare else bare


def _is_punctuation(char: str) -> bool:
    """Sentence punctuation around a word: ASCII's own few (a sign, %, # and - are part of a number or
    a word), and every other script's (। 。 ، ؟)."""
    if char.isascii():
        return char in _WORD_EDGES
    return unicodedata.category(char).startswith("P")


_WORD_EDGES = frozenset(".,;:!?()[]\"'|")


# -- text fragments: the words a browser searches for to land on an excerpt -------------------------


@dataclass(frozen=True, slots=True)
class FragmentTerms:
    """The parts of a text directive (`prefix-,start,end`): empty end for an exact match."""

    start: str
    end: str = ""
    prefix: str = ""


def fragment_terms(snapshot: Folded, spans: Sequence[Span]) -> FragmentTerms | None:
    """Words that make a browser land on these spans: the whole quote when short, else start,end.

    Browsers match each term within one block, at word boundaries, taking the first match in
    the page; so terms stop at paragraph breaks, start and end on whole words, and grow (or gain
    a prefix) until they match nowhere earlier in the snapshot.
    """
    if not spans:
        return None
    original = snapshot.original
    start, end = _word_start(original, spans[0].start), _word_end(original, spans[-1].end)
    paragraphs = paragraph_ranges(original)
    first_para, last_para = _paragraph_of(paragraphs, start), _paragraph_of(paragraphs, end - 1)
    if len(spans) == 1 and first_para == last_para:
        words = original[start:end].split()
        if len(words) <= EXACT_WORDS:
            return _exact_terms(snapshot, start, words, first_para[0])
        return _range_terms(snapshot, start, end, words, words, len(words) // 2)
    head = original[start : min(_word_end(original, spans[0].end), first_para[1])].split()
    tail = original[max(_word_start(original, spans[-1].start), last_para[0]) : end].split()
    if not head or not tail:
        return None
    return _range_terms(snapshot, start, end, head, tail, len(head))


def _exact_terms(snapshot: Folded, start: int, words: list[str], para_start: int) -> FragmentTerms:
    """The whole quote; with a few words of prefix when the same words come earlier."""
    term = " ".join(words)
    return FragmentTerms(term, prefix=_prefix(snapshot, start, term, para_start))


def _prefix(snapshot: Folded, start: int, term: str, para_start: int) -> str:
    """A few words before `start` (the term's place) in its paragraph, when the term alone comes earlier ('' if not)."""
    if _first_at(snapshot, term, 0) == snapshot.at(start) or not snapshot.original[start - 1 : start].isspace():
        return ""
    before = list(re.finditer(r"\S+", snapshot.original[para_start:start]))
    for count in range(1, min(len(before), RANGE_WORDS) + 1):
        prefix = " ".join(m.group() for m in before[-count:])
        if _first_at(snapshot, f"{prefix} {term}", 0) == snapshot.at(para_start + before[-count].start()):
            return prefix
    return ""


def _range_terms(snapshot: Folded, start: int, end: int, head: list[str], tail: list[str], most: int) -> FragmentTerms:
    """textStart from the head words (at most `most`), textEnd from the tail words, each short but unambiguous
    (textStart with a prefix when all the head words come earlier: a quote starting at a line's last words)."""
    at_start, at_end = snapshot.at(start), snapshot.at(end)
    most = min(most, MOST_RANGE_WORDS)
    count = min(RANGE_WORDS, most)
    while count < most and _first_at(snapshot, " ".join(head[:count]), 0) != at_start:
        count += 1
    first = " ".join(head[:count])
    prefix = ""
    if count == most and _first_at(snapshot, first, 0) != at_start:
        prefix = _prefix(snapshot, start, first, _paragraph_of(paragraph_ranges(snapshot.original), start)[0])
    after = at_start + len(fold_plain(first))
    limit = min(len(tail) - count if head is tail else len(tail), MOST_RANGE_WORDS)
    count = min(RANGE_WORDS, limit)
    while count < limit and _ends_at(snapshot, " ".join(tail[-count:]), after) != at_end:
        count += 1
    return FragmentTerms(first, " ".join(tail[-count:]), prefix)


def _first_at(snapshot: Folded, term: str, after: int) -> int:
    """Where a term of the snapshot's words is first in it from `after` (-1 when nowhere)."""
    if not snapshot.marked:
        return snapshot.text.find(fold_plain(term), after)
    return _search(snapshot.text, _needle(fold_plain(term), snapshot), after, len(snapshot.text))[0]


def _ends_at(snapshot: Folded, term: str, after: int) -> int:
    """Where a term of the snapshot's words first ends in it, from `after` (-1 when nowhere)."""
    if not snapshot.marked:
        folded = fold_plain(term)
        found = snapshot.text.find(folded, after)
        return -1 if found == -1 else found + len(folded)
    return _search(snapshot.text, _needle(fold_plain(term), snapshot), after, len(snapshot.text))[1]


def _paragraph_of(paragraphs: Sequence[tuple[int, int]], offset: int) -> tuple[int, int]:
    # (offset, inf) sorts after every paragraph starting at or before offset, and before the others
    index = bisect.bisect_right(paragraphs, (offset, math.inf)) - 1
    return paragraphs[max(index, 0)] if paragraphs else (0, offset + 1)


def _word_start(text: str, offset: int) -> int:
    while 0 < offset < len(text) and text[offset - 1].isalnum() and text[offset].isalnum():
        offset -= 1
    return offset


def _word_end(text: str, offset: int) -> int:
    while 0 < offset < len(text) and text[offset].isalnum() and text[offset - 1].isalnum():
        offset += 1
    return offset
