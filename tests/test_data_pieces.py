"""data: each fact-check's entry is encoded once and kept between builds, the files byte for byte
what encoding each whole document at once writes."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from syndication import SITE, library

from factpress import data
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
