"""Indented JSON, the same bytes as json.dumps(data, ensure_ascii=False, indent=n), at about twice the speed.

Python's json module drops its C encoder as soon as indent is set and falls back to a chain of
generators; the API files, JSON Feed, oEmbed files and every page's JSON-LD are indented, which made
encoding a tenth of the render stage (docs/performance.md). This writer walks the data once into a list
of strings, using the C string escaper; anything it does not know is handed to json.dumps whole.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C escaper when the _json accelerator is built
from typing import Any


class _Unsupported(Exception):
    """A value outside plain JSON types: the document is left to json.dumps, which raises or encodes it."""


def dumps(data: Any, indent: int) -> str:
    """data as json.dumps(data, ensure_ascii=False, indent=indent) writes it, byte for byte."""
    parts: list[str] = []
    try:
        _encode(data, parts, "\n", " " * indent)
    except (_Unsupported, RecursionError):
        return json.dumps(data, ensure_ascii=False, indent=indent)
    return "".join(parts)


def _scalar(value: Any) -> str:
    """A scalar as json writes it (bool before int, since bool is an int); _Unsupported otherwise."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    raise _Unsupported


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    """A dict key as json writes it: strings as they are, numbers, booleans and None as their JSON text."""
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, (float, int)) or key is None:
        return encode_basestring(_scalar(key))
    raise _Unsupported


def _encode(value: Any, parts: list[str], newline: str, step: str) -> None:
    if isinstance(value, str):  # the commonest value first
        parts.append(encode_basestring(value))
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = newline + step
        separator = "{" + inner
        for key, item in value.items():
            parts.append(separator)
            parts.append(_key(key))
            parts.append(": ")
            _encode(item, parts, inner, step)
            separator = "," + inner
        parts.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            parts.append("[]")
            return
        inner = newline + step
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            _encode(item, parts, inner, step)
            separator = "," + inner
        parts.append(newline + "]")
    else:
        parts.append(_scalar(value))
