"""Model-cache entries go when their claims file goes, and only then."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from factpress.load import load_project
from factpress.model import Claim
from factpress.validate import validate_project

SAMPLE_CLAIM = """\
- id: {id}
  claim: The bridge cost twelve million.
  claimant: {claimant}
  claim_date: 2024-05-01
  verdict: {verdict}
  summary: A summary.
  analysis: An analysis.
  topics: []
  authors: [{author}]
  published: 2024-05-02
  evidence:
    - source: {source}
      excerpt: {excerpt}
"""


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(folder))
    return folder


def entries(cache_dir: Path) -> set[str]:
    return {p.name for p in (cache_dir / "model").rglob("*.pickle")}


def extra_claim(like: Claim) -> str:
    """A valid claim borrowing the references and an excerpt of one the project has."""
    evidence = like.evidence[0]
    return SAMPLE_CLAIM.format(
        id="extra-claim",
        claimant=like.claimant,
        verdict=like.verdict,
        author=like.authors[0],
        source=evidence.source,
        excerpt=json.dumps(evidence.excerpt, ensure_ascii=False),
    )


def run_check(root: Path) -> list[str]:
    site, problems = validate_project(load_project(root))
    assert not [p for p in problems if p.is_error]
    return sorted(c.id for c in site.claims)


def test_removing_a_claims_file_removes_its_entry_and_keeps_the_others(
    sample_root: Path, tmp_path: Path, cache_dir: Path
) -> None:
    root = tmp_path / "project"
    shutil.copytree(sample_root, root, ignore=shutil.ignore_patterns("site", ".site-*", ".venv", "node_modules"))
    claims_dir = root / "content" / "claims"
    claims_dir.mkdir(parents=True, exist_ok=True)
    claim = validate_project(load_project(root))[0].claims[0]
    extra = claims_dir / "extra.yaml"
    extra.write_text(extra_claim(claim))
    with_extra = run_check(root)
    assert "extra-claim" in with_extra
    before = entries(cache_dir)
    extra.unlink()
    without = run_check(root)
    after = entries(cache_dir)
    assert "extra-claim" not in without
    assert len(after) == len(before) - 1, "exactly the removed file's entry goes"
    assert after < before
    extra.write_text(extra_claim(claim))
    assert run_check(root) == with_extra
    assert entries(cache_dir) == before
