"""Pages made on both cores: the same bytes as made in one process, and a template's mistake reported the same.

The builds with workers run in a fresh interpreter: workers are never forked beside other threads,
and the test session may have some (the served sample site).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import generate_site
from factpress.pipeline import BuildOptions, build_site

REPO = Path(__file__).resolve().parent.parent
#: Build with workers for any number of pages, as on an idle machine; print how many pages they got.
FORCED = """
import json, os, sys
from pathlib import Path
from factpress import parallel
from factpress.errors import ContentError
from factpress.pipeline import BuildOptions, build_site
os.getloadavg = lambda: (0.0, 0.0, 0.0)
os.environ["FACTPRESS_WORKERS"] = "2"
parallel.PARALLEL_MIN, parallel.CHUNK = 1, 7
given = []
real = parallel.forked
parallel.forked = lambda files, *args, **kwargs: given.append(len(files)) or real(files, *args, **kwargs)
try:
    build_site(BuildOptions(Path(sys.argv[1]), Path(sys.argv[2]), search=False))
except ContentError as exc:
    print(json.dumps({"given": given, "problems": [[p.code, p.location.path, p.location.line, p.message]
                                                   for p in exc.problems]}))
else:
    print(json.dumps({"given": given, "problems": []}))
"""


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def forced_build(root: Path, out: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", FORCED, str(root), str(out)], capture_output=True, text=True, cwd=REPO, check=True
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
