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

import bisect
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
    #: (index, start, end) of the part's text in the file; None: the whole file.
    part: tuple[int, int, int] | None = None
    parts: int = 1


def work_units(docs: list[LoadedDoc], processes: int) -> list[Unit]:
    """The files as shares, largest first, so that `processes` taking the next share in turn finish together.

    Files are shared whole: a part's entry must be joined with the others' and stored again here,
    on one core. Only a file larger than two shares is cut into parts, so one claims.yaml of
    10,000 claims is shared too; and the smallest files, enough of them to make up for one
    process being a whole file behind the others, are cut into small parts that come last, so
    that every process ends on a short share.
    """
    total = sum(len(doc.pending or "") for doc in docs)
    share = max(PART_MIN, total // (processes * SHARES_PER_PROCESS))
    units: list[Unit] = []
    for index, doc in enumerate(docs):
        text = doc.pending or ""
        units += file_units(index, text, share if len(text) > 2 * share else len(text))
    behind = processes * max((unit.size for unit in units), default=0)
    small = max(PART_MIN, share // 4)
    for unit in sorted((unit for unit in units if unit.part is None), key=lambda unit: unit.size):
        if behind <= 0:
            break
        units.remove(unit)
        units += file_units(unit.doc, docs[unit.doc].pending or "", small)
        behind -= unit.size
    return sorted(units, key=lambda unit: -unit.size)


def file_units(index: int, text: str, size: int) -> list[Unit]:
    """A file's shares: parts of near-equal size no larger than `size`, cut between top-level items; else whole."""
    count = -(-len(text) // max(1, size))
    starts = claimchunks.cut_starts(text) if count > 1 else None
    if starts is None:
        return [Unit(index, len(text))]
    bounds = near_equal_parts(starts, len(text), count)
    return [Unit(index, end - start, (number, start, end), len(bounds)) for number, (start, end) in enumerate(bounds)]


def near_equal_parts(starts: list[int], length: int, count: int) -> list[tuple[int, int]]:
    """(start, end) of at most `count` runs of consecutive items of near-equal text: each item goes where it starts."""
    first, size = starts[0], length - starts[0]
    begins = sorted({starts[0]} | {next_start(starts, first + size * k // count) for k in range(1, count)})
    return [(start, end) for start, end in zip(begins, [*begins[1:], length], strict=True) if start < end]


def next_start(starts: list[int], at: int) -> int:
    """The first item start at or after `at` (the first item's, when none is before it)."""
    index = bisect.bisect_left(starts, at)
    return starts[index] if index < len(starts) else starts[-1]


#: Shares per process: enough that the last ones are short, few enough that each pays its start.
SHARES_PER_PROCESS = 8
#: The smallest part a file is cut into (some 60 claims).
PART_MIN = 200_000


def part_doc(doc: LoadedDoc, part: tuple[int, int, int]) -> LoadedDoc:
    """A part of a pending file as a pending file of its own: its items at their own lines."""
    _, start, end = part
    assert doc.pending is not None
    piece = LoadedDoc(doc.path, raw=b"", sha256=part_key(doc, part))
    piece.pending = "\n" * doc.pending.count("\n", 0, start) + doc.pending[start:end]
    return piece


def part_key(doc: LoadedDoc, part: tuple[int, int, int]) -> str:
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


#: What a forked worker reads (inherited at fork, never pickled): the files, their shares, how to
#: judge them, the cache to hand entries back through, and the pipe the shares are taken from.
_JOB: tuple[list[LoadedDoc], list[Unit], Judge, ModelCache, int] | None = None


def _judge_shares(first: int) -> None:
    """In a worker: judge and store its own first share, then the next share not yet taken until none is left."""
    assert _JOB is not None
    _, units, _, _, taken = _JOB
    _judge_and_store(units[first])
    for index in _taken(taken):
        _judge_and_store(units[index])


def _judge_and_store(unit: Unit) -> bool:
    """In a worker: judge one share and store its entry where the parent reads it back."""
    assert _JOB is not None
    docs, _, judge, cache, _ = _JOB
    doc = docs[unit.doc]
    if unit.part is None:
        cache.write(doc.path, judge(doc))
    else:
        piece = part_doc(doc, unit.part)
        cache.write(piece.sha256, judge(piece))
    return True


def _taken(pipe: int) -> Iterator[int]:
    """The index of each share this process takes, a batch at a time, from a pipe every process reads.

    A batch is eight bytes (its first and its end index), and a pipe hands each read of eight bytes
    to one reader whole; a process killed while taking one holds no lock the others would wait for.
    """
    while data := os.read(pipe, 8):
        yield from range(int.from_bytes(data[:4], "little"), int.from_bytes(data[4:], "little"))


#: Batches the pipe of shares holds at most: 32 KiB, half what a pipe holds before a write would wait.
MAX_BATCHES = 4096


def shares_pipe(indices: range) -> int:
    """A pipe holding these share indices in batches, its writing end closed: read empty, none is left.

    An archive of one claim per file is thousands of shares: consecutive ones are then taken in
    batches, so that the pipe never holds more than it can without a reader.
    """
    size = -(-len(indices) // MAX_BATCHES) if indices else 1
    batches = b"".join(
        start.to_bytes(4, "little") + min(start + size, indices.stop).to_bytes(4, "little")
        for start in range(indices.start, indices.stop, size)
    )
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, batches)
    finally:
        os.close(write_end)
    return read_end


def _judge_here(docs: list[LoadedDoc], unit: Unit, judge: Judge, cache: ModelCache | None = None) -> dict[str, Any]:
    """A share judged in this process; a whole file's entry is stored at once, as a worker's is.

    Stored while the workers still judge theirs, the entry is then the base that validation's
    own store (the real claim ids) writes a small delta against, as for an entry read back.
    """
    doc = docs[unit.doc]
    if unit.part is not None:
        return judge(part_doc(doc, unit.part))
    entry = judge(doc)
    serial = cache.write(doc.path, entry) if cache is not None else None
    if serial is not None:
        entry.update(serial=serial, base_items=entry["items"])
    return entry


def _judged(
    docs: list[LoadedDoc], units: list[Unit], judge: Judge, cache: ModelCache, count: int
) -> Iterator[tuple[Unit, dict[str, Any]]]:
    """Each share with its entry, judged by `count` forked workers and this process.

    Each worker starts with a share of its own (the largest, while this process starts on the
    next); then every process takes the next share no process has taken yet, so all finish within
    a share of each other however fast each runs. A share whose entry cannot be read back (a cache
    that cannot be written, a worker killed or failed) is judged here.
    """
    from .parallel import fork_pool  # (a small project does not import it)

    global _JOB
    taken = shares_pipe(range(count, len(units)))  # (the first `count` shares are the workers')
    _JOB = (docs, units, judge, cache, taken)
    pool = fork_pool(count)
    try:
        futures = [pool.submit(_judge_shares, first) for first in range(count)]
        done_here = set()
        for index in _taken(taken):
            done_here.add(index)
            yield units[index], _judge_here(docs, units[index], judge, cache)
        for future in futures:
            with contextlib.suppress(Exception):  # (a worker killed: BrokenProcessPool) its shares are judged below
                future.result()
        for index, unit in enumerate(units):
            if index not in done_here:
                entry = _read_back(docs[unit.doc], unit, cache)
                yield unit, entry if entry is not None else _judge_here(docs, unit, judge, cache)
    finally:
        _drained(taken)  # (left early, by an error here: each worker stops after the share it is judging)
        pool.shutdown(wait=True, cancel_futures=True)
        os.close(taken)
        _JOB = None


def _drained(pipe: int) -> None:
    """Take every share not yet taken, so that no process takes another (all reads take whole batches)."""
    while os.read(pipe, 1 << 16):
        pass


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
