"""Claims files read for the first time, parsed and judged on every core.

With no model cache to read from, `check` of 10,000 claims spends some 5 s on one core: libyaml's
events and the values built from them, then every claim judged. Each claims file can be judged
alone but for the claim ids `related` names, which are known only once every file is parsed. So
the files left pending by loading (load.read_cached_yaml(defer=True)) are judged ahead, each by
this process or a forked worker, with every claim id taken as known; afterwards validation checks
each claim against the real ids (validate.still_valid) and judges again the few that name a claim
that does not exist, as it does when a cached file's ids change. A worker hands its file's
judgement back through the model cache: the entry it writes is the one this process would have
written, and reading it back costs a tenth of judging it.

Forking needs the model cache (the way back), Linux's fork, no other threads and a core the load
leaves free (parallel.workers); otherwise, or for a small archive, files are parsed here as before.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .errors import Problem
from .load import LoadedDoc, parse_pending
from .modelcache import CLAIMS_LAYOUT, ModelCache

#: Below this many bytes of claims files to read (some 300 claims), forking costs more than it saves.
MIN_BYTES = 1_000_000
#: The `ids` of an entry judged ahead: never the digest of real ids, so each claim is checked against them.
JUDGED_AHEAD = "judged ahead, every id taken as known"

#: Judges one pending claims file ahead: parses it and gives the model cache entry for it.
Judge = Callable[[LoadedDoc], dict[str, Any]]


class AnyId(dict):  # type: ignore[type-arg]
    """The claim ids a claim is judged ahead against: any id is taken as known (checked afterwards)."""

    def __contains__(self, key: object) -> bool:
        return True


def worth_forking(paths: list[Path], cache: ModelCache | None) -> bool:
    """Whether claims files this large are worth leaving pending, to be judged on every core."""
    if cache is None or len(paths) < 2:
        return False
    size = 0
    for path in paths:
        with contextlib.suppress(OSError):
            size += os.stat(path).st_size
    return size >= MIN_BYTES and _workers() > 0


def _workers() -> int:
    from .parallel import workers  # (imported here: loading a small project does not need it)

    return workers()


def settle(docs: list[LoadedDoc], judge: Judge, cache: ModelCache | None) -> list[Problem]:
    """Parse every pending claims file, judging them ahead on every core when that pays; return what parsing found.

    A file judged ahead has its entry as `cached`, for validation to take as a cache hit.
    """
    pending = [doc for doc in docs if doc.pending is not None]
    count = _workers() if cache is not None and len(pending) > 1 else 0
    if not count or sum(len(doc.pending or "") for doc in pending) < MIN_BYTES:
        return [problem for doc in pending for problem in parse_pending(doc)]
    for doc, entry in _judged(pending, judge, cache, min(count, len(pending) - 1)):
        doc.cached, doc.found = entry, entry["found"]
    return [problem for doc in pending for problem in doc.found]


#: What a forked worker reads (inherited at fork, never pickled): the files and how to judge them.
_JOB: tuple[list[LoadedDoc], Judge, ModelCache] | None = None


def _judge_and_store(index: int) -> bool:
    """In a worker: judge one file and store its entry where the parent reads it back."""
    assert _JOB is not None
    docs, judge, cache = _JOB
    doc = docs[index]
    cache.write(doc.path, judge(doc))
    return True


def _judged(
    docs: list[LoadedDoc], judge: Judge, cache: ModelCache, count: int
) -> Iterator[tuple[LoadedDoc, dict[str, Any]]]:
    """Each file with its entry, judged by `count` forked workers and this process.

    Largest files first: this process takes back from the end of the queue the files no worker
    has started, so both finish together. A file whose entry cannot be read back (a cache that
    cannot be written, a worker killed or failed) is judged here.
    """
    from concurrent.futures import ProcessPoolExecutor  # (a small project does not import these)
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    from .parallel import die_with_parent

    global _JOB
    order = sorted(range(len(docs)), key=lambda i: -len(docs[i].pending or ""))
    _JOB = (docs, judge, cache)
    pool = ProcessPoolExecutor(count, mp_context=get_context("fork"), initializer=die_with_parent)
    try:
        futures = {index: pool.submit(_judge_and_store, index) for index in order}
        waiting = list(order)
        while waiting:
            index = waiting[-1]
            if futures[index].cancel():  # not started by any worker: judged here
                waiting.pop()
                yield docs[index], judge(docs[index])
                continue
            index = waiting.pop(0)
            doc = docs[index]
            try:
                futures[index].result()
                entry = _read_back(doc, cache)
            except BrokenProcessPool:
                entry = None
            except Exception:  # judged again here: the same failure then reports itself as it would
                entry = None
            yield doc, entry if entry is not None else judge(doc)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _JOB = None


def _read_back(doc: LoadedDoc, cache: ModelCache) -> dict[str, Any] | None:
    """The entry a worker stored for a file, when it is for these bytes and was judged ahead."""
    entry = cache.read(doc.path, CLAIMS_LAYOUT)
    if entry is None or entry.get("bytes") != doc.sha256 or entry.get("ids") != JUDGED_AHEAD:
        return None
    return entry
