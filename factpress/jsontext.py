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


def indented_json(data: Any, indent: int = 2) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=indent)`, written by orjson where it agrees.

    For data without floats (orjson writes 1e16 where Python writes 1e+16): the site's JSON holds
    text, whole numbers (ratings), booleans and nulls only.
    """
    try:
        text = orjson.dumps(data, option=_OPTIONS)
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(data, ensure_ascii=False, indent=indent)
    if indent != 2:
        text = _reindent(text, indent)
    return text.decode("utf-8")


def _reindent(text: bytes, indent: int) -> bytes:
    """Two-space indentation to `indent` spaces, deepest lines first (each marked so it is done once)."""
    depth = 0
    while b"\n" + b"  " * (depth + 1) in text:
        depth += 1
    for level in range(depth, 0, -1):
        text = text.replace(b"\n" + b"  " * level, b"\n\0" + b" " * (indent * level))
    return text.replace(b"\n\0", b"\n")
