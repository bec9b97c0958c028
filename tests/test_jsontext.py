"""jsontext.indented_json writes exactly what json.dumps(ensure_ascii=False, indent=n) writes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factpress.jsontext import indented_json

#: JSON values as the site's files hold them: no floats (see indented_json).
texts = st.text() | st.sampled_from(["", " ", "\u2028\u2029", "\x00\x1f\x7f\u0085", "\ud800", "a\n  b", '"\\/'])
scalars = st.none() | st.booleans() | st.integers() | st.integers(-(2**70), 2**70) | texts
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(values, st.sampled_from([1, 2, 3]))
def test_same_text_as_json_dumps(value, indent) -> None:
    assert indented_json(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": {}, "b": [], "c": [[], {}]},
        {"deep": [[[[[[[[["x"]]]]]]]]]},
        {"control": "".join(map(chr, range(0x80)))},
        {"limits": [2**63 - 1, -(2**63), 2**64 - 1, 2**64, -(2**63) - 1]},
        {1: "a key that is not text"},
        ("a", "tuple"),
    ],
)
def test_edge_cases(value) -> None:
    for indent in (1, 2):
        assert indented_json(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


@settings(max_examples=200, deadline=None)
@given(values, st.sampled_from([0, 1, 2, 3]), st.integers(0, 3))
def test_nested_text_is_what_an_enclosing_document_holds(value, indent, depth) -> None:
    """Each line after the first `depth` levels further in: the value's text inside a document."""
    nested = json.dumps(value, ensure_ascii=False, indent=indent).replace("\n", "\n" + " " * (indent * depth))
    assert indented_json(value, indent, depth) == nested


def test_what_json_refuses_is_refused() -> None:
    @dataclasses.dataclass
    class Point:
        x: int

    for value in ({"when": dt.date(2025, 1, 1)}, {"point": Point(1)}, {"set": {1}}):
        with pytest.raises(TypeError):
            indented_json(value, 1)
