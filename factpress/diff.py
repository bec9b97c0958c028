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
#: The Markdown report stays under this many characters: GitHub refuses a comment over 65,536.
#: The margin leaves room for characters GitHub may count differently (line ends, emoji).
MARKDOWN_MAX_CHARS = 60_000


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


def file_sections(diff: SiteDiff) -> tuple[tuple[str, list[str]], ...]:
    """The file lists, titled."""
    return (("Added", diff.added), ("Removed", diff.removed), ("Changed", diff.changed))


def summary(diff: SiteDiff) -> str:
    """The file counts."""
    return (
        f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed, {diff.unchanged} unchanged"
    )


def plural(count: int, word: str) -> str:
    """'1 verdict', '2 verdicts'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class Section:
    """A list in the Markdown report: the lines before it, its items, the lines after it."""

    head: list[str]
    items: list[str]
    tail: list[str]


def markdown_sections(diff: SiteDiff) -> list[Section]:
    """Each file list, folded away."""
    sections = []
    for title, items in file_sections(diff):
        if items:
            head = [f"<details><summary>{title} ({len(items)})</summary>", ""]
            sections.append(Section(head, [f"- `{item}`" for item in items], ["", "</details>", ""]))
    return sections


def more_line(count: int) -> str:
    """What stands for the items a list leaves out."""
    return f"- … and {count} more"


def left_out_note(count: int) -> str:
    """Says how many lines were left out, and where to see them all."""
    return (
        f"_{plural(count, 'line')} left out to stay within GitHub's comment limit; "
        "`python build.py diff` on the two builds lists them all._"
    )


def lines_length(lines: list[str]) -> int:
    """The characters these lines take, each with its line end."""
    return sum(len(line) + 1 for line in lines)


def fit_sections(head: list[str], sections: list[Section], limit: int) -> list[str]:
    """The report within `limit` characters: the head and every section's frame always, items in order while
    they fit; each cut list says how many it leaves out, and a last line how many in all."""
    room = limit - lines_length(head) - lines_length([left_out_note(10**9)])
    room -= sum(lines_length([*s.head, *s.tail, more_line(len(s.items))]) for s in sections)
    lines, left_out = list(head), 0
    for section in sections:
        lines += section.head
        for index, item in enumerate(section.items):
            if left_out or len(item) + 1 > room:
                left_out += len(section.items) - index
                lines.append(more_line(len(section.items) - index))
                break
            room -= len(item) + 1
            lines.append(item)
        lines += section.tail
    if left_out:
        lines.append(left_out_note(left_out))
    return lines


def format_markdown(diff: SiteDiff, limit: int = MARKDOWN_MAX_CHARS) -> str:
    """Markdown for a pull-request comment: the counts always, then as many lines as `limit` allows."""
    changed = diff.added or diff.removed or diff.changed
    head = ["### Site changes", "", summary(diff) if changed else "No changes.", ""]
    return "\n".join(fit_sections(head, markdown_sections(diff), limit)).rstrip("\n") + "\n"


def format_diff(diff: SiteDiff, fmt: str = "text") -> str:
    """Plain text for a terminal, or Markdown for a pull-request comment."""
    if fmt == "markdown":
        return format_markdown(diff)
    lines = []
    for title, items in file_sections(diff):
        lines += [f"{MARKS[title]} {item}" for item in items]
    lines.append(summary(diff))
    return "\n".join(lines) + "\n"
