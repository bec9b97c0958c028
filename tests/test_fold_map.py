"""excerpts.Folded keeps its map to the original as segments: every lookup must agree with a per-character table."""

from __future__ import annotations

import bisect
from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st
from test_fold_fast import TRICKY, fold_by_character

from factpress.excerpts import fold, fold_plain
from factpress.link import _fragment_quote

#: Texts that are ASCII once quotes and dashes fold (fold's string-method path): white space of every kind.
ASCII_ONCE_FOLDED = st.text(
    alphabet=st.sampled_from("aZ9 .'`-\t\n\r\x0b\x0c\x1c\x1f\x00\u2019\u201c\u2014\u2013\u2010"), max_size=60
)
TEXTS = ASCII_ONCE_FOLDED | st.text(alphabet=st.sampled_from(TRICKY), max_size=80) | st.text(max_size=60)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_origin_of_each_character_is_the_table_entry(text: str) -> None:
    folded = fold(text)
    _, table = fold_by_character(text)
    assert [folded.origin_of(i) for i in range(len(folded.text))] == list(table)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_at_is_bisecting_the_table(text: str) -> None:
    folded = fold(text)
    _, table = fold_by_character(text)
    for offset in range(len(text) + 2):
        assert folded.at(offset) == bisect.bisect_left(table, offset), offset


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_fold_plain_is_the_folded_text(text: str) -> None:
    assert fold_plain(text) == fold_by_character(text)[0]


def test_a_snapshot_is_a_few_segments() -> None:
    text = "It\u2019s \u201cplain\u201d \u2014 words.\n\nA second   paragraph\u2026 and `more`.\n"
    folded = fold(text)
    assert folded.text == "it's \"plain\"-words. a second paragraph... and 'more'."
    # quotes and dashes fold one for one: the map only breaks at the runs of white space, the ellipsis
    # and the spaces a dash takes (before it and after it)
    assert len(folded.starts) == 7
    assert folded.origin == fold_by_character(text)[1]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_a_fragment_term_is_quoted_as_quote_does_with_hyphens_encoded(term: str) -> None:
    try:
        expected = quote(term, safe="").replace("-", "%2D")
    except UnicodeEncodeError:  # lone surrogates: no term from a snapshot has one
        return
    assert _fragment_quote(term) == expected
