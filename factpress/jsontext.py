"""Indented JSON text, byte for byte what `json.dumps(data, ensure_ascii=False, indent=n)` writes.

An indent makes the standard library use its pure-Python encoder, several seconds for the data
files of 10,000 fact-checks; orjson (C) writes them in milliseconds. orjson indents by two spaces
only, so the one-space files are re-indented: orjson escapes every line break inside strings, so
each newline it writes starts a line whose leading spaces are all indentation. What orjson
refuses (an integer beyond 64 bits, a non-text key, a lone surrogate; dates and dataclasses,
which the standard library refuses too) goes to `json.dumps` instead.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

#: orjson refuses what it would write differently: dates and dataclasses (json.dumps raises on them).
_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def indented_json(data: Any, indent: int = 2, depth: int = 0) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=indent)`, written by orjson where it agrees.

    With `depth`, the text as it sits that many levels inside an enclosing document: every line
    after the first indented by `depth` more levels. For data without floats (orjson writes 1e16
    where Python writes 1e+16): the site's JSON holds text, whole numbers, booleans and nulls only.
    """
    try:
        text = orjson.dumps(data, option=_OPTIONS)
    except (TypeError, orjson.JSONEncodeError):
        text = json.dumps(data, ensure_ascii=False, indent=indent).encode("utf-8", "surrogatepass")
        if depth:
            text = text.replace(b"\n", b"\n" + b" " * (indent * depth))
        return text.decode("utf-8", "surrogatepass")
    if indent != 2 or depth:
        text = _reindent(text, indent, depth)
    return text.decode("utf-8")


def _reindent(text: bytes, indent: int, depth: int) -> bytes:
    """orjson's two-space levels as `indent` spaces, `depth` levels in.

    Every line is marked after its newline; then, level by level, a mark followed by one more
    two-space level gains `indent` spaces, until no line is deeper; then the marks go.
    """
    if indent == 2:
        return text.replace(b"\n", b"\n" + b"  " * depth)
    text = text.replace(b"\n", b"\n\0")
    level = 0
    while True:
        deeper = text.replace(b"\n\0" + b" " * (indent * level) + b"  ", b"\n\0" + b" " * (indent * (level + 1)))
        if len(deeper) == len(text):  # nothing matched (a match changes the length: indent is not 2)
            break
        text, level = deeper, level + 1
    return text.replace(b"\n\0", b"\n" + b" " * (indent * depth))
