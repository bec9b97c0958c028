"""Pages made on both cores: the same bytes as made in one process, and a template's mistake reported the same.

The builds with workers run in a fresh interpreter: workers are never forked beside other threads,
and the test session may have some (the served sample site).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import generate_site
from factpress import parallel
from factpress.pipeline import BuildOptions, build_site

REPO = Path(__file__).resolve().parent.parent
CODE = "template-error"
#: Build with a worker for any number of pages, as on an idle two-core machine; print how many pages
#: the workers were given, and which pages this process made itself.
FORCED = """
import json, os, sys
from pathlib import Path
from factpress import cards, parallel, write
from factpress.errors import ContentError
from factpress.pipeline import BuildOptions, build_site
os.getloadavg = lambda: (0.0, 0.0, 0.0)
os.environ["FACTPRESS_WORKERS"] = "2"
parallel._usable_cores = lambda: 2
parallel.PARALLEL_MIN, parallel.CHUNK = 1, 7
cards.SVG_PARALLEL_MIN, cards.SVG_SHARE = 1, 4
given, here, replaced, parent, cards_here = [], [], [], os.getpid(), []
real_card = cards.render_card_svg
def card(claim, *args):
    if os.getpid() == parent:
        cards_here.append(claim.id)
    return real_card(claim, *args)
cards.render_card_svg = card
real = parallel.forked
parallel.forked = lambda files, *args, **kwargs: given.append(len(files)) or real(files, *args, **kwargs)
real_put = write._put
def put(staging, output, **kwargs):
    if os.getpid() == parent and output.path.endswith(".html"):
        here.append(output.path)
        if kwargs.get("replace"):
            replaced.append(output.path)
    return real_put(staging, output, **kwargs)
write._put = put
try:
    build_site(BuildOptions(Path(sys.argv[1]), Path(sys.argv[2]), search=False))
except ContentError as exc:
    print(json.dumps({"given": given, "here": here, "replaced": replaced, "cards_here": cards_here,
                      "problems": [[p.code, p.location.path, p.location.line, p.message] for p in exc.problems]}))
else:
    print(json.dumps({"given": given, "here": here, "replaced": replaced, "cards_here": cards_here, "problems": []}))
"""
#: FORCED, with the worker slow at pages (as when another program takes its core): this process
#: must take back the shares the worker has not started.
SLOW_WORKER = FORCED.replace(
    "try:\n",
    """import time
from factpress.render import PlannedFile
real_make = PlannedFile.make
started = []
def make(self):
    if os.getpid() != parent:
        time.sleep(0.05)
    elif not started:  # (time for the pool to hand the worker its first shares)
        started.append(time.sleep(0.3))
    return real_make(self)
PlannedFile.make = make
try:
""",
)


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def forced_build(root: Path, out: Path, script: str = FORCED) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script, str(root), str(out)], capture_output=True, text=True, cwd=REPO, check=True
    )
    result = json.loads(done.stdout.splitlines()[-1])
    if not result["given"]:
        pytest.skip("this machine cannot fork workers")
    return result


def test_pages_made_by_workers_are_those_made_in_one_process(tmp_path: Path) -> None:
    root = generate_site(tmp_path / "project", 30)
    build_site(BuildOptions(root, tmp_path / "serial", search=False))
    result = forced_build(root, tmp_path / "parallel")
    assert result["given"][0] > 60  # claim, embed, source and listing pages went to the workers
    assert result["cards_here"] == []  # and the cards were laid out by workers too
    assert hashes(tmp_path / "parallel") == hashes(tmp_path / "serial")


def test_shares_a_slow_worker_has_not_started_are_made_by_the_build_itself(tmp_path: Path) -> None:
    root = generate_site(tmp_path / "project", 30)
    build_site(BuildOptions(root, tmp_path / "serial", search=False))
    result = forced_build(root, tmp_path / "parallel", SLOW_WORKER)
    pages = result["given"][0]
    assert 0 < len(result["here"]) < pages  # both made pages: the worker those it started, this process the rest
    assert len(set(result["here"])) == len(result["here"])  # none made twice
    assert hashes(tmp_path / "parallel") == hashes(tmp_path / "serial")


def test_a_template_mistake_met_in_a_worker_is_reported_at_its_line(project, tmp_path: Path) -> None:
    root = project("minimal")
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    before = hashes(out)
    (root / "templates").mkdir()
    (root / "templates" / "claim.html").write_text("fine\n{{ claim.no_such_field }}\n", encoding="utf-8")
    result = forced_build(root, out)
    [(code, path, line, message)] = result["problems"]
    assert (code, path, line) == ("template-error", "templates/claim.html", 2)
    assert "no_such_field" in message
    assert hashes(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-staging-")]


@pytest.mark.parametrize(
    ("name", "text", "message", "code", "line"),
    [
        ("claim.html", "fine\n{{ 1/0 }}\n", "template error: division by zero", CODE, 2),
        (
            "claim.html",
            "fine\n{{ claim.claim.claim | date }}\n",
            "template error: the date filter needs a date",
            CODE,
            2,
        ),
        ("claim.html", "fine\n{% include 'x' ~ '.html' %}\n", "template error: template 'x.html' not found", CODE, 2),
        (
            "claim.html",
            "{% extends 'theme/claim.html' %}{% block head %}{% endblock %}\n",
            "the page of fact-check 'bridge-cost' has no ClaimReview",  # (the page is checked where it is made)
            "claim-review",
            0,
        ),
    ],
    ids=["page", "filter", "not-found", "no-claim-review"],
)
def test_a_python_error_in_a_site_template_met_in_a_worker_is_reported_at_its_line(
    project, tmp_path: Path, name: str, text: str, message: str, code: str, line: int
) -> None:
    root = project("minimal")
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    before = hashes(out)
    (root / "templates").mkdir()
    (root / "templates" / name).write_text(text, encoding="utf-8")
    result = forced_build(root, out)
    [(reported, path, at, said)] = result["problems"]
    assert (reported, path, at) == (code, f"templates/{name}", line)
    assert said.startswith(message)
    assert hashes(out) == before


def test_a_python_error_in_a_site_card_template_met_in_a_worker_is_reported_at_its_line(
    project, tmp_path: Path
) -> None:
    """Cards are laid out by a process pool, which hands back the error with the worker's traceback as text."""
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("this machine cannot fork workers")
    root = project("minimal")
    (root / "templates").mkdir()
    (root / "templates" / "card.svg").write_text("<svg>\n{{ 1/0 }}</svg>\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", FORCED, str(root), str(tmp_path / "out")], capture_output=True, text=True, cwd=REPO
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["problems"] == [["template-error", "templates/card.svg", 2, "template error: division by zero"]]


#: FORCED, with every source page failing as a snapshot changed under the build does (read on first use).
SOURCE_CHANGED = FORCED.replace(
    "try:\n",
    """from factpress.errors import Location, Problem
from factpress.render import Renderer
def changed(self, source):
    where = Location("content/snapshots/x.txt")
    raise ContentError([Problem(where, "changed while the site was built", "unreadable-file")])
Renderer.source = changed
try:
""",
)


def test_content_errors_met_in_a_worker_are_reported_as_in_one_process(project, tmp_path: Path) -> None:
    root = project("minimal")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-c", SOURCE_CHANGED, str(root), str(out)], capture_output=True, text=True, cwd=REPO
    )
    result = json.loads(done.stdout.splitlines()[-1])
    if not result["given"]:
        pytest.skip("this machine cannot fork workers")
    assert result["problems"] == [["unreadable-file", "content/snapshots/x.txt", 0, "changed while the site was built"]]
    assert not out.exists()


#: FORCED, with the worker killed (as by the kernel when memory runs out) halfway through a page.
KILLED_WORKER = FORCED.replace(
    "try:\n",
    """import signal
real_create = write._create
def create(target, output):
    if os.getpid() != parent and output.path.endswith(".html") and len(output.path) % 3 == 0:
        with open(target, "xb") as file:
            file.write(b"half a page")
        os.kill(os.getpid(), signal.SIGKILL)
    return real_create(target, output)
write._create = create
try:
""",
)


def test_the_build_makes_what_a_killed_worker_did_not(tmp_path: Path) -> None:
    root = generate_site(tmp_path / "project", 30)
    build_site(BuildOptions(root, tmp_path / "serial", search=False))
    result = forced_build(root, tmp_path / "parallel", KILLED_WORKER)
    assert result["problems"] == []
    assert hashes(tmp_path / "parallel") == hashes(tmp_path / "serial")
    assert result["replaced"]  # the worker died, and what it had not reported was made again here
    assert hashes(tmp_path / ".site-spare-parallel") == hashes(tmp_path / "parallel")  # the next build's spare too


@pytest.mark.parametrize(
    ("setting", "cores", "load", "expected"),
    [
        (None, 2, 0.1, 1),  # by default: every core, this process and one worker
        ("auto", 4, 0.2, 3),
        ("", 2, 0.1, 1),
        (None, 4, 2.5, 1),  # the load leaves two cores: this one and one worker
        (None, 2, 1.2, 0),  # another program keeps a core busy: no worker
        (None, 1, 0.0, 0),
        ("2", 2, 5.0, 1),  # a number is taken as asked, whatever the load
        ("3", 2, 0.0, 1),  # ... up to the cores there are
        ("1", 8, 0.0, 0),
        ("0", 8, 0.0, 0),
        ("-4", 8, 0.0, 0),
        ("many", 8, 0.0, 0),  # not a number: one process
        ("64", 64, 0.0, parallel.MAX_WORKERS),
    ],
)
def test_how_many_workers_are_forked(monkeypatch, setting, cores, load, expected) -> None:
    if setting is None:
        monkeypatch.delenv("FACTPRESS_WORKERS", raising=False)
    else:
        monkeypatch.setenv("FACTPRESS_WORKERS", setting)
    monkeypatch.setattr(parallel, "_usable_cores", lambda: cores)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    monkeypatch.setattr(parallel.sys, "platform", "linux")
    assert parallel.workers() == expected


def test_no_worker_is_forked_beside_other_threads_or_off_linux_by_default(monkeypatch) -> None:
    monkeypatch.delenv("FACTPRESS_WORKERS", raising=False)
    monkeypatch.setattr(parallel, "_usable_cores", lambda: 4)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)
    assert parallel.workers() == 0
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    monkeypatch.setattr(parallel.sys, "platform", "darwin")
    assert parallel.workers() == 0
    monkeypatch.setenv("FACTPRESS_WORKERS", "4")  # asked for: forked where fork is available
    assert parallel.workers() == (3 if "fork" in multiprocessing.get_all_start_methods() else 0)


#: A build stand-in: forks a pool worker the way cards.py and parallel.py do, prints its pid, and is
#: killed (SIGKILL, as by the kernel or a CI timeout) while the worker is busy.
ORPHAN = """
import os, signal, sys, time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from factpress import parallel
initializer = parallel.die_with_parent if sys.argv[1] == "die" else None
pool = ProcessPoolExecutor(1, mp_context=get_context("fork"), initializer=initializer)
print(pool.submit(os.getpid).result(), flush=True)
pool.submit(time.sleep, 60)
time.sleep(0.3)
os.kill(os.getpid(), signal.SIGKILL)
"""


def alive_after(pid: int, seconds: float) -> bool:
    """Whether the process is still there (and not a zombie) after waiting up to `seconds` for it to go."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        if state == "Z":
            return False
        time.sleep(0.05)
    return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl(PR_SET_PDEATHSIG) is Linux's")
def test_a_worker_dies_with_the_build_that_forked_it() -> None:
    pids = {}
    for mode in ("die", "keep"):
        with subprocess.Popen([sys.executable, "-c", ORPHAN, mode], stdout=subprocess.PIPE, text=True) as build:
            pids[mode] = int(build.stdout.readline())  # (not read to its end: a worker left alive holds it open)
            build.wait(timeout=60)
    try:
        assert not alive_after(pids["die"], 10)
        assert alive_after(pids["keep"], 0.5)  # (without it, the worker outlives the build: the test can fail)
    finally:
        with contextlib.suppress(OSError):
            os.kill(pids["keep"], signal.SIGKILL)


class PoolMade(Exception):
    """Raised by a stand-in pool as it is made: what it was given is all a test needs."""


def test_the_card_pools_have_their_workers_die_with_the_build(monkeypatch) -> None:
    import concurrent.futures

    from factpress import cards

    given = []

    def pool(*args, **kwargs):
        given.append(kwargs.get("initializer"))
        raise PoolMade

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", pool)
    monkeypatch.setattr(cards, "_fork_context", lambda: "fork")  # (as without other threads: a served test site)
    monkeypatch.setattr(cards.os, "cpu_count", lambda: 2)
    with pytest.raises(PoolMade):
        list(cards._draw(["<svg/>"] * cards.PARALLEL_MIN))  # the card PNGs
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    with pytest.raises(PoolMade):
        cards.rendered_svgs([None] * cards.SVG_PARALLEL_MIN, None, None)  # the card SVGs
    assert given == [parallel.die_with_parent, parallel.die_with_parent]
