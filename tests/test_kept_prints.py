"""Fingerprints kept from the last build (keptprints.py): taken again only where no change reached them.

Every test edits a built project and builds it again, then compares each output file's
fingerprint with a build whose kept fingerprints were deleted first: they must be equal, file by
file, or a rebuild would leave a stale page (or make one for nothing).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.generate import generate_site
from factpress import cli, keptprints
from factpress.fingerprints import SitePrints
from factpress.link import Library, link_site
from factpress.load import load_project
from factpress.validate import validate_project
from factpress.write import manifest_store

SITES = Path(__file__).parent / "sites"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warm_cache: Path) -> Path:
    """A cache folder of the test's own, its card PNGs drawn already (drawing them is most of a first build)."""
    folder = Path(shutil.copytree(warm_cache, tmp_path / "cache"))
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def worked_out(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    """The claim pages, cards and source pages whose fingerprints are worked out from here on, by kind."""
    seen: dict[str, set[str]] = {"claim": set(), "card": set(), "source": set()}
    claim_page, source_page = SitePrints._claim_page, SitePrints._source_page

    def counted_claim_page(self: SitePrints, claim):  # type: ignore[no-untyped-def]
        seen["claim"].add(claim.claim.id)
        return claim_page(self, claim)

    def counted_source_page(self: SitePrints, source):  # type: ignore[no-untyped-def]
        seen["source"].add(source.id)
        return source_page(self, source)

    monkeypatch.setattr(SitePrints, "_claim_page", counted_claim_page)
    monkeypatch.setattr(SitePrints, "_source_page", counted_source_page)
    return seen


def build(root: Path, out: Path, *extra: str) -> dict[str, str]:
    """Build the project; the output files' fingerprints, as the build recorded them."""
    assert cli.main(["build", "--root", str(root), "--out", str(out), "--no-search", *extra]) == 0
    manifest = manifest_store().load(out)
    assert manifest is not None
    return manifest.files


def rebuilt_as_from_scratch(root: Path, tmp_path: Path, cache: Path, edit: Callable[[Path], None]) -> dict[str, str]:
    """Build, edit, build again; assert each fingerprint is the one a build without kept fingerprints gives."""
    before = build(root, tmp_path / "out")
    edit(root)
    after = build(root, tmp_path / "out")
    shutil.rmtree(cache / "prints")
    assert build(root, tmp_path / "fresh") == after
    assert after != before  # (the edit changed something: the comparison is not empty-handed)
    return after


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project of 60 claims (no template of its own), made once."""
    return generate_site(tmp_path_factory.mktemp("kept-prints") / "site", 60)


@pytest.fixture(scope="module")
def warm_cache(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder filled by building the generated project and the full test site once."""
    folder = tmp_path_factory.mktemp("kept-prints-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FACTPRESS_CACHE_DIR", str(folder))
        build(generated, folder.parent / "warm-out")
        build(SITES / "full", folder.parent / "warm-full")
    shutil.rmtree(folder / "prints")
    return folder


@pytest.fixture
def site(generated: Path, tmp_path: Path) -> Path:
    """A copy of the generated project to edit."""
    return Path(shutil.copytree(generated, tmp_path / "site"))


def first_claim(root: Path) -> tuple[Path, str]:
    """The claims file holding the first claim, and the claim's id."""
    path = sorted((root / "content" / "claims").glob("*.yaml"))[0]
    found = re.search(r"^- id: (\S+)$", path.read_text(encoding="utf-8"), re.M)
    assert found
    return path, found.group(1)


def library_of(root: Path) -> Library:
    return link_site(validate_project(load_project(root))[0])


def edit_first_summary(root: Path) -> None:
    path, _ = first_claim(root)
    replace_in(path, "\n  summary: ", "\n  summary: Edited. ")


def test_a_rebuild_works_out_only_the_edited_claim_those_listing_it_and_its_sources(
    site, tmp_path, cache, worked_out
) -> None:
    build(site, tmp_path / "out")
    edit_first_summary(site)
    worked_out["claim"].clear()
    worked_out["source"].clear()
    build(site, tmp_path / "out")
    _, ident = first_claim(site)
    library = library_of(site)
    edited = library.claims_by_id[ident]
    listing_it = {view.id for view in library.claims if edited in view.related}
    assert worked_out["claim"] == {ident} | listing_it
    assert len(worked_out["claim"]) < len(library.claims) / 2  # (most claims do not list it)
    assert worked_out["source"] == {evidence.source for evidence in edited.claim.evidence}


def summary_of_a_related_claim(root: Path) -> None:
    """The summary of a claim another claim lists as related (its card shows on that claim's page)."""
    library = library_of(root)
    listed = next(other for view in library.claims for other in view.related)
    for path in (root / "content" / "claims").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        at = text.find(f"- id: {listed.id}\n")
        if at >= 0:
            at = text.index("\n  summary: ", at)
            path.write_text(text[:at] + "\n  summary: Edited." + text[at + len("\n  summary:") :], encoding="utf-8")
            return
    raise AssertionError(listed.id)


def first_evidence_note(root: Path) -> None:
    path, _ = first_claim(root)
    replace_in(path, "\n      note: ", "\n      note: Edited. ")


def first_topics(root: Path) -> None:
    """The first claim's topics swapped for another: claims that listed it for a topic it had may not any more."""
    path, _ = first_claim(root)
    text = path.read_text(encoding="utf-8")
    found = re.search(r"\n  topics: \[([^\]]*)\]", text)
    assert found
    topics = re.findall(r"^- id: (\S+)$", (root / "content" / "topics.yaml").read_text(encoding="utf-8"), re.M)
    other = next(topic for topic in topics if topic not in found.group(1).split(", "))
    path.write_text(text[: found.start()] + f"\n  topics: [{other}]" + text[found.end() :], encoding="utf-8")


def first_source_title(root: Path) -> None:
    replace_in(root / "content" / "sources.yaml", "\n  title: ", "\n  title: Edited ")


def site_description(root: Path) -> None:
    replace_in(root / "content" / "site.yaml", "\ndescription: ", "\ndescription: Edited. ")


def entries_of(text: str) -> list[str]:
    """The top-level `- id:` entries of a claims file, each with its text."""
    starts = [m.start() for m in re.finditer(r"^- id: ", text, re.M)]
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def a_claim_added(root: Path) -> None:
    """A copy of the first claim under a new id (as a new fact-check on the same story), at the file's end."""
    path, ident = first_claim(root)
    text = path.read_text(encoding="utf-8")
    entry = entries_of(text)[0].replace(f"- id: {ident}\n", f"- id: {ident}-again\n", 1)
    entry = re.sub(r"\n  aliases: .*", "", entry)
    path.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")


def a_claim_removed(root: Path) -> None:
    """The second claim of the first file taken out."""
    path, _ = first_claim(root)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(entries_of(text)[1], "", 1), encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "a summary": edit_first_summary,  # its page and card, the pages listing it as related
    "a related claim's summary": summary_of_a_related_claim,  # its card shows on another claim's page
    "an evidence note": first_evidence_note,  # the source's page shows it
    "topics": first_topics,  # what decides related claims: those ranked again, and every source page
    "a claim added": a_claim_added,  # the others' prints kept by id
    "a claim removed": a_claim_removed,
    "a source's title": first_source_title,  # a source: every print worked out again
    "the site's description": site_description,  # a site-wide file: every print worked out again
}


@pytest.mark.parametrize("name", list(EDITS))
def test_an_edit_gives_the_prints_of_a_build_from_scratch(site, tmp_path, cache, name) -> None:
    rebuilt_as_from_scratch(site, tmp_path, cache, EDITS[name])


def test_two_edits_in_a_row_keep_giving_the_prints_of_a_build_from_scratch(site, tmp_path, cache) -> None:
    build(site, tmp_path / "out")
    edit_first_summary(site)
    build(site, tmp_path / "out")
    rebuilt_as_from_scratch(site, tmp_path, cache, first_evidence_note)


def test_a_site_with_its_own_template_gives_the_prints_of_a_build_from_scratch(project, tmp_path, cache) -> None:
    root = project("full")  # (its templates/page.html replaces the theme's: every page reads everything)
    edit = lambda root: replace_in(root / "content/claims/bridge.yaml", "approach roads added", "roads added")  # noqa: E731
    rebuilt_as_from_scratch(root, tmp_path, cache, edit)


def test_a_damaged_file_means_every_print_is_worked_out(site, tmp_path, cache, worked_out) -> None:
    build(site, tmp_path / "out")
    for kept in (cache / "prints").iterdir():
        kept.write_bytes(b'{"version": "1", "site": [')
    edit_first_summary(site)
    worked_out["claim"].clear()
    build(site, tmp_path / "out")
    assert len(worked_out["claim"]) == len(library_of(site).claims)


def test_kept_prints_of_other_code_are_not_taken(site, tmp_path, cache, worked_out, monkeypatch) -> None:
    build(site, tmp_path / "out")
    monkeypatch.setattr(keptprints, "VERSION", "another")
    edit_first_summary(site)
    worked_out["claim"].clear()
    build(site, tmp_path / "out")
    assert len(worked_out["claim"]) == len(library_of(site).claims)


def test_a_claim_added_works_out_the_pages_it_reaches_and_its_sources_pages(site, tmp_path, cache, worked_out) -> None:
    build(site, tmp_path / "out")
    a_claim_added(site)
    worked_out["claim"].clear()
    worked_out["source"].clear()
    build(site, tmp_path / "out")
    library = library_of(site)
    _, ident = first_claim(site)
    assert f"{ident}-again" in worked_out["claim"]
    assert len(worked_out["claim"]) < len(library.claims) / 2  # the others' kept
    added = next(view for view in library.claims if view.claim.id == f"{ident}-again")
    assert worked_out["source"] == {evidence.source for evidence in added.claim.evidence}  # (the others cite as before)


def test_a_claim_removed_works_out_every_source_page(site, tmp_path, cache, worked_out) -> None:
    """Which sources the removed claim cited is not kept: every source page is worked out again."""
    build(site, tmp_path / "out")
    a_claim_removed(site)
    worked_out["source"].clear()
    build(site, tmp_path / "out")
    assert worked_out["source"] == {source.id for source in library_of(site).sources}


def test_prints_older_than_the_related_claims_are_not_taken_by_id(site, tmp_path, cache, monkeypatch) -> None:
    """A build that ranked related claims again but kept no prints (it failed) leaves prints of other lists."""
    build(site, tmp_path / "out")
    with monkeypatch.context() as patch:
        patch.setattr(keptprints, "save", lambda *args: None)
        first_topics(site)
        build(site, tmp_path / "out")
    rebuilt_as_from_scratch(site, tmp_path, cache, last_summary)  # (pages that dropped the first claim: stale)


def last_summary(root: Path) -> None:
    """The summary of the last claim of the last claims file (not the first claim's)."""
    path = sorted((root / "content" / "claims").glob("*.yaml"))[-1]
    text = path.read_text(encoding="utf-8")
    at = text.rindex("\n  summary: ")
    path.write_text(text[:at] + "\n  summary: Edited." + text[at + len("\n  summary:") :], encoding="utf-8")
