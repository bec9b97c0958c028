"""Where factpress's caches live, and how a cache file is replaced in one step.

Every cache (card PNGs, Markdown, the model, pieces, manifests) lives under one folder and writes
the same way: into a file beside the target named by this process, then a rename over it, so a
reader, or a build killed half-way, sees the old file or the new one. A cache that cannot be
written only costs time, so the disk's refusal is reported as False, never raised.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path


def cache_root() -> Path | None:
    """The folder every cache lives under (None: caching is off).

    $FACTPRESS_CACHE_DIR when set (empty or `off` turns every cache off), else the user's cache
    folder ($XDG_CACHE_HOME or ~/.cache) and factpress/ in it.
    """
    setting = os.environ.get("FACTPRESS_CACHE_DIR")
    if setting is not None:
        return None if setting.strip().lower() in ("", "off", "0", "none") else Path(setting)
    return Path(os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")) / "factpress"


def project_file(cache_dir: Path | None, folder: str, project: str, suffix: str) -> Path | None:
    """One site project's file in a cache subfolder beside the card PNGs' (None: caching is off).

    `cache_dir` is the card PNGs' folder; `project` names the site (its base URL and title), hashed
    so that any title makes a plain file name.
    """
    if cache_dir is None:
        return None
    return cache_dir.parent / folder / f"{hashlib.sha256(project.encode()).hexdigest()[:32]}{suffix}"


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
