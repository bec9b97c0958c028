"""Problems found in a site project, and how they are reported: errors are part of the interface."""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Location:
    """Where something was written: a path relative to the project root, 1-based line and column."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col or 1}"
        return self.path


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in the content, with a stable code and an optional hint for the editor."""

    location: Location
    message: str
    code: str
    severity: str = "error"
    hint: str = ""
    detail: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_error(self) -> bool:
        """True for errors; warnings are reported but never stop a build."""
        return self.severity == "error"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order by file, line, column, then code, so reports are stable."""
        loc = self.location
        return (loc.path, loc.line, loc.col, self.code, self.message)


class ContentError(Exception):
    """Raised when the content has errors: carries every problem, never only the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = sum(p.is_error for p in self.problems)
        super().__init__(f"{count} error{'s' if count != 1 else ''} in the content")


class UsageError(Exception):
    """Raised for a wrong command line or an unusable folder: exit status 2."""


def suggest(value: str, known: Iterable[str]) -> str:
    """A did-you-mean hint for a misspelt reference, listing what is known when the list is short.

    When the value holds a letter that only looks like the one meant (a Cyrillic a, U+0430, for a Latin a),
    or an invisible character, the hint names it first: its suggestion would look the same.
    """
    names = known if isinstance(known, (Mapping, AbstractSet)) else set(known)  # (a dict's keys as they are)
    close = closest(value, names)
    hint = f"did you mean '{close}'?" if close is not None else ""
    if names and len(names) <= 12:
        known_list = sorted(names)
        listing = f"(known: {', '.join(known_list)})"
        hint = f"{hint} {listing}" if hint else f"known: {', '.join(known_list)}"
    hidden = lookalike_note(value)
    return f"{hidden}; {hint}" if hidden and hint else hidden or hint


def closest(value: str, known: Mapping[str, object] | AbstractSet[str]) -> str | None:
    """The known name most like the value, as `difflib.get_close_matches(value, known, n=1, cutoff=0.6)` finds
    it (None when none is), with difflib asked about a few names only.

    Ten thousand claims each relating one unknown claim made check compare every pair with difflib
    (and sort the list anew each time): 50 s, growing with the square of the claims. RapidFuzz's
    ratio (of the longest common subsequence) is never below difflib's, and scores every name in C:
    names are asked about best first, until one difflib scores higher than any name left could.
    """
    if len(known) <= 12:
        close = difflib.get_close_matches(value, sorted(set(known)), n=1, cutoff=0.6)
        return close[0] if close else None
    from rapidfuzz import fuzz, process

    best: tuple[float, str] | None = None
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(value)  # (as get_close_matches does: the value is b, each name a)
    for name, bound, _ in process.extract(
        value, list(known), scorer=fuzz.ratio, processor=None, score_cutoff=59.9, limit=None
    ):
        if best is not None and bound / 100 < best[0] - 1e-9:  # (best first: no name left can score higher)
            break
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6 and matcher.ratio() >= 0.6:
            best = max(best or (0.0, ""), (matcher.ratio(), name))
    return best[1] if best else None


#: Commas a Chinese or Japanese input method types (full-width, ideographic) and its semicolon.
_WIDE_SEPARATORS = re.compile("[\uff0c\u3001\uff1b]")


def separator_note(value: str) -> str:
    """For one list item holding two ids joined by a full-width or ideographic comma: how to list them."""
    parts = [part.strip() for part in _WIDE_SEPARATORS.split(value)]
    if len(parts) < 2 or not all(parts):
        return ""
    mark = _WIDE_SEPARATORS.search(value).group()  # type: ignore[union-attr]
    return (
        f"'{mark}' (U+{ord(mark):04X} {unicodedata.name(mark, '')}) does not separate a list's items in YAML, "
        f"so this is one item: write [{', '.join(parts)}], with half-width commas"
    )


#: Letters of other scripts drawn like a Latin letter (Cyrillic, Greek, Armenian): an id typed on a
#: Ukrainian or Greek keyboard layout, or pasted, can hold one that no reader can see.
_LOOKS_LATIN = dict(
    zip(
        "аеорсухіјѕһԁԛԝӏѵАВЕКМНОРСТХУІЈЅοικνρυχαΑΒΕΖΗΙΚΜΝΟΡΤΥΧօսհ",
        "aeopcyxijshdqwlvABEKMHOPCTXYIJSoikvpuxaABEZHIKMNOPTYXouh",
        strict=True,
    )
)
#: Dashes drawn like the hyphen ids use (a word processor's non-breaking hyphen, an en dash, a minus).
_LOOKS_HYPHEN = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"


def _looks_like(char: str) -> str:
    """The ASCII character a non-ASCII one is drawn like ('' for none; ' ' for any white space)."""
    if char in _LOOKS_LATIN:
        return _LOOKS_LATIN[char]
    if char in _LOOKS_HYPHEN:
        return "-"
    if char.isspace():
        return " "
    compatible = unicodedata.normalize("NFKC", char)  # full-width letters, as a Japanese input method types
    return compatible if len(compatible) == 1 and compatible.isascii() else ""


def _is_invisible(char: str) -> bool:
    """A character that shows as nothing: a zero-width space or joiner, a direction mark, a soft hyphen."""
    return unicodedata.category(char) == "Cf"


def lookalike_note(value: str) -> str:
    """What a reader of an id or key cannot see: the characters drawn like ASCII ones, or drawn as nothing.

    Said only when every non-ASCII character of the value is one of those ('ivan' with a Cyrillic i, U+0456),
    not for a word of another script ('інфляція'), which the usual hint turns into an id.
    """
    odd = [c for c in dict.fromkeys(value) if not c.isascii()]
    if not odd or not all(_is_invisible(c) or _looks_like(c) for c in odd):
        return ""
    named = ", ".join(_describe(c) for c in odd[:3]) + (f" and {len(odd) - 3} more" if len(odd) > 3 else "")
    if all(_is_invisible(c) for c in odd):
        return f"'{value}' holds {named}: delete {'it' if len(odd) == 1 else 'them'}"
    if all(_looks_like(c) == " " for c in odd):
        return f"'{value}' holds {named}, which only looks like a space: type an ordinary space, or none"
    if len(odd) == 1:
        return f"'{value}' holds {named}, which only looks like a Latin letter or sign: retype it"
    return f"'{value}' holds {named}, which only look like Latin letters or signs: retype them"


def _describe(char: str) -> str:
    """The character, its code point and its name, or `an invisible U+200B ZERO WIDTH SPACE`."""
    code = f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()
    return f"an invisible {code}" if _is_invisible(char) else f"'{char}' ({code})"


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in file and line order, so reports are stable and easy to follow."""
    return sorted(problems, key=Problem.sort_key)


#: Characters a message must not print as they are: line breaks (a line starting `::error` is a
#: GitHub Actions command), other control characters (terminal escapes) and bidirectional
#: overrides (they reorder what a reader sees). Content quoted in a message may hold any of them.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """The text with each unprintable character written as its escape (`\\n`, `\\x1b`, `\\u202e`)."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def format_text(problems: Sequence[Problem]) -> str:
    """`path:line:col: error: message [code]`, then indented hint and detail lines, then a count.

    One problem, one line each: whatever content a message quotes is printed escaped.
    """
    lines: list[str] = []
    for p in sorted_problems(problems):
        lines.append(printable(f"{p.location}: {p.severity}: {p.message} [{p.code}]"))
        if p.hint:
            lines.append(f"    hint: {printable(p.hint)}")
        lines.extend(f"    {printable(d)}" for d in p.detail)
    lines.append(summary_line(problems))
    return "\n".join(lines) + "\n"


def summary_line(problems: Sequence[Problem]) -> str:
    """The closing count line ('2 errors, 1 warning.'), or 'No problems found.'."""
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    if not parts:
        return "No problems found."
    return ", ".join(parts) + "."


def _escape_github(text: str, *, prop: bool = False) -> str:
    """Escape text for a GitHub Actions workflow command (data, or property when prop)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(problems: Sequence[Problem], root: Path | None = None) -> str:
    """GitHub Actions workflow commands, so errors annotate the pull request's changed lines.

    GitHub reads a file's path from the repository's root: a project in a subfolder (`--root site-project`)
    has that folder put before each path. Content quoted in a message is escaped as format_text escapes it.
    """
    prefix = repository_prefix(root) if root is not None else ""
    lines = []
    for p in sorted_problems(problems):
        loc = p.location
        props = [f"file={_escape_github(prefix + loc.path, prop=True)}"]
        if loc.line:
            props.append(f"line={loc.line}")
            props.append(f"col={loc.col or 1}")
        props.append(f"title={_escape_github(p.code, prop=True)}")
        body = printable(p.message)
        if p.hint:
            body += f"\nhint: {printable(p.hint)}"
        if p.detail:
            body += "\n" + "\n".join(printable(d) for d in p.detail)
        kind = "error" if p.is_error else "warning"
        lines.append(f"::{kind} {','.join(props)}::{_escape_github(body)}")
    lines.append(summary_line(problems))
    return "\n".join(lines) + "\n"


def repository_prefix(root: Path) -> str:
    """The project folder's path from the repository root ($GITHUB_WORKSPACE, else the working folder), with '/'.

    Empty when the project is that folder, or outside it (its paths are then given as they are).
    """
    base = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()).resolve()
    try:
        relative = root.resolve().relative_to(base).as_posix()
    except (ValueError, OSError):
        return ""
    return "" if relative == "." else relative + "/"


def format_json(problems: Sequence[Problem]) -> str:
    """A JSON document of every problem, for tools."""
    items = []
    for p in sorted_problems(problems):
        item = asdict(p)
        item["location"] = asdict(p.location)
        item["detail"] = list(p.detail)
        items.append(item)
    errors = sum(p.is_error for p in problems)
    doc = {"errors": errors, "warnings": len(problems) - errors, "problems": items}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}
