"""Fingerprints of model values, for the caches that let a build skip unchanged work.

A digest covers every field that can reach a page and nothing that cannot: fields declared with
`compare=False` (where an item was written, and the digest itself) are left out, so a claim that
only moved down its file keeps its digest. Digests are stable across runs and machines (no
`hash()`, whose strings are salted per process).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from typing import Any


@functools.cache
def _compared_fields(cls: type) -> tuple[str, ...]:
    """The names of the fields that make a value what it is (not where it was written)."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.compare)


def _plain(value: Any) -> Any:
    """The value as nested tuples of builtins; a dataclass becomes its name and compared fields."""
    if isinstance(value, (str, int, float, bool, dt.date)) or value is None:
        return value
    if isinstance(value, (tuple, list)):
        return tuple(map(_plain, value))
    if isinstance(value, dict):
        return ("{}", tuple(sorted((k, _plain(v)) for k, v in value.items())))
    if dataclasses.is_dataclass(value):
        cls = type(value)
        return (cls.__name__, *(_plain(getattr(value, name)) for name in _compared_fields(cls)))
    raise TypeError(f"no digest for {type(value).__name__}")


def value_digest(value: Any) -> str:
    """A fingerprint of a model value (dataclasses, tuples, text, dates); equal values, equal digests.

    repr() of builtins is type-tagged ('1' and 1 and None differ) and the same on every run.
    """
    text = repr(_plain(value))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def with_digest(item: Any) -> Any:
    """The frozen item with its `digest` field filled in (set once, as it is created)."""
    object.__setattr__(item, "digest", value_digest(item))
    return item
