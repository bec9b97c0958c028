"""Stage 5: the only writer. Build into a staging folder beside the output, then swap it in.

A failed or interrupted build never touches the published folder: files go to a staging folder
(`.site-staging-<name>-<pid>` beside `out`), which replaces `out` only once everything, search
index included, has succeeded. Leftovers of interrupted builds are removed by the next build.

Rebuilds write only what changed. Every built folder has a manifest (output path -> fingerprint
of its inputs, see fingerprints.py) kept in the cache folder. After a swap the previous site is
kept beside the output as a spare (`.site-spare-<name>`); the next build takes the spare as its
staging folder, forgetting its manifest first (a build killed while writing into it leaves a
folder the build after it deletes), and only writes the files whose fingerprint differs from the
spare's: a file the published site already has with that fingerprint is hard-linked from it,
others are rendered. A file is never changed in place, only replaced (unlink, then create), so a
file shared by the two folders through a hard link never changes under the published site.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import parallel
from .cache import dumps, loads
from .cachefiles import replace_file
from .render import OutputFile, PlannedFile, SitePlan
from .search import BUNDLE, MARKED_PAGE, marked_for_index

STAGING_PREFIX = ".site-staging-"
RETIRED_PREFIX = ".site-retired-"
SPARE_PREFIX = ".site-spare-"
#: The file that says a folder was built by factpress (and identifies one built folder for its manifest).
MARKER = ".factpress"
MARKER_TEXT = "This folder is built by factpress; it is replaced on every build.\n"
#: Left in a spare being linked beside the staging folder when a link failed: that spare is dropped.
INCOMPLETE = ".factpress-incomplete"
MANIFEST_VERSION = 1
MANIFEST_DAYS = 30


class UnsafeOutputPath(Exception):
    """An output path that would land outside the output folder."""


@dataclass(frozen=True, slots=True)
class WriteReport:
    """How many files and bytes were written, for the build summary."""

    files: int
    bytes: int


def _check_relative(name: str) -> None:
    """safe_relative's refusals, for a path used as text."""
    if not name or name[0] == "/" or "\\" in name or any(p in ("..", ".", "") for p in name.split("/")):
        raise UnsafeOutputPath(name)


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


def manifest_store() -> ManifestStore:
    """The manifests of built folders, beside the card cache ($FACTPRESS_CACHE_DIR; none when caching is off)."""
    from .cards import default_cache_dir

    cache = default_cache_dir()
    return ManifestStore(None if cache is None else cache.parent / "outputs")


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


def swap_in(staging: Path, out: Path, *, keep: bool = False) -> Path | None:
    """Replace out with staging so that readers, and a build killed at any instant, see the old site or the new.

    On Linux the two folders trade places atomically; elsewhere two renames leave a moment
    with no `out`, which `clean_leftovers` repairs on the next build. With `keep`, the previous
    site is not deleted but returned (under a staging or retired name) for the caller to keep.
    """
    if out.is_symlink() or out.is_file():
        out.unlink()
    if out.is_dir() and exchange(staging, out):
        if keep:
            return staging  # now the old site, under the staging name
        shutil.rmtree(staging, ignore_errors=True)
        return None
    retired = out.parent / f"{RETIRED_PREFIX}{out.name}-{os.getpid()}"
    if out.exists():
        os.replace(out, retired)
    os.replace(staging, out)
    if retired.exists():
        if keep:
            return retired
        shutil.rmtree(retired, ignore_errors=True)
    return None


def discard(staging: Path) -> None:
    """Remove the staging folder after a failed build; the published site is left as it was."""
    shutil.rmtree(staging, ignore_errors=True)


# -- incremental writing -----------------------------------------------------------------------


@dataclass
class Manifest:
    """What a built folder holds: each output path's fingerprint, its searchable pages, its search index if any."""

    files: dict[str, str] = field(default_factory=dict)
    searchable: set[str] = field(default_factory=set)
    search: bool = False
    indexed: int = 0
    whole: str = ""  # the plan's fingerprint of the whole site


class ManifestStore:
    """Manifests of built folders, in the cache folder, one file per folder.

    A folder is known by its marker file (device and inode, which move with the folder when it is
    renamed or swapped) and checked by the marker's change time, which no copy can reproduce: a
    folder copied, or a new folder reusing an old inode, has no manifest. `folder` None: no manifests,
    so every build renders every file.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _identity(self, tree: Path) -> tuple[Path, int] | None:
        if self.folder is None:
            return None
        try:
            marker = os.stat(tree / MARKER, follow_symlinks=False)
        except OSError:
            return None
        return self.folder / f"{marker.st_dev}-{marker.st_ino}.json", marker.st_ctime_ns

    def load(self, tree: Path) -> Manifest | None:
        """The manifest of a built folder, or None when it has none (or its marker changed)."""
        found = self._identity(tree)
        if found is None:
            return None
        path, ctime = found
        try:
            data = loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION or data.get("ctime") != ctime:
            return None
        files, searchable = data.get("files"), data.get("searchable")
        if not isinstance(files, dict) or not isinstance(searchable, list):
            return None
        indexed, whole = data.get("indexed"), data.get("whole")
        return Manifest(
            files,
            set(searchable),
            bool(data.get("search")),
            indexed if isinstance(indexed, int) else 0,
            whole if isinstance(whole, str) else "",
        )

    def forget(self, tree: Path) -> None:
        """Drop a folder's manifest before the folder is changed."""
        found = self._identity(tree)
        if found is not None:
            found[0].unlink(missing_ok=True)

    def save(self, tree: Path, manifest: Manifest) -> None:
        """Record a folder's manifest (atomically); a cache that cannot be written only costs the next build time."""
        found = self._identity(tree)
        if found is None:
            return
        path, ctime = found
        data = {
            "version": MANIFEST_VERSION,
            "ctime": ctime,
            "search": manifest.search,
            "indexed": manifest.indexed,
            "whole": manifest.whole,
            "files": manifest.files,
            "searchable": sorted(manifest.searchable),
        }
        replace_file(path, dumps(data))
        self._prune()

    def _prune(self) -> None:
        """Delete manifests of folders gone without a word (an output folder deleted by hand): the oldest.

        A folder's manifest is written once, when it is published, so age alone cannot tell; a
        published site that has not been rebuilt for MANIFEST_DAYS only loses its fast rebuild.
        """
        assert self.folder is not None
        cutoff = time.time() - MANIFEST_DAYS * 86400
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                with contextlib.suppress(OSError):
                    if entry.stat().st_mtime < cutoff:
                        os.unlink(entry.path)


def spare_folder(out: Path) -> Path:
    """Where the previous site is kept, to be the next build's staging folder."""
    return out.parent / f"{SPARE_PREFIX}{out.name}"


@dataclass
class WriteResult:
    """What writing a plan did: counts for the summary, and the seconds spent making (rendering) files."""

    files: int = 0
    made: int = 0
    linked: int = 0
    removed: int = 0
    bytes: int = 0
    render_seconds: float = 0.0


class SiteWriter:
    """Writes a planned site into a staging folder, touching only what changed, and publishes it."""

    def __init__(self, out: Path, store: ManifestStore) -> None:
        self.out, self.store = out, store
        self.published = store.load(out) if out.is_dir() else None
        self.held = Manifest()  # what the staging folder holds before writing
        self.manifest = Manifest()  # what it holds after
        self.twin: Path | None = None  # the next build's spare, linked file by file as a first build writes

    def unchanged(self, plan: SitePlan, *, search: bool) -> bool:
        """Whether the published site already is this plan's site (then nothing is written or swapped).

        Judged by fingerprints, not by reading the folder: a file deleted or edited there by hand
        stays so. Only its top-level entries are looked at (a dozen stats), so a folder such as
        `static/` deleted by mistake is put back: the build swaps in its spare, brought up to date,
        and the damaged folder, its manifest forgotten, is made again in full as the next spare.
        """
        published = self.published
        if published is None or published.search != search:
            return False
        if not self.top_level_present(published):
            # Not to be trusted as the next build's spare either: its manifest names what is gone.
            self.store.forget(self.out)
            self.published = None
            return False
        if plan.whole and published.whole == plan.whole:  # without planning a single file
            return True
        if len(published.files) != len(plan.files):
            return False
        files = published.files
        return all(files.get(f.path) == f.fingerprint for f in plan.files)

    def top_level_present(self, published: Manifest) -> bool:
        """Whether every top-level file and folder the published manifest names is still there."""
        tops = {path.split("/", 1)[0] for path in published.files}
        return all(os.path.lexists(self.out / top) for top in tops)

    def open_staging(self) -> Path:
        """The staging folder: the spare, when its manifest says what it holds, else a new empty folder."""
        out = self.out
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = out.parent / f"{STAGING_PREFIX}{out.name}-{os.getpid()}"
        if staging.exists():
            shutil.rmtree(staging)
        spare = spare_folder(out)
        held = self.store.load(spare) if spare.is_dir() else None
        if held is not None:
            self.store.forget(spare)  # first: from here on it is a staging folder, discarded if the build dies
            try:
                os.rename(spare, staging)
            except OSError:
                held = None
        if held is None:
            if spare.exists() or spare.is_symlink():
                _remove(spare)
            staging.mkdir()
            held = Manifest()
        self.held = held
        return staging

    def write(self, plan: SitePlan, staging: Path, describe: parallel.Describe = lambda exc: None) -> WriteResult:
        """Bring the staging folder to the plan: remove what went, keep or link what is the same, make the rest.

        Many pages to make are made on every core (parallel.py); `describe` turns a template's
        mistake met in a worker into the problem to report.
        """
        result = WriteResult(files=len(plan.files))
        held, published = self.held, self.published or Manifest()
        wanted = {f.path: f.fingerprint for f in plan.files}
        if len(wanted) != len(plan.files):
            raise ValueError("two planned files share a path")
        result.removed = self._remove_stale(staging, held, wanted)
        searchable: set[str] = set()
        todo: list[PlannedFile] = []
        for planned in plan.files:
            path, fingerprint = planned.path, planned.fingerprint
            if held.files.get(path) == fingerprint:
                if path in held.searchable:
                    searchable.add(path)
            elif published.files.get(path) == fingerprint and self._link(staging, path, replace=path in held.files):
                result.linked += 1
                if path in published.searchable:
                    searchable.add(path)
            else:
                todo.append(planned)
        start = time.perf_counter()
        render_seconds = 0.0
        plan.prepare({f.path for f in todo})
        render_seconds += time.perf_counter() - start

        twin = self.twin = self._open_twin(staging) if self.published is None and not held.files else None
        into = None if twin is None else (f"{staging}/", f"{twin}/")  # (joined as text: 52,800 files at 10,000 claims)

        def put(output: OutputFile, *, replace: bool = False) -> tuple[int, bool]:
            size = _put(staging, output, replace=replace or output.path in held.files)
            if into is not None:
                _link_twin(into, output.path, replace=replace)
            if not output.path.endswith(".html"):  # first: a data file's content is tens of megabytes to join
                return size, False
            marked = output.content is not None and marked_for_index(output.content)
            return size, marked

        pages = [f for f in todo if f.path.endswith(".html")]
        count = parallel.workers() if len(pages) >= parallel.PARALLEL_MIN else 0
        if count:  # pages on every core; the rest (cards, data files, feeds) here meanwhile
            start = time.perf_counter()
            with parallel.forked(pages, put, plan, describe, count) as results:
                for planned in todo:
                    if not planned.path.endswith(".html"):
                        size, marked = put(planned.make())
                        result.bytes += size
                for path, size, marked in results():
                    result.bytes += size
                    if marked:
                        searchable.add(path)
            render_seconds += time.perf_counter() - start  # making and writing, not told apart
        else:
            for planned in todo:
                start = time.perf_counter()
                output = planned.make()
                render_seconds += time.perf_counter() - start
                size, marked = put(output)
                result.bytes += size
                if marked:
                    searchable.add(output.path)
        start = time.perf_counter()
        plan.finish()
        render_seconds += time.perf_counter() - start
        result.made = len(todo)
        result.render_seconds = render_seconds
        (staging / MARKER).unlink(missing_ok=True)  # a new marker: a new identity for the new manifest
        (staging / MARKER).write_text(MARKER_TEXT)
        self.manifest = Manifest(wanted, searchable, whole=plan.whole)
        return result

    def _remove_stale(self, staging: Path, held: Manifest, wanted: dict[str, str]) -> int:
        """Delete the files the new site no longer has (and folders left empty), and any old search index."""
        stale = [path for path in held.files if path not in wanted]
        folders: set[Path] = set()
        for path in stale:
            target = staging / safe_relative(path)
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
            folders.update(target.parents)
        if held.search:
            _remove(staging / BUNDLE)
        for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
            if folder != staging and folder.is_relative_to(staging):
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only when empty
        return len(stale)

    def _link(self, staging: Path, path: str, *, replace: bool) -> bool:
        """Hard-link the published site's file into the staging folder; False when it cannot (then it is made).

        Paths are joined as text: a fallback build links some 50,000 files, and pathlib would
        be most of its cost.
        """
        _check_relative(path)
        try:
            _hard_link(f"{self.out}/{path}", f"{staging}/{path}", replace=replace)
        except OSError:  # (a published file gone missing included: it is made instead)
            return False
        return True

    def searchable_pages(self) -> list[OutputFile]:
        """The staged pages marked for the search index, as stand-ins that carry only the marker."""
        return [OutputFile(path, MARKED_PAGE) for path in sorted(self.manifest.searchable)]

    def publish(self, staging: Path, *, search: bool, indexed: int = 0) -> None:
        """Record the staging folder's manifest, swap it in, and keep the previous site as the spare."""
        self.manifest.search, self.manifest.indexed = search, indexed
        self.store.save(staging, self.manifest)
        previous = swap_in(staging, self.out, keep=True)
        if previous is not None and self.store.folder is not None and self.published is not None:
            try:
                os.rename(previous, spare_folder(self.out))
                return
            except OSError:
                pass
        if previous is not None:
            self.store.forget(previous)
            _remove(previous)
        if not self._keep_twin():
            self._link_spare()

    def discard(self, staging: Path) -> None:
        """Remove the staging folder (and the spare linked beside it) after a failed build."""
        discard(staging)
        if self.twin is not None:
            _remove(self.twin)
            self.twin = None

    def _open_twin(self, staging: Path) -> Path | None:
        """A folder beside the staging one that each file written is hard-linked into: the next build's spare.

        A first build (nothing published, nothing held) would otherwise link every file into a
        spare after publishing, alone on one core (0.6 s at 10,000 claims); linked as each file
        is written, that work is shared by the workers. None where there is no cache (no
        manifests, so no spare) or hard links do not work.
        """
        if self.store.folder is None:
            return None
        twin = staging.parent / f"{STAGING_PREFIX}{self.out.name}-twin-{os.getpid()}"
        probe = staging / INCOMPLETE
        try:
            if twin.exists():
                shutil.rmtree(twin)
            twin.mkdir()
            probe.touch()
            os.link(probe, twin / INCOMPLETE)
            os.unlink(twin / INCOMPLETE)
        except OSError:
            _remove(twin)
            return None
        finally:
            with contextlib.suppress(OSError):
                probe.unlink()
        return twin

    def _keep_twin(self) -> bool:
        """Make the spare linked while writing the spare proper (own marker and manifest); False if there is none."""
        twin, self.twin = self.twin, None
        if twin is None:
            return False
        spare = spare_folder(self.out)
        try:
            if (twin / INCOMPLETE).exists() or spare.exists():
                raise FileExistsError(twin)
            (twin / MARKER).write_text(MARKER_TEXT)
            self.store.save(twin, Manifest(dict(self.manifest.files), set(self.manifest.searchable)))
            os.rename(twin, spare)
        except OSError:
            self.store.forget(twin)
            _remove(twin)
            return False
        return True

    def _link_spare(self) -> None:
        """Make a spare of hard links to the site just published, so the next build is quick too.

        Without one, the first rebuild after a full build would link every unchanged file into a
        new staging folder (about a second at 10,000 claims); here it is a few per cent of a full
        build. Made under a staging name and renamed once complete, with its own marker and manifest.
        """
        if self.store.folder is None:
            return
        out, spare = self.out, spare_folder(self.out)
        making = out.parent / f"{STAGING_PREFIX}{out.name}-{os.getpid()}"
        try:
            if spare.exists() or making.exists():
                return
            making.mkdir()
            for path in self.manifest.files:
                _check_relative(path)
                _hard_link(f"{out}/{path}", f"{making}/{path}")
            (making / MARKER).write_text(MARKER_TEXT)
            self.store.save(making, Manifest(dict(self.manifest.files), set(self.manifest.searchable)))
            os.rename(making, spare)
        except OSError:  # no spare: the next build links what it needs itself
            self.store.forget(making)
            _remove(making)


def _hard_link(source: str, target: str, *, replace: bool = False) -> None:
    """Hard-link source at target, making its folder when missing; over a file already there when replace."""
    if replace:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
    try:
        os.link(source, target, follow_symlinks=False)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(source, target, follow_symlinks=False)


def _link_twin(into: tuple[str, str], path: str, *, replace: bool) -> None:
    """Hard-link a file just written (staging folder, then spare, each ending in /) into the spare being made.

    A failure marks that spare incomplete.
    """
    try:
        _hard_link(into[0] + path, into[1] + path, replace=replace)
    except OSError:
        with contextlib.suppress(OSError), open(into[1] + INCOMPLETE, "w"):
            pass


def _put(staging: Path, output: OutputFile, *, replace: bool) -> int:
    """Create one file (never overwrite one in place: it may be a hard link to the published site's)."""
    _check_relative(output.path)
    target = f"{staging}/{output.path}"
    if replace:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
    try:
        return _create(target, output)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        return _create(target, output)


def _create(target: str, output: OutputFile) -> int:
    if output.source is not None:
        shutil.copyfile(output.source, target)
        return os.stat(target).st_size
    if output.parts:
        with open(target, "xb") as file:
            file.writelines(output.parts)
        return sum(map(len, output.parts))
    data = output.data or b""
    with open(target, "xb") as file:
        file.write(data)
    return len(data)


def _remove(path: Path) -> None:
    """Delete a file or a whole folder, whatever is there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
