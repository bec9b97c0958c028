"""claimchunks finds item starts and unsafe markers by str.find: exactly where its regular expressions match."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from factpress.claimchunks import _MARKERS, ITEM_START, has_markers, item_starts

#: Text made of the characters that matter, so every edge (start, end, lone '-', markers) comes up.
pieces = st.sampled_from(["-", " ", "\n", "%", ".", "a", "#", "--- ", "...\n", "- id: x\n", "\r"])
texts = st.lists(pieces, max_size=30).map("".join)


@settings(max_examples=500)
@given(texts)
def test_item_starts_are_where_the_pattern_matches(text: str) -> None:
    assert item_starts(text) == [m.start() for m in ITEM_START.finditer(text)]


@settings(max_examples=500)
@given(texts)
def test_markers_are_found_where_the_pattern_finds_them(text: str) -> None:
    assert has_markers(text) == (_MARKERS.search(text) is not None)


def test_edges() -> None:
    for text in ["", "-", "-\n", "- ", "-x", "a\n-", "a\n-\n", "a\n- b\n-c\n- d", "\n-"]:
        assert item_starts(text) == [m.start() for m in ITEM_START.finditer(text)], text
    for text in ["", "%YAML", "a\n---", "a\n...", "a ---", ".. .", "\n%"]:
        assert has_markers(text) == (_MARKERS.search(text) is not None), text
