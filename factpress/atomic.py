"""Cache files replaced in one step: a reader, or a build killed half-way, sees the old file or the new one.

Every cache (card PNGs, Markdown, the model, pieces, manifests) writes the same way: into a file
beside the target named by this process, then a rename over the target. A cache that cannot be
written only costs time, so the disk's refusal is reported as False, never raised.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path


def replace_file(path: Path, data: bytes | Iterable[bytes]) -> bool:
    """Write data (bytes, or pieces of them) to path in one step; False, leaving nothing behind, if the disk refuses."""
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as out:
            if isinstance(data, bytes):
                out.write(data)
            else:
                out.writelines(data)
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        return False
    return True
