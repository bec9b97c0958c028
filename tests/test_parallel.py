"""Pages made on both cores: the same bytes as made in one process, and a template's mistake reported the same."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bench.generate import generate_site
from factpress import parallel
from factpress.errors import ContentError
from factpress.pipeline import BuildOptions, build_site


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """Make every build with pages to make fork its workers; record how many pages each fork was given."""
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (0.0, 0.0, 0.0))  # as on an idle machine
    if parallel.workers() == 0:
        pytest.skip("this machine or process cannot fork workers")
    calls: list[int] = []
    real = parallel.forked

    def counted(files, *args, **kwargs):
        calls.append(len(files))
        return real(files, *args, **kwargs)

    monkeypatch.setattr(parallel, "PARALLEL_MIN", 1)
    monkeypatch.setattr(parallel, "CHUNK", 7)
    monkeypatch.setattr(parallel, "forked", counted)
    return calls


def test_pages_made_by_workers_are_those_made_in_one_process(tmp_path: Path, monkeypatch, forks) -> None:
    root = generate_site(tmp_path / "project", 30)
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 10**9)
    build_site(BuildOptions(root, tmp_path / "serial", search=False))
    assert not forks
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 1)
    build_site(BuildOptions(root, tmp_path / "parallel", search=False))
    assert forks and forks[0] > 60  # claim, embed, source and listing pages went to the workers
    assert hashes(tmp_path / "parallel") == hashes(tmp_path / "serial")


def test_a_template_mistake_met_in_a_worker_is_reported_at_its_line(project, tmp_path: Path, forks) -> None:
    root = project("minimal")
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    before = hashes(out)
    (root / "templates").mkdir()
    (root / "templates" / "claim.html").write_text("fine\n{{ claim.no_such_field }}\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build_site(BuildOptions(root, out, search=False))
    assert forks
    [problem] = raised.value.problems
    assert (problem.code, problem.location.path, problem.location.line) == ("template-error", "templates/claim.html", 2)
    assert "no_such_field" in problem.message
    assert hashes(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-staging-")]
