"""The whole build, one stage a line: load, validate, link, render, write, index, publish.

`check_site` is the same pipeline stopped before rendering.
"""

from __future__ import annotations

import gc
import itertools
import operator
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, Problem, UsageError
from .link import Library, link_site
from .load import load_project
from .model import Site
from .render import SitePlan, plan_site
from .search import index_site, segmentation_warning
from .sitelinks import published_sources
from .sitetemplates import check_templates, template_mistakes_reported, template_problem
from .validate import base_url_mistake, is_web_url, site_address, validate_project
from .write import MARKER, SiteWriter, WriteResult, clean_leftovers, manifest_store

__all__ = ["MARKER", "BuildOptions", "BuildResult", "build_site", "check_site"]

Log = Callable[[str], None]


def _silent(_: str) -> None:
    pass


@dataclass
class BuildOptions:
    """What to build and where: the project root and the command line's choices."""

    root: Path
    out: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    search: bool = True
    #: A local preview (serve): its base_url is the preview's own address, not where the site is published,
    #: so links are judged against site.yaml's.
    preview: bool = False

    @property
    def out_dir(self) -> Path:
        """The absolute output folder: --out, else ROOT/site."""
        return (self.out or self.root / "site").resolve()


@dataclass
class BuildResult:
    """What a build produced, for the summary line: counts, warnings and stage timings."""

    out: Path
    pages: int
    files: int
    problems: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)
    indexed: int = 0
    #: False when the output folder already held this very site, so nothing was written (serve reloads no page).
    changed: bool = True


def count(n: int, noun: str, plural: str = "") -> str:
    """'1 claim', '48 pages': counts for the progress lines."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


@contextmanager
def stage(name: str, timings: dict[str, float], log: Log) -> Iterator[list[str]]:
    """Time one stage and say what it did (the stage adds its counts to the list it is given)."""
    start = time.perf_counter()
    notes: list[str] = []
    yield notes
    timings[name] = time.perf_counter() - start
    log(f"  {name:<9} {timings[name] * 1000:8.0f} ms" + (f"  {', '.join(notes)}" if notes else ""))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a stage builds many long-lived objects.

    Loading 10,000 claims creates millions of YAML nodes and values that all survive; each
    collection rescans them, which made loading twice as slow (docs/performance.md). Nothing
    of it is garbage before the build ends; whatever is gets collected once the collector resumes.
    On the way out, everything made meanwhile goes straight to the oldest generation (freeze,
    then unfreeze): else the first young collection after resuming scans it all (0.1-0.2 s at
    10,000 claims), to learn that it survives.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def check_site(
    root: Path, *, log: Log = _silent, timings: dict[str, float] | None = None, base_url: str | None = None
) -> tuple[Site, list[Problem]]:
    """Load and validate a site project; raise ContentError when any problem is an error.

    base_url: `build --base-url`'s address, against which links are judged instead of site.yaml's.
    """
    timings = {} if timings is None else timings
    if not root.is_dir():
        raise UsageError(f"no such folder: {root}")
    with collector_paused():
        return _load_and_validate(root, log, timings, base_url)


def _load_and_validate(
    root: Path, log: Log, timings: dict[str, float], base_url: str | None = None
) -> tuple[Site, list[Problem]]:
    with stage("load", timings, log) as notes:
        raw = load_project(root)
        notes += [
            count(len(raw.docs) + len(raw.claim_docs) + len(raw.pages), "file"),
            count(len(raw.snapshots), "snapshot"),
        ]
    with stage("validate", timings, log) as notes:
        site, problems = validate_project(raw, base_url=base_url)
        problems += check_templates(raw.templates_dir)  # (compiled only: build renders them)
        errors = sum(1 for p in problems if p.is_error)
        notes += [count(len(site.claims), "claim"), count(len(site.sources), "source")]
        notes += [count(errors, "error"), count(len(problems) - errors, "warning")]
    if any(p.is_error for p in problems):
        raise ContentError(problems)
    return site, problems


def guard_output(root: Path, out: Path) -> None:
    """Refuse an output folder that would swallow the project or a folder factpress did not make."""
    root = root.resolve()
    if out == root or out in root.parents:
        raise UsageError(f"--out {out} would replace the site project itself; choose a folder such as {root / 'site'}")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise UsageError(f"--out {out} exists and was not built by factpress; refusing to replace it")


def build_site(options: BuildOptions, *, log: Log = _silent) -> BuildResult:
    """Build the site into a staging folder and swap it in only when every stage succeeded."""
    timings: dict[str, float] = {}
    root, out = options.root.resolve(), options.out_dir
    base_url = checked_base_url(options.base_url) if options.base_url is not None else None  # ("": an unset variable)
    guard_output(root, out)
    clean_leftovers(out)  # first of all: a site left unpublished by a killed build is put back, even if this one fails
    judged_at = None if options.preview else base_url
    site, problems = check_site(root, log=log, timings=timings, base_url=judged_at)
    with stage("link", timings, log) as notes, collector_paused():  # views of every claim: all long-lived
        library: Library = link_site(site, base_url=base_url, drafts=options.drafts)
        notes.append(count(len(library.claims), "published claim"))
    with collector_frozen():
        return _render_and_publish(options, library, problems, timings, log)


def checked_base_url(base_url: str) -> str:
    """--base-url as site.yaml's base_url is taken: judged the same way, and written as every link writes it.

    An empty one is refused by name: it is usually a script's unset variable, and falling back to
    site.yaml's address would publish a staging copy as the live site.
    """
    if not base_url.strip():
        raise UsageError(
            "--base-url is empty (an unset variable?): give the address to publish at, such as"
            " https://staging.example.org/, or leave the option out to use site.yaml's base_url"
        )
    if not is_web_url(base_url):
        raise UsageError(f"--base-url {base_url!r} must be an http(s) address such as https://example.org/")
    wrong = base_url_mistake(base_url)
    if wrong is not None:
        raise UsageError(f"--base-url {base_url!r} {wrong[0]}; {wrong[1]}")
    return site_address(base_url)


@contextmanager
def collector_frozen() -> Iterator[None]:
    """Leave the content loaded so far out of garbage collections while pages are planned and rendered.

    The linked site is millions of long-lived objects; without this, each full collection while
    rendering rescans them all (a third of a no-change rebuild's time at 10,000 claims).
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _render_and_publish(
    options: BuildOptions, library: Library, problems: list[Problem], timings: dict[str, float], log: Log
) -> BuildResult:
    root, out = options.root.resolve(), options.out_dir
    raw_templates = root / "templates"
    root_dir = root / "root" if (root / "root").is_dir() else None  # files published as they are, at their paths
    start = time.perf_counter()
    with template_mistakes_reported(root):  # a mistake in a site's own template is reported, not a crash
        plan = plan_site(
            library,
            raw_templates if raw_templates.is_dir() else None,
            root / "static" if (root / "static").is_dir() else None,
            drafts=options.drafts,
            root_dir=root_dir,
        )
    writer = SiteWriter(out, manifest_store())
    if writer.unchanged(plan, search=options.search) and writer.published is not None:
        # nothing to write, nothing to swap: the published site is this build's already
        files = writer.published.files
        pages = html_count(files)
        counts = [count(pages, "page"), count(len(files), "file")]
        report_stage("render", time.perf_counter() - start, counts, timings, log)
        report_stage("write", 0.0, [count(len(files), "file"), "none changed"], timings, log)
        report_stage("publish", 0.0, ["the published site is up to date"], timings, log)
        return BuildResult(out, pages, len(files), problems, timings, writer.published.indexed, changed=False)
    pages = html_count(map(operator.attrgetter("path"), plan.files))
    rendered = [count(pages, "page"), count(len(plan.files), "file")]
    try:
        staging = writer.open_staging()
    except OSError as exc:  # the disk, not the content: say where, without a traceback
        raise UsageError(f"cannot write the site beside {out}: {exc.strerror or exc}") from exc
    planned = time.perf_counter() - start
    try:
        start = time.perf_counter()
        try:
            with template_mistakes_reported(root):  # a mistake in a site's own template is reported, not a crash
                report = write_site(writer, plan, staging, root)
        except OSError as exc:
            raise UsageError(f"cannot write the site beside {out}: {exc.strerror or exc}") from exc
        report_stage("render", planned + report.render_seconds, rendered, timings, log)
        written = [count(report.files, "file"), f"{report.made:,} made", f"{report.linked:,} linked"]
        written += [f"{report.removed:,} removed", f"{report.bytes / 1_000_000:,.1f} MB written"]
        report_stage("write", time.perf_counter() - start - report.render_seconds, written, timings, log)
        indexed = 0
        if options.search:
            language = library.config.language
            if warning := segmentation_warning(language):
                log(f"  warning: {warning}")
            with stage("search", timings, log) as notes:
                kept_out = published_sources(root_dir) if root_dir is not None else {}
                indexed = index_site(
                    staging, writer.searchable_pages(), language=library.config.language, unindexed=kept_out
                ).pages
                notes.append(count(indexed, "page") + " indexed")
        with stage("publish", timings, log):
            writer.publish(staging, search=options.search, indexed=indexed)
    except BaseException:
        writer.discard(staging)
        raise
    return BuildResult(out, pages, report.files, problems, timings, indexed)


def html_count(paths: Iterable[str]) -> int:
    """How many of the paths are pages (counted in C: a large site has some 50,000 files)."""
    return sum(map(str.endswith, paths, itertools.repeat(".html")))


def write_site(writer: SiteWriter, plan: SitePlan, staging: Path, root: Path | None = None) -> WriteResult:
    """Render and write what changed into the staging folder; `SiteWriter.publish` swaps it in."""

    def describe(exc: BaseException) -> Problem | None:  # a template's mistake met in a forked worker
        return template_problem(exc, root) if root is not None else None

    return writer.write(plan, staging, describe)


def report_stage(name: str, seconds: float, notes: list[str], timings: dict[str, float], log: Log) -> None:
    """Record and print a stage timed by hand (render and write interleave: files are written as they are made)."""
    timings[name] = seconds
    log(f"  {name:<9} {seconds * 1000:8.0f} ms" + (f"  {', '.join(notes)}" if notes else ""))
