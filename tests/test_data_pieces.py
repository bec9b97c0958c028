"""data: each fact-check's entry is encoded once and kept between builds, the files byte for byte
what encoding each whole document at once writes."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from syndication import SITE, library

from factpress import data, jsonld, piececache
from factpress.link import link_site
from factpress.load import load_project
from factpress.validate import validate_project


def whole(content: bytes) -> bytes:
    """The document as json.dumps writes it in one go (both files use a one-space indent)."""
    return (json.dumps(json.loads(content), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def test_files_are_what_one_json_dumps_writes(tmp_path: Path) -> None:
    for cache_dir in (None, tmp_path / "cards"):
        for file in data.data_files(library(), cache_dir):
            assert file.content == whole(file.content), file.path


def test_an_empty_site_lists_no_entries() -> None:
    lib = dataclasses.replace(library(), claims=[])
    for file in (data.claimreview_feed(lib), data.api_claims(lib)):
        assert file.content == whole(file.content)
    assert json.loads(data.api_claims(lib).content)["claims"] == []


def test_kept_entries_give_the_same_bytes_and_are_not_encoded_again(tmp_path: Path, monkeypatch) -> None:
    cache_dir = tmp_path / "cards"
    first = data.data_files(library(), cache_dir)
    encoded: list[dict] = []
    real = data.entry_json
    monkeypatch.setattr(data, "entry_json", lambda entry: encoded.append(entry) or real(entry))
    again = data.data_files(library(), cache_dir)
    assert [f.content for f in again] == [f.content for f in first]
    assert encoded == []


def test_an_edited_claim_is_encoded_again_and_shows(tmp_path: Path, monkeypatch) -> None:
    cache_dir = tmp_path / "cards"
    data.data_files(library(), cache_dir)
    site, _ = validate_project(load_project(SITE))
    edited = site.claims[0]
    claims = [dataclasses.replace(edited, summary="A new summary.", digest="changed"), *site.claims[1:]]
    lib = link_site(dataclasses.replace(site, claims=claims))
    encoded: list[dict] = []
    real = data.entry_json
    monkeypatch.setattr(data, "entry_json", lambda entry: encoded.append(entry) or real(entry))
    review, api = data.data_files(lib, cache_dir)
    assert len(encoded) == 2  # its ClaimReview and its API entry, nothing else
    by_id = {c["id"]: c for c in json.loads(api.content)["claims"]}
    assert by_id[edited.id]["summary"] == "A new summary."
    assert review.content == data.claimreview_feed(lib).content
    assert api.content == data.api_claims(lib).content


def test_a_damaged_cache_file_is_ignored(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cards"
    first = data.data_files(library(), cache_dir)
    (kept,) = (tmp_path / "data").iterdir()
    for damage in (b"", b"not json\n", kept.read_bytes()[:-10], b'{"format": "other"}\n'):
        kept.write_bytes(damage)
        assert [f.content for f in data.data_files(library(), cache_dir)] == [f.content for f in first]


def _edited(summary: str):
    """The test site with its first claim's summary changed (and so its digest)."""
    site, _ = validate_project(load_project(SITE))
    edited = dataclasses.replace(site.claims[0], summary=summary, digest=f"changed {summary}")
    return link_site(dataclasses.replace(site, claims=[edited, *site.claims[1:]]))


def test_an_edit_appends_its_new_entries_and_leaves_the_file_before_them_as_it_was(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(piececache, "SLACK", 1.0)  # the test site is small: one edit is a third of its entries
    cache_dir = tmp_path / "cards"
    data.data_files(library(), cache_dir)
    (kept,) = (tmp_path / "data").iterdir()
    before = kept.read_bytes()
    lib = _edited("A new summary.")
    review, api = data.data_files(lib, cache_dir)
    after = kept.read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    assert [review.content, api.content] == [data.claimreview_feed(lib).content, data.api_claims(lib).content]
    reread = data.Entries(lib, cache_dir).file
    assert reread.appendable and reread.segments == 2
    assert len(reread.index) == len(reread.starts[0]) == len(lib.claims) + 1  # the edited claim's old and new
    assert None not in data.Entries(lib, cache_dir).numbers


def test_an_appended_segment_cut_short_loses_only_its_own_entries(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(piececache, "SLACK", 1.0)
    cache_dir = tmp_path / "cards"
    data.data_files(library(), cache_dir)
    (kept,) = (tmp_path / "data").iterdir()
    whole_file = kept.read_bytes()
    lib = _edited("A new summary.")
    data.data_files(lib, cache_dir)
    kept.write_bytes(kept.read_bytes()[:-5])  # a build killed while appending
    encoded: list[dict] = []
    real = data.entry_json
    monkeypatch.setattr(data, "entry_json", lambda entry: encoded.append(entry) or real(entry))
    review, api = data.data_files(lib, cache_dir)
    assert len(encoded) == 2  # the edited claim's two entries; the first segment's are still good
    assert [review.content, api.content] == [data.claimreview_feed(lib).content, data.api_claims(lib).content]
    assert not kept.read_bytes().startswith(whole_file)  # the damaged file was written again, whole
    assert data.Entries(lib, cache_dir).file.appendable


def test_the_file_is_written_again_once_unused_entries_pass_the_slack(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(piececache, "SLACK", 0.0)
    cache_dir = tmp_path / "cards"
    data.data_files(library(), cache_dir)
    lib = _edited("A new summary.")
    data.data_files(lib, cache_dir)
    assert len(list((tmp_path / "data").iterdir())) == 1
    reread = data.Entries(lib, cache_dir).file
    assert len(reread.index) == len(lib.claims) == len(reread.starts[0])  # the old pieces of the edited claim went
    assert reread.segments == 1 and reread.stored == reread.live_bytes(range(len(lib.claims)))


def _counting(monkeypatch) -> list[dict]:
    """The entries encoded from now on."""
    encoded: list[dict] = []
    real = data.entry_json
    monkeypatch.setattr(data, "entry_json", lambda entry: encoded.append(entry) or real(entry))
    return encoded


def _with_source_title(title: str):
    """The test site with the `vesti` source retitled (and so its digest changed)."""
    site, _ = validate_project(load_project(SITE))
    sources = [
        dataclasses.replace(s, title=title, digest=f"changed {title}") if s.id == "vesti" else s for s in site.sources
    ]
    return link_site(dataclasses.replace(site, sources=sources))


def test_a_source_edited_encodes_again_the_entries_of_the_claims_citing_it_and_no_others(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(piececache, "SLACK", 1.0)
    cache_dir = tmp_path / "cards"
    data.data_files(library(), cache_dir)
    for title in ("A new title", "Another title"):  # the second edit finds the first in an appended segment
        lib = _with_source_title(title)
        encoded = _counting(monkeypatch)
        review, api = data.data_files(lib, cache_dir)
        assert len(encoded) == 2  # ivanova-bridge alone cites vesti
        assert [s["title"] for c in json.loads(api.content)["claims"] for s in c["sources"] if s["id"] == "vesti"] == [
            title
        ]
        assert [review.content, api.content] == [data.claimreview_feed(lib).content, data.api_claims(lib).content]
    encoded = _counting(monkeypatch)
    data.data_files(_with_source_title("Another title"), cache_dir)
    assert encoded == []


def test_a_site_wide_change_encodes_every_entry_again(tmp_path: Path, monkeypatch) -> None:
    cache_dir = tmp_path / "cards"
    data.data_files(library(), cache_dir)
    site, _ = validate_project(load_project(SITE))
    verdicts = [dataclasses.replace(v, label=v.label + " (rated)") for v in site.verdicts]
    lib = link_site(dataclasses.replace(site, verdicts=verdicts))
    encoded = _counting(monkeypatch)
    review, api = data.data_files(lib, cache_dir)
    assert len(encoded) == 2 * len(lib.claims)
    assert all(c["verdict"]["label"].endswith(" (rated)") for c in json.loads(api.content)["claims"])
    assert [review.content, api.content] == [data.claimreview_feed(lib).content, data.api_claims(lib).content]


def test_claims_in_another_order_give_the_files_in_that_order_from_kept_entries(tmp_path: Path, monkeypatch) -> None:
    cache_dir = tmp_path / "cards"
    data.data_files(library(), cache_dir)
    lib = dataclasses.replace(library(), claims=list(reversed(library().claims)))
    encoded = _counting(monkeypatch)
    review, api = data.data_files(lib, cache_dir)
    assert encoded == []
    assert [c["id"] for c in json.loads(api.content)["claims"]] == [c.id for c in lib.claims]
    assert [review.content, api.content] == [data.claimreview_feed(lib).content, data.api_claims(lib).content]


def test_a_file_of_many_segments_is_written_again_as_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(piececache, "SLACK", 100.0)
    monkeypatch.setattr(piececache, "MAX_SEGMENTS", 3)
    cache_dir = tmp_path / "cards"
    data.data_files(library(), cache_dir)
    segments = []
    for n in range(4):
        lib = _edited(f"Summary {n}.")
        review, api = data.data_files(lib, cache_dir)
        assert [review.content, api.content] == [data.claimreview_feed(lib).content, data.api_claims(lib).content]
        segments.append(data.Entries(lib, cache_dir).file.segments)
    assert segments == [2, 3, 1, 2]


def test_a_damaged_segment_header_means_encoding_again(tmp_path: Path, monkeypatch) -> None:
    cache_dir = tmp_path / "cards"
    first = [f.content for f in data.data_files(library(), cache_dir)]
    (kept,) = (tmp_path / "data").iterdir()
    good = kept.read_bytes()
    header, _, body = good.partition(b"\n")
    fields = json.loads(header)
    sizes = fields["sizes"]
    damaged = [
        {**fields, "sizes": [[-1, *sizes[0][1:]], sizes[1]]},
        {**fields, "sizes": [[sizes[0][0] + 0.5, *sizes[0][1:]], sizes[1]]},
        {**fields, "sizes": sizes[:1]},
        {**fields, "sizes": [sizes[0][1:], sizes[1]]},
        {**fields, "notes": ["not", "a", "mapping"]},
        {**fields, "keys": "not a list"},
    ]
    for variant in damaged:
        kept.write_bytes(json.dumps(variant).encode() + b"\n" + body)
        encoded = _counting(monkeypatch)
        assert [f.content for f in data.data_files(library(), cache_dir)] == first
        assert len(encoded) == 2 * len(library().claims)
        assert kept.read_bytes() == good  # written again, whole


def test_a_new_uris_module_encodes_every_entry_again(tmp_path: Path, monkeypatch) -> None:
    """Entries show addresses as uris.as_uri writes them: after an upgrade of uris.py, none is taken from the file."""
    cache_dir = tmp_path / "cards"
    _, api = data.data_files(library(), cache_dir)
    shown = [a["url"] for c in json.loads(api.content)["claims"] for a in c["appearances"] if a["url"]]
    assert shown

    def upgraded(url: str) -> str:  # what the newer code writes
        return url.replace("https://", "https://www.") if url else url

    for module in (data, jsonld):
        monkeypatch.setattr(module, "as_uri", upgraded)
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read_bytes(path) + (b"#" if path.name == "uris.py" else b""))
    data._code_key.cache_clear()
    try:
        _, api = data.data_files(library(), cache_dir)
    finally:
        data._code_key.cache_clear()
    again = [a["url"] for c in json.loads(api.content)["claims"] for a in c["appearances"] if a["url"]]
    assert again == [upgraded(url) for url in shown]
