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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import claimchunks
from .errors import Problem
from .load import LoadedDoc, parse_pending
from .modelcache import CLAIMS_LAYOUT, ModelCache
from .yamlio import MAX_NODES

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
    if cache is None:
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
    size = sum(len(doc.pending or "") for doc in pending)
    count = _workers() if cache is not None and size >= MIN_BYTES else 0
    units = work_units(pending, count + 1) if count else []
    if len(units) < 2:
        return [problem for doc in pending for problem in parse_pending(doc)]
    assert cache is not None
    parts: dict[int, list[dict[str, Any] | None]] = {}
    for unit, entry in _judged(pending, units, judge, cache, min(count, len(units) - 1)):
        doc = pending[unit.doc]
        if unit.part is None:
            doc.cached = entry
            continue
        got = parts.setdefault(unit.doc, [None] * unit.parts)
        got[unit.part[0]] = entry
        if all(part is not None for part in got):
            doc.cached = joined(doc, got) or judge(doc)  # (parts that do not join: the file is read whole here)
    for doc in pending:
        assert doc.cached is not None
        doc.found = doc.cached["found"]
    return [problem for doc in pending for problem in doc.found]


@dataclass(frozen=True, slots=True)
class Unit:
    """One share of the work: a pending file (by index), whole or one part of its top-level items."""

    doc: int
    size: int
    #: (index, start, end, first line) of the part's text in the file; None: the whole file.
    part: tuple[int, int, int, int] | None = None
    parts: int = 1


def work_units(docs: list[LoadedDoc], processes: int) -> list[Unit]:
    """The files cut into shares of similar size, largest first, so that `processes` finish together.

    A large file is cut between its top-level items (claimchunks.cut), so one claims.yaml of
    10,000 claims is shared too; a file that cannot be cut is one share.
    """
    total = sum(len(doc.pending or "") for doc in docs)
    share = max(PART_MIN, total // (processes * SHARES_PER_PROCESS))
    units: list[Unit] = []
    for index, doc in enumerate(docs):
        text = doc.pending or ""
        bounds = claimchunks.cut(text) if len(text) >= 2 * share else None
        if bounds is None:
            units.append(Unit(index, len(text)))
            continue
        groups: list[list[tuple[int, int, int]]] = [[]]
        for bound in bounds:
            if groups[-1] and bound[1] - groups[-1][0][0] > share:
                groups.append([])
            groups[-1].append(bound)
        for number, group in enumerate(groups):
            start, end, line = group[0][0], group[-1][1], group[0][2]
            units.append(Unit(index, end - start, (number, start, end, line), len(groups)))
    return sorted(units, key=lambda unit: -unit.size)


#: Shares per process: enough that the last ones are short, few enough that each pays its start.
SHARES_PER_PROCESS = 4
#: The smallest part a file is cut into (some 60 claims).
PART_MIN = 200_000


def part_doc(doc: LoadedDoc, part: tuple[int, int, int, int]) -> LoadedDoc:
    """A part of a pending file as a pending file of its own: its items at their own lines."""
    _, start, end, line = part
    assert doc.pending is not None
    piece = LoadedDoc(doc.path, raw=b"", sha256=part_key(doc, part))
    piece.pending = "\n" * (line - 1) + doc.pending[start:end]
    return piece


def part_key(doc: LoadedDoc, part: tuple[int, int, int, int]) -> str:
    """What a part's entry is stored under and known by: the file's digest and where the part is."""
    return f"{doc.sha256}:{part[1]}:{part[2]}"


def joined(doc: LoadedDoc, parts: list[dict[str, Any] | None]) -> dict[str, Any] | None:
    """The file's entry from its parts' entries, or None when a part did not read cleanly alone.

    Parts that each read cleanly, cut between top-level items, give what reading the whole file
    gives (see claimchunks), item after item, as an edited file's chunks do.
    """
    entries = [part for part in parts if part is not None]
    stored = [claimchunks.restored(entry["chunks"]) for entry in entries]
    if len(entries) != len(parts) or any(chunks is None for chunks in stored):
        return None
    chunks = [chunk for group in stored for chunk in group or ()]
    if 1 + sum(chunk.nodes for chunk in chunks) > MAX_NODES:
        return None
    shapes = [entry["shape"] for entry in entries]
    if any(shape["kind"] != "entries" or shape["unusable"] for shape in shapes):
        return None
    first = entries[0]
    return {
        "bytes": doc.sha256,
        "found": [problem for entry in entries for problem in entry["found"]],
        "shape": {
            "kind": "entries",
            "problems": [problem for shape in shapes for problem in shape["problems"]],
            "unusable": False,
            "index": [item for shape in shapes for item in shape["index"]],
        },
        "context": first["context"],
        "ids": JUDGED_AHEAD,
        "tables": first["tables"],
        "days": None,  # (worked out again by validation)
        "items": [item for entry in entries for item in entry["items"]],
        "chunks": claimchunks.stored(chunks),
    }


#: What a forked worker reads (inherited at fork, never pickled): the files and how to judge them.
_JOB: tuple[list[LoadedDoc], Judge, ModelCache] | None = None


def _judge_and_store(unit: Unit) -> bool:
    """In a worker: judge one share and store its entry where the parent reads it back."""
    assert _JOB is not None
    docs, judge, cache = _JOB
    doc = docs[unit.doc]
    if unit.part is None:
        cache.write(doc.path, judge(doc))
    else:
        piece = part_doc(doc, unit.part)
        cache.write(piece.sha256, judge(piece))
    return True


def _judge_here(docs: list[LoadedDoc], unit: Unit, judge: Judge) -> dict[str, Any]:
    doc = docs[unit.doc]
    return judge(doc if unit.part is None else part_doc(doc, unit.part))


def _judged(
    docs: list[LoadedDoc], units: list[Unit], judge: Judge, cache: ModelCache, count: int
) -> Iterator[tuple[Unit, dict[str, Any]]]:
    """Each share with its entry, judged by `count` forked workers and this process.

    Largest first: this process takes back from the end of the queue the shares no worker has
    started, so all finish together. A share whose entry cannot be read back (a cache that
    cannot be written, a worker killed or failed) is judged here.
    """
    from .parallel import fork_pool, in_turn  # (a small project does not import these)

    global _JOB
    _JOB = (docs, judge, cache)
    pool = fork_pool(count)
    try:
        futures = [pool.submit(_judge_and_store, unit) for unit in units]
        for index, future in in_turn(futures):
            unit = units[index]
            entry = None
            if future is not None:  # (None: not started by any worker, judged here)
                try:
                    future.result()
                    entry = _read_back(docs[unit.doc], unit, cache)
                except Exception:  # (a worker killed: BrokenProcessPool) judged here, where a failure reports itself
                    entry = None
            yield unit, entry if entry is not None else _judge_here(docs, unit, judge)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _JOB = None


def _read_back(doc: LoadedDoc, unit: Unit, cache: ModelCache) -> dict[str, Any] | None:
    """The entry a worker stored for a share, when it is for these bytes and was judged ahead."""
    if unit.part is None:
        name, key = doc.path, doc.sha256
    else:
        name = key = part_key(doc, unit.part)
    entry = cache.read(name, CLAIMS_LAYOUT)
    if unit.part is not None:
        cache.forget(name)
    if entry is None or entry.get("bytes") != key or entry.get("ids") != JUDGED_AHEAD:
        return None
    return entry
