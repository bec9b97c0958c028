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
import io
import operator
import pickle
from collections.abc import Callable
from typing import Any


@functools.cache
def _compared_fields(cls: type) -> tuple[str, ...]:
    """The names of the fields that make a value what it is (not where it was written)."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.compare)


#: Types kept as they are: checked by exact type first, the common case, before isinstance.
_ATOMS = frozenset({str, int, float, bool, dt.date, type(None)})
#: Each dataclass met so far: its name and a getter of its compared fields, as a tuple.
_FIELDS: dict[type, tuple[str, Callable[[Any], tuple[Any, ...]]]] = {}


def _fields_of(kind: type) -> tuple[str, Callable[[Any], tuple[Any, ...]]]:
    """A dataclass's name and one C call that reads every compared field (52 values a claim, 10,000 claims)."""
    names = _compared_fields(kind)
    getter = operator.attrgetter(*names)
    _FIELDS[kind] = found = (kind.__name__, getter if len(names) > 1 else lambda value: (getter(value),))
    return found


def _plain(value: Any) -> Any:
    """The value as nested tuples of builtins; a dataclass becomes its name and compared fields."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    atoms = _ATOMS
    if kind is tuple:
        return tuple([item if type(item) in atoms else _plain(item) for item in value])
    known = _FIELDS.get(kind) or (_fields_of(kind) if dataclasses.is_dataclass(value) else None)
    if known is not None:
        name, fields = known
        return (name, *[item if type(item) in atoms else _plain(item) for item in fields(value)])
    if isinstance(value, (str, int, float, bool, dt.date)) or value is None:
        return value
    if isinstance(value, (tuple, list)):
        return tuple(map(_plain, value))
    if isinstance(value, dict):
        return ("{}", tuple(sorted((k, _plain(v)) for k, v in value.items())))
    raise TypeError(f"no digest for {type(value).__name__}")


def value_digest(value: Any) -> str:
    """A fingerprint of a model value (dataclasses, tuples, text, dates); equal values, equal digests.

    Pickled without the memo (as modelcache.fingerprint does), the bytes are type-tagged ('1', 1,
    True and None differ), the same on every run, and a fifth of repr's cost.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=4)
    pickler.fast = True  # no memo: a value shared or repeated pickles alike
    pickler.dump(_plain(value))
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).hexdigest()


def with_digest(item: Any) -> Any:
    """The frozen item with its `digest` field filled in (set once, as it is created)."""
    object.__setattr__(item, "digest", value_digest(item))
    return item
