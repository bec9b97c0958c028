"""Pieces of the site-wide data files, by content address, kept between builds.

/claimreview.json and /api/claims.json hold every fact-check, so any edit changes them; but
each fact-check's entry depends only on that fact-check, its sources and a few site-wide things.
Each entry's JSON text is kept under a key covering all of them, so a rebuild after one edit
encodes one entry and copies the others. The file is a JSON header (the keys and lengths) on
its first line, then the pieces' bytes back to back: no pickle (the folder may be shared), and
reading 60 MB of pieces is one read and some slicing. It is replaced atomically and holds only
the pieces the last build used.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path

FORMAT = "factpress-pieces-1"


class PieceCache:
    """Byte strings by key; `get` makes a missing one and remembers it for the next build."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, bytes] = self._read() if path is not None else {}
        self.used: dict[str, bytes] = {}
        self.misses = 0

    def _read(self) -> dict[str, bytes]:
        assert self.path is not None
        try:
            blob = self.path.read_bytes()
            end = blob.index(b"\n")
            header = json.loads(blob[:end])
            keys, sizes = header["keys"], header["sizes"]
            if header.get("format") != FORMAT or len(keys) != len(sizes) or sum(sizes) != len(blob) - end - 1:
                return {}
        except (OSError, ValueError, KeyError, TypeError):
            return {}
        entries, offset = {}, end + 1
        for key, size in zip(keys, sizes, strict=True):
            entries[key] = blob[offset : offset + size]
            offset += size
        return entries

    def get(self, key: str, make: Callable[[], bytes]) -> bytes:
        """The piece under key: kept from an earlier build, else made now."""
        piece = self.entries.get(key)
        if piece is None:
            piece = make()
            self.misses += 1
        self.used[key] = piece
        return piece

    def save(self) -> None:
        """Keep the pieces this build used, when any was new or any kept one went unused."""
        if self.path is None or (not self.misses and len(self.used) == len(self.entries)):
            return
        header = json.dumps({"format": FORMAT, "keys": list(self.used), "sizes": [len(p) for p in self.used.values()]})
        partial = self.path.with_suffix(f".{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with partial.open("wb") as out:
                out.write(header.encode() + b"\n")
                out.writelines(self.used.values())
            os.replace(partial, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                partial.unlink()
