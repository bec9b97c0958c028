"""Claims kept as having a property of their own text (digestsets.py): used, and never for an edited claim."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_sitelinks import checked, with_analysis_line

from factpress import cli, fingerprints, sitelinks
from factpress.digestsets import DigestSet
from factpress.fingerprints import SitePrints
from factpress.link import Library, link_site
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


SITE = Path(__file__).parent / "sites" / "full"


def linked(analysis_end: str = "") -> Library:
    """The full test site, linked; `analysis_end` is added to its first claim's analysis (a new digest)."""
    site, _ = validate_project(load_project(SITE))
    if analysis_end:
        first = site.claims[0]
        first = dataclasses.replace(first, analysis=first.analysis + analysis_end, digest=first.digest + " edited")
        site = dataclasses.replace(site, claims=[first, *site.claims[1:]])
    return link_site(site)


def claim_prints(library: Library, kept: Path | None) -> dict[str, str]:
    """Every claim page's fingerprint, with the claims kept as linking only their evidence in `kept` (if given)."""
    prints = SitePrints(library)
    if kept is not None:
        prints.own_links = DigestSet(kept, "v1")
    found = {view.id: prints.claim_page(view) for view in library.claims}
    if prints.own_links is not None:
        prints.own_links.save()
    return found


def test_claims_kept_as_linking_only_their_evidence_are_not_read_again(tmp_path: Path, monkeypatch) -> None:
    kept = tmp_path / "own-links.txt"
    first = claim_prints(linked(), kept)
    assert first == claim_prints(linked(), None)
    read: list[str] = []
    real = fingerprints.SOURCE_REF
    monkeypatch.setattr(
        fingerprints, "SOURCE_REF", SimpleNamespace(findall=lambda text: read.append(text) or real.findall(text))
    )
    assert claim_prints(linked(), kept) == first
    assert read == []


def test_an_analysis_edited_to_link_another_source_changes_its_page_fingerprint(tmp_path: Path) -> None:
    """Its claim was kept as linking only its evidence; edited, its digest is another, so the new link counts."""
    kept = tmp_path / "own-links.txt"
    library = linked()
    before = claim_prints(library, kept)
    first = library.claims_by_id[validate_project(load_project(SITE))[0].claims[0].id]  # the claim `linked` edits
    cited = {ev.source for ev in first.claim.evidence}
    other = next(source.id for source in library.sources if source.id not in cited)
    edited = linked(f"\nSee also [another source](#{other}).\n")
    after = claim_prints(edited, kept)
    assert after == claim_prints(edited, None)
    assert after[first.id] != before[first.id]
