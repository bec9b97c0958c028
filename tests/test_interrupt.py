"""Interrupted builds: a build killed at any instant leaves the published site as it was; the next one tidies up."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factpress import write
from factpress.errors import ContentError
from factpress.pipeline import BuildOptions, build_site

REPO = Path(__file__).resolve().parent.parent
CLAIMS = 1_500
WAIT_SECONDS = 300  # a bound on a busy machine for the build to reach its write stage, never a performance assertion


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under folder by relative path, with the SHA-256 of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith((write.STAGING_PREFIX, write.RETIRED_PREFIX)))


def grow(root: Path, claims: int) -> None:
    """Turn the minimal project into one with many claims, each citing its own source (one shared snapshot)."""
    claim = (root / "claims.yaml").read_text(encoding="utf-8")
    source = (root / "content" / "sources.yaml").read_text(encoding="utf-8")
    (root / "claims.yaml").write_text(
        "".join(
            claim.replace("id: bridge-cost", f"id: bridge-cost-{i}")
            .replace("source: gazette", f"source: gazette-{i}")
            .replace("(#gazette)", f"(#gazette-{i})")
            for i in range(claims)
        ),
        encoding="utf-8",
    )
    (root / "content" / "sources.yaml").write_text(
        "".join(source.replace("id: gazette", f"id: gazette-{i}") for i in range(claims)), encoding="utf-8"
    )


class Killed(BaseException):
    """Stands for a SIGKILL: nothing after it runs, not even the build's own clean-up."""


def dead_pid() -> int:
    """The process id of a process that has finished."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


@pytest.mark.slow
def test_sigkill_mid_write_leaves_the_published_site_byte_identical(project, tmp_path: Path) -> None:
    root = project("minimal")
    out = tmp_path / "published"
    build_site(BuildOptions(root, out, search=False))
    before = fingerprint(out)
    small_claims = (root / "claims.yaml").read_text(encoding="utf-8")
    small_sources = (root / "content" / "sources.yaml").read_text(encoding="utf-8")

    grow(root, CLAIMS)
    build = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "build", "--root", str(root), "--out", str(out), "--no-search", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    staging = tmp_path / f"{write.STAGING_PREFIX}{out.name}-{build.pid}"
    deadline = time.monotonic() + WAIT_SECONDS
    try:
        while build.poll() is None and time.monotonic() < deadline:
            if (staging / "claims").is_dir() and sum(1 for _ in (staging / "claims").iterdir()) > 20:
                break  # pages are being written: kill it now
            time.sleep(0.005)
        assert build.poll() is None, f"the build ended before it could be killed: {build.stderr.read()!r}"
        build.send_signal(signal.SIGKILL)
    finally:
        build.kill()
        build.wait()
    assert build.returncode == -signal.SIGKILL

    assert fingerprint(out) == before
    assert leftovers(tmp_path) == [staging.name]  # killed mid-write: the half-written folder is still there

    (root / "claims.yaml").write_text(small_claims.replace("same figure.", "same figure (rebuilt)."), "utf-8")
    (root / "content" / "sources.yaml").write_text(small_sources, encoding="utf-8")
    build_site(BuildOptions(root, out, search=False))
    assert leftovers(tmp_path) == []
    assert "(rebuilt)" in (out / "claims" / "bridge-cost" / "index.html").read_text(encoding="utf-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="an atomic exchange needs Linux's renameat2")
def test_a_kill_during_the_swap_cannot_leave_no_site(project, tmp_path: Path, monkeypatch) -> None:
    """The swap is one atomic exchange: a build dying at the second of two renames would leave no site."""
    root = project("minimal")
    out = tmp_path / "published"
    build_site(BuildOptions(root, out, search=False))
    before = fingerprint(out)
    real_replace = os.replace
    calls: list[tuple[str, str]] = []

    def killed_at_the_second_rename(src: os.PathLike[str], dst: os.PathLike[str]) -> None:
        if Path(dst).parent != tmp_path:  # a cache file replaced elsewhere, not a rename of the site
            return real_replace(src, dst)
        calls.append((os.fspath(src), os.fspath(dst)))
        if len(calls) == 2:
            raise Killed  # stands for SIGKILL landing between the renames
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", killed_at_the_second_rename)
    (root / "claims.yaml").write_text(
        (root / "claims.yaml").read_text(encoding="utf-8").replace("same figure.", "same figure (swapped)."),
        encoding="utf-8",
    )
    build_site(BuildOptions(root, out, search=False))
    assert calls == []
    assert fingerprint(out) != before
    assert "(swapped)" in (out / "claims" / "bridge-cost" / "index.html").read_text(encoding="utf-8")
    assert leftovers(tmp_path) == []


def test_a_site_left_unpublished_is_put_back_even_when_the_next_build_fails(project, tmp_path: Path) -> None:
    """Where the swap is two renames, a kill between them leaves the old site under its retired name."""
    root = project("minimal")
    out = tmp_path / "published"
    build_site(BuildOptions(root, out, search=False))
    before = fingerprint(out)
    out.rename(tmp_path / f"{write.RETIRED_PREFIX}{out.name}-{dead_pid()}")
    (root / "claims.yaml").write_text("- {id: broken}\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build_site(BuildOptions(root, out, search=False))
    assert fingerprint(out) == before
    assert leftovers(tmp_path) == []


def test_leftovers_of_a_build_still_running_are_left_alone(project, tmp_path: Path) -> None:
    root = project("minimal")
    out = tmp_path / "published"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        running = tmp_path / f"{write.STAGING_PREFIX}{out.name}-{sleeper.pid}"
        running.mkdir()
        dead = tmp_path / f"{write.STAGING_PREFIX}{out.name}-{dead_pid()}"
        dead.mkdir()
        build_site(BuildOptions(root, out, search=False))
        assert leftovers(tmp_path) == [running.name]
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_failed_build_leaves_the_published_site_and_no_staging(project, tmp_path: Path) -> None:
    root = project("minimal")
    out = tmp_path / "published"
    build_site(BuildOptions(root, out, search=False))
    before = fingerprint(out)
    (root / "templates").mkdir()
    (root / "templates" / "claim.html").write_text("{{ no_such_variable }}", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build_site(BuildOptions(root, out, search=False))
    assert [p.code for p in raised.value.problems] == ["template-error"]
    assert fingerprint(out) == before
    assert leftovers(tmp_path) == []


def test_a_full_disk_is_a_clean_error_and_the_site_stays(project, tmp_path: Path, monkeypatch, capsys) -> None:
    from factpress import cli, pipeline

    root = project("minimal")
    out = tmp_path / "published"
    build_site(BuildOptions(root, out, search=False))
    before = fingerprint(out)
    real_write = pipeline.write_site

    def full_disk(writer, plan, staging: Path, root: Path):
        real_write(writer, plan, staging, root)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline, "write_site", full_disk)
    claims = root / "claims.yaml"  # a change, or there would be nothing to write
    claims.write_text(claims.read_text(encoding="utf-8").replace("same figure.", "same figure (full)."), "utf-8")
    assert cli.main(["build", "--root", str(root), "--out", str(out), "--no-search", "-q"]) == 2
    assert f"build.py: error: cannot write the site beside {out}: No space left on device" in capsys.readouterr().err
    assert fingerprint(out) == before
    assert leftovers(tmp_path) == []
