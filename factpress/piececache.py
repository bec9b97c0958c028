"""Pieces of the site-wide data files, by content address, kept between builds.

/claimreview.json and /api/claims.json hold every fact-check, so any edit changes them; but
each fact-check's entry depends only on that fact-check, its sources and a few site-wide things.
Each entry's JSON text is kept under a key covering all of them, so a rebuild after one edit
encodes one entry and copies the others. No pickle (the folder may be shared): the file is a
series of segments, each a JSON header (the keys and lengths) on one line, then the pieces'
bytes back to back; reading 60 MB of pieces is one read and some slicing (views, not copies).

A build that made a few new pieces appends them as one more segment (one write in append mode),
instead of writing the 60 MB again (a quarter of the data files' cost in a one-claim rebuild).
Once pieces no longer used make up more than SLACK of the file, or the file is damaged, it is
replaced atomically by one holding only the pieces the last build used. A segment cut short (a
build killed while appending) ends the reading: the pieces before it are good.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

import orjson

from .cachefiles import replace_file

FORMAT = "factpress-pieces-2"
#: The share of a file's piece bytes that may be pieces no longer used before it is written again.
SLACK = 0.1

#: A piece: its bytes, or a view of them in the file read.
Piece = bytes | memoryview


class PieceCache:
    """Byte strings by key; `get` makes a missing one and remembers it for the next build."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, Piece] = {}
        #: Bytes of pieces in the file, and whether it was read to its end (so more may be appended).
        self.stored = 0
        self.appendable = False
        if path is not None:
            self._read(path)
        self.used: dict[str, Piece] = {}
        self.misses = 0

    def _read(self, path: Path) -> None:
        try:
            blob = path.read_bytes()
        except OSError:
            return
        view, offset, entries, stored = memoryview(blob), 0, self.entries, 0
        while offset < len(blob):
            try:
                end = blob.index(b"\n", offset)
                header = orjson.loads(view[offset:end])
                keys, sizes = header["keys"], header["sizes"]
                if header.get("format") != FORMAT or len(keys) != len(sizes):
                    return
                if not all(type(size) is int and size >= 0 for size in sizes) or end + 1 + sum(sizes) > len(blob):
                    return
                segment: dict[str, Piece] = {}
                position = end + 1
                for key, size in zip(keys, sizes, strict=True):
                    segment[key] = view[position : position + size]
                    position += size
            except (ValueError, KeyError, TypeError):  # not JSON, no such key, unhashable key
                return
            entries.update(segment)
            stored += position - end - 1
            offset = position
            self.stored = stored
        self.appendable = True

    def get(self, key: str, make: Callable[[], bytes]) -> Piece:
        """The piece under key: kept from an earlier build, else made now."""
        piece = self.entries.get(key)
        if piece is None:
            piece = make()
            self.misses += 1
        self.used[key] = piece
        return piece

    def save(self) -> None:
        """Keep the pieces this build made (appended), or write the file again with only those it used."""
        if self.path is None:
            return
        new = {key: piece for key, piece in self.used.items() if key not in self.entries}
        added = sum(len(piece) for piece in new.values())
        live = sum(len(piece) for piece in self.used.values())
        if self.appendable and self.stored + added <= (1 + SLACK) * live:
            if new:
                self._append(new)
        elif new or len(self.used) != len(self.entries) or not self.appendable:
            self._rewrite()

    @staticmethod
    def _segment(pieces: dict[str, Piece]) -> list[Piece]:
        header = orjson.dumps({"format": FORMAT, "keys": list(pieces), "sizes": [len(p) for p in pieces.values()]})
        return [header + b"\n", *pieces.values()]

    def _append(self, pieces: dict[str, Piece]) -> None:
        """One more segment, in one write: a build appending at the same time cannot interleave with it."""
        assert self.path is not None
        data = memoryview(b"".join(self._segment(pieces)))
        with contextlib.suppress(OSError):
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            try:
                while data:
                    data = data[os.write(descriptor, data) :]
            finally:
                os.close(descriptor)

    def _rewrite(self) -> None:
        assert self.path is not None
        if not self.used:
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)
            return
        replace_file(self.path, self._segment(self.used))
