"""File digests kept by file status: reused only for an untouched snapshot or claims file, never for an edited one."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest

from factpress import load
from factpress.load import FileDigests, load_project
from factpress.modelcache import project_cache
from factpress.validate import validate_project

SITES = Path(__file__).parent / "sites"
NAME = "snapshots/gazette.txt"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "project"
    shutil.copytree(SITES / "minimal", project)
    return project


def later(monkeypatch: pytest.MonkeyPatch, seconds: int = 10) -> None:
    """Run as if `seconds` had passed, so files just written count as settled (not racy)."""
    now = time.time_ns() + seconds * 1_000_000_000
    monkeypatch.setattr(load.time, "time_ns", lambda: now)


def recorded(root: Path) -> dict[str, tuple[object, ...]]:
    cache = project_cache(root.resolve())
    assert cache is not None
    entry = cache.read(FileDigests.NAME, FileDigests.LAYOUT)
    return {} if entry is None else entry["digests"]


def plant(root: Path, digest: str) -> None:
    """Put a made-up digest in the record for the snapshot's current status."""
    cache = project_cache(root.resolve())
    assert cache is not None
    digests = recorded(root)
    rel = f"content/{NAME}"
    digests[rel] = (*digests[rel][:5], digest)
    cache.write(FileDigests.NAME, {"digests": digests})


def true_digest(root: Path) -> str:
    return hashlib.sha256((root / "content" / NAME).read_bytes()).hexdigest()


def test_a_file_changed_just_now_is_not_recorded(root: Path) -> None:
    snapshot = root / "content" / NAME
    snapshot.write_bytes(snapshot.read_bytes())  # its ctime is now
    raw = load_project(root)
    assert raw.snapshots[NAME].sha256 == true_digest(root)
    assert recorded(root) == {}


def test_a_settled_file_is_recorded_and_its_digest_reused(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    later(monkeypatch)
    load_project(root)
    assert recorded(root)[f"content/{NAME}"][5] == true_digest(root)
    plant(root, "f" * 64)
    assert load_project(root).snapshots[NAME].sha256 == "f" * 64  # reused: the status matched


def test_an_edit_of_the_same_size_with_the_mtime_put_back_is_noticed(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    later(monkeypatch)
    snapshot = root / "content" / NAME
    before = os.stat(snapshot)
    assert validate_project(load_project(root))[1] == []
    time.sleep(0.05)  # past the file system's clock tick, so the edit's ctime differs
    text = snapshot.read_text()
    snapshot.write_text(text.replace("12 million", "20 million"))
    os.utime(snapshot, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(snapshot)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    raw = load_project(root)
    assert raw.snapshots[NAME].sha256 == true_digest(root)
    assert "20 million" in raw.snapshots[NAME].text
    assert [p.code for p in validate_project(raw)[1]] == ["excerpt-not-found"]


def test_a_replaced_file_is_hashed_again(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    later(monkeypatch)
    load_project(root)
    plant(root, "f" * 64)
    snapshot = root / "content" / NAME
    data = snapshot.read_bytes()
    snapshot.unlink()
    snapshot.write_bytes(data.replace(b"12 million", b"13 million"))
    assert load_project(root).snapshots[NAME].sha256 == true_digest(root)


def test_without_a_cache_every_snapshot_is_hashed(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", "off")
    later(monkeypatch)
    assert load_project(root).snapshots[NAME].sha256 == true_digest(root)


def test_a_damaged_record_is_ignored(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    later(monkeypatch)
    load_project(root)
    cache = project_cache(root.resolve())
    assert cache is not None
    cache.path(FileDigests.NAME).write_bytes(b"not a pickle")
    assert load_project(root).snapshots[NAME].sha256 == true_digest(root)
    assert recorded(root)[f"content/{NAME}"][5] == true_digest(root)


def test_a_claims_file_edited_with_the_same_size_and_mtime_is_noticed(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    later(monkeypatch)
    claims = root / "claims.yaml"
    before = os.stat(claims)
    site, _ = validate_project(load_project(root))
    assert recorded(root)["claims.yaml"][5] == hashlib.sha256(claims.read_bytes()).hexdigest()
    assert site.claims[0].claim == "The bridge cost 12 million euros."
    time.sleep(0.05)
    claims.write_text(claims.read_text().replace("cost 12 million euros.", "cost 13 million euros."))
    os.utime(claims, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(claims).st_size == before.st_size
    site, problems = validate_project(load_project(root))
    assert problems == []
    assert site.claims[0].claim == "The bridge cost 13 million euros."
