"""Claims files judged ahead on both cores give the Site and the problems one process gives.

Checks with a worker run in a fresh interpreter, as in test_parallel: workers are never forked
beside other threads, and the test session may have some (the served sample site).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from test_modelcache import ALL_SITES, SITES, everything

from bench.generate import generate_site
from factpress import coldclaims
from factpress.errors import Problem, sorted_problems
from factpress.load import LoadedDoc, load_project
from factpress.modelcache import ModelCache
from factpress.validate import validate_project

REPO = Path(__file__).resolve().parent.parent
#: `check` with one worker for any size of claims files, as on an idle two-core machine. Prints the
#: Site's digest, the problems, the files whose judgement came back from the worker and, on a second
#: run, whether every claims file was a cache hit judged against the real claim ids.
FORCED = """
import hashlib, json, os, sys
from pathlib import Path
sys.path.insert(0, "tests")
from factpress import claimdeps, coldclaims, modelcache, parallel
from factpress.errors import sorted_problems
from factpress.load import LoadedDoc, load_project
from factpress.validate import validate_project
from test_modelcache import everything
os.getloadavg = lambda: (0.0, 0.0, 0.0)
os.environ["FACTPRESS_WORKERS"] = "2"
parallel._usable_cores = lambda: 2
coldclaims.MIN_BYTES = 0
coldclaims.PART_MIN = int(os.environ["PART_MIN"])
parent = os.getpid()
back = []
real_read_back = coldclaims._read_back
def read_back(doc, unit, cache):
    entry = real_read_back(doc, unit, cache)
    if entry is not None:
        back.append(doc.path)
    return entry
coldclaims._read_back = read_back
here = []
real_judge_here = coldclaims._judge_here
def judge_here(docs, unit, *args):
    here.append(docs[unit.doc].path)
    return real_judge_here(docs, unit, *args)
coldclaims._judge_here = judge_here
from factpress import validate
read_whole_here = []
real_parse_pending = validate.parse_pending
def parse_pending(doc):
    if os.getpid() == parent and ":" not in doc.sha256:  # (a part's key holds where it is: coldclaims.part_key)
        read_whole_here.append(doc.path)
    return real_parse_pending(doc)
validate.parse_pending = parse_pending
from factpress import load
whole = []
real_load_yaml = load.load_yaml
def load_yaml(text, path):
    if os.getpid() == parent:
        whole.append(path)
    return real_load_yaml(text, path)
load.load_yaml = load_yaml
WORKER_HOOK
runs = []
for _ in range(2):
    raw = load_project(Path(sys.argv[1]))
    pending = [doc.path for doc in raw.claim_docs if doc.pending is not None]
    site, problems = validate_project(raw)
    cache = raw.model_cache
    ids = [cache.read(doc.path, modelcache.CLAIMS_LAYOUT) for doc in raw.claim_docs]
    runs.append({
        "site": hashlib.sha256(repr(everything(site)).encode()).hexdigest(),
        "problems": [[p.code, p.location.path, p.location.line, p.location.col, p.severity, p.message, p.hint]
                     for p in sorted_problems(problems)],
        "pending": pending,
        "back": back[:],
        "here": here[:],
        "read_whole_here": read_whole_here[:],
        "parsed_whole": [path for path in whole if path.startswith("content/claims")],
        "ahead_ids": [e is not None and e["ids"] == coldclaims.JUDGED_AHEAD for e in ids],
        "tables_kept": len((cache.read(claimdeps.NAME, claimdeps.LAYOUT) or {}).get("tables", {})),
    })
    back.clear()
    here.clear()
    read_whole_here.clear()
    whole.clear()
print(json.dumps(runs))
"""
#: A worker that dies on its first file (as the out-of-memory killer would have it).
WORKER_DIES = """
import os
real_store = coldclaims._judge_and_store
def dying(index):
    if os.getpid() != parent:
        os._exit(1)
    return real_store(index)
coldclaims._judge_and_store = dying
"""
#: A worker whose entries never reach the cache (a full disk, a read-only cache folder).
WORKER_CANNOT_STORE = """
import os
real_write = modelcache.ModelCache.write
def write(self, *args, **kwargs):
    if os.getpid() != parent:
        return None
    return real_write(self, *args, **kwargs)
modelcache.ModelCache.write = write
"""


def forced_check(root: Path, cache: Path, hook: str = "", *, parts: bool = True) -> list[dict[str, Any]]:
    """The two runs of FORCED; parts: files are cut into parts of a few items each (else each file is one share)."""
    script = FORCED.replace("WORKER_HOOK", hook)
    done = subprocess.run(
        [sys.executable, "-c", script, str(root)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "FACTPRESS_CACHE_DIR": str(cache), "PART_MIN": "1" if parts else str(1 << 40)},
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def in_one_process(root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The Site's digest and the problems, sorted, from a check with no cache (so nothing is judged ahead)."""
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", "off")
    site, problems = validate_project(load_project(root))
    return {"site": hashlib.sha256(repr(everything(site)).encode()).hexdigest(), "problems": shown(problems)}


def shown(problems: list[Problem]) -> list[list[Any]]:
    return [
        [p.code, p.location.path, p.location.line, p.location.col, p.severity, p.message, p.hint]
        for p in sorted_problems(problems)
    ]


def broken_archive(tmp_path: Path, *, unreadable: bool = False) -> Path:
    """A generated archive in several claims files, with the mistakes that cross files or come from parsing.

    unreadable: one file does not parse (then no claim's `related` is reported unknown).
    """
    root = generate_site(tmp_path / "project", 60)
    files = sorted((root / "content" / "claims").glob("*.yaml"), key=lambda f: -f.stat().st_size)
    assert len(files) >= 3  # the largest first: the one the worker is given first
    first, second = (f.read_text(encoding="utf-8") for f in files[:2])
    other_id = second.split("\n- id: ", 1)[1].split("\n", 1)[0] if "\n- id: " in second else None
    if other_id is None:
        other_id = second.split("- id: ", 1)[1].split("\n", 1)[0]
    extra = (
        f"- id: points-across-files\n  claim: A claim whose related one is in another file.\n"
        f"  related: [{other_id}, no-such-claim]\n"
        f"- id: {other_id}\n  claim: The same id as another file's claim.\n"
        "- id: twice-keyed\n  claim: One.\n  claim: Two.\n"
        "- just a line of text\n"
    )
    files[0].write_text(first + extra, encoding="utf-8")
    if unreadable:
        files[2].write_text(files[2].read_text(encoding="utf-8") + "- id: [unclosed\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("parts", [False, True], ids=["files-whole", "files-in-parts"])
@pytest.mark.parametrize("unreadable", [False, True], ids=["readable", "one-file-unreadable"])
def test_a_broken_archive_judged_ahead_gives_what_one_process_gives(
    unreadable: bool, parts: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = broken_archive(tmp_path, unreadable=unreadable)
    expected = in_one_process(root, monkeypatch)
    codes = {problem[0] for problem in expected["problems"]}
    assert {"duplicate-id", "duplicate-key", "not-a-mapping"} <= codes
    assert ("unknown-claim" in codes) is not unreadable and ("yaml-syntax" in codes) is unreadable
    cold, warm = forced_check(root, tmp_path / "cache", parts=parts)
    assert cold["pending"]  # left unparsed by loading, for the worker and this process
    assert cold["back"] and cold["here"]  # some judged by the worker, read back from the cache; some here
    if not unreadable:  # a claim names a missing one: that claim alone is read again, not its whole file
        largest = max((root / "content" / "claims").glob("*.yaml"), key=lambda f: f.stat().st_size)
        assert parts or largest.relative_to(root).as_posix() in cold["back"]  # (the worker's, whole)
        assert cold["parsed_whole"] == []
    for run in (cold, warm):
        assert run["site"] == expected["site"]
        assert run["problems"] == expected["problems"]
    assert warm["pending"] == [] and warm["back"] == []
    assert not any(warm["ahead_ids"])  # stored against the real ids: the next run takes the fast path
    assert cold["tables_kept"] == 1  # and the tables judged against: a source added judges few claims again


def test_a_valid_archive_judged_ahead_gives_what_one_process_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generate_site(tmp_path / "project", 40)
    expected = in_one_process(root, monkeypatch)
    assert expected["problems"] == []
    cold, warm = forced_check(root, tmp_path / "cache", parts=False)
    assert cold["back"] and cold["here"]  # shared by both processes
    assert cold["site"] == warm["site"] == expected["site"]
    assert cold["problems"] == warm["problems"] == []


@pytest.mark.parametrize("marker", ["...", "---", "%YAML 1.1"])
def test_a_document_marker_inside_a_part_has_the_file_read_whole(
    marker: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file shared out in parts is checked for markers part by part, where each is read: one found reads it whole."""
    root = generate_site(tmp_path / "project", 40)
    marked = []
    for path in (root / "content" / "claims").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if text.count("\n- id: ") >= 2:  # (a file of one item is never cut)
            last = text.rindex("\n- id: ") + 1
            path.write_text(text[:last] + marker + "\n" + text[last:], encoding="utf-8")
            marked.append(path.relative_to(root).as_posix())
    expected = in_one_process(root, monkeypatch)
    assert "yaml-syntax" in {problem[0] for problem in expected["problems"]}
    cold, warm = forced_check(root, tmp_path / "cache", parts=True)
    assert set(cold["read_whole_here"]) & set(marked)  # a file shared in parts, then read whole
    for run in (cold, warm):
        assert run["site"] == expected["site"]
        assert run["problems"] == expected["problems"]


@pytest.mark.parametrize("hook", [WORKER_DIES, WORKER_CANNOT_STORE], ids=["worker-dies", "cache-not-written"])
def test_files_a_worker_did_not_hand_back_are_judged_here(
    hook: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = broken_archive(tmp_path)
    expected = in_one_process(root, monkeypatch)
    cold, warm = forced_check(root, tmp_path / "cache", hook)
    assert cold["pending"] and cold["back"] == []
    for run in (cold, warm):
        assert run["site"] == expected["site"]
        assert run["problems"] == expected["problems"]


@pytest.mark.parametrize("site", ALL_SITES, ids=lambda p: p.relative_to(SITES).as_posix())
def test_every_test_site_judged_ahead_gives_what_one_process_gives(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "project"
    shutil.copytree(site, root, symlinks=True)
    expected = in_one_process(root, monkeypatch)
    cold, warm = forced_check(root, tmp_path / "cache")
    for run in (cold, warm):
        assert run["site"] == expected["site"]
        assert run["problems"] == expected["problems"]


@pytest.mark.parametrize("broken", [False, True], ids=["valid", "broken"])
def test_one_claims_file_is_shared_in_parts(broken: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = broken_archive(tmp_path) if broken else generate_site(tmp_path / "project", 60)
    files = sorted((root / "content" / "claims").glob("*.yaml"))
    (root / "claims.yaml").write_text("# Every fact-check.\n" + "".join(f.read_text(encoding="utf-8") for f in files))
    shutil.rmtree(root / "content" / "claims")
    expected = in_one_process(root, monkeypatch)
    assert bool(expected["problems"]) is broken
    cold, warm = forced_check(root, tmp_path / "cache")
    assert cold["pending"] == ["claims.yaml"]
    assert cold["back"] and cold["here"]  # parts of it judged by the worker, parts here
    assert cold["read_whole_here"] == cold["parsed_whole"] == []  # and joined, not read again whole
    for run in (cold, warm):
        assert run["site"] == expected["site"]
        assert run["problems"] == expected["problems"]
    assert not any(warm["ahead_ids"])


def test_a_small_archive_is_not_left_pending(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = generate_site(tmp_path / "project", 40)
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
    assert sum(p.stat().st_size for p in (root / "content" / "claims").glob("*.yaml")) < coldclaims.MIN_BYTES
    raw = load_project(root)
    assert all(doc.pending is None for doc in raw.claim_docs)


def pending_docs(*texts: str) -> list[LoadedDoc]:
    docs = []
    for number, text in enumerate(texts):
        doc = LoadedDoc(f"content/claims/{number}.yaml", raw=b"", sha256=str(number))
        doc.pending = text
        docs.append(doc)
    return docs


def parts_of(units: list[coldclaims.Unit], doc: int) -> list[tuple[int, int]]:
    """(start, end) of a file's parts, in order; checked to be numbered 0, 1, ..."""
    parts = sorted(unit.part for unit in units if unit.doc == doc and unit.part is not None)
    assert [part[0] for part in parts] == list(range(len(parts)))
    return [(part[1], part[2]) for part in parts]


ITEM = "- id: a\n  claim: " + "x" * 90 + "\n"


def test_files_are_shared_whole_and_the_smallest_in_small_parts_last(monkeypatch: pytest.MonkeyPatch) -> None:
    """Eleven equal files for two processes: most whole (a part must be joined again on one core), the last few in
    small parts, enough to make up for one process being a whole file behind, so both end on a short share."""
    monkeypatch.setattr(coldclaims, "PART_MIN", 1000)
    docs = pending_docs(*["# a comment first\n" + ITEM * 3000] * 11)
    units = coldclaims.work_units(docs, 2)
    assert [unit.size for unit in units] == sorted((unit.size for unit in units), reverse=True)
    whole = [unit for unit in units if unit.part is None]
    parts = [unit for unit in units if unit.part is not None]
    assert len(whole) >= 8 and parts
    assert sum(len(docs[number].pending or "") for number in {unit.doc for unit in parts}) >= 2 * whole[0].size
    share = sum(len(doc.pending or "") for doc in docs) // (2 * coldclaims.SHARES_PER_PROCESS)
    assert max(unit.size for unit in parts) <= share // 4
    for number in {unit.doc for unit in parts}:
        text = docs[number].pending or ""
        bounds = parts_of(units, number)
        assert bounds[0][0] == len("# a comment first\n") and bounds[-1][1] == len(text)
        assert all(a[1] == b[0] and text[b[0] : b[0] + 2] == "- " for a, b in itertools.pairwise(bounds))
        assert max(end - start for start, end in bounds) - min(end - start for start, end in bounds) <= len(ITEM)


def test_one_large_file_is_cut_into_parts_of_a_share_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coldclaims, "PART_MIN", 1000)
    docs = pending_docs(ITEM * 30_000)
    units = coldclaims.work_units(docs, 2)
    share = len(docs[0].pending or "") // (2 * coldclaims.SHARES_PER_PROCESS)
    assert len(units) >= 2 * coldclaims.SHARES_PER_PROCESS and max(unit.size for unit in units) <= share
    bounds = parts_of(units, 0)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(docs[0].pending or "")
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))


def test_the_shares_pipe_hands_out_every_share_once_even_for_thousands_of_files() -> None:
    """One claim per file is thousands of shares: taken in batches, the pipe is never written past what it holds."""
    for shares in (range(1, 1), range(2, 9), range(1, 100_000)):
        pipe = coldclaims.shares_pipe(shares)
        try:
            assert list(coldclaims._taken(pipe)) == list(shares)
        finally:
            os.close(pipe)


def test_an_error_here_stops_the_workers_after_the_share_they_are_judging(tmp_path: Path) -> None:
    """The shares no process has taken are taken away: a worker does not judge them all while this one waits."""
    parent = os.getpid()
    judged = tmp_path / "judged"
    judged.mkdir()

    def judge(doc: LoadedDoc) -> dict[str, Any]:
        if os.getpid() == parent:
            raise RuntimeError("a mistake in this process")
        (judged / doc.path.replace("/", "-")).touch()
        time.sleep(0.05)
        return {"bytes": doc.sha256}

    docs = pending_docs(*[ITEM] * 60)
    units = [coldclaims.Unit(index, len(ITEM)) for index in range(len(docs))]
    cache = ModelCache(tmp_path / "cache", tmp_path / "project")
    with pytest.raises(RuntimeError):
        list(coldclaims._judged(docs, units, judge, cache, 1))
    assert 1 <= len(list(judged.iterdir())) < 10
