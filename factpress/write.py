"""Stage 5: the only writer. Build into a fresh folder beside the output, then swap it in.

A failed or interrupted build never touches the published folder: files go to a staging folder
(`.site-staging-<pid>` beside `out`), which replaces `out` only once everything, search index
included, has succeeded. Leftovers of interrupted builds are removed by the next build.
"""

from __future__ import annotations

import os
import shutil
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
    """Remove staging and retired folders that an interrupted build left beside `out`."""
    parent = out.parent
    if not parent.is_dir():
        return
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


def swap_in(staging: Path, out: Path) -> None:
    """Replace out with staging: two renames, so readers see the old site or the new, never half."""
    retired = out.parent / f"{RETIRED_PREFIX}{out.name}-{os.getpid()}"
    if out.is_symlink() or out.is_file():
        out.unlink()
    if out.exists():
        os.replace(out, retired)
    os.replace(staging, out)
    if retired.exists():
        shutil.rmtree(retired, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def write_site(outputs: Iterable[OutputFile], staging: Path) -> WriteReport:
    """Write the rendered site into the staging folder; `swap_in` publishes it."""
    return write_files(outputs, staging)
