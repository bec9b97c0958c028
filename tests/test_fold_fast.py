"""excerpts.fold folds plain ASCII runs whole for speed: it must give exactly what folding each character gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from factpress.excerpts import _SPACED_BEFORE, _fold_char, _fold_cluster, _joins, fold


def fold_by_character(text: str) -> tuple[str, tuple[int, ...]]:
    """The reference: every character through _fold_char, white space collapsed, as fold did before.

    A letter followed by combining marks that compose with it (NFD text) folds as the composed letter.
    """
    out: list[str] = []
    origin: list[int] = []
    last_space = True
    skip_to = 0
    for i, char in enumerate(text):
        if i < skip_to:
            continue
        if char.isspace():  # a run of white space French typography puts by : ; ! ? « » is not kept
            start, end = i, i
            while start > 0 and text[start - 1].isspace():
                start -= 1
            while end < len(text) and text[end].isspace():
                end += 1
            if (end < len(text) and text[end] in _SPACED_BEFORE) or (start > 0 and text[start - 1] == "\u00ab"):
                continue
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
    ":!?%\u00ab\u00bb\u0964"  # what French typography (and the danda) sets off with a space
    "\u1100\u1161\u11a8"  # Korean jamo: a syllable written in three
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
    assert folded.text == "the minister's \"plan\" - cut taxes by 5... 'maybe'"
    assert (folded.text, folded.origin) == fold_by_character(text)
    assert text[folded.origin[folded.text.index("taxes")]] == "T"
