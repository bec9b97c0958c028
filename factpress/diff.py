"""`diff OLD NEW`: which pages two builds add, remove and change, for a pull-request comment."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .errors import UsageError
from .write import MARKER

#: Files that change on every build for reasons of their own (the search index) or say nothing (the marker).
IGNORED_PREFIXES = ("pagefind/", MARKER)
#: At most this many items per section in Markdown: a pull-request comment is limited to 65,536 characters.
MARKDOWN_LIMIT = 300


@dataclass(frozen=True, slots=True)
class SiteDiff:
    """The URLs two builds add, remove and change, and how many files are the same in both."""

    added: list[str]
    removed: list[str]
    changed: list[str]
    unchanged: int


def check_build_folder(folder: Path) -> None:
    """Refuse, as a usage error, anything but a folder that `build` wrote (it holds the marker file)."""
    try:
        if not folder.exists():
            raise UsageError(f"no such build folder: {folder}")
        if not folder.is_dir():
            raise UsageError(f"{folder} is not a folder: give two folders written by `build` (site/ by default)")
        if not (folder / MARKER).is_file():
            raise UsageError(
                f"{folder} is not a factpress build (it has no {MARKER} file): "
                "give two folders written by `build` (site/ by default), not a project folder"
            )
    except OSError as exc:
        raise UsageError(f"cannot read {folder}: {exc.strerror or exc}") from None


def check_arguments(old: Path, new: Path) -> None:
    """Both arguments are builds, and not the same one: comparing a build with itself tells nothing."""
    check_build_folder(old)
    check_build_folder(new)
    if old.samefile(new):
        raise UsageError(f"{old} and {new} are the same folder: give the build before the change and the one after")


def site_files(folder: Path) -> dict[str, str]:
    """Every file of a build (search index aside) with the SHA-256 of its bytes."""
    files = {}
    try:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                name = path.relative_to(folder).as_posix()
                if not name.startswith(IGNORED_PREFIXES):
                    files[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise UsageError(f"cannot read {exc.filename or folder}: {exc.strerror or exc}") from None
    return files


def page_url(name: str) -> str:
    """A file's URL as a reader would type it: claims/x/index.html -> /claims/x/ (odd characters escaped)."""
    if name == "index.html":
        name = ""
    elif name.endswith("/index.html"):
        name = name[: -len("index.html")]
    return "/" + quote(name, safe="/-._~")


def diff_builds(old: Path, new: Path) -> SiteDiff:
    """Compare two build folders file by file, by content."""
    check_arguments(old, new)
    before, after = site_files(old), site_files(new)
    added = sorted(page_url(n) for n in after.keys() - before.keys())
    removed = sorted(page_url(n) for n in before.keys() - after.keys())
    common = before.keys() & after.keys()
    changed = sorted(page_url(n) for n in common if before[n] != after[n])
    return SiteDiff(added, removed, changed, len(common) - len(changed))


MARKS = {"Added": "+", "Removed": "-", "Changed": "~"}


def format_diff(diff: SiteDiff, fmt: str = "text") -> str:
    """Plain text for a terminal, or Markdown for a pull-request comment."""
    sections = (("Added", diff.added), ("Removed", diff.removed), ("Changed", diff.changed))
    summary = (
        f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed, {diff.unchanged} unchanged"
    )
    lines: list[str] = []
    if fmt == "markdown":
        lines += ["### Site changes", "", summary if diff.added or diff.removed or diff.changed else "No changes.", ""]
        for title, items in sections:
            if items:
                lines += [f"<details><summary>{title} ({len(items)})</summary>", ""]
                lines += [f"- `{item}`" for item in items[:MARKDOWN_LIMIT]]
                if len(items) > MARKDOWN_LIMIT:
                    lines.append(f"- … and {len(items) - MARKDOWN_LIMIT} more")
                lines += ["", "</details>", ""]
    else:
        for title, items in sections:
            lines += [f"{MARKS[title]} {item}" for item in items]
        lines.append(summary)
    return "\n".join(lines).rstrip("\n") + "\n"
