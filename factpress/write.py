"""Stage 5: the only writer. Build into a fresh folder beside the output, then swap it in.

A failed or interrupted build never touches the published folder: files go to a staging folder
(`.site-staging-<pid>` beside `out`), which replaces `out` only once everything, search index
included, has succeeded. Leftovers of interrupted builds are removed by the next build.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .render import OutputFile

STAGING_PREFIX = ".site-staging-"
RETIRED_PREFIX = ".site-retired-"


class UnsafeOutputPath(Exception):
    """An output path that would land outside the output folder."""


@dataclass(frozen=True, slots=True)
class WriteReport:
    """How many files and bytes were written, for the build summary."""

    files: int
    bytes: int


def safe_relative(name: str) -> PurePosixPath:
    """Refuse absolute paths, '..' and empty parts: nothing is written outside the output folder."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(p in ("..", ".", "") for p in path.parts) or "\\" in name:
        raise UnsafeOutputPath(name)
    return path


def write_files(outputs: Iterable[OutputFile], folder: Path) -> WriteReport:
    """Write every output file into folder (which must be new and empty)."""
    count = size = 0
    made: set[Path] = set()
    for output in outputs:
        target = folder / safe_relative(output.path)
        parent = target.parent
        if parent not in made:
            parent.mkdir(parents=True, exist_ok=True)
            made.add(parent)
        if output.source is not None:
            shutil.copyfile(output.source, target)
            size += target.stat().st_size
        else:
            data = output.content or b""
            target.write_bytes(data)
            size += len(data)
        count += 1
    return WriteReport(count, size)


def clean_leftovers(out: Path) -> None:
    """Remove staging and retired folders that an interrupted build left beside `out`.

    A build killed between the two renames of a non-atomic swap leaves no `out` at all, only
    the old site under its retired name: that one is put back first, never deleted.
    """
    parent = out.parent
    if not parent.is_dir():
        return
    if not out.exists() and not out.is_symlink():
        retired = [
            child
            for child in parent.glob(f"{RETIRED_PREFIX}{out.name}-*")
            if child.is_dir() and not child.is_symlink() and not _owner_alive(child.name)
        ]
        if retired:
            os.replace(max(retired, key=lambda path: path.stat().st_mtime), out)
    for child in parent.iterdir():
        if child.name.startswith((STAGING_PREFIX, RETIRED_PREFIX)) and child.is_dir() and not child.is_symlink():
            if _owner_alive(child.name):
                continue
            shutil.rmtree(child, ignore_errors=True)


def _owner_alive(name: str) -> bool:
    """True when the folder belongs to a build still running (its pid is alive and not ours)."""
    pid_text = name.rsplit("-", 1)[-1]
    if not pid_text.isdigit() or int(pid_text) == os.getpid():
        return False
    try:
        os.kill(int(pid_text), 0)
    except (ProcessLookupError, PermissionError, OverflowError):
        return False
    return True


def staging_folder(out: Path) -> Path:
    """A new, empty folder beside out (same file system, so the final swap is a rename)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out)
    staging = out.parent / f"{STAGING_PREFIX}{out.name}-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    return staging


AT_FDCWD = -100
RENAME_EXCHANGE = 2


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # pragma: no cover - a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    return renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0


def swap_in(staging: Path, out: Path) -> None:
    """Replace out with staging so that readers, and a build killed at any instant, see the old site or the new.

    On Linux the two folders trade places atomically; elsewhere two renames leave a moment
    with no `out`, which `clean_leftovers` repairs on the next build.
    """
    if out.is_symlink() or out.is_file():
        out.unlink()
    if out.is_dir() and exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # now the old site, under the staging name
        return
    retired = out.parent / f"{RETIRED_PREFIX}{out.name}-{os.getpid()}"
    if out.exists():
        os.replace(out, retired)
    os.replace(staging, out)
    if retired.exists():
        shutil.rmtree(retired, ignore_errors=True)


def discard(staging: Path) -> None:
    """Remove the staging folder after a failed build; the published site is left as it was."""
    shutil.rmtree(staging, ignore_errors=True)


def write_site(outputs: Iterable[OutputFile], staging: Path) -> WriteReport:
    """Write the rendered site into the staging folder; `swap_in` publishes it."""
    return write_files(outputs, staging)
