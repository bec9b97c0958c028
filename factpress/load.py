"""Stage 1: read the site project from disk. The only module that reads content files.

Reading is kept apart from judging: this stage parses YAML and Markdown front matter and finds
the snapshot files that sources name, reporting only what stops a file being read at all. A
snapshot's digest (and a cached claims file's) is taken from a record kept by file status
(FileDigests), as git's index does; a snapshot whose digest is known so is not read here at all:
its text is read when something first asks for it (FileText), and checked to be the same file.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from . import claimchunks, claimdeps
from .claimchunks import Chunk
from .errors import ContentError, Location, Problem, lookalike_note
from .fonts import font_files, forget
from .model import Snapshot
from .modelcache import CLAIMS_LAYOUT, FILE_LAYOUT, SOURCES_LAYOUT, ModelCache, made, project_cache
from .yamlio import YamlMap, load_yaml, load_yaml_items

#: A file larger than this is refused rather than read into memory.
MAX_FILE_BYTES = 64 * 1024 * 1024

CONTENT_FILES = ("site", "verdicts", "people", "sources", "topics", "messages")


_UNPARSED: Any = object()


class LoadedDoc:
    """One YAML file: its path relative to the root and its value (None if unusable).

    A claims file (or sources.yaml) whose bytes match its model cache entry is not parsed while
    loading (nor even read, when its digest is known from its status), nor is an edited claims
    file read chunk by chunk (claimchunks): validation takes what it can from the cache, and
    `data` reads and parses the whole file only if something asks for it. A claims file read for
    the first time may be left unparsed too (`pending`), for validation to parse and judge it on
    every core (coldclaims); `parse_pending` parses it here instead.
    """

    __slots__ = ("_data", "_raw", "cached", "chunks", "found", "path", "pending", "sha256")

    def __init__(
        self,
        path: str,
        data: Any = None,
        *,
        raw: bytes | FileText | None = None,
        sha256: str = "",
        cached: dict[str, Any] | None = None,
        found: list[Problem] | None = None,
        chunks: tuple[str, list[Chunk]] | None = None,
    ) -> None:
        self.path = path
        self._data = data if raw is None else _UNPARSED
        self._raw = raw
        #: SHA-256 of the file's bytes ('' when not read from disk or caching is off).
        self.sha256 = sha256
        #: The model cache entry last stored for this path, whatever bytes it was for.
        self.cached = cached
        #: The problems parsing this file gives (the loader reported them already).
        self.found = found if found is not None else []
        #: A claims file's text and its top-level items' chunks, when it is safe to cut (claimchunks).
        self.chunks = chunks
        #: The text of a claims file read for the first time and not parsed yet (parse_pending).
        self.pending: str | None = None

    @property
    def data(self) -> Any:
        """The parsed value, parsing a file left unparsed by the cache now."""
        if self._data is _UNPARSED:
            raw = self._raw
            assert raw is not None
            if self.pending is not None:  # judged on another core, with what parsing found (coldclaims)
                text = self.pending
            else:
                text = raw.text if isinstance(raw, FileText) else normalised(raw.decode("utf-8"))
            self._data, _ = load_yaml(text, self.path)
            self._raw = self.pending = None
        return self._data

    @property
    def parsed(self) -> bool:
        """False while the file is left unparsed (its cache entry matched its bytes)."""
        return self._data is not _UNPARSED

    @property
    def hit(self) -> dict[str, Any] | None:
        """The cache entry when it was stored for exactly these bytes."""
        if self.cached is not None and self.sha256 and self.cached.get("bytes") == self.sha256:
            return self.cached
        return None

    def __repr__(self) -> str:
        return f"LoadedDoc({self.path!r}, {'<unparsed>' if not self.parsed else repr(self._data)})"


@dataclass(slots=True)
class RawPage:
    """A Markdown page with its front matter parsed; `body_line` is where the body starts."""

    path: str
    slug: str
    meta: YamlMap | None
    body: str
    body_line: int


#: A source's snapshot as found in content/: its path, its text (or a FileText that reads it on first use)
#: and the SHA-256 digest of its bytes; the model's own Snapshot, which validation gives each source as it is.
RawSnapshot = Snapshot


class FileText:
    """The text of a file whose digest was known from its status, read on first use (a snapshot, a cached claims file).

    Most builds show or search few snapshots; reading and decoding all 2,500 of a 10,000-claim site
    cost a fifth of loading it. The file is the one validated only while it still has the status
    seen when loading (or, if touched since, the same bytes); otherwise the build stops with an
    error rather than show a text its excerpts were not checked against.
    """

    __slots__ = ("_text", "file", "rel", "sha256", "status")

    def __init__(self, file: str, rel: str, status: os.stat_result, sha256: str) -> None:
        self.file = file
        self.rel = rel
        self.status = status
        self.sha256 = sha256
        self._text: str | None = None

    @property
    def text(self) -> str:
        """The text, read and decoded the first time it is asked for."""
        if self._text is None:
            self._text = self._read()
        return self._text

    def _read(self) -> str:
        problems: list[Problem] = []
        read = read_snapshot(self.file, self.status, self.rel, problems)
        if read is not None:
            data, after = read
            same = status_key(after) == status_key(self.status) and len(data) == after.st_size
            if same or hashlib.sha256(data).hexdigest() == self.sha256:
                text = decode(data, self.rel, problems)
                if text is not None:
                    return text
        changed = Problem(
            Location(self.rel),
            "cannot read file: it changed while the site was being built",
            "unreadable-file",
            hint="build again",
        )
        raise ContentError([*problems, changed])


@dataclass(slots=True)
class RawProject:
    """Everything read from a site project, unjudged."""

    root: Path
    docs: dict[str, LoadedDoc] = field(default_factory=dict)
    claim_docs: list[LoadedDoc] = field(default_factory=list)
    pages: list[RawPage] = field(default_factory=list)
    snapshots: dict[str, RawSnapshot] = field(default_factory=dict)
    templates_dir: Path | None = None
    static_dir: Path | None = None
    #: root/: files published as they are at the same path under the site's root (CNAME, .well-known/...).
    root_dir: Path | None = None
    #: The font files of fonts/, in name order (fonts.font_files).
    fonts: tuple[Path, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    #: Validated claims files kept between runs (None: caching is off, or not read from disk).
    model_cache: ModelCache | None = None
    #: The digests of snapshots and cached files, kept by their status (see FileDigests).
    digests: FileDigests = field(default_factory=lambda: FileDigests(None))


def relpath(path: Path, root: Path) -> str:
    """A path as editors see it: relative to the project root, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(path: Path, root: Path, problems: list[Problem]) -> str | None:
    """Read a UTF-8 file, reporting a missing, oversized or undecodable file at its name."""
    data = read_bytes(path, root, problems)
    return None if data is None else decode(data, relpath(path, root), problems)


def read_bytes(path: Path | str, root: Path, problems: list[Problem], rel: str = "") -> bytes | None:
    """A file's bytes, reporting a missing, oversized or special file at its name (rel: relpath(path, root))."""
    read = read_with_status(path, root, problems, rel)
    return None if read is None else read[0]


def read_with_status(
    path: Path | str, root: Path, problems: list[Problem], rel: str = ""
) -> tuple[bytes, os.stat_result] | None:
    """read_bytes, with the open file's status taken after reading (what FileDigests keys on)."""
    rel = rel or relpath(Path(path), root)
    info = file_status(path, rel, problems)
    return None if info is None else read_snapshot(str(path), info, rel, problems)


def file_status(path: Path | str, rel: str, problems: list[Problem]) -> os.stat_result | None:
    """A regular file's status, reporting a missing file or one that is not a plain file (a folder, a FIFO)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        problems.append(Problem(Location(rel), f"cannot read file: {exc.strerror or exc}", "unreadable-file"))
        return None
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device would hang the read or never end
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, pipe or socket"
        problems.append(
            Problem(
                Location(rel),
                f"cannot read it: this is {kind}, not a file",
                "unreadable-file",
                hint=f"{rel} must be a plain text file",
            )
        )
        return None
    return info


def decode(data: bytes, rel: str, problems: list[Problem]) -> str | None:
    """A file's bytes as text with Unix line ends, reporting where they are not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Problem(
                Location(rel, line, col),
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                "invalid-utf8",
                hint="save the file as UTF-8",
            )
        )
        return None
    return normalised(text)


def normalised(text: str) -> str:
    """Text without a byte order mark and with Unix line ends, as every reader expects."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def read_yaml(path: Path, root: Path, problems: list[Problem]) -> LoadedDoc:
    """Read and parse one YAML file; problems are collected and data is None when unreadable."""
    rel = relpath(path, root)
    text = read_text(path, root, problems)
    if text is None:
        return LoadedDoc(rel, None)
    data, found = load_yaml(text, rel)
    problems.extend(found)
    return LoadedDoc(rel, data)


def read_cached_yaml(
    path: Path,
    root: Path,
    problems: list[Problem],
    cache: ModelCache | None,
    layout: dict[str, type] = CLAIMS_LAYOUT,
    digests: FileDigests | None = None,
    *,
    defer: bool = False,
) -> LoadedDoc:
    """Read a claims file or sources.yaml, leaving it unparsed when the cache holds what these exact bytes give.

    A hit reports the problems parsing found last time, so every run reports them alike. digests:
    where an unchanged file's digest is found without hashing it again. defer: a claims file read
    whole (not found in the cache) is left `pending`, for validation to parse (coldclaims).
    """
    if cache is None:
        return read_yaml(path, root, problems)
    rel = relpath(path, root)
    cached = cache.read(rel, layout)
    info = file_status(path, rel, problems)
    if info is None:
        return LoadedDoc(rel, None)
    known = digests.recorded(rel, info) if digests is not None and info.st_size <= MAX_FILE_BYTES else None
    if cached is not None and known is not None and cached.get("bytes") == known:  # unchanged: not even read
        found = cached["found"]
        problems.extend(found)
        text = FileText(str(path), rel, info, known)
        return LoadedDoc(rel, raw=text, sha256=known, cached=cached, found=found)
    read = read_snapshot(str(path), info, rel, problems)
    if read is None:
        return LoadedDoc(rel, None)
    raw = read[0]
    sha256 = digests.sha256(rel, *read) if digests is not None else hashlib.sha256(raw).hexdigest()
    if cached is not None and cached.get("bytes") == sha256:
        found = cached["found"]
        problems.extend(found)
        return LoadedDoc(rel, raw=raw, sha256=sha256, cached=cached, found=found)
    text = decode(raw, rel, problems)
    if text is None:
        return LoadedDoc(rel, None)
    if layout is not CLAIMS_LAYOUT:
        data, found = load_yaml(text, rel)
        problems.extend(found)
        return LoadedDoc(rel, data, sha256=sha256, cached=cached, found=found)
    old = claimchunks.restored(cached["chunks"]) if cached is not None else None
    chunks = claimchunks.from_edit(text, rel, old) if old else None
    if chunks is not None:  # only the items whose text changed were read
        found = [p for chunk in chunks for p in chunk.found]
        problems.extend(found)
        return LoadedDoc(rel, raw=raw, sha256=sha256, cached=cached, found=found, chunks=(text, chunks))
    doc = LoadedDoc(rel, raw=raw, sha256=sha256, cached=cached)
    doc.pending = text
    if not defer:
        problems.extend(parse_pending(doc))
    return doc


def parse_pending(doc: LoadedDoc) -> list[Problem]:
    """Parse a claims file left pending (see read_cached_yaml); return what parsing found, for the caller to report."""
    text, rel = doc.pending, doc.path
    assert text is not None
    data, found, counts = load_yaml_items(text, rel)
    chunks = claimchunks.from_whole(text, rel, data, found, counts)
    doc._data, doc._raw, doc.pending, doc.found = data, None, None, found
    doc.chunks = (text, chunks) if chunks else None
    return found


def inside(path: Path, folder: Path) -> bool:
    """True when path, with every symbolic link followed, lies inside folder."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def outside_problem(path: Path, root: Path, what: str) -> Problem:
    """The error for a file or folder whose symbolic link leads out of the site project."""
    return Problem(
        Location(relpath(path, root)),
        f"{what} links outside the project",
        "unsafe-path",
        hint="a symbolic link must point to a file inside the site project; copy the file in instead",
    )


def links_leading_out(folder: Path, root: Path) -> list[Path]:
    """Every entry under folder (the folder included) whose symbolic links resolve outside root.

    Templates and static files are read by Jinja and copied to the output as they are, so one
    link to ~/.ssh or /etc would publish it; links are checked without being followed into.
    """
    if not inside(folder, root):
        return [folder]
    found = []
    for parent, dirs, files in os.walk(folder):
        for name in sorted(dirs + files):
            path = Path(parent) / name
            if path.is_symlink() and not inside(path, root):
                found.append(path)
    return found


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split `---` front matter from a Markdown body; return (yaml, body, body's first line)."""
    if not text.startswith("---\n"):
        return None, text, 1
    end = text.find("\n---", 3)
    while end != -1 and text[end + 4 : end + 5] not in ("\n", ""):
        end = text.find("\n---", end + 4)
    if end == -1:
        return None, text, 1
    front = text[4 : end + 1]
    body_start = end + 4
    if text[body_start : body_start + 1] == "\n":
        body_start += 1
    body_line = text.count("\n", 0, body_start) + 1
    return front, text[body_start:], body_line


#: A line of dashes of any kind: what a word processor, or an input method in full-width mode, makes of '---'.
_DASH_LINE = re.compile(r"[-\u2010-\u2015\u2212\u30fc\uff0d\u2500\u2501\s]+")


def front_matter_hint(text: str) -> str:
    """The hint for a page with no front matter; when its first line is meant as the '---', what is wrong with it."""
    first = text.split("\n", 1)[0]
    if first.strip() == "---" and first != "---":
        return "the first line must be '---' alone, with no space before or after it"
    if _DASH_LINE.fullmatch(first) and first.strip() and first.strip() != "---":
        odd = next((c for c in first if c not in "- \t"), "")
        if not odd:
            return f"the first line must be exactly three hyphens, '---', not {len(first.strip())}"
        name = unicodedata.name(odd, "").lower()
        how = "with the input method in half-width mode" if odd in "\u30fc\uff0d" else "in a plain-text editor"
        return f"the first line's '{odd}' (U+{ord(odd):04X} {name}) is not a hyphen: type '---', three '-', {how}"
    return "start the file with '---', a line 'title: …', and '---'"


def load_page(path: Path, root: Path, problems: list[Problem]) -> RawPage | None:
    """Read a Markdown page and its front matter; None when the file cannot be read."""
    rel = relpath(path, root)
    text = read_text(path, root, problems)
    if text is None:
        return None
    front, body, body_line = split_front_matter(text)
    meta = None
    if front is None:
        problems.append(
            Problem(
                Location(rel, 1, 1),
                "page has no front matter",
                "page-front-matter",
                hint=front_matter_hint(text),
            )
        )
    else:
        # a leading newline keeps YAML's line numbers equal to the file's (front starts on line 2)
        data, found = load_yaml("\n" + front, rel)
        problems.extend(found)
        if isinstance(data, YamlMap):
            meta = data
        elif data is not None or not found:
            problems.append(
                Problem(Location(rel, 2, 1), "front matter must be a mapping of fields", "page-front-matter")
            )
    return RawPage(rel, path.stem, meta, body, body_line)


def load_snapshots(project: RawProject) -> None:
    """Read every snapshot file that sources.yaml names, refusing paths that leave content/."""
    sources = project.docs.get("sources")
    if sources is None:
        return
    content = project.root / "content"
    content_text = str(content)
    resolver = Resolver(content, project.root)
    digests = project.digests
    snapshots = project.snapshots
    for name, where in snapshot_names(sources):
        if name in snapshots or (os.sep == "/" and _known_plain(name, content_text, resolver, digests, snapshots)):
            continue
        parts = _plain_parts(name)
        # content / name, without a Path per snapshot
        candidate = f"{content_text}/{name}" if simple(name, parts) else os.path.join(content, *parts)
        try:
            info: os.stat_result | None = os.lstat(candidate)
        except (OSError, ValueError):  # a name the file system refuses (too long, say) names no file
            info = None
        plain = info is not None and stat.S_ISREG(info.st_mode)  # a regular file, not a link: one lstat says all
        if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts or not resolver.inside(candidate, plain):
            project.problems.append(
                Problem(
                    where,
                    f"snapshot '{name}' must be a path inside content/",
                    "unsafe-path",
                    hint="write it relative to content/, e.g. snapshots/report.txt",
                )
            )
            continue
        target = info if plain else _followed_status(candidate)
        if target is not None and not stat.S_ISREG(target.st_mode):  # there, but no file of text
            kind = "a folder" if stat.S_ISDIR(target.st_mode) else "not a regular file (a pipe or a device)"
            project.problems.append(
                Problem(
                    where,
                    f"snapshot 'content/{name}' is {kind}",
                    "unreadable-file",
                    hint="point snapshot at the archived text file itself, e.g. snapshots/report.txt",
                )
            )
            continue
        if target is None:
            project.problems.append(
                Problem(
                    where,
                    f"snapshot file 'content/{name}' does not exist",
                    "missing-snapshot",
                    hint=snapshot_hint(Path(candidate), content, name),
                )
            )
            continue
        rel = "/".join(("content", *parts)) if os.sep == "/" else relpath(Path(candidate), project.root)
        known = digests.known_text(rel, target) if target.st_size <= MAX_FILE_BYTES else None
        if known is not None:  # unchanged since it was read whole: its text is read if something uses it
            project.snapshots[name] = RawSnapshot(rel, FileText(candidate, rel, target, known), known)
            continue
        read = read_snapshot(candidate, target, rel, project.problems)
        if read is None:
            continue
        data, after = read
        text = decode(data, rel, project.problems)
        if text is not None:
            project.snapshots[name] = RawSnapshot(rel, text, digests.sha256(rel, data, after, text=True))


#: A name of plain parts ('snapshots/x.txt'): none empty, none starting with a dot, so none is '.' or '..'.
_PLAIN_NAME = re.compile(r"[\w-][\w.-]*(?:/[\w-][\w.-]*)*")


def _known_plain(
    name: str, content: str, resolver: Resolver, digests: FileDigests, snapshots: dict[str, RawSnapshot]
) -> bool:
    """Take the usual snapshot, a plain name of a regular file inside content/ whose digest is known, in one lstat.

    What load_snapshots would find for it, without its general checks (2,500 snapshots at
    10,000 claims); False for anything else, which load_snapshots then looks at as usual.
    """
    if _PLAIN_NAME.fullmatch(name) is None:
        return False
    candidate = f"{content}/{name}"
    try:
        info = os.lstat(candidate)
    except (OSError, ValueError):
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
        return False
    inside = resolver.inside_dirs.get(candidate[: candidate.rfind("/")])  # what Resolver.inside keeps per folder
    if not (inside if inside is not None else resolver.inside(candidate, True)):
        return False
    rel = f"content/{name}"
    known = digests.known_text(rel, info)
    if known is None:
        return False
    snapshots[name] = made(Snapshot, rel, FileText(candidate, rel, info, known), known)
    return True


def _followed_status(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None


def read_snapshot(
    path: str, status: os.stat_result, rel: str, problems: list[Problem]
) -> tuple[bytes, os.stat_result] | None:
    """A regular file's bytes (a snapshot's, or any content file's) and the open file's status after reading.

    status: the regular file's status just taken, for the size limit (read_bytes' checks, without
    statting again).
    """
    if status.st_size > MAX_FILE_BYTES:
        limit = f"the limit is {MAX_FILE_BYTES:,}"
        problems.append(Problem(Location(rel), f"file is {status.st_size:,} bytes; {limit}", "file-too-large"))
        return None
    try:
        with open(path, "rb", buffering=0) as handle:  # unbuffered: read whole, a quarter cheaper
            data = handle.read()
            after = os.fstat(handle.fileno())
    except OSError as exc:
        problems.append(Problem(Location(rel), f"cannot read file: {exc.strerror or exc}", "unreadable-file"))
        return None
    return data, after


#: A file changed less than this long before its digest would be recorded is hashed on every run.
RACY_NS = 2_000_000_000
#: Records of files no longer seen that are kept until there are more than this many.
DROPPED_RECORDS = 64


def status_key(status: os.stat_result) -> tuple[int, int, int, int, int]:
    """What a file's digest is recorded with: its size, mtime, inode, device and ctime."""
    return (status.st_size, status.st_mtime_ns, status.st_ino, status.st_dev, status.st_ctime_ns)


class FileDigests:
    """Each snapshot's and claims file's SHA-256 kept by its status, so an unchanged file is not hashed again.

    As git's index does: a digest is reused only when the file's path, size, mtime, inode, device
    and ctime all match the ones recorded with it. Writing to a file always sets its ctime to the
    current time (and no call sets ctime back), so a recorded status is trusted only when its
    ctime and mtime were over two seconds old when recorded: a later edit, even of the same size
    within the same clock tick and with its mtime put back, gets a newer ctime. The status is taken
    after reading, so an edit during the read is never paired with the old digest. A snapshot's
    record also says that its bytes were UTF-8 (it ends in True): one whose status still matches
    is not read while loading (known_text).
    """

    NAME = "\0file digests"
    LAYOUT: ClassVar[dict[str, Any]] = {"digests": dict}

    def __init__(self, cache: ModelCache | None) -> None:
        self.cache = cache
        entry = None if cache is None else cache.read(self.NAME, self.LAYOUT)
        self.known: dict[str, tuple[Any, ...]] = {} if entry is None else entry["digests"]
        self.seen: dict[str, tuple[Any, ...]] = {}
        self.now = time.time_ns()

    def sha256(self, rel: str, data: bytes, after: os.stat_result, *, text: bool = False) -> str:
        """The digest of data, the bytes of rel read just before `after` was taken (text: they decoded)."""
        status = status_key(after)
        known = self.known.get(rel)
        if known is not None and known[:5] == status and len(data) == after.st_size:
            digest = known[5]
        else:
            digest = hashlib.sha256(data).hexdigest()
        if max(after.st_ctime_ns, after.st_mtime_ns) < self.now - RACY_NS:
            self.seen[rel] = (*status, digest, True) if text else (*status, digest)
        return digest

    def known_text(self, rel: str, status: os.stat_result) -> str | None:
        """The digest of a snapshot whose status matches the one recorded when it was last read and decoded."""
        known = self.known.get(rel)
        if known is None or len(known) != 7 or known[6] is not True:
            return None
        if (status.st_size, status.st_mtime_ns, status.st_ino, status.st_dev, status.st_ctime_ns) != known[:5]:
            return None
        if max(status.st_ctime_ns, status.st_mtime_ns) < self.now - RACY_NS:
            self.seen[rel] = known
        return known[5]  # type: ignore[no-any-return]

    def recorded(self, rel: str, status: os.stat_result) -> str | None:
        """The digest recorded for a file with exactly this status, if any (the file need not be read)."""
        known = self.known.get(rel)
        if known is None or known[:5] != status_key(status):
            return None
        if max(status.st_ctime_ns, status.st_mtime_ns) < self.now - RACY_NS:
            self.seen[rel] = known
        return known[5]

    def save(self) -> None:
        """Record what was seen when it adds to what was recorded, or drops much of it.

        A file just edited is not recorded (it is racy): its old record only goes stale, never
        matching again, so it is left until the file settles and is recorded, rather than
        rewriting 2,500 records on every edit. Records of files no longer seen are dropped
        when there are many of them (so the record does not grow with the project's history).
        """
        if self.cache is None:
            return
        known = self.known
        added = any(known.get(rel) != record for rel, record in self.seen.items())
        if added or len(known) - len(self.seen) > DROPPED_RECORDS:
            self.cache.write(self.NAME, {"digests": self.seen})


def simple(name: str, parts: tuple[str, ...]) -> bool:
    """True when name is its parts joined by '/', as os.path.join would join them."""
    return os.sep == "/" and len(parts) == name.count("/") + 1 and all(parts) and not name.startswith("/")


#: A Windows drive (`C:\\Users\\...`, `C:/...`): a path on the editor's machine, not inside content/.
_DRIVE = re.compile(r"[A-Za-z]:[\\/]")


def _plain_parts(name: str) -> tuple[str, ...]:
    """Path(name).parts, without building a Path for the usual 'snapshots/x.txt'."""
    if "\\" in name or "//" in name or name.startswith(("./", "/")) or "/./" in name or name.endswith(("/", "/.")):
        return Path(name).parts
    return tuple(name.split("/")) if os.sep == "/" and name not in (".", "") else Path(name).parts


def snapshot_names(sources: LoadedDoc) -> list[tuple[str, Location]]:
    """Each snapshot sources.yaml names, with where: from the cache when the file is unchanged."""
    hit = sources.hit
    if hit is not None:
        return hit["snapshots"]
    names = []
    if isinstance(sources.data, list):
        for entry in sources.data:
            if isinstance(entry, YamlMap):
                name = entry.get("snapshot")
                if isinstance(name, str) and name:
                    names.append((name, entry.where("snapshot")))
    return names


class Resolver:
    """inside(path, content) and inside(path, root) for many paths, each folder resolved once.

    Resolving every component of every snapshot's path was most of the time spent reading
    2,500 snapshots; a file's real path is its folder's real path and its name, unless the file
    itself is a symbolic link.
    """

    def __init__(self, content: Path, root: Path) -> None:
        self.folders = [_real_folder(content), _real_folder(root)]
        self.real_dirs: dict[str, str | None] = {}
        self.inside_dirs: dict[str, bool] = {}

    def real(self, path: Path | str, plain: bool = False) -> str | None:
        """The path with every symbolic link followed; None when it cannot be resolved.

        plain: the caller knows from lstat that path is a regular file, not a link.
        """
        text = str(path)
        parent, name = os.path.split(text)
        try:
            if name in ("", ".", "..") or (not plain and os.path.islink(text)):
                return os.path.realpath(text)
            if parent not in self.real_dirs:
                self.real_dirs[parent] = os.path.realpath(parent)
            real_parent = self.real_dirs[parent]
        except (OSError, ValueError, RuntimeError):
            return None
        return None if real_parent is None else os.path.join(real_parent, name)

    def inside(self, path: Path | str, plain: bool = False) -> bool:
        """True when path, every link followed, lies inside both content/ and the project root."""
        if plain:  # a regular file's real path is its folder's and its name: it is inside when its folder is
            parent, name = os.path.split(str(path))
            if name not in ("", ".", ".."):
                if parent not in self.inside_dirs:
                    self.inside_dirs[parent] = self._inside_real(self.real(parent))
                return self.inside_dirs[parent]
        return self._inside_real(self.real(path, plain))

    def _inside_real(self, real: str | None) -> bool:
        return real is not None and all(
            folder is not None and (real == folder or real.startswith(folder.rstrip(os.sep) + os.sep))
            for folder in self.folders
        )


def _real_folder(folder: Path) -> str | None:
    try:
        return os.path.realpath(folder)
    except (OSError, ValueError, RuntimeError):
        return None


def snapshot_hint(candidate: Path, content: Path, name: str = "") -> str:
    """A hint for a snapshot name that names no file: written from the wrong folder or with backslashes, or misspelt."""
    rest = re.sub(r"[\\/]+", "/", name)
    if rest.startswith("content/") and (content / rest.removeprefix("content/")).is_file():
        return f"snapshot paths are relative to content/: write '{rest.removeprefix('content/')}'"
    if "\\" in name:
        written = "write '/' between folders" + (f": '{rest}'" if (content / rest).is_file() else "")
        return written
    try:
        folder = candidate.parent
        if not folder.is_dir() or not inside(folder, content):
            return ""
        names = [p.name for p in folder.iterdir() if p.is_file()]
    except OSError:
        return ""
    wanted = unicodedata.normalize("NFC", candidate.name)
    if any(unicodedata.normalize("NFC", n) == wanted for n in names):  # 'did you mean' would repeat the name
        plain = "".join(c for c in unicodedata.normalize("NFD", wanted) if not unicodedata.combining(c))
        return (
            "a file of this name is there, but with its accents stored as separate characters (as macOS may save "
            f"names), or the other way round: rename the file without accents ('{plain}') and write that name here"
        )
    close = difflib.get_close_matches(candidate.name, names, n=1, cutoff=0.6)
    if not close:
        return ""
    hidden = lookalike_note(name)  # a Cyrillic i in 'minfin.txt': the suggestion would look the same
    meant = f"did you mean '{(folder / close[0]).relative_to(content.resolve()).as_posix()}'?"
    return f"{hidden}; {meant}" if hidden else meant


#: The folders of content/ factpress reads by name (others may hold snapshots).
CONTENT_FOLDERS = ("claims", "pages", "snapshots")


def stray_content_entries(root: Path, snapshots: dict[str, Any]) -> list[Problem]:
    """`[ignored-file]` warnings for what an editor put in content/ that is never read (claims.yaml, page/, topic.yaml).

    Such a file or folder was dropped without a word: its fact-checks or pages were missing from the
    site. A folder that holds a snapshot a source names is read, whatever its name; so is any file a
    source names. Files that are neither YAML nor Markdown (a README, notes) are left alone.
    """
    content = root / "content"
    try:
        entries = sorted(content.iterdir()) if content.is_dir() else []
    except OSError:
        return []
    used = {name.replace("\\", "/").split("/", 1)[0] for name in snapshots}
    known = {f"{kind}{ending}" for kind in CONTENT_FILES for ending in (".yaml", ".yml")}
    problems = [
        stray_at_root(root, name, (content / name).exists()) for name in sorted(known) if (root / name).is_file()
    ]
    problems += [
        not_read(root / name, root, f"{name}/ is not read here", f"move it into content/: content/{name}/")
        for name in ("pages", "snapshots")
        if (root / name).is_dir() and not (content / name).exists()
    ]
    for entry in entries:
        name = entry.name
        if name.startswith(".") or name in known or name in CONTENT_FOLDERS or name in used or entry.is_symlink():
            continue  # (a linked entry is the newsroom's own arrangement, and a linked folder may loop)
        hint = stray_hint(entry)
        if hint:
            problems.append(not_read(entry, root, f"content/{name}{'/' if entry.is_dir() else ''} is not read", hint))
    return problems


def stray_at_root(root: Path, name: str, read: bool) -> Problem:
    """The warning for a content file (site.yaml, sources.yaml...) at the project's root, where it is never read."""
    if read:  # (an old copy, or the one being edited while content/'s is published)
        return not_read(root / name, root, f"{name} is not read here: content/{name} is", "delete one of the two")
    return not_read(root / name, root, f"{name} is not read here", f"move it into content/: content/{name}")


def stray_hint(entry: Path) -> str:
    """Where a stray entry of content/ belongs; '' for one that is no content factpress would read."""
    name, stem, suffix = entry.name, entry.stem, entry.suffix.lower()
    if entry.is_dir():
        holds = {Path(name).suffix.lower() for _, _, names in os.walk(entry) for name in names}  # (links not followed)
        if not holds & {*CLAIMS_SUFFIXES, *PAGE_SUFFIXES}:
            return ""
        close = difflib.get_close_matches(name.lower(), CONTENT_FOLDERS, n=1, cutoff=0.6)
        if close:
            return f"did you mean content/{close[0]}/? rename the folder"
        return "fact-checks go in content/claims/, pages in content/pages/"
    if suffix in CLAIMS_SUFFIXES:
        if stem.lower() == "claims":
            return "fact-checks go in claims.yaml at the project's root, or in files in content/claims/: move it"
        close = difflib.get_close_matches(stem.lower(), CONTENT_FILES, n=1, cutoff=0.6)
        if close:
            return f"did you mean content/{close[0]}.yaml? rename the file"
        files = ", ".join(f"{kind}.yaml" for kind in CONTENT_FILES)
        return f"content/ holds {files}; fact-checks go in content/claims/"
    if suffix in PAGE_SUFFIXES and stem.lower() not in ("readme", "license", "licence", "changelog"):
        return f"pages go in content/pages/: move it to content/pages/{name}"
    return ""


def cached_names(project: RawProject) -> list[str]:
    """The names the content files' cache entries (sources.yaml's, site.yaml's, ...) are kept under."""
    return [doc.path for doc in project.docs.values()]


#: The endings (in any case) of the files read from content/claims/ and content/pages/.
CLAIMS_SUFFIXES = (".yaml", ".yml")
PAGE_SUFFIXES = (".md", ".markdown")


def root_claims_files(root: Path, problems: list[Problem]) -> list[Path]:
    """claims.yaml or claims.yml at the root; both at once is an error, as one would be silently left out."""
    found = [root / name for name in ("claims.yaml", "claims.yml") if (root / name).exists()]
    if len(found) == 2:
        problems.append(
            both_endings("claims", "move the fact-checks of claims.yml into claims.yaml (or content/claims/)")
        )
        return found[:1]
    return found


def web_font(path: Path, root: Path) -> Problem:
    """The warning for a .woff or .woff2 in fonts/: resvg draws only TrueType and OpenType, so it is not used."""
    return not_read(
        path,
        root,
        "a web font is not used for the social cards: they are drawn with .ttf, .otf or .ttc fonts only",
        "put the font's .ttf or .otf in fonts/ instead (the same family usually ships both)",
    )


def not_read(path: Path, root: Path, message: str, hint: str) -> Problem:
    """An `[ignored-file]` warning at the entry left unread, saying why and what to do."""
    return Problem(Location(relpath(path, root)), message, "ignored-file", severity="warning", hint=hint)


def both_endings(name: str, move: str = "") -> Problem:
    """The error for NAME.yaml and NAME.yml side by side: only the .yaml is read."""
    return Problem(
        Location(f"{name}.yml"),
        f"both {name}.yaml and {name}.yml exist; only {name}.yaml would be read",
        "duplicate-file",
        hint=f"{move or f'move what {name}.yml holds into {name}.yaml'} and delete {name}.yml",
    )


def not_a_folder(content: Path, root: Path) -> list[Problem]:
    """An error for content/claims or content/pages written as a file: what it holds is never read, and the
    only message was 'no fact-checks: claims.yaml is missing'."""
    problems = []
    for name, holds in {"claims": "fact-checks", "pages": "pages"}.items():
        path = content / name
        if path.exists() and not path.is_dir():
            problems.append(
                Problem(
                    Location(relpath(path, root)),
                    f"content/{name} is a file, not a folder: the {holds} it should hold are not read",
                    "unreadable-file",
                    hint=f"make content/{name} a folder and put the {holds} in files inside it"
                    + (", e.g. content/claims/2025.yaml" if name == "claims" else ", e.g. content/pages/about.md"),
                )
            )
    return problems


def name_clashes(paths: list[str]) -> list[Problem]:
    """An error for each file read whose path differs from another's only in case or in how its accents are
    stored (Bridge.yaml and bridge.yaml): macOS and Windows keep one file for both, so an editor there
    checks and previews another site than the one published, and cannot check out both."""
    first: dict[str, str] = {}
    problems = []
    for path in sorted(paths):
        key = unicodedata.normalize("NFC", path).casefold()
        if key in first and first[key] != path:
            problems.append(
                Problem(
                    Location(path),
                    f"{path} and {first[key]} differ only in case or accents: macOS and Windows keep one file for both",
                    "duplicate-file",
                    hint="rename one of them, or merge the two",
                )
            )
        first.setdefault(key, path)
    return problems


def files_under(
    folder: Path, root: Path, suffixes: tuple[str, ...], problems: list[Problem], *, recursive: bool
) -> list[Path]:
    """The files in folder whose names end in suffixes (any case), in sorted order; recursive: in subfolders too.

    Newsrooms organise claims by year in subfolders and editors save 'x.YAML' or 'x.markdown':
    those are read. Any other entry that is not hidden (notes.txt, a folder of pages) is reported
    as a warning, so no file an editor wrote is left out without a word.
    """
    found: list[Path] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        problems.append(
            Problem(Location(relpath(folder, root)), f"cannot read folder: {exc.strerror}", "unreadable-file")
        )
        return found
    for entry in entries:
        if entry.name.startswith(".") or is_editor_leftover(entry.name):
            continue
        if recursive and entry.is_dir() and not entry.is_symlink():  # a linked folder could lead out, or loop
            found += files_under(entry, root, suffixes, problems, recursive=True)
        elif entry.is_file() and entry.suffix.lower() in suffixes:
            found.append(entry)
        else:
            problems.append(ignored_file(entry, root, folder, suffixes))
    return found


def is_editor_leftover(name: str) -> bool:
    """A file an editor keeps beside the one being edited (Emacs `x.yaml~` and `#x.yaml#`, Vim's `x.yaml.swp`).

    Passed over in silence, as hidden files are: warning of them at every check and preview is noise.
    """
    return name.endswith(("~", ".swp", ".swo")) or (name.startswith("#") and name.endswith("#"))


def ignored_file(path: Path, root: Path, folder: Path, suffixes: tuple[str, ...]) -> Problem:
    """The warning for an entry of content/claims/ or content/pages/ that is not read."""
    kinds = " or ".join(f"'{s}'" for s in suffixes)
    what = "folder" if path.is_dir() else "file"
    if what == "folder" and path.is_symlink():
        message = "this linked folder is not read: symbolic links to folders are not followed"
        return not_read(path, root, message, "move the files into a plain folder instead")
    top = relpath(folder, root).split("/")[:2]
    return not_read(
        path,
        root,
        f"this {what} is not read: only files ending in {kinds} are read from {'/'.join(top)}/",
        f"rename it to '{path.stem}' if it should be read"
        if Path(path.stem).suffix.lower() in suffixes
        else "rename it if it should be read, or move it out of the content folder",
    )


def load_project(root: Path) -> RawProject:
    """Read a whole site project: content YAML, claims, pages and the snapshots sources name."""
    root = root.resolve()
    forget()  # the fonts/ folder is read again: a preview server outlives an edit of it
    cache = project_cache(root)
    project = RawProject(root=root, model_cache=cache, digests=FileDigests(cache))
    content = root / "content"
    for kind in CONTENT_FILES:
        path = content / f"{kind}.yaml"
        if (content / f"{kind}.yml").exists():
            if path.exists():  # one would be left out without a word
                project.problems.append(both_endings(f"content/{kind}"))
            else:
                path = content / f"{kind}.yml"
        if not path.exists():
            continue
        if inside(path, root):
            layout = SOURCES_LAYOUT if kind == "sources" else FILE_LAYOUT
            project.docs[kind] = read_cached_yaml(
                path, root, project.problems, project.model_cache, layout, project.digests
            )
        else:
            project.problems.append(outside_problem(path, root, "content file"))
            project.docs[kind] = LoadedDoc(relpath(path, root), None)
    claim_paths = root_claims_files(root, project.problems)
    claims_dir = content / "claims"
    if claims_dir.is_dir():
        claim_paths += files_under(claims_dir, root, CLAIMS_SUFFIXES, project.problems, recursive=True)
    project.problems += not_a_folder(content, root)
    from .coldclaims import worth_forking  # (it reads LoadedDoc from here)

    defer = worth_forking(claim_paths, cache)
    for path in claim_paths:
        if inside(path, root):
            project.claim_docs.append(
                read_cached_yaml(path, root, project.problems, cache, digests=project.digests, defer=defer)
            )
        else:
            project.problems.append(outside_problem(path, root, "claims file"))
    pages_dir = content / "pages"
    if pages_dir.is_dir():
        for path in files_under(pages_dir, root, PAGE_SUFFIXES, project.problems, recursive=False):
            if not inside(path, root):
                project.problems.append(outside_problem(path, root, "page"))
                continue
            page = load_page(path, root, project.problems)
            if page is not None:
                project.pages.append(page)
    load_snapshots(project)
    project.problems += stray_content_entries(root, project.snapshots)
    read = [relpath(path, root) for path in claim_paths] + [page.path for page in project.pages]
    project.problems += name_clashes(read + [snapshot.path for snapshot in project.snapshots.values()])
    project.digests.save()
    if cache is not None:  # entries of claims files since renamed or removed would stay forever
        names = [FileDigests.NAME, claimdeps.NAME, *(doc.path for doc in project.claim_docs), *cached_names(project)]
        cache.prune(names)
    for name in ("templates", "static", "fonts", "root"):
        folder = root / name
        if not folder.is_dir():
            continue
        leaks = links_leading_out(folder, root)
        what = {"templates": "template", "static": "static file", "fonts": "font", "root": "root file"}[name]
        project.problems += [outside_problem(path, root, what) for path in leaks]
        if leaks:
            continue
        if name == "fonts":
            project.fonts = font_files(folder)
            webfonts = [p for p in sorted(folder.iterdir()) if p.suffix.lower() in (".woff", ".woff2")]
            project.problems += [web_font(path, root) for path in webfonts]
        else:
            setattr(project, f"{name}_dir", folder)
    return project
