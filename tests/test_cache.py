"""The Markdown cache gives exactly what rendering gives, misses on any changed input, and survives bad files."""

from __future__ import annotations

import json

from factpress.cache import MarkdownCache, markdown_cache_path
from factpress.markup import render_markdown

TEXT = "Peskov said *no* ([the report](#report-1)), see [about](/about/).\n\n<script>alert(1)</script>\n"
CITATIONS = {"report-1": (1, "#evidence-1")}
SOURCES = {"report-1": "/sources/report-1/", "report-2": "/sources/report-2/"}


def test_a_hit_is_byte_identical_to_rendering_and_read_back_by_the_next_build(tmp_path) -> None:
    path = tmp_path / "md.json"
    first = MarkdownCache(path)
    html = first.render(TEXT, CITATIONS, "/fc/", SOURCES)
    assert html == render_markdown(TEXT, CITATIONS, "/fc/", SOURCES)
    first.save()
    calls: list[str] = []
    second = MarkdownCache(path, render=lambda *args: calls.append(args[0]) or "")
    assert second.render(TEXT, CITATIONS, "/fc/", dict(SOURCES)) == html
    assert (second.hits, second.misses, calls) == (1, 0, [])


def test_every_input_is_part_of_the_key(tmp_path) -> None:
    path = tmp_path / "md.json"
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


def test_a_build_keeps_only_what_it_used(tmp_path) -> None:
    path = tmp_path / "md.json"
    cache = MarkdownCache(path)
    cache.render("old text", None, "/", SOURCES)
    cache.save()
    cache = MarkdownCache(path)
    cache.render("new text", None, "/", SOURCES)
    cache.save()
    assert len(json.loads(path.read_text())["entries"]) == 1


def test_a_corrupt_or_foreign_cache_file_is_ignored(tmp_path) -> None:
    path = tmp_path / "md.json"
    for content in ("{not json", json.dumps([1, 2]), json.dumps({"version": "other", "entries": {"k": "<p>x</p>"}})):
        path.write_text(content)
        cache = MarkdownCache(path)
        assert cache.entries == {}
        assert cache.render(TEXT, CITATIONS, "/", SOURCES) == render_markdown(TEXT, CITATIONS, "/", SOURCES)


def test_no_cache_folder_means_no_file(tmp_path) -> None:
    assert markdown_cache_path(None, "site") is None
    cache = MarkdownCache(None)
    assert cache.render(TEXT) == render_markdown(TEXT)
    cache.save()
    assert list(tmp_path.iterdir()) == []
    assert markdown_cache_path(tmp_path / "cards", "a") != markdown_cache_path(tmp_path / "cards", "b")
