"""Installed library versions, for the caches' keys: read from the dist-info folders' names.

Every cache key covers the versions of the libraries that shape its bytes. `importlib.metadata`
costs 25 ms to import and a few ms a lookup (it reads each METADATA file), on every build; the
installed wheels' `<name>-<version>.dist-info` folders already say it all, in one listing of each
folder on sys.path. A library found there no other way is asked of importlib.metadata.
"""

from __future__ import annotations

import functools
import os
import re
import sys

DIST_INFO = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)\.dist-info$")


def normalised(name: str) -> str:
    """A distribution name as dist-info folders write it (PEP 503, underscores): markdown-it-py, markdown_it_py."""
    return re.sub(r"[-_.]+", "_", name).lower()


@functools.cache
def _installed() -> dict[str, str]:
    """Every distribution named by a dist-info folder on sys.path; the first one found wins, as imports do."""
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in names:
            match = DIST_INFO.match(entry)
            if match:
                found.setdefault(normalised(match["name"]), match["version"])
    return found


def version(name: str) -> str | None:
    """The installed version of a distribution, or None when it is not installed."""
    found = _installed().get(normalised(name))
    if found is not None:
        return found
    from importlib import metadata  # an egg-info or other layout: the slow, general way

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
