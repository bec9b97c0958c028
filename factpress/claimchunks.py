"""A claims file cut at its top-level items, so editing one claim re-reads that claim's lines only.

A claims file is a list written at column 0: each item starts on a line beginning `- ` (or a
lone `-`). When every such chunk of text, read alone, is a list of exactly one item without a
syntax error, reading the whole file gives exactly those items one after the other: a line
starting `- ` ends any plain or block scalar and any mapping of the item before, and a chunk
cut inside quotes or brackets does not read cleanly alone. So the cache keeps, per chunk, the
digest of its text and what reading it found; after an edit only chunks whose text is new are
read (alone, at their own lines), the others are moved to their new lines. Files with
anchors, aliases, merge keys, directives or document markers, or text before the first item
other than comments, are read whole, as is any file whose new chunks do not read cleanly.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from .errors import Location, Problem
from .modelcache import dumps, loads, moved, moved_problems
from .yamlio import MAX_NODES, YamlList, YamlMap, load_yaml_items

#: Where a top-level item starts: `- ` or a lone `-` at column 0.
ITEM_START = re.compile(r"^-(?: |$)", re.MULTILINE)
#: What makes a file unsafe to cut: directives, document markers, anchors or aliases are
#: decided here by the reader (it refuses to read them in one pass), the markers by text.
_MARKERS = re.compile(r"^(?:%|---|\.\.\.)", re.MULTILINE)
#: Codes of problems that mean a chunk did not read cleanly alone.
_UNREADABLE = frozenset({"yaml-syntax", "yaml-too-deep", "yaml-too-large", "yaml-recursive"})


@dataclass(slots=True)
class Chunk:
    """One top-level item's text and what reading it found, at its current lines."""

    digest: str
    line: int
    nodes: int
    #: The reader's problems (duplicate keys, tags) in this item.
    found: list[Problem]
    #: The problem a non-mapping item gives as an entry of the list (none for a mapping).
    shape: list[Problem]
    #: (raw id, location) when the item is a mapping: an entry of the claims file.
    entry: tuple[str | None, Location] | None
    #: Where the text is in the current file (not stored).
    start: int = 0
    end: int = 0
    #: The old chunk this one was taken from, if any (not stored).
    reused: int | None = None
    #: The item read now, when it was (not stored).
    value: Any = None


def item_starts(text: str) -> list[int]:
    """Where ITEM_START matches: found by str.find, six times faster than the regex over a 3 MB file."""
    starts = [0] if text[:2] in ("- ", "-\n", "-") else []
    at = text.find("\n-")
    while at != -1:
        at += 1
        if text[at + 1 : at + 2] in (" ", "\n", ""):
            starts.append(at)
        at = text.find("\n-", at)
    return starts


def has_markers(text: str) -> bool:
    """Whether _MARKERS matches anywhere (a line starting with %, --- or ...), by str.find."""
    return text.startswith(("%", "---", "...")) or any(f"\n{m}" in text for m in ("%", "---", "..."))


def cut(text: str, *, markers: bool = True) -> list[tuple[int, int, int]] | None:
    """(start, end, first line) of each top-level item's text; None when the file is not safe to cut.

    markers=False leaves the items' text unchecked for markers (has_markers): from_edit checks only
    the items whose text is new, the others having been checked with the file they came from.
    """
    starts = cut_starts(text)
    if starts is None or (markers and has_markers(text)):
        return None
    bounds = []
    line = text.count("\n", 0, starts[0]) + 1
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        bounds.append((start, end, line))
        line += text.count("\n", start, end)
    return bounds


def cut_starts(text: str) -> list[int] | None:
    """Where each top-level item starts, when the text before the first is only comments (else None).

    What cut gives, less its scan for markers and its line count: a file shared out to be read
    in parts (coldclaims) has each part checked for markers where it is read, and its lines
    counted there, on every core.
    """
    starts = item_starts(text)
    if not starts or has_markers(text[: starts[0]]):
        return None
    if any(line.strip() and not line.lstrip().startswith("#") for line in text[: starts[0]].split("\n")):
        return None
    return starts


def digest(text: str) -> str:
    """A digest of one chunk's text (SHA-256, which processors compute in hardware: twice BLAKE2's speed here)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def read_alone(text: str, start: int, end: int, line: int, path: str) -> tuple[YamlList, list[Problem], int] | None:
    """A chunk read alone at its own lines: (a list of its one item, problems, nodes), or None unless clean."""
    value, problems, counts = load_yaml_items("\n" * (line - 1) + text[start:end], path)
    if counts is None or len(counts) != 1 or not isinstance(value, YamlList) or len(value) != 1:
        return None
    if any(p.code in _UNREADABLE for p in problems):
        return None
    return value, problems, counts[0]


def shape_of(item: Any, where: Location, raw: str | None, path: str) -> tuple[list[Problem], Any]:
    """What an item gives as an entry of the claims list: (its problem, (raw id, loc)) as Validator.list_entries."""
    if isinstance(item, YamlMap):
        return [], (item.text("id"), item.loc)
    from .validate import kind_name

    written = f" '{raw}'" if raw is not None else ""
    problem = Problem(
        where,
        f"each entry of {path} must be a mapping of fields, not {kind_name(item)}{written}",
        "not-a-mapping",
        hint="write each entry as fields, e.g. - {id: …, name: …}",
    )
    return [problem], None


def from_whole(text: str, path: str, data: Any, found: list[Problem], counts: list[int] | None) -> list[Chunk] | None:
    """The chunks of a file just read whole, when it is safe to cut (else None)."""
    bounds = cut(text)
    if bounds is None or counts is None or not isinstance(data, YamlList) or len(data) != len(bounds):
        return None
    if any(p.code in _UNREADABLE for p in found):
        return None
    lines = [b[2] for b in bounds] + [1 << 62]
    if any(not lines[i] <= data.where(i).line < lines[i + 1] for i in range(len(bounds))):
        return None
    mine: list[list[Problem]] = [[] for _ in bounds]
    for problem in found:  # in text order, so each chunk's come together and in order
        index = bisect.bisect_right(lines, problem.location.line) - 1
        if not 0 <= index < len(bounds):
            return None
        mine[index].append(problem)
    if [p for group in mine for p in group] != found:
        return None
    chunks = []
    for index, (start, end, line) in enumerate(bounds):
        shape, entry = shape_of(data[index], data.where(index), data.raw[index], path)
        chunks.append(Chunk(digest(text[start:end]), line, counts[index], mine[index], shape, entry, start, end))
    return chunks


def from_edit(text: str, path: str, old: list[Chunk]) -> list[Chunk] | None:
    """The chunks of an edited file: unchanged ones moved to their lines, new ones read alone (None: read whole)."""
    bounds = cut(text, markers=False)
    if bounds is None:
        return None
    known: dict[str, int] = {}
    for index, chunk in enumerate(old):
        known.setdefault(chunk.digest, index)
    chunks = []
    for start, end, line in bounds:
        key = digest(text[start:end])
        index = known.get(key)
        if index is not None:
            chunks.append(moved_chunk(old[index], line, start, end, index))
            continue
        if has_markers(text[start:end]):  # the rest of the file was cut safely before: only new text is checked
            return None
        read = read_alone(text, start, end, line, path)
        if read is None:
            return None
        items, found, nodes = read
        shape, entry = shape_of(items[0], items.where(0), items.raw[0], path)
        chunks.append(Chunk(key, line, nodes, found, shape, entry, start, end, None, items[0]))
    if 1 + sum(c.nodes for c in chunks) > MAX_NODES:
        return None
    return chunks


def moved_chunk(chunk: Chunk, line: int, start: int, end: int, index: int) -> Chunk:
    """An unchanged chunk at its new place."""
    delta = line - chunk.line
    entry = chunk.entry
    if entry is not None and delta:
        entry = (entry[0], moved(entry[1], delta))
    return Chunk(
        chunk.digest,
        line,
        chunk.nodes,
        moved_problems(chunk.found, delta),
        moved_problems(chunk.shape, delta),
        entry,
        start,
        end,
        index,
    )


def stored(chunks: list[Chunk]) -> bytes:
    """Chunks as stored in the cache (what the next edit needs).

    Pickled apart, inside the file's entry: only an edit reads them, and unpickling the chunks of
    every unchanged file on every run cost a tenth of reading the cache back.
    """
    return dumps([(c.digest, c.line, c.nodes, c.found, c.shape, c.entry) for c in chunks])


def restored(data: Any) -> list[Chunk] | None:
    """Chunks read back from the cache; None when there are none or they are damaged."""
    if not isinstance(data, bytes):
        return None
    try:
        rows = loads(data)
        return [Chunk(*row) for row in rows] if isinstance(rows, list) else None
    except Exception:  # any damage only means the edited file is read whole
        return None


def item_of(text: str, chunk: Chunk, path: str) -> Any:
    """The item of a chunk, read alone again when it was taken from the cache unread."""
    if chunk.value is not None:
        return chunk.value
    read = read_alone(text, chunk.start, chunk.end, chunk.line, path)
    if read is None:  # pragma: no cover - a stored chunk read cleanly before and its text is the same
        raise ValueError(f"chunk at line {chunk.line} of {path} no longer reads alone")
    return read[0][0]
