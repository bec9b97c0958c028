"""A cache of validated claims files (and other content files), so an unchanged file is neither parsed nor judged again.

Loading and validating 10,000 claims costs seconds (libyaml alone reads 34 MB of YAML in over a
second); between two runs almost every claims file is unchanged. Each claims file has one entry,
found by the project and the file's path and trusted only when its keys match:

- the SHA-256 of the file's bytes decides what parsing found: the loader's problems, and each
  entry's id and place (what duplicate ids and `related` need) without parsing again;
- a fingerprint of what every claim's validation reads besides its entry (the site's language,
  which files are unusable, and this code) decides the validated Claims and their problems, with
  the digests of the claim ids (`related`) and of the reference tables (the ids of verdicts,
  people and topics, each source's snapshot path and digest: claimdeps) they were judged
  against; when those differ, only the claims whose references changed are judged again.

When a file did change, its entries are found by their text (claimchunks: only the top-level
items whose text changed are parsed), or, in a file that cannot be cut so, by a digest of each
parsed entry's value (every key, value, raw text and position, lines counted from the entry's
first); so one edited claim costs one claim's validation, and entries that only moved are
shifted to their new lines. sources.yaml's entry holds its validated sources, keyed by every
snapshot's digest. One more entry holds each snapshot's and cached file's digest by its file status
(load.FileDigests), so unchanged files are read but not hashed again.

Entries are pickles read back by an unpickler that accepts only dates and one maker per model
class, so a planted file cannot run code; a file that does not unpickle to the expected shape
is ignored and rewritten. FACTPRESS_CACHE_DIR=off turns this cache off with the others.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import datetime as dt
import hashlib
import io
import itertools
import operator
import os
import pickle
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from . import errors, model
from .cachefiles import cache_root, replace_file
from .errors import Location, Problem
from .makers import maker
from .versions import version
from .yamlio import YamlList, YamlMap

#: Bump when the layout of an entry changes (the code digest covers the rest).
LAYOUT = 2

#: The classes an entry may hold besides builtins: everything else is refused when read back.
_MODEL_CLASSES: tuple[type, ...] = (
    errors.Location,
    errors.Problem,
    model.Publisher,
    model.SiteConfig,
    model.Verdict,
    model.Person,
    model.Topic,
    model.PartialDate,
    model.Appearance,
    model.Span,
    model.Evidence,
    model.Correction,
    model.Claim,
    model.Snapshot,
    model.Source,
)
_ALLOWED: dict[tuple[str, str], Any] = {("datetime", "date"): dt.date}  # and each class's maker, below


def cache_folder() -> Path | None:
    """Where entries are kept: beside the card and Markdown caches, under the cache root (None when caching is off)."""
    root = cache_root()
    return None if root is None else root / "model"


#: The modules whose code decides what loading and validating a claims file gives: markup.py names the markup
#: a page drops and the links that only look like another site's, claimdeps.py reads citations, uris.py a URL,
#: i18n.py (with Babel's CLDR data) the hints for a language given by its name or a date by its month's.
_MODULES = (
    "claimchunks",
    "claimdeps",
    "coldclaims",
    "errors",
    "excerpts",
    "fields",
    "digest",
    "i18n",
    "load",
    "markup",
    "model",
    "modelcache",
    "uris",
    "validate",
    "yamlio",
)
#: Libraries whose version decides what validating gives: rapidfuzz finds the closest passage, Babel names
#: languages and months.
_LIBRARIES = ("rapidfuzz", "babel")

_CODE_VERSION: str | None = None


def code_version() -> str:
    """What besides the content decides an entry: the reading and judging code, Python's and the parsers' versions."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        digest = hashlib.sha256(f"{LAYOUT}\0{sys.version}\0{yaml.__version__}".encode())
        package = Path(__file__).parent
        for name in _MODULES:
            digest.update(name.encode() + b"\0" + (package / f"{name}.py").read_bytes())
        for library in _LIBRARIES:
            digest.update(f"{library}={version(library)}".encode())
        _CODE_VERSION = digest.hexdigest()
    return _CODE_VERSION


# -- storing ---------------------------------------------------------------------------------


def _maker(cls: type) -> Callable[..., Any]:
    """makers.maker, named as a global of this module (pickle names a maker by its module)."""
    return maker(cls, module=__name__)


#: One maker per model class, as globals of this module so pickle can name them.
_MAKERS = {cls: _maker(cls) for cls in _MODEL_CLASSES}
globals().update({make.__name__: make for make in _MAKERS.values()})
_FIELDS = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in _MODEL_CLASSES}
_ALLOWED.update({(__name__, make.__name__): make for make in _MAKERS.values()})
#: Every field of a model object at once, as a tuple (each class has two fields or more).
_GETTERS = {cls: operator.attrgetter(*names) for cls, names in _FIELDS.items()}


def _reducer(cls: type) -> Callable[[Any], tuple[Callable[..., Any], tuple[Any, ...]]]:
    """A function that pickles a frozen dataclass as a call of its maker with every field.

    The fields are read by one attrgetter (in C): writing back an edited claims file's entry
    reduces some 12,000 objects.
    """
    make, names = _MAKERS[cls], _FIELDS[cls]
    if len(names) == 1:
        name = names[0]
        return lambda obj: (make, (getattr(obj, name),))
    get = operator.attrgetter(*names)
    return lambda obj: (make, get(obj))


def made(cls: type, *values: Any) -> Any:
    """A model object from every field in order, as reading the cache makes it (without __init__)."""
    return _MAKERS[cls](*values)


def replaced(obj: Any, name: str, value: Any) -> Any:
    """A model object with one field replaced, as dataclasses.replace but in a third of its time."""
    cls = type(obj)
    values = list(_GETTERS[cls](obj))
    values[_FIELDS[cls].index(name)] = value
    return _MAKERS[cls](*values)


_DISPATCH = copyreg.dispatch_table.copy()
_DISPATCH.update({cls: _reducer(cls) for cls in _MODEL_CLASSES})


class _ModelUnpickler(pickle.Unpickler):
    """Reads back only builtins, dates and the model's classes: a planted pickle cannot call anything else."""

    def find_class(self, module: str, name: str) -> Any:
        cls = _ALLOWED.get((module, name))
        if cls is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a model cache entry")
        return cls


def dumps(value: Any) -> bytes:
    """The entry as bytes."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(value)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    """An entry from bytes; raises on anything but the model's own values."""
    return _ModelUnpickler(io.BytesIO(data)).load()


# -- a claims file's items, column by column -------------------------------------------------

#: Claim fields stored by columns of their parts rather than as objects.
_NESTED = ("appearances", "evidence", "corrections", "loc")


def packed_items(items: list[Any]) -> dict[str, Any]:
    """A claims file's items (key, line, claim, problems) as columns, for the entry's file.

    Unpickling calls a maker per object with an argument tuple made for it; 10,000 claims are
    some 100,000 objects (their evidence, spans, places). Kept as one tuple per field, they are
    made by map() over the columns, with neither those tuples nor a memo entry each.
    """
    claims = [item[2] for item in items if item[2] is not None]
    fields = [name for name in _FIELDS[model.Claim] if name not in _NESTED]
    shared: dict[Any, Any] = {}
    plain = {name: _shared(tuple(map(operator.attrgetter(name), claims)), shared) for name in fields}
    appearances = [a for claim in claims for a in claim.appearances]
    evidence = [e for claim in claims for e in claim.evidence]
    corrections = [c for claim in claims for c in claim.corrections]
    spans = [span for e in evidence for span in e.spans]
    return {
        "keys": tuple(item[0] for item in items),
        "lines": tuple(item[1] for item in items),
        "problems": {index: item[3] for index, item in enumerate(items) if item[3]},
        "none": tuple(index for index, item in enumerate(items) if item[2] is None),
        "claims": plain,
        "loc": _location_columns([claim.loc for claim in claims]),
        "appearances": (
            tuple(len(claim.appearances) for claim in claims),
            *(_shared(column, shared) for column in _columns(appearances, model.Appearance)),
        ),
        "evidence": (
            tuple(len(claim.evidence) for claim in claims),
            *(_shared(column, shared) for column in _columns(evidence, model.Evidence, ("spans", "loc"))),
            tuple(len(e.spans) for e in evidence),
            *_columns(spans, model.Span),
            *_location_columns([e.loc for e in evidence]),
        ),
        "corrections": (tuple(len(claim.corrections) for claim in claims), *_columns(corrections, model.Correction)),
    }


#: Text longer than this is taken to be one claim's own (a summary, an analysis), not worth looking up.
_SHARED_CHARS = 80


def _shared(column: tuple[Any, ...], shared: dict[Any, Any]) -> tuple[Any, ...]:
    """A column with equal short texts, and equal tuples of texts, made one object: pickled once, read back once.

    A file's claims name the same topics, authors, verdicts and sources again and again (some
    90,000 texts at 10,000 claims); read back as one object each, they cost a twentieth less.
    """
    if not any(type(value) is str or type(value) is tuple for value in column):
        return column
    values = []
    for value in column:
        if type(value) is str and len(value) < _SHARED_CHARS:
            value = shared.setdefault(value, value)
        elif type(value) is tuple and all(type(part) is str for part in value):
            parts = tuple(shared.setdefault(part, part) for part in value)
            value = shared.setdefault(parts, parts)
        values.append(value)
    return tuple(values)


def _columns(objects: list[Any], cls: type, leave: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    return [tuple(map(operator.attrgetter(name), objects)) for name in _FIELDS[cls] if name not in leave]


def columns(objects: list[Any], cls: type, leave: tuple[str, ...] = ()) -> dict[str, tuple[Any, ...]]:
    """Model objects of one class as one tuple per field (but those left out), to store them so."""
    return {name: tuple(map(operator.attrgetter(name), objects)) for name in _FIELDS[cls] if name not in leave}


def made_from_columns(cls: type, values: dict[str, Any]) -> list[Any]:
    """The objects `columns` stored, every field given (as a sequence of one value per object)."""
    return list(map(_MAKERS[cls], *(values[name] for name in _FIELDS[cls])))


def _location_columns(locations: list[Location]) -> list[tuple[Any, ...]]:
    return _columns(locations, Location)


def unpacked_items(packed: dict[str, Any]) -> list[Any]:
    """The items packed_items stored, made again (every field as it was)."""
    make_location = _MAKERS[Location]
    counts, *columns = packed["evidence"]
    spans_at = len(_FIELDS[model.Evidence]) - 2
    parts, (span_counts, *span_columns), location_columns = (
        columns[:spans_at],
        columns[spans_at : spans_at + 3],
        columns[spans_at + 3 :],
    )
    spans = _grouped(span_counts, list(map(_MAKERS[model.Span], *span_columns)))
    evidence = map(_MAKERS[model.Evidence], *parts, spans, map(make_location, *location_columns))
    nested = {
        "evidence": _grouped(counts, list(evidence)),
        "appearances": _nested(packed["appearances"], model.Appearance),
        "corrections": _nested(packed["corrections"], model.Correction),
        "loc": map(make_location, *packed["loc"]),
    }
    plain = packed["claims"]
    columns = [nested[name] if name in nested else plain[name] for name in _FIELDS[model.Claim]]
    claims: list[Any] = list(map(_MAKERS[model.Claim], *columns))
    for index in packed["none"]:
        claims.insert(index, None)
    problems = packed["problems"]
    found = [problems.get(index) or [] for index in range(len(claims))] if problems else [[] for _ in claims]
    return list(zip(packed["keys"], packed["lines"], claims, found, strict=True))


def packed_shape(shape: dict[str, Any], items: list[Any]) -> dict[str, Any]:
    """A claims file's shape with its index (each entry's raw id and place) by columns, beside packed items.

    An entry's place is its claim's (when it has one): kept once, as the claim's, and not as a
    second Location per claim. The valid first ids (validate.first_ids) are kept as positions.
    """
    index = shape["index"]
    places = tuple(
        None if item[2] is not None and item[2].loc == loc else loc for (_, loc), item in zip(index, items, strict=True)
    )
    first = shape.get("ids")
    positions = None
    if first is not None:
        positions = []
        for position, (raw_id, loc) in enumerate(index):
            if first.get(raw_id) is loc:
                positions.append(position)
    packed_index = {"ids": tuple(raw_id for raw_id, _ in index), "places": places, "first": positions}
    return {**{key: value for key, value in shape.items() if key != "ids"}, "index": packed_index}


def unpacked_shape(shape: dict[str, Any], items: list[Any]) -> dict[str, Any]:
    """The shape packed_shape stored, given the items made again."""
    packed = shape["index"]
    places = [loc if loc is not None else item[2].loc for loc, item in zip(packed["places"], items, strict=True)]
    index = list(zip(packed["ids"], places, strict=True))
    unpacked = {**shape, "index": index}
    if packed["first"] is not None:
        unpacked["ids"] = {index[position][0]: index[position][1] for position in packed["first"]}
    return unpacked


def _nested(packed: tuple[Any, ...], cls: type) -> list[tuple[Any, ...]]:
    counts, *columns = packed
    return _grouped(counts, list(map(_MAKERS[cls], *columns)))


def _grouped(counts: tuple[int, ...], objects: list[Any]) -> list[tuple[Any, ...]]:
    """objects cut into tuples of counts[i] each, in order (a count of 0 gives the empty tuple)."""
    ends = list(itertools.accumulate(counts))
    if (ends[-1] if ends else 0) != len(objects):
        raise ValueError("the counts do not match the objects")
    whole = tuple(objects)  # a slice of a tuple is the tuple wanted, made at once
    starts = [0, *ends[:-1]] if ends else []
    return [whole[start:end] for start, end in zip(starts, ends, strict=True)]


#: What every claims file's entry holds: the file's digest, parsing's problems, the file's shape,
#: the context and the claim ids its claims were validated against, one (key, first line, claim,
#: problems) per entry and its chunks (claimchunks, pickled apart: read only on an edit) when it can be cut.
CLAIMS_LAYOUT: dict[str, Any] = {
    "bytes": str,
    "found": list,
    "shape": dict,
    "context": str,
    "ids": str,
    "tables": str,
    "items": list,
    "chunks": (bytes, type(None)),
}

#: What sources.yaml's entry holds: the file's digest, parsing's problems, the snapshots it names
#: (name, where) for the loader, the context it was validated in (every snapshot's digest), the
#: sources (their names and fields by columns, a snapshot kept only if it was not read), the problems and whether
#: it was unusable.
SOURCES_LAYOUT: dict[str, Any] = {
    "bytes": str,
    "found": list,
    "snapshots": list,
    "context": str,
    "sources": dict,
    "problems": list,
    "unusable": bool,
}


#: A claims file's entry may be patched by a delta holding at most this share of its items, or DELTA_MIN of them
#: (else it is written whole).
DELTA_SHARE = 16
DELTA_MIN = 16
#: Keys an entry read back has in memory only: the items of its base file, that file's serial (and a delta's).
_READ_ONLY_KEYS = ("base_items", "serial", "base")


#: What the entry of site.yaml, verdicts.yaml, people.yaml or topics.yaml holds: the file's digest, parsing's
#: problems, whether the file had syntax errors, what judging it alone gave, its problems and whether it was unusable.
FILE_LAYOUT: dict[str, Any] = {
    "bytes": str,
    "found": list,
    "broken": bool,
    "value": object,
    "problems": list,
    "unusable": bool,
}


class ModelCache:
    """One project's entries, one file per claims file (and one for sources.yaml), replaced atomically.

    An edit of one claim must not pickle its file's 900 other claims again (a fifth of a
    rebuild's validation): a claims file's entry is then kept as its base file, unchanged, and a
    small delta beside it, which holds every other part of the new entry and its items as
    indexes into the base's items, or whole where they are new. A delta names the serial of the
    base it patches, so it is never applied to another base; past a share of new items (DELTA_SHARE,
    DELTA_MIN) the entry is written whole again and the delta deleted.
    """

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder = folder
        self.project = hashlib.sha256(str(root).encode()).hexdigest()[:32]

    def path(self, name: str) -> Path:
        """The entry file for one claims file of this project."""
        return self.folder / self.project / f"{hashlib.sha256(name.encode()).hexdigest()[:32]}.pickle"

    def delta_path(self, name: str) -> Path:
        """The file of the delta patching the entry of one claims file."""
        return self.path(name).with_suffix(".delta")

    def read(self, name: str, layout: dict[str, Any]) -> dict[str, Any] | None:
        """The entry stored for name, or None when there is none, it is unreadable or from other code."""
        entry = self._read(self.path(name), name)
        if entry is None:
            return None
        if "items" in layout and isinstance(entry.get("items"), dict):
            try:
                entry["items"] = entry["base_items"] = unpacked_items(entry["items"])
                if isinstance(entry.get("shape"), dict) and isinstance(entry["shape"].get("index"), dict):
                    entry["shape"] = unpacked_shape(entry["shape"], entry["items"])
            except Exception:  # damaged columns only mean the file is judged again
                return None
            delta = self._read(self.delta_path(name), name)
            if delta is not None and delta.get("base") == entry.get("serial"):
                entry = patched(entry, delta)
        if not all(isinstance(entry.get(key), kind) for key, kind in layout.items()):
            return None
        return entry

    def _read(self, path: Path, name: str) -> dict[str, Any] | None:
        try:
            with open(path, "rb") as file:  # unpickled frame by frame, not read whole first
                entry = _ModelUnpickler(file).load()
        except Exception:  # any damage to an entry only means it is rebuilt
            return None
        if not isinstance(entry, dict) or entry.get("version") != code_version() or entry.get("name") != name:
            return None
        return entry

    def prune(self, names: Iterable[str]) -> None:
        """Delete the entries of files the project no longer has (a claims file renamed or removed).

        Only finished entries are touched, never another build's partial file; an entry deleted
        while still wanted only means that file is read afresh once.
        """
        keep = {path.name for name in names for path in (self.path(name), self.delta_path(name))}
        with contextlib.suppress(OSError):
            folder = self.folder / self.project
            for entry in [*folder.glob("*.pickle"), *folder.glob("*.delta")]:
                if entry.name not in keep:
                    entry.unlink(missing_ok=True)

    def forget(self, name: str) -> None:
        """Delete an entry no later run reads (a part of a file judged on another core: coldclaims)."""
        for path in (self.path(name), self.delta_path(name)):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)

    def write(self, name: str, entry: dict[str, Any], previous: dict[str, Any] | None = None) -> str | None:
        """Store an entry atomically; a cache that cannot be written is skipped.

        previous: the entry read back for name (its base items), when the new one may be stored as a delta.
        Returns the serial of an entry with items stored whole, which a later delta names as its base.
        """
        stored = {key: value for key, value in entry.items() if key not in _READ_ONLY_KEYS}
        stored.update(version=code_version(), name=name)
        plan = delta_items(stored.get("items"), previous)
        if plan is not None and previous is not None:
            stored.update(items=plan, base=previous["serial"])
            replace_file(self.delta_path(name), dumps(stored))
            return None
        if isinstance(stored.get("items"), list):
            shape = stored.get("shape")
            if isinstance(shape, dict) and len(shape.get("index", ())) == len(stored["items"]):
                stored["shape"] = packed_shape(shape, stored["items"])
            stored["items"] = packed_items(stored["items"])
            stored["serial"] = os.urandom(12).hex()
        if not replace_file(self.path(name), dumps(stored)):
            return None
        with contextlib.suppress(OSError):
            self.delta_path(name).unlink(missing_ok=True)
        return stored.get("serial")


def delta_items(items: list[Any] | None, previous: dict[str, Any] | None) -> list[Any] | None:
    """Items as a delta holds them (an index into the base's items, or the item), or None when too many are new."""
    if items is None or previous is None or not previous.get("serial") or "base_items" not in previous:
        return None
    at = {id(item[2]): index for index, item in enumerate(previous["base_items"]) if item[2] is not None}
    base = previous["base_items"]
    plan: list[Any] = []
    new = 0
    for item in items:
        index = at.get(id(item[2])) if item[2] is not None else None
        if index is not None and _same_item(item, base[index]):
            plan.append(index)
        else:
            plan.append(item)
            new += 1
    return plan if new <= max(DELTA_MIN, len(items) // DELTA_SHARE) else None


def _same_item(item: Any, base: Any) -> bool:
    """Whether an item is the base's item: the same claim and problems objects, key and line."""
    return item[2] is base[2] and item[3] is base[3] and item[1] == base[1] and item[0] == base[0]


def patched(base: dict[str, Any], delta: dict[str, Any]) -> dict[str, Any]:
    """The entry a base and its delta make: the delta's parts, its items taken from the base where it says."""
    items = delta.get("items")
    if not isinstance(items, list):
        return base
    base_items = base["base_items"]
    try:
        merged = [base_items[item] if type(item) is int else item for item in items]
    except IndexError:
        return base
    return {**delta, "items": merged, "base_items": base_items, "serial": base.get("serial")}


def project_cache(root: Path) -> ModelCache | None:
    """The model cache for a project root, or None when caching is off."""
    folder = cache_folder()
    return None if folder is None else ModelCache(folder, root)


# -- keys and relocation ---------------------------------------------------------------------


def fingerprint(parts: Any) -> str:
    """A digest of plain values: builtins pickled without the memo, so equal values give equal bytes on every run.

    Type-tagged as repr is (1, '1' and None differ) and never ambiguous, in a fifth of repr's time
    (the keys of sources and claims list 2,500 snapshots' names, paths and digests).
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=4)
    pickler.fast = True  # no memo: a value shared or repeated pickles alike
    pickler.dump(parts)
    return hashlib.blake2b(buffer.getvalue(), digest_size=20).hexdigest()


def _plain(value: Any, base: int) -> Any:
    """A parsed YAML value with every position in it, lines counted from base."""
    if isinstance(value, YamlMap):
        return (
            "m",
            value.loc.line - base,
            value.loc.col,
            tuple(
                (
                    key,
                    _line_col(value.key_locs.get(key), base),
                    _line_col(value.value_locs.get(key), base),
                    value.raw.get(key),
                    _plain(item, base),
                )
                for key, item in value.items()
            ),
        )
    if isinstance(value, YamlList):
        return (
            "l",
            value.loc.line - base,
            value.loc.col,
            tuple(value.raw),
            tuple(_line_col(loc, base) for loc in value.item_locs),
            tuple(_plain(item, base) for item in value),
        )
    return value


def _line_col(loc: Location | None, base: int) -> tuple[int, int] | None:
    return None if loc is None else (loc.line - base, loc.col)


def item_key(entry: YamlMap) -> str:
    """A digest of one claims-file entry as validation sees it, blind to how far down the file it starts.

    Pickled rather than repr'd (four times faster on long analyses): equal bytes unpickle to equal
    values, so two different entries never share a key.
    """
    plain = pickle.dumps(_plain(entry, entry.loc.line), protocol=4)
    return hashlib.blake2b(plain, digest_size=20).hexdigest()


def _moved(loc: Location, path: str, delta: int) -> Location:
    if loc.path != path or not loc.line:
        return loc
    return Location(loc.path, loc.line + delta, loc.col)


def moved(loc: Location, delta: int) -> Location:
    """A location delta lines further down its file (a location without a line stays)."""
    return Location(loc.path, loc.line + delta, loc.col) if loc.line and delta else loc


#: The one problem whose message names a line: a duplicate key's first occurrence (yamlio).
_FIRST_WRITTEN = re.compile(r"\(first written at line (\d+)\)")


def moved_problems(problems: list[Problem], delta: int) -> list[Problem]:
    """Problems delta lines further down their file, a line named in the message (same item) too."""
    if not delta:
        return problems
    return [
        dataclasses.replace(
            p,
            location=moved(p.location, delta),
            message=_FIRST_WRITTEN.sub(lambda m: f"(first written at line {int(m.group(1)) + delta})", p.message),
        )
        for p in problems
    ]


def relocate(
    claim: model.Claim | None, problems: list[Problem], path: str, delta: int
) -> tuple[model.Claim | None, list[Problem]]:
    """A cached claim and its problems moved delta lines down (up when negative) the same file."""
    if not delta:
        return claim, problems
    if claim is not None:
        evidence = tuple(dataclasses.replace(e, loc=_moved(e.loc, path, delta)) for e in claim.evidence)
        claim = dataclasses.replace(claim, loc=_moved(claim.loc, path, delta), evidence=evidence)
    problems = [dataclasses.replace(p, location=_moved(p.location, path, delta)) for p in problems]
    return claim, problems
