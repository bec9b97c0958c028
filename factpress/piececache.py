"""Byte strings kept between builds by key, in one file: the pieces of large outputs made again every build.

/claimreview.json and /api/claims.json hold every fact-check, and a listing every claim's card;
each piece depends on one claim (and a few things besides), so a rebuild after one edit makes a
piece or two and copies the others. No pickle (the folder may be shared): the file is a series of
segments, each a JSON header on one line (a tag, the keys, the pieces' sizes and the caller's
notes), then the pieces' bytes. A piece may have several columns (a claim's ClaimReview and its
API entry): a segment holds each column's pieces back to back, so pieces kept in the order they
are used are one run of bytes, copied in one go.

The file is mapped, not read: a rebuild touches only the pages it copies, and 60 MB of pieces
cost no read into fresh memory (a fifth of the data files' cost). Pieces are found by number:
the index holds each key's number and, per column, where its bytes start and end.

A build that made a few new pieces appends them as one more segment (one write in append mode),
instead of writing the whole file again. A segment under another tag (made for other site-wide
settings) is skipped; once the file holds too much that is no longer used, or is damaged, it is
replaced atomically by one holding only what the last build used. A segment cut short (a build
killed while appending) ends the reading: the pieces before it are good. The file is only ever
appended to or replaced by a rename, never rewritten in place, so a mapping stays valid.
"""

from __future__ import annotations

import contextlib
import itertools
import mmap
import operator
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson

from .cachefiles import replace_file

FORMAT = "factpress-pieces-3"
#: How a piece's bytes become text (surrogates kept, as they were encoded).
_DECODE = operator.methodcaller("decode", "utf-8", "surrogatepass")
#: The share of a file's piece bytes that may be pieces no longer used before it is written again.
SLACK = 0.1
#: Segments a file may have before it is written again as one (each costs reading its header).
MAX_SEGMENTS = 64

#: A piece: its bytes, or a view of them in the file.
Piece = bytes | memoryview
#: Which keys of a segment are stale, from the notes the segment was written with (None: all good).
Stale = Callable[[Any], "set[str] | None"]


class PieceFile:
    """Pieces by key, read from one file (mapped); `append` and `rewrite` keep a build's pieces for the next."""

    def __init__(self, path: Path | None, tag: str = "", columns: int = 1, stale: Stale | None = None) -> None:
        self.path = path
        self.tag = tag
        self.columns = columns
        #: Each key's piece number; where each piece's bytes start and end, per column.
        self.index: dict[str, int] = {}
        self.starts: list[list[int]] = [[] for _ in range(columns)]
        self.ends: list[list[int]] = [[] for _ in range(columns)]
        #: The whole file's bytes (empty when there is none), the piece bytes it holds (any tag), and
        #: whether it was read to its end (so more may be appended).
        self.view = memoryview(b"")
        self.data: mmap.mmap | bytes = b""  # the mapping: slicing it gives bytes (when bytes, not a view, are wanted)
        self.stored = 0
        self.appendable = False
        #: How many segments were read and how many pieces those after the first hold.
        self.segments = 0
        self.appended = 0
        if path is not None:
            self._read(path, stale)

    def _read(self, path: Path, stale: Stale | None) -> None:
        try:
            with open(path, "rb") as file:
                size = os.fstat(file.fileno()).st_size
                if size:
                    self.data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
                    self.view = memoryview(self.data)
        except (OSError, ValueError):
            return
        offset = 0
        while offset < size:
            try:
                offset = self._segment_at(offset, size, stale)
            except (ValueError, KeyError, TypeError):  # not JSON, no such field, wrong types
                return
            if offset < 0:
                return
        self.appendable = True

    def _segment_at(self, offset: int, size: int, stale: Stale | None) -> int:
        """Read the segment at offset into the index; where the next one starts (-1: it is damaged)."""
        end = self.data.find(b"\n", offset)
        if end < 0:
            return -1
        header = orjson.loads(self.view[offset:end])
        keys, sizes = header["keys"], header["sizes"]
        if header["format"] != FORMAT or type(keys) is not list or len(sizes) != self.columns:
            return -1
        position = end + 1
        starts = []
        for column in sizes:
            total = sum(column) if type(column) is list and len(column) == len(keys) else None
            if type(total) is not int or (column and min(column) < 0):
                return -1
            starts.append(list(itertools.accumulate(column, initial=position)))
            position += total
        if position > size:
            return -1
        self.stored += position - end - 1
        self.segments += 1
        if header["tag"] == self.tag:
            first = len(self.starts[0])
            numbers = dict(zip(keys, range(first, first + len(keys)), strict=True))
            for key in (stale(header.get("notes")) or ()) if stale is not None else ():
                numbers.pop(key, None)
            self.index.update(numbers)
            for column, begun in enumerate(starts):
                self.starts[column] += begun[:-1]
                self.ends[column] += begun[1:]
        if self.segments > 1:
            self.appended += len(keys)
        return position

    def piece(self, number: int, column: int = 0) -> memoryview:
        """The bytes of one piece, as a view of the file."""
        return self.view[self.starts[column][number] : self.ends[column][number]]

    def text(self, key: str) -> str | None:
        """The first column's piece under key, decoded; None when there is none or the file is damaged there."""
        number = self.index.get(key)
        if number is None:
            return None
        try:
            return self.data[self.starts[0][number] : self.ends[0][number]].decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:  # a damaged file: the caller makes it again
            return None

    def texts(self, keys: list[str]) -> list[str | None]:
        """`text` of many keys at once, each piece cut and decoded in C (a listing reads 10,000 cards)."""
        numbers = list(map(self.index.get, keys))
        found = [number for number in numbers if number is not None]
        starts, ends = self.starts[0], self.ends[0]
        cut = map(slice, map(starts.__getitem__, found), map(ends.__getitem__, found))
        try:
            decoded = iter(list(map(_DECODE, map(self.data.__getitem__, cut))))
        except UnicodeDecodeError:  # a damaged file: each key alone, the damaged ones made again by the caller
            return [self.text(key) for key in keys]
        return [None if number is None else next(decoded) for number in numbers]

    def has_room(self, count: int, limit: int) -> bool:
        """Whether `count` more pieces may be appended rather than the file written whole again.

        Only to a file read to its end, with few segments, and `limit` pieces appended at most.
        """
        return self.appendable and self.segments < MAX_SEGMENTS and self.appended + count <= limit

    def live_bytes(self, numbers: Sequence[int]) -> int:
        """The bytes, in all columns, of the pieces with these numbers."""
        total = 0
        for starts, ends in zip(self.starts, self.ends, strict=True):
            total += sum(map(ends.__getitem__, numbers)) - sum(map(starts.__getitem__, numbers))
        return total

    def crowded(self, live: int, added: int) -> bool:
        """Whether the file, with `added` bytes more, would hold more than SLACK of bytes no longer used.

        Or too many segments: each costs reading its header, on every build.
        """
        return self.stored + added > (1 + SLACK) * live or self.segments >= MAX_SEGMENTS

    def append(self, pieces: dict[str, Sequence[Piece]], notes: Any = None) -> None:
        """One more segment, in one write: a build appending at the same time cannot interleave with it.

        Only to a file read to its end (appendable); the disk's refusal only costs the next build time.
        """
        if self.path is None or not pieces:
            return
        data = memoryview(b"".join(self.segment(pieces, notes)))
        with contextlib.suppress(OSError):
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            try:
                while data:
                    data = data[os.write(descriptor, data) :]
            finally:
                os.close(descriptor)

    def rewrite(self, pieces: dict[str, Sequence[Piece]], notes: Any = None) -> None:
        """Replace the file by one segment of these pieces (none: no file)."""
        if self.path is None:
            return
        if not pieces:
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)
            return
        replace_file(self.path, self.segment(pieces, notes))

    def segment(self, pieces: dict[str, Sequence[Piece]], notes: Any = None) -> list[Piece]:
        """A segment's bytes, in parts: its header line, then each column's pieces in key order."""
        sizes = [[len(columns[c]) for columns in pieces.values()] for c in range(self.columns)]
        header = {"format": FORMAT, "tag": self.tag, "keys": list(pieces), "sizes": sizes, "notes": notes}
        parts: list[Piece] = [orjson.dumps(header) + b"\n"]
        for column in range(self.columns):
            parts += [columns[column] for columns in pieces.values()]
        return parts
