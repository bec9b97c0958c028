"""The spare a first build leaves beside the site (the next build's staging folder), linked as files are written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from factpress import write
from factpress.pipeline import BuildOptions, build_site
from factpress.write import MARKER, SPARE_PREFIX, STAGING_PREFIX


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_a_first_build_leaves_a_spare_of_links_to_every_file_but_the_marker(
    project, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(write.SiteWriter, "_link_spare", lambda self: None)  # linked as written, not after
    out = tmp_path / "out"
    build_site(BuildOptions(project("full"), out, search=False))
    site, spare = inodes(out), inodes(tmp_path / f"{SPARE_PREFIX}out")
    assert site.pop(MARKER) != spare.pop(MARKER)  # its own marker: its own manifest
    assert spare == site
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(STAGING_PREFIX)]


def test_the_next_build_writes_only_what_changed_into_that_spare(project, tmp_path: Path) -> None:
    root, out = project("minimal"), tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    claims = root / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("same figure.", "same figure (2)."), "utf-8")
    log: list[str] = []
    build_site(BuildOptions(root, out, search=False), log=log.append)
    [written] = [line for line in log if line.lstrip().startswith("write")]
    assert " 0 linked" in written  # nothing linked afresh: the spare already held every unchanged file
    assert "0 made" not in written


def test_a_link_that_fails_leaves_the_spare_to_be_linked_after_publishing(project, tmp_path: Path, monkeypatch) -> None:
    real_link = os.link
    failed: list[str] = []

    def link(source, target, **kwargs):
        if "-twin-" in str(target) and str(target).endswith(".html") and not failed:
            failed.append(str(target))
            raise OSError(28, "No space left on device")
        return real_link(source, target, **kwargs)

    monkeypatch.setattr(write.os, "link", link)
    out = tmp_path / "out"
    build_site(BuildOptions(project("full"), out, search=False))
    assert failed
    site, spare = inodes(out), inodes(tmp_path / f"{SPARE_PREFIX}out")
    site.pop(MARKER), spare.pop(MARKER)
    assert spare == site  # whole, made the old way
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(STAGING_PREFIX)]


def test_a_failed_build_leaves_no_half_made_spare(project, tmp_path: Path, monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(write.SiteWriter, "publish", fail)
    with pytest.raises(RuntimeError):
        build_site(BuildOptions(project("minimal"), tmp_path / "built" / "out", search=False))
    assert list((tmp_path / "built").iterdir()) == []


def test_a_top_level_folder_deleted_by_hand_is_put_back_by_the_next_build(project, tmp_path: Path) -> None:
    import shutil

    root, out = project("full"), tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    build_site(BuildOptions(root, out, search=False))  # (now the published site has a manifest)
    style = (out / "static" / "style.css").read_bytes()
    shutil.rmtree(out / "static")
    (out / "feed.xml").unlink()
    log: list[str] = []
    build_site(BuildOptions(root, out, search=False), log=log.append)
    assert (out / "static" / "style.css").read_bytes() == style and (out / "feed.xml").is_file()
    assert not any("up to date" in line for line in log)
    site = root / "content" / "site.yaml"
    for edit in range(3):  # the damaged folder is not the next spare: every later build has them too
        site.write_text(site.read_text(encoding="utf-8").replace("title: ", f"title: {edit}", 1), "utf-8")
        build_site(BuildOptions(root, out, search=False))
        assert (out / "static" / "style.css").read_bytes() == style and (out / "feed.xml").is_file(), edit
