"""The listing-card cache: cards come back as they were put, only under the site digest they were made
under, survive a damaged file as misses, and the file keeps only current claims' cards once rewritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from factpress.cache import CardCache, card_cache_path

CARD = '<article class="card">Мост обошёлся в 12 миллионов «евро» &amp; <b>more</b></article>\n'


def saved(path: Path, site: str, cards: dict[str, str], live=lambda key: True) -> None:
    cache = CardCache(path, site)
    for key, html in cards.items():
        cache.put(key, html)
    cache.save(live)


def test_a_card_put_and_saved_comes_back_in_the_next_build_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "cards.pieces"
    saved(path, "site-1", {"2 a": CARD, "3 a": CARD.upper()})
    again = CardCache(path, "site-1")
    assert (again.get("2 a"), again.get("3 a"), again.get("2 b")) == (CARD, CARD.upper(), None)


def test_cards_made_under_another_site_digest_are_not_found(tmp_path: Path) -> None:
    path = tmp_path / "cards.pieces"
    saved(path, "site-1", {"2 a": CARD})
    assert CardCache(path, "site-2").get("2 a") is None
    saved(path, "site-2", {"2 a": "<p>new</p>"})
    assert CardCache(path, "site-2").get("2 a") == "<p>new</p>"
    assert CardCache(path, "site-1").get("2 a") == CARD  # appended: the first site's card is still there


def test_new_cards_are_appended_until_the_limit_then_only_live_ones_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CardCache, "APPENDED_LIMIT", 2)
    path = tmp_path / "cards.pieces"
    saved(path, "s", {"2 old": "<p>old</p>", "2 a": "<p>a</p>"})
    size = path.stat().st_size
    saved(path, "s", {"2 b": "<p>b</p>"})
    assert path.stat().st_size > size and CardCache(path, "s").get("2 old") == "<p>old</p>"
    saved(path, "s", {"2 c": "<p>c</p>", "2 d": "<p>d</p>"}, live=lambda key: key != "2 old")  # past the limit
    again = CardCache(path, "s")
    assert [again.get(k) for k in ("2 old", "2 a", "2 b", "2 c", "2 d")] == [
        None,
        "<p>a</p>",
        "<p>b</p>",
        "<p>c</p>",
        "<p>d</p>",
    ]
    assert again._load().segments == 1


def test_a_damaged_or_old_file_only_means_rendering_again(tmp_path: Path) -> None:
    path = tmp_path / "cards.pieces"
    saved(path, "s", {"2 a": CARD, "2 b": CARD})
    whole = path.read_bytes()
    for damage in (
        b"",
        b"not json\n",
        whole[:-3],
        b'{"site": "s", "cards": {"2 a": "x"}}',
        whole.replace(CARD.encode()[:8], b"\xff" * 8),
    ):
        path.write_bytes(damage)
        cache = CardCache(path, "s")
        assert (cache.get("2 a"), cache.get("2 b")) == (None, None)
        cache.put("2 a", CARD)
        cache.save(lambda key: True)
        assert CardCache(path, "s").get("2 a") == CARD


def test_cards_read_at_once_are_those_read_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "cards.pieces"
    saved(path, "s", {"2 a": CARD, "2 b": "<p>b</p>", "3 a": CARD.upper()})
    cache = CardCache(path, "s")
    cache.put("2 new", "<p>new, not saved</p>")
    keys = ["2 b", "2 missing", "2 a", "2 new", "3 a", "2 a"]
    assert cache.get_many(keys) == [cache.get(key) for key in keys]
    assert cache.get_many(keys)[:4] == ["<p>b</p>", None, CARD, "<p>new, not saved</p>"]
    assert cache.get_many([]) == []


def test_a_damaged_card_read_at_once_is_missing_and_the_others_are_found(tmp_path: Path) -> None:
    path = tmp_path / "cards.pieces"
    saved(path, "s", {"2 a": "<p>first</p>", "2 b": CARD})
    path.write_bytes(path.read_bytes().replace(CARD.encode()[:8], b"\xff" * 8))
    assert CardCache(path, "s").get_many(["2 a", "2 b"]) == ["<p>first</p>", None]


def test_a_worker_s_cards_are_saved_by_the_parent(tmp_path: Path) -> None:
    path = tmp_path / "cards.pieces"
    worker, parent = CardCache(path, "s"), CardCache(path, "s")
    worker.put("2 a", CARD)
    parent.merge_added(worker.take_added())
    assert worker.added == {} and parent.get("2 a") == CARD
    parent.save(lambda key: True)
    assert CardCache(path, "s").get("2 a") == CARD


def test_no_cache_folder_means_no_file() -> None:
    assert card_cache_path(None, "project") is None
    cache = CardCache(None, "s")
    cache.put("2 a", CARD)
    assert cache.get("2 a") == CARD
    cache.save(lambda key: True)
