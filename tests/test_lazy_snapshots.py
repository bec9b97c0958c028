"""Snapshots whose digest is known from their status are not read while loading: their text is read on first use.

What every build must still do: an edited snapshot is read again and its new text reaches
validation and the pages; a deleted one is reported; a file changed after loading is never shown
in place of the text its excerpts were checked against.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from factpress import load
from factpress.errors import ContentError
from factpress.load import FileText, load_project
from factpress.modelcache import project_cache
from factpress.pipeline import BuildOptions, build_site
from factpress.validate import validate_project

SITES = Path(__file__).parent / "sites"
NAME = "snapshots/gazette.txt"
REAL_TIME_NS = time.time_ns


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "project"
    shutil.copytree(SITES / "minimal", project)
    later(monkeypatch)
    return project


def later(monkeypatch: pytest.MonkeyPatch, seconds: int = 10) -> None:
    """Run as if `seconds` had passed, so files just written count as settled (their digests are recorded)."""
    now = time.time_ns() + seconds * 1_000_000_000
    monkeypatch.setattr(load.time, "time_ns", lambda: now)


def snapshot_file(root: Path) -> Path:
    return root / "content" / NAME


def test_a_known_snapshot_is_not_read_while_loading(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_project(root)  # records the digest
    reads: list[str] = []
    real = load.read_snapshot

    def counting(path: str, *args: object) -> object:
        reads.append(os.path.basename(path))
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(load, "read_snapshot", counting)
    raw = load_project(root)
    snapshot = raw.snapshots[NAME]
    assert isinstance(snapshot.content, FileText)
    assert "gazette.txt" not in reads
    assert snapshot.text == snapshot_file(root).read_text()
    assert reads.count("gazette.txt") == 1
    assert snapshot.text == snapshot_file(root).read_text()
    assert reads.count("gazette.txt") == 1  # read once, then kept


def test_a_new_snapshot_is_read_while_loading(root: Path) -> None:
    raw = load_project(root)  # nothing recorded yet: read, hashed and decoded now
    assert isinstance(raw.snapshots[NAME].content, str)


def test_the_site_is_the_same_whether_snapshots_were_read_or_not(root: Path) -> None:
    first, first_problems = validate_project(load_project(root))
    second, second_problems = validate_project(load_project(root))
    assert isinstance(second.sources[0].snapshot.content, FileText)
    assert second == first and second_problems == first_problems == []
    assert second.sources[0].snapshot.text == first.sources[0].snapshot.text
    assert second.sources[0].digest == first.sources[0].digest


def test_an_edited_snapshot_reaches_validation_and_the_pages(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    build_site(BuildOptions(root, out, search=False))  # every digest known now
    snapshot = snapshot_file(root)
    snapshot.write_text(snapshot.read_text() + "\nA closing line added later.\n")
    later(monkeypatch, 20)
    build_site(BuildOptions(root, out, search=False))
    page = (out / "sources" / "gazette" / "index.html").read_text()
    assert "A closing line added later." in page
    build_site(BuildOptions(root, out, search=False))  # known again, read only for the page
    assert "A closing line added later." in (out / "sources" / "gazette" / "index.html").read_text()
    snapshot.write_text(snapshot.read_text().replace("12 million", "20 million"))
    later(monkeypatch, 30)
    with pytest.raises(ContentError) as failed:
        build_site(BuildOptions(root, out, search=False))
    assert [p.code for p in failed.value.problems] == ["excerpt-not-found"]


def test_a_deleted_snapshot_is_reported(root: Path) -> None:
    validate_project(load_project(root))
    validate_project(load_project(root))
    snapshot_file(root).unlink()
    for _ in range(2):
        problems = validate_project(load_project(root))[1]
        assert [(p.code, str(p.location)) for p in problems] == [("missing-snapshot", "content/sources.yaml:6:13")]


def test_a_snapshot_made_unreadable_is_reported(root: Path) -> None:
    load_project(root)
    snapshot = snapshot_file(root)
    snapshot.write_bytes(snapshot.read_bytes() + b"\xff\n")
    raw = load_project(root)  # its status changed: read and decoded now
    assert [(p.code, str(p.location)) for p in raw.problems] == [("invalid-utf8", f"content/{NAME}:4:1")]
    assert NAME not in raw.snapshots


def test_a_snapshot_changed_after_loading_is_never_shown(root: Path) -> None:
    load_project(root)
    raw = load_project(root)
    assert isinstance(raw.snapshots[NAME].content, FileText)
    snapshot = snapshot_file(root)
    snapshot.write_text(snapshot.read_text().replace("12 million", "20 million"))
    with pytest.raises(ContentError) as failed:
        raw.snapshots[NAME].text  # noqa: B018 - reading the text is what is tested
    assert [(p.code, p.location.path) for p in failed.value.problems] == [("unreadable-file", f"content/{NAME}")]
    assert "changed while the site was being built" in failed.value.problems[0].message


def test_a_snapshot_touched_after_loading_with_the_same_bytes_is_read(root: Path) -> None:
    load_project(root)
    raw = load_project(root)
    snapshot = snapshot_file(root)
    text = snapshot.read_text()
    snapshot.unlink()
    snapshot.write_text(text)  # a new file (new inode, new ctime) with the same bytes
    assert raw.snapshots[NAME].text == text


def test_a_snapshot_deleted_after_loading_is_reported_when_read(root: Path) -> None:
    load_project(root)
    raw = load_project(root)
    snapshot_file(root).unlink()
    with pytest.raises(ContentError) as failed:
        raw.snapshots[NAME].text  # noqa: B018
    assert [p.code for p in failed.value.problems] == ["unreadable-file", "unreadable-file"]


def test_an_unchanged_claims_file_is_not_read_until_its_data_is_asked_for(root: Path) -> None:
    first, _ = validate_project(load_project(root))
    raw = load_project(root)
    doc = raw.claim_docs[0]
    assert doc.hit is not None and isinstance(doc._raw, FileText)  # the cache holds what its bytes give
    assert validate_project(raw)[0] == first
    assert not doc.parsed
    assert doc.data[0]["id"] == first.claims[0].id  # read and parsed now
    assert doc.parsed


def test_a_claims_file_changed_after_loading_is_not_parsed_in_place_of_the_one_judged(root: Path) -> None:
    validate_project(load_project(root))
    raw = load_project(root)
    claims = root / "claims.yaml"
    claims.write_text(claims.read_text().replace("12 million", "20 million"))
    with pytest.raises(ContentError) as failed:
        raw.claim_docs[0].data  # noqa: B018
    assert [(p.code, p.location.path) for p in failed.value.problems] == [("unreadable-file", "claims.yaml")]


def test_the_record_is_rewritten_only_when_it_gains_or_loses_much(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_project(root)
    writes: list[str] = []
    real = load.ModelCache.write
    monkeypatch.setattr(
        load.ModelCache, "write", lambda self, name, *a, **k: writes.append(name) or real(self, name, *a, **k)
    )
    load_project(root)
    assert load.FileDigests.NAME not in writes  # nothing new
    monkeypatch.setattr(load.time, "time_ns", REAL_TIME_NS)  # now: a file edited now is racy, not recorded
    claims = root / "claims.yaml"
    claims.write_text(claims.read_text() + "\n")
    load_project(root)
    assert load.FileDigests.NAME not in writes  # its old record only went stale
    later(monkeypatch, 20)
    load_project(root)
    assert writes.count(load.FileDigests.NAME) == 1  # settled: recorded
    digests = load.FileDigests(project_cache(root.resolve()))
    digests.seen = dict(digests.known)
    digests.known = {
        **digests.known,
        **{f"gone/{n}.txt": (0, 0, 0, 0, 0, "x") for n in range(load.DROPPED_RECORDS + 1)},
    }
    digests.save()
    assert writes.count(load.FileDigests.NAME) == 2  # many records of files no longer seen: dropped
