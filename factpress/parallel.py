"""Pages made on several cores (opt-in: $FACTPRESS_WORKERS): forked workers render and write pages.

A full build of a large archive renders some 20,000 pages, which Jinja does one at a time under
the GIL. Workers are forked (never spawned: spawning re-runs the caller's main module) once the
plan exists, so each starts with the whole linked site and its caches, renders a share of the
pages and writes them itself; the parent gets back what each file was (size, searchable) and what
the workers added to the caches (`SitePlan.collect`/`merge`), so the next build finds them.
Forking beside other threads (the preview server) is unsafe: then everything stays in-process.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .errors import ContentError, Problem
from .render import OutputFile, PlannedFile, SitePlan

#: Below this many pages to make, forking costs more than it saves.
PARALLEL_MIN = 1500
CHUNK = 200
MAX_WORKERS = 8
PR_SET_PDEATHSIG = 1

Put = Callable[[OutputFile], tuple[int, bool]]
Describe = Callable[[BaseException], "Problem | None"]


@dataclass(frozen=True, slots=True)
class Job:
    """What a forked worker reads (inherited at fork, never pickled)."""

    files: list[PlannedFile]
    put: Put
    plan: SitePlan
    describe: Describe


_JOB: Job | None = None


def workers() -> int:
    """How many workers to fork: $FACTPRESS_WORKERS (default 0, none), never beside other threads.

    Off by default: at 10,000 claims on a 2-core machine, two workers left a full build's render
    stage as long as in one process (15 s) and took 60% more CPU (35.7 s against 20.7 s), the
    parent's own share (card SVGs, oEmbed, data files) being as long as the workers'. Like
    `make -l`, none is forked while the load average leaves no core free.
    """
    try:
        wanted = int(os.environ.get("FACTPRESS_WORKERS", "0") or 0)
    except ValueError:
        wanted = 0
    count = min(wanted, os.cpu_count() or 1, MAX_WORKERS)
    if count < 2:
        return 0
    from multiprocessing import get_all_start_methods  # (imported only here: a build without workers skips it)

    if "fork" not in get_all_start_methods() or threading.active_count() != 1:
        return 0
    with contextlib.suppress(OSError, AttributeError):
        if os.getloadavg()[0] > count - 0.5:
            return 0
    return count


def _work(start: int, end: int) -> tuple[str, Any]:
    """In a worker: make and write files[start:end]; report them, or what went wrong."""
    assert _JOB is not None
    job = _JOB
    made = []
    try:
        for planned in job.files[start:end]:
            size, searchable = job.put(planned.make())
            made.append((planned.path, size, searchable))
    except OSError as exc:
        return "os", (exc.errno, exc.strerror or str(exc))
    except ContentError as exc:  # content that changed under the build (a snapshot read on first use)
        return "problems", exc.problems
    except Exception as exc:
        problem = job.describe(exc)
        if problem is not None:
            return "problem", problem
        return "error", f"{type(exc).__name__}: {exc}"
    return "made", (made, job.plan.collect())


def _die_with_parent() -> None:
    """Linux: have this worker killed when the build dies, so no worker writes into a folder being deleted."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


@contextmanager
def forked(
    files: list[PlannedFile], put: Put, plan: SitePlan, describe: Describe, count: int
) -> Iterator[Callable[[], Iterator[tuple[str, int, bool]]]]:
    """Start making and writing files on `count` forked workers; the context gives their results' iterator.

    The iterator yields (path, size, searchable) per file and raises ContentError for a template's
    mistake (found in the worker), OSError for the disk. Leaving the context early cancels the rest.
    """
    from concurrent.futures import ProcessPoolExecutor  # a build without workers does not import these
    from multiprocessing import get_context

    global _JOB
    _JOB = Job(files, put, plan, describe)
    pool = ProcessPoolExecutor(count, mp_context=get_context("fork"), initializer=_die_with_parent)
    try:
        futures = [pool.submit(_work, i, min(i + CHUNK, len(files))) for i in range(0, len(files), CHUNK)]

        def results() -> Iterator[tuple[str, int, bool]]:
            for future in futures:
                kind, payload = future.result()
                if kind == "problem":
                    raise ContentError([payload])
                if kind == "problems":
                    raise ContentError(payload)
                if kind == "os":
                    raise OSError(*payload)
                if kind == "error":
                    raise RuntimeError(f"a worker failed: {payload}")
                made, state = payload
                plan.merge(state)
                yield from made

        yield results
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        _JOB = None
