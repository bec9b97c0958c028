"""An edited claims file is checked for markers (%, ---, ...) only in its new items: the rest was checked before.

Whatever the edit, from_edit must refuse to cut exactly when a marker is anywhere in the new file.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from factpress.claimchunks import from_edit, from_whole, has_markers
from factpress.yamlio import load_yaml_items

OLD = "# claims\n" + "".join(f"- id: claim-{n}\n  summary: |\n    Line {n}.\n    More.\n" for n in range(4))


def old_chunks() -> list:
    data, found, counts = load_yaml_items(OLD, "claims.yaml")
    chunks = from_whole(OLD, "claims.yaml", data, found, counts)
    assert chunks is not None and not has_markers(OLD)
    return chunks


def test_a_marker_in_an_edited_item_is_found() -> None:
    new = OLD.replace("    Line 2.\n", "    Line 2.\n---\n")
    assert from_edit(new, "claims.yaml", old_chunks()) is None


def test_a_marker_before_the_first_item_is_found() -> None:
    assert from_edit("%YAML 1.1\n" + OLD, "claims.yaml", old_chunks()) is None


def test_an_edit_without_markers_is_cut() -> None:
    new = OLD.replace("Line 2.", "Line two.")
    chunks = from_edit(new, "claims.yaml", old_chunks())
    assert chunks is not None and [c.reused for c in chunks] == [0, 1, None, 3]


@settings(max_examples=300, deadline=None)
@given(
    at=st.integers(min_value=0, max_value=len(OLD)),
    piece=st.sampled_from(["---\n", "...\n", "%TAG\n", "\n---", "\n...", "\n%", "- id: new\n", "x", "\n", "#---\n"]),
)
def test_an_edit_is_cut_only_when_the_new_file_has_no_marker(at: int, piece: str) -> None:
    new = OLD[:at] + piece + OLD[at:]
    if has_markers(new):
        assert from_edit(new, "claims.yaml", old_chunks()) is None
