"""Chunks are pickled apart in a claims file's cache entry: read only on an edit; damage costs a whole read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factpress import claimchunks
from factpress.load import load_project
from factpress.modelcache import CLAIMS_LAYOUT, project_cache
from factpress.validate import Validator, validate_project

SITES = Path(__file__).parent / "sites"


def two_claims(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "project"
    shutil.copytree(SITES / "minimal", root)
    path = root / "claims.yaml"
    one = path.read_text()
    path.write_text(one + one.replace("id: bridge-cost", "id: bridge-toll"))
    return root


def edit_first_summary(root: Path) -> None:
    path = root / "claims.yaml"
    path.write_text(path.read_text().replace("summary: The Gazette", "summary: Again, the Gazette", 1))


def validated_ids(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    validated: list[str] = []
    real_claim = Validator.claim
    monkeypatch.setattr(
        Validator, "claim", lambda self, entry, ctx: validated.append(entry["id"]) or real_claim(self, entry, ctx)
    )
    return validated


def test_chunks_are_stored_as_bytes_and_restored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = two_claims(tmp_path, monkeypatch)
    assert validate_project(load_project(root))[1] == []
    cache = project_cache(root.resolve())
    assert cache is not None
    entry = cache.read("claims.yaml", CLAIMS_LAYOUT)
    assert entry is not None and isinstance(entry["chunks"], bytes)
    chunks = claimchunks.restored(entry["chunks"])
    assert chunks is not None and [c.entry[0] for c in chunks if c.entry is not None] == ["bridge-cost", "bridge-toll"]
    validated = validated_ids(monkeypatch)
    edit_first_summary(root)
    site, problems = validate_project(load_project(root))
    assert problems == [] and site.claims[0].summary.startswith("Again")
    assert validated == ["bridge-cost"]  # the other claim came from its stored chunk


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05N."])
def test_damaged_chunks_only_cost_a_whole_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes) -> None:
    root = two_claims(tmp_path, monkeypatch)
    validate_project(load_project(root))
    cache = project_cache(root.resolve())
    assert cache is not None
    entry = cache.read("claims.yaml", CLAIMS_LAYOUT)
    assert entry is not None
    cache.write("claims.yaml", {k: v for k, v in entry.items() if k not in ("version", "name")} | {"chunks": damage})
    assert claimchunks.restored(damage) is None
    edit_first_summary(root)
    site, problems = validate_project(load_project(root))
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", "off")
    assert (site, problems) == validate_project(load_project(root))
    assert site.claims[0].summary.startswith("Again")
