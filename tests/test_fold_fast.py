"""excerpts.fold folds plain ASCII runs whole for speed: it must give exactly what folding each character gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from factpress.excerpts import _SPACED_BEFORE, _SPECIAL, MARK, _fold_char, _fold_cluster, _joins, fold


def _hyphen(char: str) -> bool:
    return char == "-" or _SPECIAL.get(char) == "-"


def _space_or_edge(text: str, index: int) -> bool:
    return not 0 <= index < len(text) or text[index].isspace()


def _breaks_word(text: str, hyphen: int) -> bool:
    """A hyphen (or soft hyphen) after a letter or its accent, then white space with at most one line
    break, then a letter or a digit: a word broken at a line end."""
    if hyphen == 0 or not (text[hyphen - 1].isalpha() or unicodedata.category(text[hyphen - 1])[0] == "M"):
        return False
    end = hyphen + 1
    while end < len(text) and text[end].isspace():
        end += 1
    return hyphen + 1 < end < len(text) and text[end].isalnum() and text.count("\n", hyphen + 1, end) <= 1


def hyphen_runs(text: str) -> dict[int, tuple[int, str]]:
    """Each run of hyphens by its start: its end, and 'dash', 'mark' or '' (hyphens as they are).

    A dash is two or three hyphens, an en or em dash, or one hyphen with white space (or the text's
    edge) on both sides; a mark, one hyphen breaking a word at a line end.
    """
    runs: dict[int, tuple[int, str]] = {}
    i = 0
    while i < len(text):
        if not _hyphen(text[i]):
            i += 1
            continue
        end = i
        while end < len(text) and _hyphen(text[end]):
            end += 1
        single = end == i + 1
        dash_char = single and text[i] in "\u2013\u2014\u2015\ufe58"
        if end - i in (2, 3) or dash_char or (single and _space_or_edge(text, i - 1) and _space_or_edge(text, end)):
            kind = "dash"
        elif single and text[i] in "-\u2010" and _breaks_word(text, i):
            kind = "mark"
        else:
            kind = ""
        runs[i] = (end, kind)
        i = end
    return runs


#: What may come just before a « that opens a quotation (German and Danish close one with it after a word).
OPENERS = "([{'\"\u2018\u201a\u201c\u201e"


def spaceless(char: str) -> bool:
    """Chinese, Japanese and full-width characters (East Asian width W, F, H), not Korean, not emoji nor
    unassigned code points: written without spaces."""
    korean = "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f" or "\ua960" <= char <= "\ua97f"
    korean = korean or "\uac00" <= char <= "\ud7ff" or "\uffa0" <= char <= "\uffdc"
    symbol = unicodedata.category(char) in ("So", "Cn")
    return unicodedata.east_asian_width(char) in ("W", "F", "H") and not korean and not symbol


def fold_by_character(text: str) -> tuple[str, tuple[int, ...]]:
    """The reference: every character through _fold_char, white space collapsed, as fold did before.

    A letter followed by combining marks that compose with it (NFD text) folds as the composed letter.
    A dash folds to one hyphen and the white space by it to nothing; a hyphen breaking a word at a
    line end to MARK, and the white space after it (or after a soft hyphen breaking a word) to nothing.
    """
    runs = hyphen_runs(text)
    dash_ends = {end for end, kind in runs.values() if kind == "dash"}
    out: list[str] = []
    origin: list[int] = []
    last_space = True
    skip_to = 0
    for i, char in enumerate(text):
        if i < skip_to:
            continue
        if i in runs:
            end, kind = runs[i]
            folded = {"dash": "-", "mark": MARK}.get(kind, "-" * (end - i))
            out.extend(folded)
            origin.extend(range(i, i + len(folded)))
            last_space = False
            skip_to = end
            continue
        if char.isspace():  # a run of white space French typography puts by : ; ! ? « » is not kept
            start, end = i, i
            while start > 0 and text[start - 1].isspace():
                start -= 1
            while end < len(text) and text[end].isspace():
                end += 1
            before_mark = end < len(text) and text[end] in _SPACED_BEFORE
            if before_mark and text[end] == "\u00bb" and end + 1 < len(text) and text[end + 1].isalnum():
                before_mark = False  # German »Wort«: this » opens a quotation, the space before it is a word's
            after_guillemet = start > 0 and text[start - 1] == "\u00ab"
            if after_guillemet and start > 1 and not text[start - 2].isspace() and text[start - 2] not in OPENERS:
                after_guillemet = False  # German »Wort« und: this « closes a quotation, the space after it is a word's
            if before_mark or after_guillemet:
                continue
            if start in dash_ends or runs.get(end, (0, ""))[1] == "dash":  # by a dash
                continue
            if start > 0 and runs.get(start - 1, (0, ""))[1] == "mark":  # after a broken word's hyphen
                continue
            if start > 0 and text[start - 1] == "\u00ad" and _breaks_word(text, start - 1):
                continue
            between = start > 0 and end < len(text) and spaceless(text[start - 1]) and spaceless(text[end])
            if between and not (text[start - 1].isdigit() and text[end].isdigit()):
                continue  # between Chinese or Japanese characters (not between two digits)
        if origin and origin[-1] == i - 1 and _joins(char):
            end = i + 1
            while end < len(text) and _joins(text[end]):
                end += 1
            composed = _fold_cluster(text[i - 1 : end])
            if composed is not None:
                out[-1] = composed
                skip_to = end
                continue
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
    return joined, tuple(origin[: len(joined)])


#: Characters where the fast path and the slow path meet: ASCII, white space of every kind, the
#: quotes, dashes and invisible characters that fold specially, and compatibility forms.
TRICKY = (
    "aZ09 .,'\"`\t\n\r\x0b\x0c\x1c\x1f\x00\u00a0\u2003"
    "\u2018\u2019\u201c\u201d\u2014\u2026\u00ad\u200b\ufb01\u00c9\u0130\u00df\u00a8"
    "ecE\u0301\u0308\u0327\u0323\u304b\u3099"  # bases and combining marks: letters written in two (NFD)
    ":!?%\u00ab\u00bb\u0964("  # what French typography (and the danda) sets off with a space
    "-\u2010\u2013\u2212"  # hyphens and dashes: a dash takes the white space by it, a hyphen may break a word
    "\u1100\u1161\u11a8"  # Korean jamo: a syllable written in three
    "\u4e00\u3002\uff11\u3000\uac00\uff71"  # written without spaces (and Korean, with them; full-width digits)
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(TRICKY), max_size=60) | st.text(max_size=60))
def test_fold_matches_folding_each_character(text: str) -> None:
    folded = fold(text)
    assert (folded.text, folded.origin) == fold_by_character(text)
    assert folded.original == text


def test_fold_of_an_article_maps_every_character_back() -> None:
    text = "  The Minister\u2019s \u201cplan\u201d \u2014 cut   TAXES\n\nby 5\u2026 `maybe`  \n"
    folded = fold(text)
    assert folded.text == "the minister's \"plan\"-cut taxes by 5... 'maybe'"  # a dash takes the spaces by it
    assert (folded.text, folded.origin) == fold_by_character(text)
    assert text[folded.origin[folded.text.index("taxes")]] == "T"
