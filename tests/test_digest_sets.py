"""Claims kept as having a property of their own text (digestsets.py): used, and never for an edited claim."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_sitelinks import checked, with_analysis_line

from factpress import cli, sitelinks
from factpress.digestsets import DigestSet
from factpress.load import load_project
from factpress.validate import validate_project


def test_a_digest_set_keeps_the_noted_digests_for_the_same_code_only(tmp_path: Path) -> None:
    path = tmp_path / "set.txt"
    kept = DigestSet(path, "v1")
    kept.note("a")
    kept.note("b")
    kept.save()
    assert "a" in DigestSet(path, "v1") and "b" in DigestSet(path, "v1")
    assert "a" not in DigestSet(path, "v2")  # other code judges: nothing kept


def test_a_digest_set_written_again_holds_only_the_last_builds_digests(tmp_path: Path) -> None:
    path = tmp_path / "set.txt"
    first = DigestSet(path, "v1")
    first.note("old")
    first.save()
    second = DigestSet(path, "v1")
    second.note("new")
    second.save()
    assert "new" in DigestSet(path, "v1") and "old" not in DigestSet(path, "v1")


def test_a_damaged_digest_set_keeps_nothing(tmp_path: Path) -> None:
    path = tmp_path / "set.txt"
    path.write_bytes(b"\xff\xfe not text")
    assert "not text" not in DigestSet(path, "v1")


def scanned(monkeypatch: pytest.MonkeyPatch, root: Path) -> set[str]:
    """The analyses without a '/' that the dead-link check reads for other forms of link, from here on."""
    seen: set[str] = set()
    real = sitelinks._may_link_relatively
    pages = {page.body for page in validate_project(load_project(root))[0].pages}  # (read every time)

    def counting(text: str) -> bool:
        if text not in pages:
            seen.add(text)
        return real(text)

    monkeypatch.setattr(sitelinks, "_may_link_relatively", counting)
    return seen


def test_a_second_check_reads_no_analysis_kept_as_linking_no_page(project, capsys, monkeypatch) -> None:
    root = project("full")
    assert cli.main(["check", "--root", str(root)]) == 0
    seen = scanned(monkeypatch, root)
    assert cli.main(["check", "--root", str(root)]) == 0
    assert seen == set()


def test_an_analysis_edited_to_link_a_missing_page_is_read_again(project, capsys, monkeypatch) -> None:
    """Its claim was kept as linking no page; the edited claim has another digest, so its dead link is found."""
    root = project("full")
    assert cli.main(["check", "--root", str(root)]) == 0
    seen = scanned(monkeypatch, root)
    status, lines = checked(with_analysis_line(root, "See [the opening](opened-late)."), capsys)  # (no '/')
    assert status == 1
    assert len(lines) == 1 and "'opened-late'" in lines[0]
    assert len(seen) == 1 and "(opened-late)" in seen.pop()  # only the edited claim's analysis
