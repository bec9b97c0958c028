"""Pages made on every core: forked workers render and write shares of the pages.

A full build of a large archive renders some 20,000 pages, which Jinja does one at a time under
the GIL. Workers are forked (never spawned: spawning re-runs the caller's main module) once the
plan exists, so each starts with the whole linked site and its caches, renders shares of the
pages and writes them itself; the parent gets back what each file was (size, searchable) and what
the workers added to the caches (`SitePlan.collect`/`merge`), so the next build finds them. The
parent makes the other files (cards, data files, feeds) meanwhile, then takes back the shares no
worker has started, so one core per process is enough and no core idles at the end.
Forking beside other threads (the preview server) is unsafe: then everything stays in-process.
$FACTPRESS_WORKERS sets how many processes (see `workers`).
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .errors import ContentError, Problem
from .render import OutputFile, PlannedFile, SitePlan

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")

#: Below this many pages to make, forking costs more than it saves (some 30 ms; a page is 0.3-0.6 ms).
PARALLEL_MIN = 500
#: Pages in a share: small, so that the last shares, which the parent cannot take back, end soon.
CHUNK = 25
#: Forked workers at most, however many cores.
MAX_WORKERS = 8
PR_SET_PDEATHSIG = 1


class Put(Protocol):
    """Writes one file and says what it was: (size, searchable); `replace` writes over one already there."""

    def __call__(self, output: OutputFile, *, replace: bool = False) -> tuple[int, bool]: ...


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
    """How many workers to fork beside this process (0: none). $FACTPRESS_WORKERS counts the processes.

    By default (unset or `auto`) every usable core makes pages, on Linux, once the load average
    leaves it free: like `make -l`, so a busy machine is not made busier. A number is taken as
    asked (1 or 0: this process only), up to the cores there are. Either way, never beside other
    threads (the preview server): forking them is unsafe.
    """
    wanted = os.environ.get("FACTPRESS_WORKERS", "").strip().lower() or "auto"
    cores = _usable_cores()
    if wanted == "auto":
        count = cores if sys.platform == "linux" else 1
    else:
        try:
            count = min(int(wanted), cores)
        except ValueError:
            count = 1
    count = min(count, MAX_WORKERS + 1)
    if count < 2:
        return 0
    from multiprocessing import get_all_start_methods  # (imported only here: a build without workers skips it)

    if "fork" not in get_all_start_methods() or threading.active_count() != 1:
        return 0
    if wanted == "auto":
        with contextlib.suppress(OSError, AttributeError):
            count = min(count, math.ceil(cores - os.getloadavg()[0]))  # the cores the load leaves, this one's included
    return max(count - 1, 0)


def _usable_cores() -> int:
    """The cores this process may run on (a container's or `taskset`'s share, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _work(start: int, end: int) -> tuple[str, Any]:
    """In a worker: make and write files[start:end]; report them, or what went wrong."""
    assert _JOB is not None
    job = _JOB
    made = []
    try:
        for planned in job.files[start:end]:
            size, searchable = job.put(planned.make())
            made.append((planned.path, size, searchable))
    except ContentError as exc:  # content that changed under the build (a snapshot read on first use)
        return "problems", exc.problems
    except Exception as exc:
        problem = job.describe(exc)  # (first: a template not found is an OSError too)
        if problem is not None:
            return "problem", problem
        if isinstance(exc, OSError):
            return "os", (exc.errno, exc.strerror or str(exc))
        return "error", f"{type(exc).__name__}: {exc}"
    return "made", (made, job.plan.collect())


def die_with_parent() -> None:
    """Linux: have this worker killed when the build dies: no worker writes into a folder being deleted, or lingers
    blocked on a pipe its siblings hold open (cards.py's pools use it too).
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def fork_pool(count: int) -> ProcessPoolExecutor:
    """`count` forked workers, each killed if this process dies (see die_with_parent)."""
    from concurrent.futures import ProcessPoolExecutor  # (imported only when workers are wanted)
    from multiprocessing import get_context

    return ProcessPoolExecutor(count, mp_context=get_context("fork"), initializer=die_with_parent)


def in_turn(futures: list[Future[T]]) -> Iterator[tuple[int, Future[T] | None]]:
    """Each share's index with its future, in order; None with a share no worker has started, for the caller to do.

    While the first share still runs, the caller takes back shares from the end of the queue and
    does them itself, so that it and the workers finish together. After a worker is killed every
    future left raises BrokenProcessPool: the caller does those shares too.
    """
    waiting = list(range(len(futures)))
    while waiting:
        if futures[waiting[-1]].cancel():
            yield waiting.pop(), None
        else:
            index = waiting.pop(0)
            yield index, futures[index]


@contextmanager
def forked(
    files: list[PlannedFile], put: Put, plan: SitePlan, describe: Describe, count: int
) -> Iterator[Callable[[], Iterator[tuple[str, int, bool]]]]:
    """Start making and writing files on `count` forked workers; the context gives their results' iterator.

    The iterator yields (path, size, searchable) per file and raises ContentError for a template's
    mistake (found in the worker), OSError for the disk. While it waits, the caller takes back the
    last shares no worker has started and makes them itself: the caller has its own files to make
    first (cards, data files), and how long those take is not known beforehand. If a worker dies,
    the caller makes every share not yet reported. Leaving the context early cancels the rest.
    """
    from concurrent.futures.process import BrokenProcessPool  # a build without workers does not import it

    global _JOB
    _JOB = Job(files, put, plan, describe)
    pool = fork_pool(count)
    try:
        shares = [(i, min(i + CHUNK, len(files))) for i in range(0, len(files), CHUNK)]
        futures = [pool.submit(_work, start, end) for start, end in shares]

        def made_here(index: int, *, replace: bool = False) -> Iterator[tuple[str, int, bool]]:
            start, end = shares[index]
            for planned in files[start:end]:
                size, searchable = put(planned.make(), replace=replace)
                yield planned.path, size, searchable

        def results() -> Iterator[tuple[str, int, bool]]:
            for index, future in in_turn(futures):
                if future is None:  # not started by any worker: made here instead
                    yield from made_here(index)
                    continue
                try:
                    result = future.result()
                except BrokenProcessPool:  # a worker was killed (out of memory?): the rest is made here
                    yield from made_here(index, replace=True)  # over what it may have half written
                    continue
                yield from _reported(result, plan)

        yield results
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        _JOB = None


def _reported(result: tuple[str, Any], plan: SitePlan) -> Iterator[tuple[str, int, bool]]:
    """A worker's share as (path, size, searchable), its cache entries kept; or what went wrong, raised."""
    kind, payload = result
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
