"""Text fragments kept between builds (cache.settle_fragments): the same links, without folding every snapshot again."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from factpress import link
from factpress.pipeline import BuildOptions, build_site


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources whose text fragments are worked out (not taken from the file)."""
    worked_out: list[str] = []
    real = link.SourceView.fragment_urls.compute

    def compute(source: link.SourceView) -> dict[int, str]:
        worked_out.append(source.id)
        return real(source)

    monkeypatch.setattr(link.SourceView.fragment_urls, "compute", compute)
    return worked_out


def build(root: Path, out: Path) -> Path:
    build_site(BuildOptions(root, out, search=False))
    return out


def test_a_full_build_takes_the_fragments_the_last_one_worked_out(project, tmp_path, monkeypatch, counted) -> None:
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
    root = project("full")
    first = build(root, tmp_path / "first")
    assert counted == ["gazette-bridge"], "the first build works the fragments out"
    counted.clear()
    second = build(root, tmp_path / "second")  # every page made again
    assert counted == []
    assert hashes(second) == hashes(first)
    assert any(":~:text=" in p.read_text(encoding="utf-8") for p in (second / "claims").rglob("index.html"))


def test_a_changed_excerpt_has_its_sources_fragments_worked_out_again(project, tmp_path, monkeypatch, counted) -> None:
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
    root = project("full")
    build(root, tmp_path / "first")
    claims = root / "content" / "claims" / "bridge.yaml"
    text = claims.read_text(encoding="utf-8")
    quoted = 'the bridge cost 12 million euros, "less than we feared"'
    assert quoted in text  # (gazette-bridge: the one source here with an address, so with fragments)
    claims.write_text(text.replace(quoted, "the bridge cost 12 million euros", 1), encoding="utf-8")
    counted.clear()
    kept = build(root, tmp_path / "second")
    assert counted == ["gazette-bridge"]
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", "off")
    assert hashes(kept) == hashes(build(root, tmp_path / "uncached"))
