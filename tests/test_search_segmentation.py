"""A site in Chinese or Japanese is told when its search cannot split words (Pagefind's standard build)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from factpress import pipeline, search
from factpress.pipeline import BuildOptions, build_site


@pytest.fixture
def standard_pagefind(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        search.importlib.util, "find_spec", lambda name, *a: None if name == "pagefind_bin_extended" else real(name, *a)
    )


@pytest.mark.parametrize("language", ["ja", "zh", "zh-Hant", "ZH_cn", "ja-JP"])
def test_chinese_and_japanese_without_the_extended_build_are_warned(standard_pagefind, language: str) -> None:
    warning = search.segmentation_warning(language)
    assert warning and "pagefind[extended]" in warning and language in warning


@pytest.mark.parametrize("language", ["en", "ru", "ar", "ko", "", None])
def test_languages_written_with_spaces_are_not(standard_pagefind, language: str | None) -> None:
    assert search.segmentation_warning(language) is None


def test_with_the_extended_build_installed_nothing_is_said(monkeypatch) -> None:
    monkeypatch.setattr(search.importlib.util, "find_spec", lambda name, *a: object())
    assert search.segmentation_warning("ja") is None


def test_a_japanese_build_with_search_prints_the_warning(
    standard_pagefind, project, tmp_path: Path, monkeypatch
) -> None:
    root = project("minimal")
    site = root / "content" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("language: en", "language: ja"), "utf-8")
    monkeypatch.setattr(
        pipeline, "index_site", lambda folder, pages, language, unindexed=(): search.SearchReport(1, "")
    )
    log: list[str] = []
    build_site(BuildOptions(root, tmp_path / "out", search=True), log=log.append)
    assert any("warning: search:" in line and "pagefind[extended]" in line for line in log), log
