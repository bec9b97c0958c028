"""The Markdown cache gives exactly what rendering gives, misses on any changed input, and survives bad files."""

from __future__ import annotations

import json

from factpress.cache import MarkdownCache, _digest, code_version, markdown_cache_path
from factpress.markup import render_markdown
from factpress.piececache import PieceFile

TEXT = "Peskov said *no* ([the report](#report-1)), see [about](/about/).\n\n<script>alert(1)</script>\n"
CITATIONS = {"report-1": (1, "#evidence-1")}
SOURCES = {"report-1": "/sources/report-1/", "report-2": "/sources/report-2/"}


def test_a_hit_is_byte_identical_to_rendering_and_read_back_by_the_next_build(tmp_path) -> None:
    path = tmp_path / "md.pieces"
    first = MarkdownCache(path)
    html = first.render(TEXT, CITATIONS, "/fc/", SOURCES)
    assert html == render_markdown(TEXT, CITATIONS, "/fc/", SOURCES)
    first.save()
    calls: list[str] = []
    second = MarkdownCache(path, render=lambda *args: calls.append(args[0]) or "")
    assert second.render(TEXT, CITATIONS, "/fc/", dict(SOURCES)) == html
    assert (second.hits, second.misses, calls) == (1, 0, [])


def test_every_input_is_part_of_the_key(tmp_path) -> None:
    path = tmp_path / "md.pieces"
    cache = MarkdownCache(path)
    cache.render(TEXT, CITATIONS, "/", SOURCES)
    cache.save()
    variants = [
        (TEXT + "More.\n", CITATIONS, "/", SOURCES),
        (TEXT, {"report-1": (2, "#evidence-2")}, "/", SOURCES),
        (TEXT, CITATIONS, "/fc/", SOURCES),
        (TEXT, CITATIONS, "/", {**SOURCES, "report-1": "/sources/moved/"}),
    ]
    for args in variants:
        again = MarkdownCache(path)
        assert again.render(*args) == render_markdown(*args)
        assert again.misses == 1


def kept_keys(path) -> set[str]:
    """The keys the cache file holds under the current code version."""
    return set(PieceFile(path, code_version()).index)


def test_a_build_of_every_page_drops_what_it_no_longer_uses(tmp_path) -> None:
    path = tmp_path / "md.pieces"
    cache = MarkdownCache(path)
    cache.render("old text", None, "/", SOURCES)
    cache.save()
    cache = MarkdownCache(path)
    cache.render("new text", None, "/", SOURCES)
    cache.save()
    assert kept_keys(path) == {cache.key("new text", None, "/", SOURCES)}


def test_a_build_of_some_pages_keeps_the_entries_of_the_others(tmp_path) -> None:
    path = tmp_path / "md.pieces"
    cache = MarkdownCache(path)
    texts = [f"Analysis {i}." for i in range(10)]
    for text in texts:
        cache.render(text, None, "/", SOURCES)
    cache.save()
    for limit in (MarkdownCache.APPENDED_LIMIT, 0):  # appended, then the file written again
        cache = MarkdownCache(path)
        cache.APPENDED_LIMIT = limit
        cache.keep = 100
        texts.append(f"Edited {limit}.")
        cache.render(texts[-1], None, "/", SOURCES)
        cache.save()
        assert kept_keys(path) == {cache.key(text, None, "/", SOURCES) for text in texts}
    again = MarkdownCache(path, render=lambda *args: "")
    assert [again.render(text, None, "/", SOURCES) for text in texts] == [
        render_markdown(text, None, "/", SOURCES) for text in texts
    ]


def test_the_file_does_not_grow_without_bound(tmp_path) -> None:
    path = tmp_path / "md.pieces"
    sizes = []
    for build in range(60):  # each build edits one analysis of 20 and renders only that one
        cache = MarkdownCache(path)
        cache.APPENDED_LIMIT = 10
        cache.keep = 40
        cache.render(f"Analysis {build % 20}, edit {build}.", None, "/", SOURCES)
        cache.save()
        sizes.append(len(kept_keys(path)))
    assert max(sizes) <= 40 + 10
    assert path.stat().st_size < 60 * 200


def test_a_damaged_or_foreign_cache_file_only_means_rendering_again(tmp_path) -> None:
    path = tmp_path / "md.pieces"
    cache = MarkdownCache(path)
    cache.render(TEXT, CITATIONS, "/", SOURCES)
    cache.save()
    good = path.read_bytes()
    damaged = [
        b"{not json",
        json.dumps([1, 2]).encode(),
        json.dumps({"version": cache.version, "entries": {"k": "<p>x</p>"}}).encode(),  # the JSON of old versions
        good[: len(good) - 5],  # cut short
        good.replace(cache.version.encode(), b"another code version"),
        good[:-20] + b"\xff\xfe" + good[-18:],  # not UTF-8 inside the entry
    ]
    expected = render_markdown(TEXT, CITATIONS, "/", SOURCES)
    for content in damaged:
        path.write_bytes(content)
        cache = MarkdownCache(path)
        assert cache.render(TEXT, CITATIONS, "/", SOURCES) == expected
        assert cache.misses == 1
        cache.save()  # and the next build finds it again
        again = MarkdownCache(path, render=lambda *args: "")
        assert again.render(TEXT, CITATIONS, "/", SOURCES) == expected


def test_entries_made_in_forked_workers_are_kept_by_the_parent(tmp_path) -> None:
    path = tmp_path / "md.pieces"
    parent = MarkdownCache(path)
    parent.render("kept from before", None, "/", SOURCES)
    parent.save()
    parent = MarkdownCache(path)
    worker = MarkdownCache(path)  # a fork's copy: it renders, the parent saves
    worker.render("kept from before", None, "/", SOURCES)
    worker.render("rendered in the worker", None, "/", SOURCES)
    parent.merge_delta(*worker.take_delta())
    assert (parent.misses, worker.misses, worker.used) == (1, 0, set())
    parent.save()
    assert kept_keys(path) == {
        parent.key(t, None, "/", SOURCES) for t in ("kept from before", "rendered in the worker")
    }


def test_no_cache_folder_means_no_file(tmp_path) -> None:
    assert markdown_cache_path(None, "site") is None
    cache = MarkdownCache(None)
    assert cache.render(TEXT) == render_markdown(TEXT)
    cache.save()
    assert list(tmp_path.iterdir()) == []
    assert markdown_cache_path(tmp_path / "cards", "a") != markdown_cache_path(tmp_path / "cards", "b")


def test_a_content_address_takes_what_orjson_refuses_and_tells_values_apart() -> None:
    """A lone surrogate (a double-quoted YAML escape) or a key that is not text goes to json: same value, same key."""
    pairs = (("half \ud800 pair", "half \ud801 pair"), ({1: "a"}, {2: "a"}), ([TEXT, CITATIONS], [TEXT, {}]))
    for value, other in pairs:
        assert _digest(value) == _digest(value) != _digest(other)
    assert _digest({"b": 1, "a": 2}) == _digest({"a": 2, "b": 1})
