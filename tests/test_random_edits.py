"""Random edits, as editors make them: after each, the warm caches must give what an empty cache gives.

A seeded random walk edits a site project (a generated one and tests/sites/full) the way editors
do: a verdict changed, an excerpt broken and mended, a claim moved to another file, a source
removed while cited, a verdict relabelled, a template override added, the base URL flipped, a
file put back as git checkout puts it back (its old bytes and mtime)... After each edit it
compares:

- a rebuild into the same output folder, with the caches of every earlier step, against a clean
  build into an empty folder with an empty cache, file by file (a failed build must leave the
  previous output as it was, and fail with the clean build's problems);
- `check` with the warm cache against `check` with an empty one: every problem, at its place.

The suite runs a few dozen steps. To run it long by hand (thousands of steps, across seeds):

    FACTPRESS_EDIT_STEPS=400 FACTPRESS_EDIT_SEEDS=1-10 python -m pytest -q tests/test_random_edits.py

Each walk lowers some of the limits past which a cache takes another way, so that a small site
takes the ways a large archive does; in half of them every file counts as settled at once, so the
digests kept by file status (load.FileDigests) are recorded and trusted as a real project's are
(a step's edits come after the last build, and change the files' ctime). FACTPRESS_EDIT_ELSEWHERE=0.2
runs a fifth of the builds and checks in a new process, as the command line does (the others run in
this one, as `serve` does, with what it remembers in memory), and
FACTPRESS_EDIT_COLD_PNGS=1 draws the clean build's card PNGs afresh (by
default clean builds share one folder of PNGs, content-addressed by their SVG). A failure names
the seed, the step and every edit before it: the same seed replays the same walk.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.generate import generate_site
from factpress import pipeline
from factpress.errors import ContentError, Problem
from factpress.pipeline import BuildOptions, build_site, check_site
from factpress.validate import validate_project

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
THEME = REPO / "factpress" / "templates"


def seeds() -> list[int]:
    """FACTPRESS_EDIT_SEEDS: `3`, `1,5,9` or `1-20` (default: one seed)."""
    found: list[int] = []
    for part in os.environ.get("FACTPRESS_EDIT_SEEDS", "1").split(","):
        low, _, high = part.strip().partition("-")
        found += range(int(low), int(high or low) + 1)
    return found


STEPS = int(os.environ.get("FACTPRESS_EDIT_STEPS", "0"))
COLD_PNGS = os.environ.get("FACTPRESS_EDIT_COLD_PNGS", "") not in ("", "0")
#: The share of builds and checks run in a new process, as the command line runs them (nothing kept in memory).
ELSEWHERE = float(os.environ.get("FACTPRESS_EDIT_ELSEWHERE", "0"))
#: Steps per walk in the suite, by starting project (a few seconds each).
SUITE_STEPS = {"generated": 28, "full": 24}


# -- YAML as editors write it --------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .,;()/'?+=_-]*")


def scalar(value: str) -> str:
    """A string as an editor would type it: plain when YAML reads it back as typed, else double-quoted."""
    if _PLAIN.fullmatch(value) and not value.endswith(" ") and not value.endswith(":"):
        return value
    return json.dumps(value, ensure_ascii=False)


def block(key: str, value: Any, indent: str) -> list[str]:
    """The lines of `key: value` at indent (value: text, a list or a mapping, as BaseLoader reads them)."""
    if isinstance(value, str):
        if "\n" in value.strip("\n") and not re.search(r"[ \t]\n|^\s|\t", value):
            text = value if value.endswith("\n") else value + "\n"
            style = "|" if value.endswith("\n") and not value.endswith("\n\n") else "|-"
            if style == "|-":
                text = value.rstrip("\n") + "\n"
            return [f"{indent}{key}: {style}"] + [f"{indent}  {line}" if line else "" for line in text[:-1].split("\n")]
        return [f"{indent}{key}: {scalar(value)}"]
    if isinstance(value, list):
        if all(isinstance(item, str) for item in value):
            return [f"{indent}{key}: [{', '.join(scalar(item) for item in value)}]"]
        lines = [f"{indent}{key}:"]
        for item in value:
            lines += list_item(item, indent + "  ")
        return lines
    if isinstance(value, dict):
        lines = [f"{indent}{key}:"]
        for name, item in value.items():
            lines += block(name, item, indent + "  ")
        return lines
    return [f"{indent}{key}: {scalar(str(value))}"]


def list_item(item: Any, indent: str) -> list[str]:
    """One `- ...` item of a block list at indent."""
    if not isinstance(item, dict) or not item:
        return [f"{indent}- {scalar(str(item))}"]
    lines: list[str] = []
    for name, value in item.items():
        lines += block(name, value, indent + "  ")
    lines[0] = f"{indent}- {lines[0][len(indent) + 2 :]}"
    return lines


def entry_text(entry: dict[str, Any]) -> str:
    return "\n".join(list_item(entry, "")) + "\n"


@dataclass
class Entry:
    """One top-level item of a YAML list file: its text, and its value as BaseLoader reads it (None: unreadable)."""

    text: str
    data: Any

    def set(self, data: dict[str, Any]) -> None:
        self.data, self.text = data, entry_text(data)


@dataclass
class ListFile:
    """A YAML list file cut at its top-level items (as claimchunks cuts it), each editable alone."""

    path: Path
    head: str
    entries: list[Entry]

    @classmethod
    def read(cls, path: Path) -> ListFile | None:
        """The file's items, or None when it is missing or an item does not read as a mapping."""
        try:
            text = path.read_bytes().decode("utf-8")  # (line ends as they are)
        except (OSError, UnicodeDecodeError):
            return None
        starts = [m.start() for m in re.finditer(r"^- ", text, re.M)]
        head = text[: starts[0]] if starts else text
        entries = []
        for start, end in zip(starts, [*starts[1:], len(text)][: len(starts)], strict=True):
            chunk = text[start:end]
            try:
                value = yaml.load(chunk, Loader=yaml.BaseLoader)
            except yaml.YAMLError:
                return None
            if not (isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict)):
                return None
            entries.append(Entry(chunk if chunk.endswith("\n") else chunk + "\n", value[0]))
        if not starts and head.strip() and not head.lstrip().startswith("#"):
            return None
        return cls(path, head, entries)

    def write(self) -> None:
        self.path.write_bytes((self.head + "".join(e.text for e in self.entries)).encode("utf-8"))

    def ids(self, key: str = "id") -> list[str]:
        return [e.data.get(key, "") for e in self.entries]


# -- the project ---------------------------------------------------------------------------------

WORDS = [
    "budget", "figures", "council", "report", "minister", "bridge", "water", "school", "tax", "record", "growth",
    "survey", "harbour", "station", "election", "hospital", "rail", "wages", "energy", "prices", "housing", "court",
]  # fmt: skip
LANGUAGES = ("en", "fr", "de", "ar", "es")
BASE_URLS = ("https://checks.example.net/", "https://example.org/fact/", "http://localhost:8000/")


class Project:
    """A site project on disk and what the walk needs to find its way in it."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.content = root / "content"
        self.rng = rng
        self.counter = 0

    def new_id(self, stem: str) -> str:
        self.counter += 1
        return f"{stem}-{self.counter}"

    def words(self, low: int = 2, high: int = 6) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high)))

    def claims_paths(self) -> list[Path]:
        root_file = [self.root / "claims.yaml"] if (self.root / "claims.yaml").is_file() else []
        found = (self.content / "claims").rglob("*") if (self.content / "claims").is_dir() else []
        return root_file + sorted(p for p in found if p.suffix in (".yaml", ".yml") and p.is_file())

    def claims_files(self) -> list[ListFile]:
        return [f for p in self.claims_paths() if (f := ListFile.read(p)) is not None]

    def listed(self, name: str) -> ListFile | None:
        return ListFile.read(self.content / name)

    def claim_ids(self) -> list[str]:
        return [i for f in self.claims_files() for i in f.ids()]

    def ids_of(self, name: str, key: str = "id") -> list[str]:
        found = self.listed(name)
        return found.ids(key) if found is not None else []

    def snapshot_text(self, source_id: str) -> str | None:
        sources = self.listed("sources.yaml")
        if sources is None:
            return None
        for e in sources.entries:
            if e.data.get("id") == source_id and isinstance(e.data.get("snapshot"), str):
                try:
                    return (self.content / e.data["snapshot"]).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError, ValueError):
                    return None
        return None

    def excerpt_from(self, source_id: str) -> str | None:
        """A run of words copied from the source's snapshot (what `check` must find)."""
        text = self.snapshot_text(source_id)
        if not text:
            return None
        words = [w for w in text.split() if re.fullmatch(r"[\w'\u2019.,;-]+", w)]
        if len(words) < 8:
            return None
        size = self.rng.randint(6, min(14, len(words)))
        start = self.rng.randrange(len(words) - size + 1)
        return " ".join(words[start : start + size]).strip(".,;")

    def files(self) -> dict[str, tuple[bytes, int]]:
        """Every file of the project: bytes and mtime (the output folder aside)."""
        return {
            p.relative_to(self.root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(self.root.rglob("*"))
            if p.is_file() and p.relative_to(self.root).parts[0] != "site"
        }

    def restore(self, state: dict[str, tuple[bytes, int]], *, mtimes: bool) -> None:
        """Put the project back as it was (git checkout): files gone or changed are written, new ones deleted."""
        now = self.files()
        for rel in now.keys() - state.keys():
            (self.root / rel).unlink()
        for rel, (data, mtime) in state.items():
            path = self.root / rel
            if now.get(rel, (None,))[0] != data:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                if mtimes:
                    os.utime(path, ns=(mtime, mtime))


# -- the edits -----------------------------------------------------------------------------------


class Skip(Exception):
    """The edit does not apply to the project as it is now."""


def pick(rng: random.Random, items: list[Any]) -> Any:
    if not items:
        raise Skip
    return rng.choice(items)


def a_claim(p: Project) -> tuple[ListFile, Entry]:
    files = [f for f in p.claims_files() if f.entries]
    file = pick(p.rng, files)
    return file, pick(p.rng, file.entries)


def claim_edit(change: Callable[[Project, dict[str, Any]], str | None]) -> Callable[[Project], str]:
    """An edit of one claim's fields; `change` edits a copy of its mapping and says what it did."""

    def edit(p: Project) -> str:
        file, entry = a_claim(p)
        data = json.loads(json.dumps(entry.data))
        said = change(p, data)
        if said is None or data == entry.data:
            raise Skip
        entry.set(data)
        file.write()
        return f"{entry.data.get('id')}: {said}"

    edit.__name__ = change.__name__
    return edit


def listed_edit(name: str, change: Callable[[Project, dict[str, Any]], str | None]) -> Callable[[Project], str]:
    """An edit of one entry of sources.yaml, verdicts.yaml, people.yaml or topics.yaml."""

    def edit(p: Project) -> str:
        file = p.listed(name)
        if file is None:
            raise Skip
        entry = pick(p.rng, file.entries)
        data = json.loads(json.dumps(entry.data))
        said = change(p, data)
        if said is None or data == entry.data:
            raise Skip
        entry.set(data)
        file.write()
        return f"{name} {entry.data.get('id', entry.data.get('key'))}: {said}"

    edit.__name__ = change.__name__
    return edit


@claim_edit
def verdict(p: Project, c: dict[str, Any]) -> str:
    keys = p.ids_of("verdicts.yaml", "key")
    c["verdict"] = pick(p.rng, [k for k in keys if k != c.get("verdict")] or ["mostly-ture"])
    if p.rng.random() < 0.05:
        c["verdict"] = "mostly-ture"  # (unknown: an error until another edit)
    return f"verdict {c['verdict']}"


@claim_edit
def summary(p: Project, c: dict[str, Any]) -> str:
    c["summary"] = (c.get("summary", "") + " " + p.words().capitalize() + ".").strip()
    return "summary"


#: What copy and paste brings along: line and paragraph separators, NEL, no-break and zero-width spaces,
#: a combining accent, right-to-left text, an emoji, a CR alone.
ODD = ("\u2028", "\u2029", "\x85", "\u00a0", "\u200b", "e\u0301", "\u05e9\u05dc\u05d5\u05dd", "\U0001f600", "\r")


@claim_edit
def odd_text(p: Project, c: dict[str, Any]) -> str:
    """Characters copied from elsewhere, in a summary, a claim or an evidence note."""
    field_name = p.rng.choice(["summary", "claim", "note"])
    odd = p.rng.choice(ODD)
    if field_name == "note":
        ev = pick(p.rng, _evidence(c))
        ev["note"] = f"{ev.get('note', '')} {p.words(1, 2)}{odd}{p.words(1, 2)}.".strip()
    else:
        c[field_name] = f"{c.get(field_name, '')} {p.words(1, 2)}{odd}{p.words(1, 2)}.".strip()
    return f"{field_name} with {odd!r}"


def line_endings(p: Project) -> str:
    """A file saved with Windows line ends (or back), or with a byte-order mark (or without)."""
    path = pick(p.rng, [*p.claims_paths(), p.content / "sources.yaml", p.content / "people.yaml"])
    data = path.read_bytes()
    if p.rng.random() < 0.3:
        changed = data[3:] if data.startswith(b"\xef\xbb\xbf") else b"\xef\xbb\xbf" + data
        path.write_bytes(changed)
        return f"{path.name}: byte-order mark {'removed' if len(changed) < len(data) else 'added'}"
    changed = data.replace(b"\r\n", b"\n") if b"\r\n" in data else data.replace(b"\n", b"\r\n")
    path.write_bytes(changed)
    return f"{path.name}: line ends {'LF' if len(changed) < len(data) else 'CRLF'}"


@claim_edit
def claim_text(p: Project, c: dict[str, Any]) -> str:
    c["claim"] = p.words(3, 8).capitalize() + "."
    return "claim"


def _analysis(p: Project, c: dict[str, Any], paragraph: str) -> None:
    c["analysis"] = c.get("analysis", "").rstrip("\n") + "\n\n" + paragraph + "\n"


@claim_edit
def cite(p: Project, c: dict[str, Any]) -> str:
    cited = [e.get("source") for e in c.get("evidence", []) if isinstance(e, dict)]
    source = pick(p.rng, cited if p.rng.random() < 0.6 else [*p.ids_of("sources.yaml"), "no-such-source"])
    _analysis(p, c, f"{p.words().capitalize()} ([{p.words(1, 2)}](#{source})).")
    return f"analysis cites {source}"


@claim_edit
def uncite(p: Project, c: dict[str, Any]) -> str:
    links = list(re.finditer(r" ?\(\[[^\]]*\]\(#[a-z0-9-]+\)\)", c.get("analysis", "")))
    link = pick(p.rng, links)
    c["analysis"] = c["analysis"][: link.start()] + c["analysis"][link.end() :]
    return f"analysis citation removed {link.group().strip()}"


@claim_edit
def link_claim(p: Project, c: dict[str, Any]) -> str:
    other = pick(p.rng, p.claim_ids())
    _analysis(p, c, f"See also [{p.words(1, 3)}](/claims/{other}/).")
    return f"analysis links claim {other}"


@claim_edit
def link_page(p: Project, c: dict[str, Any]) -> str:
    """A link to one of the site's own pages (or one no build publishes: a dead link)."""
    pages = [f"/{x.stem}/" for x in sorted((p.content / "pages").glob("*.md"))] + ["/no-such-page/"]
    pages += [f"/verdicts/{k}/" for k in p.ids_of("verdicts.yaml", "key")]
    pages += [f"/topics/{t}/" for t in p.ids_of("topics.yaml")] + [f"/people/{x}/" for x in p.ids_of("people.yaml")]
    pages += [f"/sources/{x}/" for x in p.ids_of("sources.yaml")] + [f"/claims/{x}/" for x in p.claim_ids()]
    target = pick(p.rng, pages)
    if p.rng.random() < 0.3:
        target = p.rng.choice(BASE_URLS).rstrip("/") + target
    _analysis(p, c, f"{p.words().capitalize()}, [{p.words(1, 2)}]({target}).")
    return f"analysis links {target}"


@claim_edit
def heading(p: Project, c: dict[str, Any]) -> str:
    level = p.rng.choice(["##", "###", "#"])
    _analysis(p, c, f"{level} {p.words(1, 3).capitalize()}\n\n{p.words(4, 9).capitalize()}.")
    return "analysis heading"


@claim_edit
def unparagraph(p: Project, c: dict[str, Any]) -> str:
    parts = c.get("analysis", "").rstrip("\n").split("\n\n")
    if len(parts) < 2:
        raise Skip
    del parts[p.rng.randrange(len(parts))]
    c["analysis"] = "\n\n".join(parts) + "\n"
    return "analysis paragraph removed"


def _evidence(c: dict[str, Any]) -> list[dict[str, Any]]:
    found = [e for e in c.get("evidence", []) if isinstance(e, dict)]
    if not found:
        raise Skip
    return found


@claim_edit
def break_excerpt(p: Project, c: dict[str, Any]) -> str:
    ev = pick(p.rng, _evidence(c))
    words = ev.get("excerpt", "").split()
    if not words:
        raise Skip
    words[p.rng.randrange(len(words))] = p.rng.choice(["zebra", "quokka", "twelve"])
    ev["excerpt"] = " ".join(words)
    return f"excerpt of {ev.get('source')} broken"


@claim_edit
def mend_excerpt(p: Project, c: dict[str, Any]) -> str:
    ev = pick(p.rng, _evidence(c))
    excerpt = p.excerpt_from(ev.get("source", ""))
    if excerpt is None:
        raise Skip
    ev["excerpt"] = excerpt
    return f"excerpt of {ev.get('source')} copied afresh"


@claim_edit
def add_evidence(p: Project, c: dict[str, Any]) -> str:
    source = pick(p.rng, p.ids_of("sources.yaml"))
    excerpt = p.excerpt_from(source)
    if excerpt is None:
        raise Skip
    c.setdefault("evidence", []).append({"source": source, "excerpt": excerpt, "note": p.words().capitalize() + "."})
    return f"evidence from {source} added"


@claim_edit
def drop_evidence(p: Project, c: dict[str, Any]) -> str:
    evidence = _evidence(c)
    if len(evidence) < 2 and p.rng.random() < 0.8:
        raise Skip
    gone = evidence.pop(p.rng.randrange(len(evidence)))
    c["evidence"] = evidence
    return f"evidence from {gone.get('source')} removed"


@claim_edit
def correction(p: Project, c: dict[str, Any]) -> str:
    corrections = c.setdefault("corrections", [])
    if corrections and p.rng.random() < 0.3:
        corrections.pop()
        if not corrections:
            del c["corrections"]
        return "correction removed"
    fix = {"date": f"2025-0{p.rng.randint(4, 9)}-1{p.rng.randint(0, 9)}", "note": p.words().capitalize() + "."}
    if p.rng.random() < 0.6:
        fix["previous_verdict"] = pick(p.rng, p.ids_of("verdicts.yaml", "key"))
    corrections.append(fix)
    return f"correction added {fix.get('previous_verdict', '')}"


@claim_edit
def related(p: Project, c: dict[str, Any]) -> str:
    named = c.setdefault("related", [])
    if named and p.rng.random() < 0.4:
        named.pop(p.rng.randrange(len(named)))
        if not named:
            del c["related"]
        return "related removed"
    other = pick(p.rng, [i for i in p.claim_ids() if i != c.get("id") and i not in named] + ["no-such-claim"])
    named.append(other)
    return f"related {other}"


@claim_edit
def topics(p: Project, c: dict[str, Any]) -> str:
    known = p.ids_of("topics.yaml")
    named = c.setdefault("topics", [])
    if named and p.rng.random() < 0.4:
        named.pop(p.rng.randrange(len(named)))
        if not named:
            del c["topics"]
        return "topic removed"
    topic = pick(p.rng, [t for t in known if t not in named])
    named.append(topic)
    return f"topic {topic}"


@claim_edit
def authors(p: Project, c: dict[str, Any]) -> str:
    people = p.ids_of("people.yaml")
    c["authors"] = p.rng.sample(people, k=min(len(people), p.rng.randint(1, 2)))
    return f"authors {c['authors']}"


@claim_edit
def claimant(p: Project, c: dict[str, Any]) -> str:
    c["claimant"] = pick(p.rng, p.ids_of("people.yaml"))
    return f"claimant {c['claimant']}"


@claim_edit
def draft(p: Project, c: dict[str, Any]) -> str:
    if c.get("draft") == "true":
        del c["draft"]
        return "draft off"
    c["draft"] = "true"
    return "draft on"


@claim_edit
def language(p: Project, c: dict[str, Any]) -> str:
    if "language" in c and p.rng.random() < 0.4:
        del c["language"]
        return "language removed"
    c["language"] = p.rng.choice(LANGUAGES)
    return f"language {c['language']}"


@claim_edit
def appearance(p: Project, c: dict[str, Any]) -> str:
    seen = [a for a in c.get("appearances", []) if isinstance(a, dict)]
    roll = p.rng.random()
    if seen and roll < 0.4:
        target = p.rng.choice(seen)
        target["title"] = p.words(2, 5).capitalize()
        return "appearance retitled"
    if len(seen) > 1 and roll < 0.6:
        seen.pop()
        c["appearances"] = seen
        return "appearance removed"
    new = {"title": p.words(2, 4).capitalize(), "medium": p.rng.choice(["Speech", "Radio", "Post"])}
    if p.rng.random() < 0.7:
        new["url"] = f"https://news.example.com/{p.new_id('story')}"
    c["appearances"] = [*seen, new]
    return "appearance added"


@claim_edit
def dates(p: Project, c: dict[str, Any]) -> str:
    field_name = p.rng.choice(["published", "updated", "claim_date"])
    year = p.rng.choice([2019, 2022, 2024, 2025])
    c[field_name] = f"{year}-0{p.rng.randint(1, 9)}-{p.rng.randint(10, 28)}"
    if field_name == "claim_date" and p.rng.random() < 0.3:
        c[field_name] = str(year)
    return f"{field_name} {c[field_name]}"


@claim_edit
def alias(p: Project, c: dict[str, Any]) -> str:
    named = c.setdefault("aliases", [])
    if named and p.rng.random() < 0.4:
        named.pop()
        if not named:
            del c["aliases"]
        return "alias removed"
    new = p.new_id("old-address") if p.rng.random() < 0.8 else pick(p.rng, p.claim_ids())
    named.append(new)
    return f"alias {new}"


def rename(p: Project) -> str:
    file, entry = a_claim(p)
    data = json.loads(json.dumps(entry.data))
    old = data.get("id", "")
    data["id"] = p.new_id(re.sub(r"-\d+$", "", old)[:30] or "claim")
    if p.rng.random() < 0.7:
        data["aliases"] = [*data.get("aliases", []), old]
    entry.set(data)
    file.write()
    return f"{old} renamed {data['id']}"


def add_claim(p: Project) -> str:
    _, entry = a_claim(p)
    data = json.loads(json.dumps(entry.data))
    data["id"] = p.new_id("new-claim")
    data.pop("aliases", None)
    data["claim"] = p.words(3, 8).capitalize() + "."
    target = pick(p.rng, p.claims_files())
    target.entries.insert(p.rng.randint(0, len(target.entries)), Entry(entry_text(data), data))
    target.write()
    return f"claim {data['id']} added to {target.path.name}"


def remove_claim(p: Project) -> str:
    file, entry = a_claim(p)
    file.entries.remove(entry)
    if file.entries or p.rng.random() < 0.3:
        file.write()
    else:
        file.path.unlink()
    return f"claim {entry.data.get('id')} removed"


def move_claim(p: Project) -> str:
    file, entry = a_claim(p)
    others = [f for f in p.claims_files() if f.path != file.path]
    if not others or p.rng.random() < 0.25:
        folder = p.content / "claims"
        folder.mkdir(exist_ok=True)
        target = ListFile(folder / f"{p.new_id('moved')}.yaml", "# Moved here.\n", [])
    else:
        target = p.rng.choice(others)
    file.entries.remove(entry)
    target.entries.insert(p.rng.randint(0, len(target.entries)), entry)
    target.write()
    if file.entries or p.rng.random() < 0.5:
        file.write()
    else:
        file.path.unlink()
    return f"claim {entry.data.get('id')} moved from {file.path.name} to {target.path.name}"


def remove_claims_file(p: Project) -> str:
    files = p.claims_paths()
    if len(files) < 2:
        raise Skip
    path = p.rng.choice(files)
    path.unlink()
    return f"claims file {path.name} removed"


def rename_claims_file(p: Project) -> str:
    """A claims file renamed (git mv): into a subfolder, as .yml, or two files' names swapped."""
    files = [f for f in p.claims_paths() if f.parent != p.root]
    path = pick(p.rng, files)
    if len(files) > 1 and p.rng.random() < 0.3:
        other = p.rng.choice([f for f in files if f != path])
        data = path.read_bytes()
        path.write_bytes(other.read_bytes())
        other.write_bytes(data)
        return f"claims files {path.name} and {other.name} swapped"
    target = (
        p.content / "claims" / p.rng.choice(["", "archive/"]) / f"{p.new_id('file')}{p.rng.choice(['.yaml', '.yml'])}"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    path.rename(target)
    return f"{path.name} renamed {target.relative_to(p.content)}"


def reorder_claims(p: Project) -> str:
    file = pick(p.rng, [f for f in p.claims_files() if len(f.entries) > 1])
    p.rng.shuffle(file.entries)
    file.write()
    return f"claims of {file.path.name} reordered"


def shift_lines(p: Project) -> str:
    """Lines added or removed above every claim of a file: each claim and problem moves, nothing else changes."""
    file = pick(p.rng, p.claims_files())
    if "# Shifted." in file.head and p.rng.random() < 0.5:
        file.head = file.head.replace("# Shifted.\n", "", 1)
    else:
        file.head = "# Shifted.\n" * p.rng.randint(1, 3) + file.head
    file.write()
    return f"lines above the claims of {file.path.name}"


def comment(p: Project) -> str:
    """A comment written inside a claim: its text changes, its value does not."""
    file, entry = a_claim(p)
    lines = entry.text.rstrip("\n").split("\n")
    at = p.rng.randint(1, len(lines))
    if lines[at - 1].startswith("  ") and "|" not in entry.text:
        lines.insert(at, f"  # {p.words(1, 3)}")
    else:
        lines.append(f"  # {p.words(1, 3)}")
    entry.text = "\n".join(lines) + "\n"
    file.write()
    return f"comment in {entry.data.get('id')}"


def not_a_claim(p: Project) -> str:
    """An item that is not a mapping (a stray line), an error until another edit removes it."""
    file = pick(p.rng, p.claims_files())
    text = file.path.read_text(encoding="utf-8")
    file.path.write_text(text.rstrip("\n") + f"\n- {p.words(2, 4)}\n", encoding="utf-8")
    return f"a stray item at the end of {file.path.name}"


def root_claims(p: Project) -> str:
    """A claim moved into claims.yaml at the project's root (the other place claims live)."""
    file, entry = a_claim(p)
    target = ListFile.read(p.root / "claims.yaml") or ListFile(p.root / "claims.yaml", "", [])
    if target.path == file.path:
        raise Skip
    file.entries.remove(entry)
    target.entries.append(entry)
    target.write()
    file.write()
    return f"claim {entry.data.get('id')} moved to claims.yaml"


def reformat(p: Project) -> str:
    """A file written again in the walk's own layout: the same values, other text and lines."""
    file = pick(p.rng, [f for f in p.claims_files() if f.entries])
    for entry in file.entries:
        entry.set(entry.data)
    file.write()
    return f"{file.path.name} reformatted"


def syntax_error(p: Project) -> str:
    path = pick(p.rng, [*p.claims_paths(), p.content / "sources.yaml", p.content / "people.yaml"])
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    at = p.rng.randrange(len(lines))
    lines.insert(at, p.rng.choice(["  summary: [unclosed", "- id: {broken", "\tnote: tab"]))
    path.write_text("\n".join(lines), encoding="utf-8")
    return f"syntax error in {path.name} at line {at + 1}"


def duplicate_id(p: Project) -> str:
    file, entry = a_claim(p)
    other = pick(p.rng, [f for f in p.claims_files() if f.path != file.path] or [file])
    data = json.loads(json.dumps(entry.data))
    other.entries.append(Entry(entry_text(data), data))
    other.write()
    return f"claim {data.get('id')} copied into {other.path.name} (a duplicate id)"


# sources


@dataclass
class SnapshotText:
    path: Path
    text: str


def a_snapshot(p: Project) -> SnapshotText:
    path = pick(p.rng, sorted((p.content / "snapshots").rglob("*.txt")))
    return SnapshotText(path, path.read_text(encoding="utf-8"))


def snapshot_paragraph(p: Project) -> str:
    snap = a_snapshot(p)
    snap.path.write_text(snap.text.rstrip("\n") + f"\n\n{p.words(6, 14).capitalize()}.\n", encoding="utf-8")
    return f"snapshot {snap.path.name}: paragraph added"


def snapshot_file(p: Project) -> str:
    """A snapshot file deleted, or saved in another encoding: an error until put back."""
    snap = a_snapshot(p)
    if p.rng.random() < 0.5:
        snap.path.unlink()
        return f"snapshot {snap.path.name} deleted"
    snap.path.write_bytes(snap.text.encode("utf-16"))
    return f"snapshot {snap.path.name} saved as UTF-16"


def snapshot_word(p: Project) -> str:
    """One word of a snapshot changed for another as long, the mtime put back: an excerpt may stop matching."""
    snap = a_snapshot(p)
    words = list(re.finditer(r"\b[a-z]{4,}\b", snap.text))
    word = pick(p.rng, words)
    replacement = "".join(p.rng.choice("bdfgkmpstvz") for _ in word.group())
    before = snap.path.stat()
    snap.path.write_text(snap.text[: word.start()] + replacement + snap.text[word.end() :], encoding="utf-8")
    if p.rng.random() < 0.7:
        os.utime(snap.path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return f"snapshot {snap.path.name}: {word.group()!r} -> {replacement!r} (same size)"


def source_title(p: Project, s: dict[str, Any]) -> str:
    s["title"] = p.words(3, 6).capitalize()
    return "title"


def source_url(p: Project, s: dict[str, Any]) -> str:
    if "url" in s and p.rng.random() < 0.3:
        del s["url"]
        return "url removed"
    s["url"] = f"https://news.example.com/{p.new_id('page')}"
    return "url"


def source_publisher(p: Project, s: dict[str, Any]) -> str:
    s["publisher"] = p.words(1, 3).title()
    return "publisher"


def source_language(p: Project, s: dict[str, Any]) -> str:
    if "language" in s and p.rng.random() < 0.4:
        del s["language"]
        return "language removed"
    s["language"] = p.rng.choice(LANGUAGES)
    return f"language {s['language']}"


def source_snapshot(p: Project, s: dict[str, Any]) -> str:
    """A source pointed at another snapshot file: its excerpts may stop matching."""
    snapshots = sorted(x.relative_to(p.content).as_posix() for x in (p.content / "snapshots").rglob("*.txt"))
    s["snapshot"] = pick(p.rng, [x for x in snapshots if x != s.get("snapshot")])
    return f"snapshot {s['snapshot']}"


def remove_source(p: Project) -> str:
    file = p.listed("sources.yaml")
    if file is None or len(file.entries) < 2:
        raise Skip
    entry = p.rng.choice(file.entries)
    file.entries.remove(entry)
    file.write()
    return f"source {entry.data.get('id')} removed"


def add_source(p: Project) -> str:
    file = p.listed("sources.yaml")
    if file is None:
        raise Skip
    ident = p.new_id("new-source")
    text = "\n\n".join(p.words(10, 20).capitalize() + "." for _ in range(3)) + "\n"
    (p.content / "snapshots" / f"{ident}.txt").write_text(text, encoding="utf-8")
    data = {"id": ident, "title": p.words(3, 5).capitalize(), "publisher": "The Walk", "published": "2025-02-03"}
    data["snapshot"] = f"snapshots/{ident}.txt"
    if p.rng.random() < 0.7:
        data["url"] = f"https://walk.example.com/{ident}"
    file.entries.append(Entry(entry_text(data), data))
    file.write()
    return f"source {ident} added"


# verdicts, people, topics


def verdict_label(p: Project, v: dict[str, Any]) -> str:
    v["label"] = p.words(1, 2).capitalize()
    return f"label {v['label']}"


def verdict_rating(p: Project, v: dict[str, Any]) -> str:
    if "rating" in v and p.rng.random() < 0.2:
        del v["rating"]
        return "rating removed"
    v["rating"] = str(p.rng.randint(1, 6))
    return f"rating {v['rating']}"


def verdict_colour(p: Project, v: dict[str, Any]) -> str:
    v["colour"] = p.rng.choice(["#1a7f37", "#cf222e", "#0550ae", "#6e7781", "#8a5a00", "#953800"])
    return f"colour {v['colour']}"


def verdict_meaning(p: Project, v: dict[str, Any]) -> str:
    v["meaning"] = p.words(3, 7).capitalize() + "."
    return "meaning"


def reorder_verdicts(p: Project) -> str:
    file = p.listed("verdicts.yaml")
    if file is None or len(file.entries) < 2:
        raise Skip
    i, j = p.rng.sample(range(len(file.entries)), 2)
    file.entries[i], file.entries[j] = file.entries[j], file.entries[i]
    file.write()
    return "verdicts reordered"


def remove_verdict(p: Project) -> str:
    file = p.listed("verdicts.yaml")
    if file is None or len(file.entries) < 3:
        raise Skip
    entry = p.rng.choice(file.entries)
    file.entries.remove(entry)
    file.write()
    return f"verdict {entry.data.get('key')} removed"


def add_verdict(p: Project) -> str:
    file = p.listed("verdicts.yaml")
    if file is None:
        raise Skip
    key = p.new_id("half-true")
    data = {"key": key, "label": p.words(1, 2).capitalize(), "rating": "3", "colour": "#0550ae"}
    data["meaning"] = p.words(3, 6).capitalize() + "."
    file.entries.insert(p.rng.randint(0, len(file.entries)), Entry(entry_text(data), data))
    file.write()
    return f"verdict {key} added"


def person_name(p: Project, x: dict[str, Any]) -> str:
    x["name"] = p.words(2, 3).title()
    return f"name {x['name']}"


def person_kind(p: Project, x: dict[str, Any]) -> str:
    x["kind"] = "organization" if x.get("kind") == "person" else "person"
    return f"kind {x['kind']}"


def person_same_as(p: Project, x: dict[str, Any]) -> str:
    if x.get("same_as") and p.rng.random() < 0.4:
        del x["same_as"]
        return "same_as removed"
    x["same_as"] = [f"https://www.wikidata.org/wiki/Q{p.rng.randint(100, 99999)}"]
    return "same_as"


def person_description(p: Project, x: dict[str, Any]) -> str:
    x["description"] = p.words(2, 5).capitalize() + "."
    return "description"


def add_person(p: Project) -> str:
    file = p.listed("people.yaml")
    if file is None:
        raise Skip
    ident = p.new_id("new-person")
    data = {"id": ident, "name": p.words(2, 2).title(), "kind": p.rng.choice(["person", "organization"])}
    file.entries.append(Entry(entry_text(data), data))
    file.write()
    return f"person {ident} added"


def remove_person(p: Project) -> str:
    file = p.listed("people.yaml")
    if file is None or len(file.entries) < 2:
        raise Skip
    entry = p.rng.choice(file.entries)
    file.entries.remove(entry)
    file.write()
    return f"person {entry.data.get('id')} removed"


def topic_name(p: Project, t: dict[str, Any]) -> str:
    t["name"] = p.words(1, 2).title()
    return f"name {t['name']}"


def topic_description(p: Project, t: dict[str, Any]) -> str:
    t["description"] = p.words(3, 6).capitalize() + "."
    return "description"


def add_topic(p: Project) -> str:
    file = p.listed("topics.yaml")
    if file is None:
        (p.content / "topics.yaml").write_text("", encoding="utf-8")
        file = p.listed("topics.yaml")
        assert file is not None
    ident = p.new_id("new-topic")
    data = {"id": ident, "name": p.words(1, 2).title()}
    file.entries.append(Entry(entry_text(data), data))
    file.write()
    return f"topic {ident} added"


def remove_topic(p: Project) -> str:
    file = p.listed("topics.yaml")
    if file is None or not file.entries:
        raise Skip
    entry = p.rng.choice(file.entries)
    file.entries.remove(entry)
    file.write()
    return f"topic {entry.data.get('id')} removed"


# site.yaml


def site_edit(p: Project) -> str:
    path = p.content / "site.yaml"
    try:
        site = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        raise Skip from None
    if not isinstance(site, dict):
        raise Skip
    what = p.rng.choice(["title", "language", "base_url", "description", "publisher", "publisher url"])
    if what == "title":
        site["title"] = p.words(2, 4).title() + " Check"
    elif what == "language":
        site["language"] = p.rng.choice(LANGUAGES)
    elif what == "base_url":
        site["base_url"] = p.rng.choice(BASE_URLS)
    elif what == "description":
        site["description"] = p.words(4, 9).capitalize() + "."
    elif what == "publisher":
        site.setdefault("publisher", {})["name"] = p.words(2, 3).title()
    else:
        site.setdefault("publisher", {})["url"] = p.rng.choice(BASE_URLS)
    lines: list[str] = []
    for key, value in site.items():
        lines += block(key, value, "")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"site.yaml {what}"


# pages, static, templates, messages, root


def page_edit(p: Project) -> str:
    pages = p.content / "pages"
    pages.mkdir(exist_ok=True)
    existing = sorted(pages.glob("*.md"))
    roll = p.rng.random()
    if existing and roll < 0.2:
        gone = p.rng.choice(existing)
        gone.unlink()
        return f"page {gone.name} removed"
    if existing and roll < 0.7:
        page = p.rng.choice(existing)
        text = page.read_text(encoding="utf-8")
        if p.rng.random() < 0.3 and "\ntitle:" in text:
            text = re.sub(r"\ntitle: .*", f"\ntitle: {p.words(1, 3).title()}", text, count=1)
        else:
            text = text.rstrip("\n") + f"\n\n{p.words(5, 12).capitalize()}.\n"
        page.write_text(text, encoding="utf-8")
        return f"page {page.name} changed"
    name = p.new_id("page")
    nav = f"nav: {p.rng.randint(1, 5)}\n" if p.rng.random() < 0.5 else ""
    (pages / f"{name}.md").write_text(f"---\ntitle: {p.words(1, 3).title()}\n{nav}---\n\n{p.words(6, 12)}.\n", "utf-8")
    return f"page {name}.md added"


def static_edit(p: Project) -> str:
    static = p.root / "static"
    static.mkdir(exist_ok=True)
    roll = p.rng.random()
    extra = static / "extra.css"
    if extra.exists() and roll < 0.3:
        extra.unlink()
        return "static/extra.css removed"
    if roll < 0.6:
        extra.write_text(f"body {{ margin: {p.rng.randint(0, 9)}px; }}\n", encoding="utf-8")
        return "static/extra.css written"
    if roll < 0.7:
        style = static / "style.css"
        if style.exists():
            style.unlink()
            return "static/style.css (the theme's, replaced) removed"
        style.write_text((REPO / "factpress" / "static" / "style.css").read_text() + "\n.x { color: red; }\n")
        return "static/style.css replaces the theme's"
    logo = static / "logo.svg"
    colour = p.rng.choice(["#123456", "#654321", "#0550ae"])
    logo.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect fill="{colour}"/></svg>\n')
    return f"static/logo.svg {colour}"


#: Theme templates a site may replace, with a change that shows in their pages.
OVERRIDES = {
    "_claim_card.html": ("</article>", "<!-- the newsroom's card {n} --></article>"),
    "claim.html": ("{% endblock %}", "<p class=newsroom-note>Desk note {n}.</p>{% endblock %}"),
    "page.html": ("{% endblock %}", "<!-- page note {n} -->{% endblock %}"),
    "_verdict_badge.html": ("", "<!-- badge {n} -->"),
}


def template_edit(p: Project) -> str:
    folder = p.root / "templates"
    name = p.rng.choice(sorted(OVERRIDES))
    path = folder / name
    roll = p.rng.random()
    if path.exists() and roll < 0.35:
        path.unlink()
        return f"template {name} removed"
    if roll < 0.05:
        folder.mkdir(exist_ok=True)
        path.write_text("{% block main %}{{ broken", encoding="utf-8")
        return f"template {name}: a syntax error"
    if roll < 0.1:  # a mistake met only while rendering, and only on some pages (those of claims with two topics)
        folder.mkdir(exist_ok=True)
        theme = (THEME / "claim.html").read_text(encoding="utf-8")
        oops = "{% if claim.claim.topics | length == 2 %}{{ claim.no_such_field }}{% endif %}{% endblock %}"
        (folder / "claim.html").write_text(theme.replace("{% endblock %}", oops, 1), encoding="utf-8")
        return "template claim.html: fails on the pages of claims with two topics"
    theme = (THEME / name).read_text(encoding="utf-8")
    old, new = OVERRIDES[name]
    n = p.rng.randint(1, 99)
    new = new.replace("{n}", str(n))
    text = theme.replace(old, new, 1) if old and old in theme else theme + new + "\n"
    folder.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return f"template {name} written ({n})"


MESSAGES = ("Our verdict", "Fact-checks", "%(verdict)s: %(claim)s", "Sources", "Corrections", "Verdict:")


def messages_edit(p: Project) -> str:
    path = p.content / "messages.yaml"
    if path.exists() and p.rng.random() < 0.3:
        path.unlink()
        return "messages.yaml removed"
    chosen = p.rng.sample(MESSAGES, k=p.rng.randint(1, 3))
    lines = ["messages:"]
    for message in chosen:
        text = p.words(1, 2).capitalize()
        if "%(claim)s" in message:
            text = f"{text} %(verdict)s, %(claim)s"
        lines.append(f"  {json.dumps(message)}: {json.dumps(text)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"messages.yaml {chosen}"


def root_edit(p: Project) -> str:
    folder = p.root / "root"
    cname = folder / "CNAME"
    if cname.exists() and p.rng.random() < 0.4:
        cname.unlink()
        return "root/CNAME removed"
    folder.mkdir(exist_ok=True)
    reserved = folder / "sitemap.xml"
    if reserved.exists() or p.rng.random() < 0.1:
        if reserved.exists():
            reserved.unlink()
            return "root/sitemap.xml removed"
        reserved.write_text("<urlset/>\n", encoding="utf-8")
        return "root/sitemap.xml written (a name factpress writes: an error)"
    cname.write_text(f"{p.rng.choice(['facts', 'checks'])}.example.org\n", encoding="utf-8")
    return "root/CNAME written"


def font_edit(p: Project) -> str:
    """A font of the site's own in fonts/ (the cards' text is measured and drawn with it), or taken away."""
    folder = p.root / "fonts"
    present = sorted(folder.glob("*.ttf")) if folder.is_dir() else []
    if present and p.rng.random() < 0.5:
        gone = p.rng.choice(present)
        gone.unlink()
        return f"font {gone.name} removed"
    folder.mkdir(exist_ok=True)
    font = p.rng.choice(["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"])
    name = p.rng.choice(["House.ttf", "Zeta.ttf"])
    shutil.copyfile(REPO / "factpress" / "fonts" / font, folder / name)
    return f"font {name} is {font}"


def touch_back(p: Project) -> str:
    """Every file's mtime put back a day: nothing changed, but each file's status did."""
    for path in p.root.rglob("*"):
        if path.is_file() and path.relative_to(p.root).parts[0] != "site":
            mtime = path.stat().st_mtime_ns - 86_400 * 10**9
            os.utime(path, ns=(mtime, mtime))
    return "every file touched back a day"


#: (weight, edit): how often each kind of edit is drawn.
EDITS: list[tuple[int, Callable[[Project], str]]] = [
    (6, verdict), (5, summary), (3, claim_text), (4, cite), (3, uncite), (2, link_claim), (2, heading),
    (2, unparagraph), (5, break_excerpt), (6, mend_excerpt), (2, add_evidence), (2, drop_evidence),
    (3, correction), (3, related), (3, topics), (2, authors), (2, claimant), (3, draft), (2, language),
    (2, appearance), (2, dates), (2, alias), (2, rename), (3, add_claim), (2, remove_claim), (3, move_claim),
    (1, remove_claims_file), (2, reorder_claims), (3, shift_lines), (1, reformat), (2, syntax_error),
    (2, duplicate_id), (2, odd_text), (1, line_endings), (1, rename_claims_file), (1, snapshot_file),
    (2, link_page), (2, comment), (1, not_a_claim), (1, root_claims),
    (3, snapshot_paragraph), (4, snapshot_word), (1, remove_source), (2, add_source),
    (3, listed_edit("sources.yaml", source_title)), (2, listed_edit("sources.yaml", source_url)),
    (1, listed_edit("sources.yaml", source_publisher)), (1, listed_edit("sources.yaml", source_language)),
    (2, listed_edit("sources.yaml", source_snapshot)),
    (3, listed_edit("verdicts.yaml", verdict_label)), (2, listed_edit("verdicts.yaml", verdict_rating)),
    (2, listed_edit("verdicts.yaml", verdict_colour)), (1, listed_edit("verdicts.yaml", verdict_meaning)),
    (1, reorder_verdicts), (1, remove_verdict), (1, add_verdict),
    (2, listed_edit("people.yaml", person_name)), (1, listed_edit("people.yaml", person_kind)),
    (1, listed_edit("people.yaml", person_same_as)), (1, listed_edit("people.yaml", person_description)),
    (1, add_person), (1, remove_person),
    (2, listed_edit("topics.yaml", topic_name)), (1, listed_edit("topics.yaml", topic_description)),
    (1, add_topic), (1, remove_topic),
    (4, site_edit), (3, page_edit), (2, static_edit), (3, template_edit), (2, messages_edit), (1, root_edit),
    (1, touch_back), (1, font_edit),
]  # fmt: skip


# -- building and comparing ----------------------------------------------------------------------


def hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under folder by relative path (the search index, which Pagefind does not write
    reproducibly, only by whether it is there)."""
    if not folder.is_dir():
        return {}
    found = {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/")
    }
    if (folder / "pagefind" / "pagefind.js").is_file():
        found["pagefind/"] = "an index"
    return found


def problem_list(problems: list[Problem]) -> list[tuple[Any, ...]]:
    """Every problem as `check` reports it: place, code, severity, message, hint and detail."""
    return sorted(
        (p.location.path, p.location.line, p.location.col, p.code, p.severity, p.message, p.hint, p.detail)
        for p in problems
    )


@contextmanager
def cache_dir(folder: Path) -> Iterator[None]:
    before = os.environ.get("FACTPRESS_CACHE_DIR")
    os.environ["FACTPRESS_CACHE_DIR"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            del os.environ["FACTPRESS_CACHE_DIR"]
        else:
            os.environ["FACTPRESS_CACHE_DIR"] = before


def checked(root: Path, folder: Path) -> list[tuple[Any, ...]]:
    with cache_dir(folder):
        try:
            _, problems = check_site(root)
        except ContentError as exc:
            problems = exc.problems
    return problem_list(problems)


@dataclass(frozen=True)
class Outcome:
    """What a build did: whether it failed, with which problems (warnings too), and what it counted."""

    failed: bool
    problems: tuple[tuple[Any, ...], ...]
    counts: tuple[int, ...] = ()

    def as_json(self) -> list[Any]:
        return [self.failed, self.problems, self.counts]

    @classmethod
    def from_json(cls, data: list[Any]) -> Outcome:
        failed, problems, counts = data
        return cls(failed, tuple(as_problem(p) for p in problems), tuple(counts))


def built(options: BuildOptions, folder: Path) -> Outcome:
    """Build, and say how it went: the problems it failed with, or its warnings and counts."""
    with cache_dir(folder):
        try:
            result = build_site(options)
        except ContentError as exc:
            return Outcome(True, tuple(problem_list(exc.problems)))
    return Outcome(False, tuple(problem_list(result.problems)), (result.pages, result.files, result.indexed))


def differences(warm: Path, clean: Path) -> str:
    """What differs between two output folders, the first few text differences shown."""
    a, b = hashes(warm), hashes(clean)
    lines = [f"only in the rebuild: {sorted(a.keys() - b.keys())[:10]}"] if a.keys() - b.keys() else []
    if b.keys() - a.keys():
        lines.append(f"only in the clean build: {sorted(b.keys() - a.keys())[:10]}")
    changed = sorted(k for k in a.keys() & b.keys() if a[k] != b[k])
    if changed:
        lines.append(f"{len(changed)} files differ: {changed[:10]}")
    for rel in changed[:3]:
        try:
            old = (warm / rel).read_text(encoding="utf-8").splitlines()
            new = (clean / rel).read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue
        diff = list(difflib.unified_diff(new, old, "clean/" + rel, "rebuild/" + rel, n=1, lineterm=""))
        lines += [line[:200] for line in diff[:30]]
    return "\n".join(lines)


@dataclass
class Walk:
    """One random walk: a project, its output folder and warm cache, and what was done so far."""

    root: Path
    work: Path
    seed: int
    rng: random.Random
    done: list[str] = field(default_factory=list)
    drafts: bool = False
    base_url: str | None = None
    preview: bool = False
    search: bool = False
    #: The day dates are judged against (a claim dated after it is warned of): moved on now and then.
    today: dt.date = dt.date(2025, 3, 4)
    valid_states: list[dict[str, tuple[bytes, int]]] = field(default_factory=list)
    invalid_for: int = 0
    limits: list[Limit] = field(default_factory=list)

    @property
    def out(self) -> Path:
        return self.work / "out"

    @property
    def warm(self) -> Path:
        return self.work / "warm-cache"

    def story(self) -> str:
        return f"seed {self.seed}, after:\n  " + "\n  ".join(f"{i}. {what}" for i, what in enumerate(self.done, 1))

    def edit(self, project: Project) -> None:
        """Make one edit (or put the project back as it was at an earlier valid step), or flip a build option."""
        rng = self.rng
        if self.valid_states and (
            (self.invalid_for and rng.random() < 0.5) or self.invalid_for > 2 or rng.random() < 0.04
        ):
            latest = self.invalid_for > 0 or rng.random() < 0.5
            state = self.valid_states[-1] if latest else rng.choice(self.valid_states)
            mtimes = rng.random() < 0.7
            project.restore(state, mtimes=mtimes)
            self.done.append(
                f"checkout of {'the last' if latest else 'an earlier'} valid state (mtimes kept: {mtimes})"
            )
            return
        roll = rng.random()
        if roll < 0.05:
            self.drafts = not self.drafts
            self.done.append(f"--drafts {'on' if self.drafts else 'off'}")
            return
        if roll < 0.09:
            self.base_url = None if self.base_url else rng.choice(BASE_URLS)
            self.preview = False
            self.done.append(f"--base-url {self.base_url}")
            return
        if roll < 0.125:
            self.search = not self.search
            self.done.append(f"search {'on' if self.search else 'off'} (--no-search)")
            return
        if roll < 0.13:
            self.today += dt.timedelta(days=rng.choice([1, 1, 2, 30, 400]))
            self.done.append(f"the clock moves on to {self.today}")
            return
        if roll < 0.15:
            self.preview = not self.preview
            self.base_url = "http://127.0.0.1:8000/" if self.preview else None
            self.done.append(f"preview {'on' if self.preview else 'off'} (serve's builds)")
            return
        weights = [w for w, _ in EDITS]
        for _ in range(50):
            _, change = rng.choices(EDITS, weights)[0]
            try:
                self.done.append(f"{change.__name__}: {change(project)}")
                return
            except Skip:
                continue
        self.done.append("nothing")

    def fresh_cache(self, name: str) -> Path:
        """An empty cache folder (but for the clean builds' card PNGs, content-addressed, unless COLD_PNGS)."""
        fresh = self.work / name
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir()
        if not COLD_PNGS:
            (fresh / "cards").symlink_to(self.work / "clean-pngs", target_is_directory=True)
        return fresh

    def twin_step(self) -> None:
        """Another checkout of the same site (a git worktree: same title and base URL) built with the same cache."""
        twin = self.work / "twin"
        state = self.rng.choice(self.valid_states)
        if not (twin / "project").is_dir():
            (twin / "project").mkdir(parents=True)
        Project(twin / "project", self.rng).restore(state, mtimes=True)
        self.done.append("the twin checkout built with the same cache")
        outcome = built(BuildOptions(twin / "project", twin / "out", search=False), self.warm)
        fresh = self.fresh_cache("twin-cache")
        clean_outcome = built(BuildOptions(twin / "project", twin / "clean", search=False), fresh)
        assert outcome == clean_outcome, (  # (the same problems, warnings and counts)
            f"the twin's problems differ from a clean build's, {self.story()}\n"
            + problem_diff(outcome.problems, clean_outcome.problems)
        )
        if not outcome.failed:
            assert hashes(twin / "out") == hashes(twin / "clean"), (
                f"the twin's rebuild differs from a clean build, {self.story()}\n"
                + differences(twin / "out", twin / "clean")
            )
        shutil.rmtree(twin / "clean", ignore_errors=True)
        shutil.rmtree(fresh)

    def step(self, project: Project, number: int) -> None:
        if self.rng.random() < 0.04 and self.valid_states:
            self.twin_step()
        self.edit(project)
        options = {"search": self.search, "drafts": self.drafts, "base_url": self.base_url, "preview": self.preview}
        before = hashes(self.out)
        where = f"{self.story()}\n"
        warm = [("check", self.warm), ("build", self.warm, self.out)]
        if self.rng.random() < 0.5:
            warm.reverse()
        clean = self.work / f"clean-{number}"
        reference = [("check", self.fresh_cache("cold-cache")), ("build", self.fresh_cache("clean-cache"), clean)]
        if self.rng.random() < ELSEWHERE:  # as the command line runs: nothing remembered in memory
            where += "(the warm check and rebuild in a new process)\n"
            warm_results = self.elsewhere(warm, options)
        else:
            warm_results = self.here(warm, options)
        if self.rng.random() < ELSEWHERE:
            where += "(the clean build and check in a new process)\n"
            cold_results = self.elsewhere(reference, options)
        else:
            cold_results = self.here(reference, options)
        warm_problems, outcome = warm_results["check"], warm_results["build"]
        cold_problems, clean_outcome = cold_results["check"], cold_results["build"]
        assert warm_problems == cold_problems, f"check with a warm cache differs, {where}" + problem_diff(
            warm_problems, cold_problems
        )
        assert outcome == clean_outcome, (
            f"the rebuild's outcome differs from a clean build's, {where}"
            + problem_diff(outcome.problems, clean_outcome.problems)
            + f"\n  counts: {outcome.counts} {clean_outcome.counts}"
        )
        if os.environ.get("FACTPRESS_EDIT_LOG"):
            print(f"{number:4} {'FAIL' if outcome.failed else 'ok  '} {self.done[-1]}")
        if not outcome.failed:
            assert hashes(self.out) == hashes(clean), f"the rebuild differs from a clean build, {where}" + differences(
                self.out, clean
            )
            self.valid_states.append(project.files())
            del self.valid_states[:-12]
            self.invalid_for = 0
        else:
            assert hashes(self.out) == before, f"a failed build changed the published site, {where}"
            self.invalid_for += 1
        for folder in (clean, self.work / "cold-cache", self.work / "clean-cache"):
            shutil.rmtree(folder, ignore_errors=True)

    def here(self, actions: list[tuple[Any, ...]], options: dict[str, Any]) -> dict[str, Any]:
        """Run `check` (problems) and build (None, or the problems it failed with), each with its cache, in order."""
        results: dict[str, Any] = {}
        for action, cache, *out in actions:
            if action == "check":
                results["check"] = checked(self.root, cache)
            else:
                results["build"] = built(BuildOptions(self.root, out[0], **options), cache)
        return results

    def elsewhere(self, actions: list[tuple[Any, ...]], options: dict[str, Any]) -> dict[str, Any]:
        """`here` in a new Python process, as the command line runs (see `run_job`)."""
        job = {"root": str(self.root), "options": options, "limits": self.limits, "today": self.today.isoformat()}
        job["actions"] = [[str(part) for part in action] for action in actions]
        done = subprocess.run(
            [sys.executable, __file__, json.dumps(job)],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        results = json.loads(done.stdout)
        return {"check": [as_problem(p) for p in results["check"]], "build": Outcome.from_json(results["build"])}


def as_problem(fields: list[Any]) -> tuple[Any, ...]:
    """A problem_list tuple read back from JSON (its detail a list again)."""
    return tuple(tuple(x) if isinstance(x, list) else x for x in fields)


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """In a new process: Walk.here's actions, under the walk's limits and day."""
    set_limits([tuple(limit) for limit in job["limits"]], setattr)  # type: ignore[misc]
    today = dt.date.fromisoformat(job["today"])
    pipeline.validate_project = lambda raw, **kw: validate_project(raw, today=today, **kw)  # type: ignore[assignment]
    walk = Walk(Path(job["root"]), Path(job["root"]), 0, random.Random())
    actions = [(action, Path(cache), *map(Path, out)) for action, cache, *out in job["actions"]]
    results = walk.here(actions, job["options"])
    return {"check": results["check"], "build": results["build"].as_json()}


def problem_diff(warm: list[tuple[Any, ...]], cold: list[tuple[Any, ...]]) -> str:
    lines = [f"  warm only: {p}" for p in warm if p not in cold] + [f"  cold only: {p}" for p in cold if p not in warm]
    return "\n".join(lines[:20])


#: Limits past which a cache takes another way (module, name, a low value): each walk lowers some of them,
#: so that a small site takes the ways a large archive does (deltas, appended segments, kept SVGs...).
LIMITS = [
    ("cache", "RELATED_STALE_LIMIT", 1), ("cache", "RERANK_LIMIT", 2), ("cards", "KEPT_SVGS_MIN", 1),
    ("claimdeps", "KEPT", 1), ("claimdeps", "_FEW", 0), ("keptprints", "REACH_LIMIT", 2),
    ("load", "DROPPED_RECORDS", 0), ("modelcache", "DELTA_SHARE", 2), ("modelcache", "DELTA_MIN", 1),
    ("piececache", "MAX_SEGMENTS", 2), ("piececache", "SLACK", 0.0), ("render", "KEPT_CARDS_AT_ONCE", 1),
    ("render", "FRAGMENTS_KEPT_SHARE", 100), ("link", "RELATED_LIMIT", 2),
    ("cache", "MarkdownCache.APPENDED_LIMIT", 3), ("cache", "CardCache.APPENDED_LIMIT", 3),
    ("load", "RACY_NS", -10**10),  # (every file settled: its digest is kept by its status)
]  # fmt: skip


WORKER_LIMITS = [
    ("parallel", "PARALLEL_MIN", 4), ("parallel", "CHUNK", 3), ("cards", "PARALLEL_MIN", 2),
    ("cards", "SVG_PARALLEL_MIN", 2), ("cards", "SVG_SHARE", 3), ("coldclaims", "MIN_BYTES", 2000),
    ("coldclaims", "PART_MIN", 1000),
]  # fmt: skip


Limit = tuple[str, str, Any]


def lower_limits(rng: random.Random, monkeypatch: pytest.MonkeyPatch) -> list[Limit]:
    """Lower about half the LIMITS for this walk (and fork workers in some walks); those lowered."""
    lowered = [limit for limit in LIMITS if rng.random() < 0.5]
    if rng.random() < 0.3:  # forked workers for pages, cards and cold claims files, as a large site has them
        monkeypatch.setenv("FACTPRESS_WORKERS", "2")
        lowered += WORKER_LIMITS
    else:
        monkeypatch.setenv("FACTPRESS_WORKERS", "1")
    set_limits(lowered, monkeypatch.setattr)
    return lowered


def set_limits(limits: list[Limit], setattr: Callable[[Any, str, Any], None]) -> None:
    import importlib

    for module, name, value in limits:
        target: Any = importlib.import_module(f"factpress.{module}")
        *owner, attribute = name.split(".")
        for part in owner:
            target = getattr(target, part)
        setattr(target, attribute, value)


def start(kind: str, root: Path) -> Path:
    """The walk's first project: a generated one, a test site, or the sample site this repository holds."""
    if kind == "generated":
        return generate_site(root, 14)
    if kind == "sample":
        root.mkdir()
        for name in ("content", "static"):
            shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "claims.yaml", root / "claims.yaml")
        return root
    shutil.copytree(SITES / kind, root)
    return root


@pytest.mark.parametrize("seed", seeds())
@pytest.mark.parametrize("kind", ["generated", "full", *(["sample"] if STEPS else [])])
def test_random_edits_never_leave_a_cache_stale(
    kind: str, seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(f"{kind}-{seed}")
    root = start(kind, tmp_path / "project")
    walk = Walk(root, tmp_path, seed, rng)
    walk.limits = lower_limits(rng, monkeypatch)
    walk.done.append(f"limits lowered: {', '.join(f'{m}.{n}={v}' for m, n, v in walk.limits) or 'none'}")
    walk.today = dt.date(2025, 3, 1) + dt.timedelta(days=rng.randrange(-400, 300))
    judged = functools.wraps(validate_project)(lambda raw, **kw: validate_project(raw, today=walk.today, **kw))
    monkeypatch.setattr(pipeline, "validate_project", judged)
    (tmp_path / "clean-pngs").mkdir()
    project = Project(root, rng)
    assert not built(BuildOptions(root, walk.out, search=False), walk.warm).failed
    walk.valid_states.append(project.files())
    for number in range(STEPS or SUITE_STEPS[kind]):
        walk.step(project, number)


if __name__ == "__main__":  # (a step's builds in a new process: Walk.elsewhere)
    print(json.dumps(run_job(json.loads(sys.argv[1]))))
