"""A language's text direction kept between builds: used, and never from another Babel or code version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factpress import i18n


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path))
    i18n.text_direction.cache_clear()
    i18n.og_locale.cache_clear()
    yield tmp_path / "directions.json"
    i18n.text_direction.cache_clear()
    i18n.og_locale.cache_clear()


def asked_of_cldr(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []
    real = i18n._cldr_direction
    monkeypatch.setattr(i18n, "_cldr_direction", lambda language: asked.append(language) or real(language))
    return asked


def test_a_direction_once_found_is_not_asked_of_cldr_again(cache: Path, monkeypatch) -> None:
    assert (i18n.text_direction("ar"), i18n.text_direction("fr")) == ("rtl", "ltr")
    i18n.text_direction.cache_clear()  # (a new build)
    asked = asked_of_cldr(monkeypatch)
    assert (i18n.text_direction("ar"), i18n.text_direction("fr")) == ("rtl", "ltr")
    assert asked == []


def test_a_direction_kept_for_another_version_is_not_used(cache: Path, monkeypatch) -> None:
    cache.write_text(json.dumps({"version": "another", "directions": {"en": "rtl"}}), encoding="utf-8")
    asked = asked_of_cldr(monkeypatch)
    assert i18n.text_direction("en") == "ltr"
    assert asked == ["en"]


def test_a_damaged_file_only_means_asking_cldr(cache: Path, monkeypatch) -> None:
    cache.write_bytes(b"\xff{not json")
    asked = asked_of_cldr(monkeypatch)
    assert i18n.text_direction("he") == "rtl"
    assert asked == ["he"]


def test_an_open_graph_locale_is_kept_beside_the_directions(cache: Path, monkeypatch) -> None:
    assert (i18n.text_direction("ar"), i18n.og_locale("en-GB")) == ("rtl", "en_GB")
    i18n.text_direction.cache_clear()
    i18n.og_locale.cache_clear()  # (a new build)
    asked = asked_of_cldr(monkeypatch)
    monkeypatch.setattr(i18n, "_cldr_og_locale", lambda language: asked.append(language) or "")
    assert (i18n.text_direction("ar"), i18n.og_locale("en-GB")) == ("rtl", "en_GB")
    assert asked == []
