"""The benchmark's generated corpora stay valid site projects, the same on every run, with a Hugo twin."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from bench.generate import generate_site, is_current
from bench.hugo import write_hugo_site
from bench.run import Workspace, add_one_claim, add_one_source, edit_one_claim, has_card_pngs, results_table
from factpress.pipeline import check_site


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_generated_corpus_passes_check_without_a_single_problem(tmp_path) -> None:
    root = generate_site(tmp_path / "site", 120)
    site, problems = check_site(root)
    assert problems == []
    assert len(site.claims) == 120
    assert len(list((root / "content" / "claims").glob("*.yaml"))) > 3
    assert sum(len(c.evidence) for c in site.claims) >= 120  # every excerpt was found in its snapshot
    assert {c.verdict for c in site.claims} >= {"true", "false"}  # ids YAML would read as booleans
    assert is_current(root, 120)


def test_the_same_seed_gives_the_same_bytes(tmp_path) -> None:
    assert tree(generate_site(tmp_path / "a", 60)) == tree(generate_site(tmp_path / "b", 60))


def test_the_hugo_twin_has_a_page_per_claim_and_the_three_taxonomies(tmp_path) -> None:
    root = generate_site(tmp_path / "site", 40)
    assert write_hugo_site(root, tmp_path / "hugo") == 40
    assert len(list((tmp_path / "hugo" / "content" / "claims").glob("*.md"))) == 41  # and _index.md
    config = (tmp_path / "hugo" / "hugo.toml").read_text()
    assert 'verdict = "verdicts"' in config and 'claimant = "claimants"' in config and 'topic = "topics"' in config


def test_the_rebuild_edit_changes_one_claim_and_keeps_the_project_valid(tmp_path) -> None:
    root = generate_site(tmp_path / "site", 60)
    before, _ = check_site(root)
    target, original = edit_one_claim(root, 1)
    after, problems = check_site(root)
    assert problems == []
    changed = [a.id for a, b in zip(after.claims, before.claims, strict=True) if a != b]
    assert len(changed) == 1
    assert "Edited in benchmark run 1." in next(c.summary for c in after.claims if c.id == changed[0])
    target.write_bytes(original)


def test_the_new_claim_step_adds_one_valid_claim(tmp_path) -> None:
    root = generate_site(tmp_path / "site", 60)
    before, _ = check_site(root)
    target, original = add_one_claim(root, 2)
    after, problems = check_site(root)
    assert problems == []
    added = {c.id for c in after.claims} - {c.id for c in before.claims}
    assert len(added) == 1 and next(iter(added)).endswith("-added-2")
    assert len(after.claims) == len(before.claims) + 1
    target.write_bytes(original)


def test_the_new_source_step_adds_a_valid_source_and_puts_the_project_back(tmp_path) -> None:
    root = generate_site(tmp_path / "site", 60)
    before = tree(root)
    undo = add_one_source(root, 3)
    site, problems = check_site(root)
    assert problems == []
    assert "bench-added-3" in [s.id for s in site.sources]
    undo()
    assert tree(root) == before


def test_a_failed_step_shows_as_failed_in_the_table() -> None:
    stub = SimpleNamespace(samples={"check": []})
    assert "| 1,000 | `check`, cache warm | failed |" in results_table({1000: stub})  # type: ignore[dict-item]


def test_the_card_cache_counts_as_warm_only_with_cards_in_it(tmp_path) -> None:
    """A run of the check steps alone leaves a cache folder with no card: the next build must still warm it."""
    ws = Workspace(tmp_path, 1000)
    (ws.path("cache") / "model").mkdir(parents=True)
    assert not has_card_pngs(ws)
    (ws.path("cache") / "cards" / "00").mkdir(parents=True)
    assert has_card_pngs(ws)  # (a fan-out folder of PNGs: what the card cache writes)
